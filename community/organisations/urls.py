"""The organisations routes, all under the language prefix."""

from django.urls import path

from . import api, views

app_name = "organisations"

urlpatterns: list = []

i18n_urlpatterns = [
    path("organisations/", views.index, name="index"),
    path("organisations/new/", views.create, name="create"),
    path("organisations/invitations/", views.invitations, name="invitations"),
    path("organisations/verification/", views.queue, name="queue"),
    path("organisations/verification/<int:pk>/", views.decide, name="decide"),
    path("organisations/verification/held/", views.held, name="held"),
    path("organisations/verification/held/<int:pk>/", views.decide_held, name="decide_held"),
    path("organisations/<slug:slug>/", views.detail, name="detail"),
    path("organisations/<slug:slug>/edit/", views.edit, name="edit"),
    path("organisations/<slug:slug>/members/", views.members, name="members"),
    path("organisations/<slug:slug>/verification/", views.request_verification, name="verify"),
]

api_urlpatterns = [
    path("api/v1/organisations/", api.OrganisationList.as_view(), name="api-organisations"),
    path(
        "api/v1/organisations/<slug:slug>/",
        api.OrganisationDetail.as_view(),
        name="api-organisation",
    ),
]
