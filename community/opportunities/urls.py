"""The opportunities routes, all under the language prefix.

The feeds' and downloads' file-like last segments (`feed.rss`, `export.csv`) cannot be an
opportunity's number, so they never hide a page."""

from django.urls import path

from . import api_write, exports, saved_views, views
from .feeds import OpportunityAtomFeed, OpportunityRssFeed

app_name = "opportunities"

urlpatterns: list = []

rss, atom = OpportunityRssFeed(), OpportunityAtomFeed()
i18n_urlpatterns = [
    path("opportunities/", views.index, name="index"),
    path("opportunities/feed.rss", rss, name="feed_rss"),
    path("opportunities/feed.atom", atom, name="feed_atom"),
    path("opportunities/types/<slug:type>/feed.rss", rss, name="type_feed_rss"),
    path("opportunities/types/<slug:type>/feed.atom", atom, name="type_feed_atom"),
    path("opportunities/countries/<str:country>/feed.rss", rss, name="country_feed_rss"),
    path("opportunities/countries/<str:country>/feed.atom", atom, name="country_feed_atom"),
    path("opportunities/export/columns/", exports.columns_page, name="export"),
    path("opportunities/export.csv", exports.export_csv, name="export_csv"),
    path("opportunities/export.jsonl", exports.export_jsonl, name="export_jsonl"),
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

api_urlpatterns = [
    path(
        "api/v1/opportunities/",
        api_write.OpportunityListAndCreate.as_view(),
        name="api-opportunities",
    ),
    path(
        "api/v1/opportunities/<int:id>/",
        api_write.OpportunityDetailAndUpdate.as_view(),
        name="api-opportunity",
    ),
]
