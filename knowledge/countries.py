"""The country profiles' reading side: the countries index with its counts, and what a country
page shows beyond its editors' text.

A country page (`CountryPage`, one per country in each language's tree) shows the library's
resources about its country (each resource once, in the reader's language when translated,
through `knowledge.library`'s own selection) and the community panels other apps declare for
`page_type="country"` in `core.registries.page_panels`; knowledge never imports those apps.
For signed-in readers, whom the page cache never serves, the resources are kept per process
(`knowledge.declarations.remembered`) and the panels that say what they vary on are drawn once
per language, audience, time zone and content-group version (`core.panel_cache`).

The index lists each country once (the profile in the reader's language, else the original with
a language badge) with how many resources, organisations, open opportunities... the site holds
about it. Those numbers come in bulk, whatever the number of countries: one statement for the
resources, and one `count(request, codes)` call per declared panel kind, each one query. The
cached anonymous index depends on the same content groups as those panels, so a new
organisation or opportunity shows in its counts at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from core.geography import country_name
from core.page_cache import depends_on
from core.registries import PagePanel, page_panels

from .declarations import library_url
from .library import (
    Card,
    _candidates_sql,
    card,
    fetch_page,
    language_name,
    locale_code,
    reader_language,
    restricted,
)
from .models import CountriesIndexPage, CountryPage, render_panels

PAGE_TYPE = "country"
# A country page shows this many resources, then links to the library filtered by country.
RESOURCES_SHOWN = 8


def country_panels() -> list[PagePanel]:
    """The panels declared for country pages, in their order."""
    return sorted(
        (panel for panel in page_panels if panel.page_type == PAGE_TYPE),
        key=lambda panel: (panel.order, panel.key),
    )


def resource_counts(codes: list[str]) -> dict[str, int]:
    """How many live, unrestricted resources name each country (each resource once across its
    translations): one statement for every country."""
    if not codes:
        return {}
    sql = (
        f"WITH c AS ({_candidates_sql()}) "  # noqa: S608 - table names from the models' _meta
        "SELECT country.code, COUNT(DISTINCT c.translation_key) FROM c "
        "CROSS JOIN LATERAL unnest(c.countries) AS country(code) "
        "WHERE country.code = ANY(%s) GROUP BY country.code"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [list(codes)])
        return dict(cursor.fetchall())


def country_resources(
    page: CountryPage, request: HttpRequest, locale_id: int | None = None
) -> tuple[list[Card], str]:
    """The newest resources about `page`'s country as cards for this reader (in the language of
    `locale_id`, the page's own by default), and the library filtered by that country."""
    library = library_url(request, reader_language()) or ""
    if not library:
        return [], ""
    from .declarations import remembered

    code = page.country.code
    locale_id = locale_id or page.locale_id

    def cards() -> list[Card]:
        pages = fetch_page({"country": code}, "newest", locale_id, 0, RESOURCES_SHOWN)
        return [card(item, request, library, locale_id) for item in pages]

    # The same for every reader of a language: kept per process, forgotten on any publish.
    found = remembered(request, ("country", page.pk, code, library, locale_id), cards)
    return list(found), f"{library}?country={code}"


def country_context(page: CountryPage, request: HttpRequest,
                    reader_index: CountriesIndexPage | None = None) -> dict:  # fmt: skip
    """What a country page shows beyond its own fields. `reader_index`: the reader's countries
    index, when the page (in another language) is served at its address for want of a
    translation; the interface stays in the reader's language, with a notice saying so."""
    if reader_index is not None:
        index_url = reader_index.get_url(request) or "/"
        cards, all_url = country_resources(page, request, reader_index.locale_id)
    else:
        # The index is the page's parent: its address, without asking the database.
        url = page.get_url(request) or ""
        index_url = url[: -(len(page.slug) + 1)] if url.endswith(f"/{page.slug}/") else "/"
        cards, all_url = country_resources(page, request)
    return {
        "index_url": index_url,
        "fallback": reader_index is not None,
        "page_language": language_name(locale_code(page)),
        "country_name": country_name(page.country.code),
        "page_language_code": locale_code(page),
        "resources": cards,
        "all_resources_url": all_url,
        "panels": render_panels(request, page, PAGE_TYPE),
    }


@dataclass(frozen=True)
class CountryEntry:
    """One country as the index shows it to this reader."""

    code: str
    name: str
    url: str
    intro: str
    language: str | None  # the profile's language name when it is not the reader's
    language_code: str
    counts: list[tuple[str, int]]


def profiles_for(index: CountriesIndexPage) -> list[CountryPage]:
    """Each country's profile once: the one in `index`'s language, else the first written."""
    chosen: dict[str, CountryPage] = {}
    pages = CountryPage.objects.live().exclude(restricted()).select_related("locale").order_by("pk")
    for page in pages:
        known = chosen.get(page.country.code)
        if known is None or (page.locale_id == index.locale_id != known.locale_id):
            chosen[page.country.code] = page
    return list(chosen.values())


def index_context(index: CountriesIndexPage, request: HttpRequest) -> dict:
    """The countries index: every profile once, sorted by name in the reader's language, each
    with its counts (one query for the resources, one per counting panel)."""
    profiles = profiles_for(index)
    codes = sorted(page.country.code for page in profiles)
    columns: list[tuple[str, dict[str, int]]] = [(_("Resources"), resource_counts(codes))]
    for panel in country_panels():
        if panel.count is None:
            continue
        depends_on(request, *panel.groups)  # before the counts are read
        columns.append((panel.count_label, panel.count(request, codes) if codes else {}))
    # A profile in another language is linked at its address in this index, where it is
    # served with a notice in the reader's language (`CountriesIndexPage.route`).
    index_url = index.get_url(request) or ""
    entries = [
        CountryEntry(
            code=page.country.code,
            name=country_name(page.country.code),
            url=(page.get_url(request) or "")
            if page.locale_id == index.locale_id or not index_url
            else f"{index_url}{page.slug}/",
            intro=page.intro,
            language=None
            if page.locale_id == index.locale_id
            else language_name(page.locale.language_code),
            language_code=page.locale.language_code,
            counts=[(str(label), found.get(page.country.code, 0)) for label, found in columns],
        )
        for page in profiles
    ]
    entries.sort(key=lambda entry: entry.name.casefold())
    return {"countries": entries}
