"""RSS and Atom feeds of open opportunities: all of them, one type's, one country's.

Beside the library's feeds (`knowledge.feeds`), a ministry or a partner follows the new openings
of its diaspora in a feed reader or shows them on its own site. Items are what the listing
shows as open (`listing.listed()` with a deadline still ahead): drafts, opportunities held for
review or rejected, hidden ones and closed ones never appear. Newest first (by the moment each
became public), at most `ITEMS`.

Served to anonymous readers from the page cache like the listing: a feed depends on the
opportunities' and organisations' content groups (`core.page_cache.depends_on`), so any save of
an opportunity or organisation refreshes it, and it is kept no longer than the next deadline or
"closing soon" moment (`next_listing_change`), when an item must leave it. Addresses with a
query string are served but not cached, so endless variants cannot fill the cache.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django_countries import countries

from django.contrib.syndication.views import Feed
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from community.organisations.models import PAGE_GROUP as ORGANISATIONS
from core.exports import text_paragraphs
from core.geography import country_name
from core.page_cache import depends_on, expire_within
from core.topics import concept_of

from .listing import listed, next_listing_change
from .models import PAGE_GROUP, Opportunity, OpportunityType

ITEMS = 50
SUMMARY_WORDS = 80
TYPES = {"rss": "application/rss+xml", "atom": "application/atom+xml"}


@dataclass
class FeedScope:
    """What one request's feed covers: every open opportunity, or one type's, or one country's."""

    request: HttpRequest
    kind: str  # "rss" or "atom"
    type: str = ""
    country: str = ""
    now: datetime | None = None


def feed_url(kind: str, type: str = "", country: str = "") -> str:
    """The address of a feed in the active language (`kind` "rss" or "atom")."""
    if type:
        return reverse(f"opportunities:type_feed_{kind}", kwargs={"type": type})
    if country:
        return reverse(f"opportunities:country_feed_{kind}", kwargs={"country": country})
    return reverse(f"opportunities:feed_{kind}")


def feed_title(type: str = "", country: str = "") -> str:
    """A feed's title in the reader's language (the type and country must exist)."""
    if type:
        return _("Open opportunities: %(type)s") % {"type": OpportunityType(type).label}
    if country:
        return _("Open opportunities in %(country)s") % {"country": country_name(country)}
    return _("Open opportunities")


def feed_links(type: str = "", country: str = "") -> list[dict]:
    """The feeds to offer beside the listing filtered by this type and country."""
    scopes = [("", "")]
    if type in OpportunityType.values:
        scopes.append((type, ""))
    if country and countries.alpha2(country):
        scopes.append(("", country))
    return [
        {"kind": kind, "type": TYPES[kind], "label": kind.upper(),
         "title": f"{feed_title(scope_type, scope_country)} ({kind.upper()})",
         "url": feed_url(kind, scope_type, scope_country)}
        for scope_type, scope_country in scopes
        for kind in TYPES
    ]  # fmt: skip


class OpportunityRssFeed(Feed):
    feed_type = Rss201rev2Feed
    kind = "rss"

    def __call__(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = super().__call__(request, *args, **kwargs)
        if request.GET:
            patch_cache_control(response, private=True, no_cache=True)
        # An item leaves the feed when its deadline passes.
        expire_within(response, next_listing_change(timezone.now()))
        return response

    def get_object(self, request: HttpRequest, type: str = "", country: str = "") -> FeedScope:
        if type and type not in OpportunityType.values:
            raise Http404(_("There is no such type of opportunity."))
        if country and (country != country.upper() or not countries.alpha2(country)):
            raise Http404(_("There is no such country."))
        depends_on(request, PAGE_GROUP, ORGANISATIONS)
        return FeedScope(request, self.kind, type, country, timezone.now())

    def title(self, scope: FeedScope) -> str:
        return feed_title(scope.type, scope.country)

    def description(self, scope: FeedScope) -> str:
        return _(
            "Jobs, volunteering, funding calls, mentoring, investment and fellowships for the "
            "diaspora, open for applications on Diaspora Hub."
        )

    subtitle = description  # Atom's name for it

    def link(self, scope: FeedScope) -> str:
        url = reverse("opportunities:index")
        query = "&".join(
            f"{name}={value}" for name, value in (("type", scope.type), ("country", scope.country))
            if value
        )  # fmt: skip
        return f"{url}?{query}" if query else url

    def feed_url(self, scope: FeedScope) -> str:
        return feed_url(scope.kind, scope.type, scope.country)

    def items(self, scope: FeedScope) -> list[Opportunity]:
        found = listed().filter(deadline__gt=scope.now)
        if scope.type:
            found = found.filter(type=scope.type)
        if scope.country:
            # Codes are stored comma-separated; two letters never straddle a comma.
            found = found.filter(countries__contains=scope.country)
        return list(
            found.select_related("organisation")
            .prefetch_related("topics")
            .order_by(F("public_since").desc(nulls_last=True), "-created_at", "-pk")[:ITEMS]
        )

    def _summary(self, item: Opportunity) -> str:
        text = " ".join(text_paragraphs(item.description))
        return Truncator(text).words(SUMMARY_WORDS)

    def item_title(self, item: Opportunity) -> str:
        # Feed readers show an RSS title as HTML: the text must stay text.
        return escape(item.title)

    def item_description(self, item: Opportunity) -> str:
        return escape(self._summary(item))

    def item_link(self, item: Opportunity) -> str:
        return reverse("opportunities:detail", args=[item.pk])

    def item_pubdate(self, item: Opportunity) -> datetime:
        return item.public_since or item.created_at

    def item_updateddate(self, item: Opportunity) -> datetime:
        return item.updated_at

    def item_author_name(self, item: Opportunity) -> str:
        return item.organisation.name if item.organisation else ""

    def item_categories(self, item: Opportunity) -> list[str]:
        language = get_language() or "en"
        labels = {}
        for topic in item.topics.all():
            concept = concept_of(topic.pk)
            if concept:
                labels[concept.slug] = concept.in_language(language).label
        return [str(OpportunityType(item.type).label), *sorted(labels.values(), key=str.casefold)]


class OpportunityAtomFeed(OpportunityRssFeed):
    feed_type = Atom1Feed
    kind = "atom"

    # Atom says its titles and summaries are text: the generator escapes them itself.
    def item_title(self, item: Opportunity) -> str:
        return item.title

    def item_description(self, item: Opportunity) -> str:
        return self._summary(item)
