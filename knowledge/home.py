"""What the home page shows beyond its own fields: the search box, the latest resources, the
handbook teaser and the featured country profiles.

The home page is the page most visitors open first. Anonymous readers get it from the page
cache, which every publish empties (`core.page_cache.invalidate_pages`), so a newly published
resource, chapter or country profile shows at once; the render that fills that cache reads the
blocks afresh (a few queries, once per publish). Signed-in members are never served from the page
cache, so for them the blocks' HTML, the same for every reader of a language, is kept per process
(`knowledge.declarations.home_memo`): no query in the steady state. The publishing process
forgets it at once; other processes within the memo's lifetime.

The handbook and the country profiles (`HandbookPage`, `CountryPage`) show only once an editor
publishes one.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.html import strip_tags
from django.utils.safestring import SafeString

from wagtail.models import Page

from .declarations import home_memo, library_url
from .handbook_models import HandbookPage
from .library import Card, card, fetch_page, reader_language, restricted
from .models import CountryPage

LATEST_COUNT = 5
FEATURED_COUNTRIES = 6
HANDBOOK_CHAPTERS = 5


@dataclass(frozen=True)
class Teaser:
    """A page the home page links to, with a line about it and, for the handbook, its first
    chapters."""

    title: str
    url: str
    language_code: str
    description: str = ""
    children: tuple[tuple[str, str], ...] = ()  # (title, url)


def search_url() -> str | None:
    """The search page's address once the search app provides one; the box is hidden before."""
    try:
        return reverse("search:index")
    except NoReverseMatch:
        return None


def latest_resources(request: HttpRequest, locale_id: int, address: str) -> list[Card]:
    """The newest resources, each once: in the reader's language when translated, else the
    original with its language badge, linked under the reader's library at `address` (the
    library's own listing query and cards)."""
    pages = fetch_page({}, "newest", locale_id, 0, LATEST_COUNT)
    return [card(page, request, address, locale_id) for page in pages]


def _in_reader_language_first(model: type[Page], locale_id: int):
    """Live, public pages of `model`, the reader's locale first, then the default language's."""
    return (
        model.objects.live()
        .exclude(restricted())
        .filter(locale__language_code__in={settings.LANGUAGE_CODE, reader_language()})
        .select_related("locale")
        .annotate(
            here=Case(
                When(locale_id=locale_id, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
    )


def _description(text: str, page: Page) -> str:
    """The page's own short text (its introduction, as plain text), else its search
    description, which editors write for sharing anyway."""
    return strip_tags(text or "").strip() or page.search_description


def handbook(request: HttpRequest, locale_id: int) -> Teaser | None:
    """The handbook in the reader's language (else the default one's) with its first chapters,
    or None while no handbook is published."""
    found = _in_reader_language_first(HandbookPage, locale_id).order_by("-here", "pk").first()
    if found is None:
        return None
    chapters = found.get_children().live().exclude(restricted()).order_by("path")
    return Teaser(
        title=found.title,
        url=found.get_url(request) or "",
        language_code=found.locale.language_code,
        description=_description(found.intro, found),
        children=tuple(
            (chapter.title, chapter.get_url(request) or "")
            for chapter in chapters[:HANDBOOK_CHAPTERS]
        ),
    )


def featured_countries(request: HttpRequest, locale_id: int) -> list[Teaser]:
    """Up to six country profiles, each once (the reader's translation first), in title order."""
    model = CountryPage
    pages = _in_reader_language_first(model, locale_id)
    # One copy per country (the reader's first) in a sub-query, so that one statement reads six
    # pages however many profiles exist.
    once = pages.order_by("translation_key", "-here", "pk").distinct("translation_key")
    chosen = (
        model.objects.filter(pk__in=once.values("pk"))
        .select_related("locale")
        .order_by("title", "pk")[:FEATURED_COUNTRIES]
    )
    return [
        Teaser(title=page.title, url=page.get_url(request) or "",
               language_code=page.locale.language_code)
        for page in chosen
    ]  # fmt: skip


@dataclass(frozen=True)
class Blocks:
    """The blocks' HTML, and whether it lists resources (then the page loads their style)."""

    html: SafeString
    has_resources: bool


def render_blocks(request: HttpRequest, locale_id: int) -> Blocks:
    """The latest resources, the handbook and the featured countries, rendered."""
    address = library_url(request, reader_language()) or "/"
    context = {
        "library_url": address,
        "latest_resources": latest_resources(request, locale_id, address),
        "handbook": handbook(request, locale_id),
        "featured_countries": featured_countries(request, locale_id),
    }
    html = render_to_string("knowledge/_home_blocks.html", context, request)
    return Blocks(SafeString(html.strip()), bool(context["latest_resources"]))


def home_context(request: HttpRequest, locale_id: int) -> dict:
    """Everything the home page shows from the knowledge base, for this reader."""
    if getattr(request, "_cache_update_cache", False):
        # This render fills the page cache (Django's cache middleware marked it): read afresh,
        # as another process's memo may predate a publish.
        blocks = render_blocks(request, locale_id)
    else:
        key = (request.get_host(), reader_language(), locale_id)
        blocks = home_memo.get(key, lambda: render_blocks(request, locale_id))
    return {"search_url": search_url(), "blocks": blocks}
