"""The moderation routes, under the language prefix: the report form and the moderator list."""

from django.urls import path

from . import views

app_name = "moderation"

urlpatterns: list = []

i18n_urlpatterns = [
    path("report/<str:model_key>/<int:pk>/", views.report, name="report"),
    path("moderation/", views.queue, name="queue"),
    path("moderation/decide/", views.decide, name="decide"),
]
