"""`submissions:propose`: the form through which a member proposes a library resource."""

from django.urls import path

from . import submission_views

app_name = "submissions"

urlpatterns: list = []

i18n_urlpatterns = [
    path("propose-a-resource/", submission_views.propose, name="propose"),
]
