"""The project's URLs plus two privileged views, one per form of `core.guards` (for tests)."""

from __future__ import annotations

from django.http import HttpResponse
from django.urls import path
from django.views import View

from core.guards import PrivilegedViewMixin, privileged
from idiaspora.urls import urlpatterns as project_urlpatterns

PERMISSION = "wagtailcore.add_page"


@privileged(PERMISSION)
def ban_member(request):
    return HttpResponse("Ban form")


class VerificationQueue(PrivilegedViewMixin, View):
    required_permission = PERMISSION

    def get(self, request):
        return HttpResponse("Verification queue")


urlpatterns = [
    path("guarded/function/", ban_member),
    path("guarded/class/", VerificationQueue.as_view()),
    *project_urlpatterns,
]
