"""The notification centre, preferences, unsubscribe links and follow buttons, all under the
language prefix (`/<lang>/notifications/...`)."""

from django.urls import path

from . import views

app_name = "notifications"

urlpatterns: list = []

i18n_urlpatterns = [
    path("notifications/", views.centre, name="index"),
    path("notifications/<int:pk>/open/", views.open_notification, name="open"),
    path("notifications/read-all/", views.read_all, name="read_all"),
    path("notifications/preferences/", views.preferences, name="preferences"),
    path("notifications/follow/", views.follow_toggle, name="follow"),
    path("notifications/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
