"""The members routes, all under the language prefix: directory, own profile form, a profile."""

from django.urls import path

from . import views

app_name = "members"

urlpatterns: list = []

i18n_urlpatterns = [
    path("members/", views.index, name="index"),
    path("members/me/edit/", views.edit, name="edit"),
    path("members/<int:pk>/", views.profile, name="profile"),
]
