"""`library:index`, the navigation's way to the live library in the reader's language, and the
library's RSS and Atom feeds (`library:feed_rss`, `library:topic_feed_atom`...) and its
downloads (`library:export_csv`, `library:export_jsonl`, and `library:export`, what their
columns mean).

Wagtail routes the library page itself, at the address its editors gave it; this name lets
templates and the main navigation link to it without knowing that address. The feeds' file-like
last segments (`feed.rss`, `export.csv`) cannot be a resource's slug, nor can
`export/columns/` (two segments: resources have no children), so they never hide a page.
"""

from django.urls import path

from . import exports, views
from .feeds import LibraryAtomFeed, LibraryRssFeed

app_name = "library"

urlpatterns: list = []

rss, atom = LibraryRssFeed(), LibraryAtomFeed()
i18n_urlpatterns = [
    path("library/", views.library_index, name="index"),
    path("library/feed.rss", rss, name="feed_rss"),
    path("library/feed.atom", atom, name="feed_atom"),
    path("library/topics/<slug:topic>/feed.rss", rss, name="topic_feed_rss"),
    path("library/topics/<slug:topic>/feed.atom", atom, name="topic_feed_atom"),
    path("library/countries/<str:country>/feed.rss", rss, name="country_feed_rss"),
    path("library/countries/<str:country>/feed.atom", atom, name="country_feed_atom"),
    path("library/export/columns/", exports.columns_page, name="export"),
    path("library/export.csv", exports.export_csv, name="export_csv"),
    path("library/export.jsonl", exports.export_jsonl, name="export_jsonl"),
]
