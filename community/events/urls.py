"""The events routes, all under the language prefix (the calendar feed too: its address is
secret and never cached, whatever its prefix), and the open-data API's events (`api.py`)."""

from django.urls import path

from . import api, views

app_name = "events"

urlpatterns: list = []

i18n_urlpatterns = [
    path("events/", views.index, name="index"),
    path("events/new/", views.create, name="create"),
    path("events/mine/", views.mine, name="mine"),
    path("events/calendar/", views.calendar_feed, name="calendar"),
    path("events/feed/<str:token>.ics", views.feed, name="feed"),
    path("events/<int:pk>/", views.detail, name="detail"),
    path("events/<int:pk>/edit/", views.edit, name="edit"),
    path("events/<int:pk>/cancel/", views.cancel_event, name="cancel"),
    path("events/<int:pk>/register/", views.register, name="register"),
    path("events/<int:pk>/unregister/", views.unregister, name="unregister"),
    path("events/<int:pk>/attendees/", views.attendees, name="attendees"),
    path("events/<int:pk>/attendees.csv", views.attendees_csv, name="attendees_csv"),
    path("events/<int:pk>/event.ics", views.ics, name="ics"),
]

api_urlpatterns = [
    path("api/v1/events/", api.EventList.as_view(), name="api-events"),
    path("api/v1/events/<int:id>/", api.EventDetail.as_view(), name="api-event"),
]
