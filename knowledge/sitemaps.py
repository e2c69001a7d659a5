"""sitemap.xml over every locale, each page listing its translations as hreflang alternates.

Wagtail's own sitemap walks the default site's root, which holds only the default locale's
pages; translated trees sit beside it. This one lists all live, public, indexable pages.
"""

from __future__ import annotations

from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page


class MultilingualSitemap(Sitemap):
    def items(self):
        return (
            Page.objects.live()
            .public()
            .filter(depth__gte=2)
            .exclude(alias_of__isnull=False)
            .order_by("path")
            .specific()
        )

    def _urls(self, page, protocol, domain):
        urls = []
        for item in self.paginator.page(page).object_list:
            if getattr(item, "noindex", False):
                continue
            translations = (
                item.get_translations(inclusive=True).live().public().select_related("locale")
            )
            alternates = [
                {"lang_code": t.locale.language_code, "location": t.get_full_url(self.request)}
                for t in translations.specific()
                if not getattr(t, "noindex", False)
            ]
            urls.append(
                {
                    "item": item,
                    "location": item.get_full_url(self.request),
                    "lastmod": item.last_published_at or item.latest_revision_created_at,
                    "alternates": alternates if len(alternates) > 1 else [],
                }
            )
        return urls
