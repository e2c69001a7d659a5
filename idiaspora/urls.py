"""URL map: each app's include, language-prefixed where readers see it, plus admin and API.

Apps own their routes (`<app>/urls.py`: `urlpatterns`, and `i18n_urlpatterns` for pages under
/en/, /fr/, /es/, /ar/), so parallel work adds a line here, not a block. Wagtail's catch-all
comes last.
"""

from __future__ import annotations

from allauth.account.decorators import secure_admin_login
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from community.events import urls as events_urls
from community.forums import urls as forums_urls
from community.members import urls as members_urls
from community.moderation import urls as moderation_urls
from community.notifications import urls as notifications_urls
from community.opportunities import api_write as opportunities_api_write
from community.opportunities import urls as opportunities_urls
from community.organisations import urls as organisations_urls
from core import urls as core_urls
from core import views as core_views
from knowledge import countries_urls, course_urls, handbook_urls, library_urls, submission_urls
from knowledge import urls as knowledge_urls
from search import urls as search_urls

handler400 = "core.views.bad_request"
handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"

# Both admins have password-only login forms of their own: send them to the site's log-in,
# which asks staff for their second factor.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("admin/login/", secure_admin_login(core_views.wagtail_admin_login), name="admin_login"),
    path("", include(core_urls.urlpatterns)),
    path("", include(knowledge_urls.urlpatterns)),
    path("admin/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
    path("", include((search_urls.api_urlpatterns, search_urls.app_name), namespace="search-api")),
    # The open-data API's read endpoints, each app's from its own api.py (knowledge's are in
    # knowledge_urls.urlpatterns, the kernel's vocabularies in core_urls.urlpatterns).
    path("", include(organisations_urls.api_urlpatterns)),
    path("", include(opportunities_urls.api_urlpatterns)),
    path("", include(members_urls.api_urlpatterns)),
    path("", include(forums_urls.api_urlpatterns)),
    path("", include(events_urls.api_urlpatterns)),
    path("api/v1/", include(opportunities_api_write.urlpatterns)),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/v1/docs/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-docs"),
]

urlpatterns += i18n_patterns(
    path("", include(core_urls.i18n_urlpatterns)),
    path("", include((members_urls.i18n_urlpatterns, members_urls.app_name))),
    path("", include((moderation_urls.i18n_urlpatterns, moderation_urls.app_name))),
    path("", include((organisations_urls.i18n_urlpatterns, organisations_urls.app_name))),
    path("", include((opportunities_urls.i18n_urlpatterns, opportunities_urls.app_name))),
    path("", include((forums_urls.i18n_urlpatterns, forums_urls.app_name))),
    path("", include((events_urls.i18n_urlpatterns, events_urls.app_name))),
    path("", include((notifications_urls.i18n_urlpatterns, notifications_urls.app_name))),
    path("", include((library_urls.i18n_urlpatterns, library_urls.app_name))),
    path("", include((submission_urls.i18n_urlpatterns, submission_urls.app_name))),
    path("", include((handbook_urls.i18n_urlpatterns, handbook_urls.app_name))),
    path("", include((countries_urls.i18n_urlpatterns, countries_urls.app_name))),
    path("", include((course_urls.i18n_urlpatterns, course_urls.app_name))),
    path("", include((search_urls.i18n_urlpatterns, search_urls.app_name))),
    path("accounts/", include("allauth.urls")),
    path("", include(wagtail_urls)),
)


def media_urlpatterns() -> list:
    """Uploads served by the development server, as the production proxy must serve them:
    public images and avatars, but never `documents/`, whose files are reached only through
    Wagtail's document view, which refuses those of unpublished or restricted pages."""
    from django.conf.urls.static import static
    from django.http import Http404
    from django.urls import re_path

    def refuse(request, path):
        raise Http404

    prefix = settings.MEDIA_URL.lstrip("/")
    return [
        re_path(rf"^{prefix}documents/(?P<path>.*)$", refuse),
        *static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT),
    ]


if settings.DEBUG:
    urlpatterns = media_urlpatterns() + urlpatterns
