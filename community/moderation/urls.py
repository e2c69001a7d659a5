"""The moderation routes, under the language prefix: the report form, the moderator pages
(queue, decisions, log, word lists, trust levels) and the author's appeal."""

from django.urls import path

from . import views

app_name = "moderation"

urlpatterns: list = []

i18n_urlpatterns = [
    path("report/<str:model_key>/<int:pk>/", views.report, name="report"),
    path("moderation/", views.queue, name="queue"),
    path("moderation/decide/", views.decide, name="decide"),
    path("moderation/appeals/<int:pk>/", views.decide_appeal_view, name="decide_appeal"),
    path("moderation/log/", views.log, name="log"),
    path("moderation/words/", views.word_lists, name="words"),
    path("moderation/trust/", views.trust_level, name="trust"),
    path("appeal/<str:token>/", views.appeal, name="appeal"),
]
