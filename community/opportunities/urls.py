"""The opportunities routes, all under the language prefix."""

from django.urls import path

from . import saved_views, views

app_name = "opportunities"

urlpatterns: list = []

i18n_urlpatterns = [
    path("opportunities/", views.index, name="index"),
    path("opportunities/new/", views.create, name="create"),
    path("opportunities/mine/", views.mine, name="mine"),
    path("opportunities/saved/", saved_views.saved_list, name="saved"),
    path("opportunities/searches/", saved_views.search_list, name="saved_searches"),
    path("opportunities/searches/new/", saved_views.search_create, name="save_search"),
    path(
        "opportunities/searches/<int:pk>/delete/",
        saved_views.search_delete,
        name="delete_search",
    ),
    path("opportunities/review/", views.queue, name="queue"),
    path("opportunities/review/<int:pk>/", views.decide, name="decide"),
    path("opportunities/<int:pk>/", views.detail, name="detail"),
    path("opportunities/<int:pk>/edit/", views.edit, name="edit"),
    path("opportunities/<int:pk>/save/", saved_views.toggle_saved, name="toggle_saved"),
    path("opportunities/<int:pk>/close/", views.close, name="close"),
    path("opportunities/<int:pk>/extend/", views.extend, name="extend"),
    path("opportunities/<int:pk>/apply/", views.apply, name="apply"),
    path("opportunities/<int:pk>/applicants/", views.applicants, name="applicants"),
    path(
        "opportunities/applications/<int:application_pk>/status/",
        views.decide_application,
        name="application_status",
    ),
    path(
        "opportunities/applications/<int:application_pk>/withdraw/",
        views.withdraw_application,
        name="application_withdraw",
    ),
]
