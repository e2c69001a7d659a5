"""The members routes, all under the language prefix: directory, own profile form, a profile,
the dashboard (`/<lang>/me/`) and the profile set-up after sign-up (`/<lang>/me/welcome/`)."""

from django.urls import path

from . import api, views

app_name = "members"

urlpatterns: list = []

i18n_urlpatterns = [
    path("members/", views.index, name="index"),
    path("members/me/edit/", views.edit, name="edit"),
    path("members/<int:pk>/", views.profile, name="profile"),
    path("members/<int:pk>/contact/", views.contact, name="contact"),
    path("members/<int:pk>/block/", views.block, name="block"),
    path("me/", views.dashboard, name="dashboard"),
    path("me/welcome/", views.onboarding_resume, name="onboarding"),
    path("me/welcome/<int:number>/", views.onboarding_step, name="onboarding_step"),
]

api_urlpatterns = [
    path("api/v1/members/", api.MemberList.as_view(), name="api-members"),
    path("api/v1/members/<int:id>/", api.MemberDetail.as_view(), name="api-member"),
]
