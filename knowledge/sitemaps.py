"""sitemap.xml over every locale, each page listing its translations as hreflang alternates.

Wagtail's own sitemap walks the default site's root, which holds only the default locale's
pages; translated trees sit beside it. This one lists all live, public, indexable pages.

It reads pages as rows, not model instances: one query for every live public page (aliases
too, since a page's translation may be one), one per page type that can be marked noindex, and
the URLs worked out by `core.page_urls.PageUrls`. Asking each page for its translations and
URLs, as Wagtail's would, costs a handful of queries per page: thousands on a library of a
thousand resources in four languages.
"""

from __future__ import annotations

from collections import defaultdict

from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page, get_page_models

from core.page_urls import PageUrls

_COLUMNS = (
    "id",
    "url_path",
    "translation_key",
    "alias_of_id",
    "locale_id",
    "locale__language_code",
    "last_published_at",
    "latest_revision_created_at",
)


def _noindex_ids() -> set[int]:
    """Ids of the pages marked "hide from search engines", one query per page type with that
    switch (its own column: `BasePage` is abstract)."""
    hidden: set[int] = set()
    for model in get_page_models():
        field = next((f for f in model._meta.local_fields if f.name == "noindex"), None)
        if field is not None:
            hidden.update(model.objects.filter(noindex=True).values_list("pk", flat=True))
    return hidden


class MultilingualSitemap(Sitemap):
    def items(self):
        rows = Page.objects.live().public().filter(depth__gte=2).order_by("path").values(*_COLUMNS)
        hidden = _noindex_ids()
        listed = [row for row in rows if row["id"] not in hidden]
        self._translations: dict[object, list[dict]] = defaultdict(list)
        for row in listed:
            self._translations[row["translation_key"]].append(row)
        return [row for row in listed if row["alias_of_id"] is None]

    def _urls(self, page, protocol, domain):
        urls = PageUrls(self.request)
        entries = []
        for row in self.paginator.page(page).object_list:
            alternates = [
                {
                    "lang_code": translation["locale__language_code"],
                    "location": urls.full_url(translation["url_path"]),
                }
                # In the order the locales were created (English, French, Spanish, Arabic).
                for translation in sorted(
                    self._translations[row["translation_key"]],
                    key=lambda t: (t["locale_id"], t["id"]),
                )
            ]
            entries.append(
                {
                    "item": row,
                    "location": urls.full_url(row["url_path"]),
                    "lastmod": row["last_published_at"] or row["latest_revision_created_at"],
                    "alternates": alternates if len(alternates) > 1 else [],
                }
            )
        return entries
