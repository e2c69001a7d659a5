"""RSS and Atom feeds of the resource library: all resources, one topic's, one country's.

A feed belongs to a language (the `/<language>/` prefix of its address): it lists each resource
once, as the reader's library does, in the reader's translation when there is one, else in its
original language, newest first. The items come from the library's own listing query
(`knowledge.library.fetch_page`), so a feed never shows what the library hides: drafts,
unpublished pages and pages behind a view restriction.

Feeds are served to anonymous readers from the page cache; they depend on site-wide content
only (`depends_on(request)`), so every publish or unpublish empties them with the pages.
Addresses with a query string are served but never cached (`mark_cacheability`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, time

from django_countries import countries

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from core.geography import country_name
from core.page_cache import depends_on
from core.topics import get_concept

from .library import Card, card, fetch_page, mark_cacheability, reader_language
from .models import LibraryPage

ITEMS = 50


@dataclass
class FeedScope:
    """What one request's feed covers: the reader's library and an optional topic or country."""

    request: HttpRequest
    library: LibraryPage
    kind: str  # "rss" or "atom"
    topic: str = ""
    country: str = ""
    filters: dict[str, str] = field(default_factory=dict)


def reader_library(language: str) -> LibraryPage | None:
    """The live library of `language`, else the default language's."""
    libraries = {
        page.locale.language_code: page
        for page in LibraryPage.objects.live().public().select_related("locale").order_by("-pk")
    }
    return libraries.get(language) or libraries.get(settings.LANGUAGE_CODE)


def feed_url(kind: str, topic: str = "", country: str = "") -> str:
    """The address of a feed in the active language (`kind` "rss" or "atom")."""
    if topic:
        return reverse(f"library:topic_feed_{kind}", kwargs={"topic": topic})
    if country:
        return reverse(f"library:country_feed_{kind}", kwargs={"country": country})
    return reverse(f"library:feed_{kind}")


def feed_title(topic: str = "", country: str = "") -> str:
    """A feed's title in the reader's language (the topic and country must exist)."""
    if topic:
        label = get_concept(topic).in_language(reader_language()).label
        return _("Library resources on %(topic)s") % {"topic": label}
    if country:
        return _("Library resources about %(country)s") % {"country": country_name(country)}
    return _("Library resources")


class LibraryRssFeed(Feed):
    feed_type = Rss201rev2Feed
    kind = "rss"

    def __call__(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return mark_cacheability(request, super().__call__(request, *args, **kwargs))

    def get_object(self, request: HttpRequest, topic: str = "", country: str = "") -> FeedScope:
        filters = {}
        if topic:
            if get_concept(topic) is None:
                raise Http404(_("There is no such topic."))
            filters["topic"] = topic
        if country:
            if country != country.upper() or not countries.alpha2(country):
                raise Http404(_("There is no such country."))
            filters["country"] = country
        depends_on(request)  # site-wide content only: emptied by every publish
        library = reader_library(reader_language())
        if library is None:
            raise Http404(_("The library has not been set up yet."))
        return FeedScope(request, library, self.kind, topic, country, filters)

    def title(self, scope: FeedScope) -> str:
        return feed_title(scope.topic, scope.country)

    def description(self, scope: FeedScope) -> str:
        return _(
            "New toolkits, case studies, policies, reports and training material in the "
            "Diaspora Hub library."
        )

    subtitle = description  # Atom's name for it

    def link(self, scope: FeedScope) -> str:
        url = scope.library.get_url(scope.request) or "/"
        query = "&".join(f"{name}={value}" for name, value in scope.filters.items())
        return f"{url}?{query}" if query else url

    def feed_url(self, scope: FeedScope) -> str:
        return feed_url(scope.kind, scope.topic, scope.country)

    def items(self, scope: FeedScope) -> list[Card]:
        library_url = scope.library.get_url(scope.request) or "/"
        locale_id = scope.library.locale_id
        pages = fetch_page(scope.filters, "newest", locale_id, 0, ITEMS)
        return [card(page, scope.request, library_url, locale_id) for page in pages]

    def item_title(self, item: Card) -> str:
        # Feed readers show the title as HTML: the text must stay text.
        return escape(item.page.title)

    def item_description(self, item: Card) -> str:
        return escape(item.page.summary)

    def item_link(self, item: Card) -> str:
        return item.url

    def item_pubdate(self, item: Card) -> datetime | None:
        published = item.page.publication_date
        if published:
            return datetime.combine(published, time.min, tzinfo=UTC)
        return item.page.first_published_at

    def item_updateddate(self, item: Card) -> datetime | None:
        return item.page.last_published_at

    def item_author_name(self, item: Card) -> str:
        return item.page.publisher

    def item_categories(self, item: Card) -> list[str]:
        return [item.type_label, *item.topics]


class LibraryAtomFeed(LibraryRssFeed):
    feed_type = Atom1Feed
    kind = "atom"

    # Atom says its titles and summaries are text: the generator escapes them itself.
    def item_title(self, item: Card) -> str:
        return item.page.title

    def item_description(self, item: Card) -> str:
        return item.page.summary
