"""The resource library's reading side: the faceted listing, the resource page's context, and
routing a reader to a resource that is not (yet) in their language.

A resource exists once per language it is written or translated in (Wagtail pages sharing a
`translation_key`). Every reader's library lists each resource once: the copy in the reader's
language when there is one, else the original (the first copy created) with a language badge,
reached under the reader's own library address so that the interface stays in their language
(`route_in_library`).

Cost is bounded whatever the library's size: one SQL statement computes every facet's counts
(a grouped sub-query per facet family, joined by UNION ALL, each resource counted once across
its translations) and the total; one picks the page's resources; then the page's rows, their
topics and their cover renditions are fetched in bulk.

Only canonical listing addresses (known parameters, valid values, fixed order, no empty or
repeated ones; a `tag` only when live resources carry it) may be stored by the page cache; any
other address is served but marked `private, no-cache`, so that endless filter combinations
cannot flood it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import (
    Case,
    Exists,
    F,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Length, Lower, Substr
from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from django.utils.safestring import SafeString
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _

from wagtail.models import Page, PageViewRestriction
from wagtail.url_routing import RouteResult

from core.geography import country_name
from core.memo import ProcessMemo
from core.topics import concept_of, get_concept

from .attachments import readable_attachments
from .images import with_renditions
from .models import LibraryPage, Region, ResourcePage, ResourceType

_locale_memo: ProcessMemo[dict[int, str]] = ProcessMemo("locale codes", ttl=300)
PAGE_SIZE = 20
RELATED_COUNT = 4
FILTERS = ("type", "topic", "country", "region", "language", "year", "tag")
SORTS = ("newest", "title")
# The one order in which parameters appear in a canonical address.
CANONICAL_ORDER = (*FILTERS, "sort", "page")
FACET_TITLES = {
    "type": _("Type"),
    "topic": _("Topic"),
    "country": _("Country"),
    "region": _("Region"),
    "language": _("Language"),
    "year": _("Year"),
    "tag": _("Tag"),
}


def restricted() -> Exists:
    """True for a page under a view restriction (members only, password, groups): such pages are
    never listed to anyone, as a listing is shared by every reader of its address."""
    return Exists(
        PageViewRestriction.objects.filter(
            page__path=Substr(OuterRef("path"), 1, Length("page__path"))
        )
    )


def reader_language() -> str:
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


def locale_code(page: Page) -> str:
    """The language code of a page's locale, without a query when it was not fetched with it."""
    from wagtail.models import Locale

    cached = Page.locale.is_cached(page)
    if cached:
        return page.locale.language_code
    codes = _locale_memo.get("all", lambda: dict(Locale.objects.values_list("pk", "language_code")))
    return codes.get(page.locale_id) or page.locale.language_code


def language_name(code: str) -> str:
    try:
        return get_language_info(code)["name_local"]
    except KeyError:
        return code


# --- Filters and canonical addresses -------------------------------------------------------


@dataclass
class Filters:
    """The listing's filters as the reader asked for them, only the valid ones kept."""

    values: dict[str, str] = field(default_factory=dict)
    sort: str = "newest"
    page: int = 1
    canonical: bool = True

    def query(self, **changes: str | None) -> str:
        """The canonical query string of these filters with `changes` (None removes one);
        a change of filter goes back to the first page."""
        values = {**self.values, **changes}
        params = [(name, values[name]) for name in FILTERS if values.get(name)]
        sort = changes.get("sort", self.sort)
        if sort and sort != "newest":
            params.append(("sort", sort))
        return urlencode(params)


def _valid(name: str, value: str) -> bool:
    if name == "type":
        return value in ResourceType.values
    if name == "topic":
        return get_concept(value) is not None
    if name == "country":
        return len(value) == 2 and value.isalpha() and value.isupper() and bool(country_name(value))
    if name == "region":
        return value in Region.values
    if name == "language":
        return value in dict(settings.LANGUAGES)
    if name == "year":
        return value.isdigit() and len(value) == 4
    if name == "tag":
        # Only the tags of live resources: any other value would be one more cached page.
        return value in known_tags()
    return False


def known_tags() -> dict[str, str]:
    """The free tags of live resources, slug to name, kept per process: a tag filter is only
    canonical (cacheable) for one of them, and the listing names it without a query. Forgotten
    with the library's listings on every publish (`knowledge.declarations`)."""
    from taggit.models import Tag

    from .declarations import tags_memo

    def read() -> dict[str, str]:
        tagged = Tag.objects.filter(
            knowledge_resourcetag_items__content_object__live=True
        ).distinct()
        return dict(tagged.values_list("slug", "name"))

    return tags_memo.get("all", read)


def parse_filters(request: HttpRequest) -> Filters:
    """Read the filters; any unknown, repeated, empty, invalid or out-of-order parameter makes
    the address non-canonical (still served, never cached)."""
    filters = Filters()
    seen: list[str] = []
    for name, raw in _query_pairs(request):
        value = raw.strip()
        if name in seen or name not in CANONICAL_ORDER or not value:
            filters.canonical = False
            continue
        seen.append(name)
        if name in FILTERS:
            if _valid(name, value):
                filters.values[name] = value
            else:
                filters.canonical = False
        elif name == "sort":
            if value in SORTS and value != "newest":
                filters.sort = value
            else:
                filters.canonical = False
        elif name == "page":
            if value.isdigit() and int(value) > 1:
                filters.page = int(value)
            else:
                filters.canonical = False
    if seen != sorted(seen, key=CANONICAL_ORDER.index):
        filters.canonical = False
    return filters


def _query_pairs(request: HttpRequest) -> list[tuple[str, str]]:
    return [(name, value) for name, values in request.GET.lists() for value in values]


def mark_cacheability(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Keep non-canonical addresses out of the page cache (and any shared cache)."""
    if not getattr(request, "library_canonical", not request.GET):
        patch_cache_control(response, private=True, no_cache=True)
    return response


# --- The listing's SQL -------------------------------------------------------------------------


def _tables() -> dict[str, str]:
    topics = ResourcePage.topics.through
    tags = ResourcePage.tags.through
    return {
        "resource_tag": tags._meta.db_table,
        "tag": tags._meta.get_field("tag").related_model._meta.db_table,
        "page": Page._meta.db_table,
        "resource": ResourcePage._meta.db_table,
        "locale": Page._meta.get_field("locale").related_model._meta.db_table,
        "restriction": PageViewRestriction._meta.db_table,
        "page_topic": topics._meta.db_table,
        "topic": topics._meta.get_field("topic").related_model._meta.db_table,
    }


def _candidates_sql() -> str:
    """Every live, unrestricted resource in every language, with what the facets read."""
    return """
        SELECT p.id, p.translation_key, p.locale_id, l.language_code AS language,
               p.title, p.first_published_at, r.resource_type, r.publication_date,
               EXTRACT(YEAR FROM r.publication_date)::int AS year,
               string_to_array(NULLIF(r.countries, ''), ',') AS countries, r.regions
        FROM {page} p
        JOIN {resource} r ON r.page_ptr_id = p.id
        JOIN {locale} l ON l.id = p.locale_id
        WHERE p.live AND NOT EXISTS (
            SELECT 1 FROM {restriction} v JOIN {page} vp ON vp.id = v.page_id
            WHERE LEFT(p.path, LENGTH(vp.path)) = vp.path)
    """.format(**_tables())  # noqa: S608 - table names from the models' _meta


TOPIC_CONDITION = (
    "EXISTS (SELECT 1 FROM {page_topic} pt JOIN {topic} t ON t.id = pt.topic_id "
    "WHERE pt.resourcepage_id = c.id AND t.slug = %s)"
)


# A resource carries a tag when any of its language versions does: the reader's copy is then
# the one listed, whichever copy an editor tagged.
TAG_CONDITION = (
    "EXISTS (SELECT 1 FROM {resource_tag} rt JOIN {tag} tg ON tg.id = rt.tag_id "
    "JOIN {page} tp ON tp.id = rt.content_object_id "
    "WHERE tp.translation_key = c.translation_key AND tg.slug = %s)"
)


def _conditions(values: dict[str, str], skip: str | None = None) -> tuple[str, list]:
    """SQL conditions on the candidates `c` for every filter except `skip`'s family."""
    clauses, params = ["TRUE"], []
    tables = _tables()
    for name, value in values.items():
        if name == skip:
            continue
        if name == "type":
            clauses.append("c.resource_type = %s")
        elif name == "language":
            clauses.append("c.language = %s")
        elif name == "year":
            clauses.append("c.year = %s")
            value = int(value)
        elif name == "country":
            clauses.append("%s = ANY(c.countries)")
        elif name == "region":
            clauses.append("%s = ANY(c.regions)")
        elif name == "topic":
            clauses.append(TOPIC_CONDITION.format(**tables))
        elif name == "tag":
            clauses.append(TAG_CONDITION.format(**tables))
        params.append(value)
    return " AND ".join(clauses), params


def facet_counts(values: dict[str, str]) -> tuple[int, dict[str, dict[str, int]]]:
    """The number of resources matching `values`, and for each facet family the number of
    resources each option would give (other families' filters applied): one statement."""
    tables = _tables()
    parts, params = [], []

    def add(family: str, select_from: str, key: str) -> None:
        where, where_params = _conditions(values, skip=family)
        group = f"GROUP BY {key}" if family != "total" else ""
        parts.append(
            # Only fixed identifiers are interpolated; every value is a parameter.
            f"SELECT '{family}' AS family, {key}::text AS value, "  # noqa: S608
            f"COUNT(DISTINCT c.translation_key) AS n FROM {select_from} WHERE {where} "
            + (f"AND {key} IS NOT NULL " if family != "total" else "")
            + group
        )
        params.extend(where_params)

    add("total", "c", "''")
    add("type", "c", "c.resource_type")
    add("language", "c", "c.language")
    add("year", "c", "c.year")
    add("country", "c CROSS JOIN LATERAL unnest(c.countries) AS country(code)", "country.code")
    add("region", "c CROSS JOIN LATERAL unnest(c.regions) AS region(code)", "region.code")
    add(
        "topic",
        "c JOIN {page_topic} fpt ON fpt.resourcepage_id = c.id "
        "JOIN {topic} ft ON ft.id = fpt.topic_id".format(**tables),
        "ft.slug",
    )
    sql = f"WITH c AS ({_candidates_sql()}) " + " UNION ALL ".join(parts)
    counts: dict[str, dict[str, int]] = {family: {} for family in FILTERS}
    total = 0
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for family, value, number in cursor.fetchall():
            if family == "total":
                total = number
            else:
                counts[family][value] = number
    # Tags are not counted option by option (free tags are many): the chosen one, reached from
    # a resource page, shows with what it gives, the other filters applied.
    if values.get("tag"):
        counts["tag"][values["tag"]] = total
    return total, counts


def page_ids_sql(
    values: dict[str, str], sort: str, locale_id: int, offset: int, limit: int
) -> tuple[str, list]:
    """SQL for the ids of one page of results: one copy per resource, the reader's locale
    first, else the original (the first copy created)."""
    where, params = _conditions(values)
    order = (
        "lower(title), id"
        if sort == "title"
        else "publication_date DESC NULLS LAST, first_published_at DESC NULLS LAST, id DESC"
    )
    sql = (
        f"WITH c AS ({_candidates_sql()}), chosen AS ("  # noqa: S608 - values are parameters
        f"SELECT DISTINCT ON (c.translation_key) c.id, c.title, c.publication_date, "
        f"c.first_published_at FROM c WHERE {where} "
        f"ORDER BY c.translation_key, (c.locale_id = %s) DESC, c.id) "
        f"SELECT id FROM chosen ORDER BY {order} LIMIT %s OFFSET %s"
    )
    return sql, [*params, locale_id, limit, offset]


class _Results(Sequence):
    """The filtered resources as Django's paginator sees them: a known length, and a slice
    fetched only for the page shown."""

    def __init__(self, total: int, fetch: Callable[[int, int], list]) -> None:
        self.total = total
        self.fetch = fetch

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self.fetch(index.start or 0, (index.stop or self.total) - (index.start or 0))
        raise TypeError("only slices of the results are fetched")


def with_topic_ids(pages: QuerySet) -> QuerySet:
    """`pages` each with `topic_ids`, the ids of its topics, in the same query."""
    through = ResourcePage.topics.through
    ids = through.objects.filter(resourcepage_id=OuterRef("pk")).values("topic_id")
    return pages.annotate(topic_ids=ArraySubquery(ids))


def fetch_page(values: dict[str, str], sort: str, locale_id: int, offset: int,
               limit: int) -> list[ResourcePage]:  # fmt: skip
    """One page of results, with what a card shows, in one query (plus their covers'
    renditions in one more)."""
    ids_sql, params = page_ids_sql(values, sort, locale_id, offset, limit)
    order = (
        [Lower("title"), "pk"]
        if sort == "title"
        else [F("publication_date").desc(nulls_last=True),
              F("first_published_at").desc(nulls_last=True), "-pk"]
    )  # fmt: skip
    chosen = RawSQL(ids_sql, params)  # noqa: S611 - values are parameters
    pages = ResourcePage.objects.filter(pk__in=chosen).order_by(*order)
    pages = with_topic_ids(pages.select_related("locale", "cover_image"))
    return list(with_renditions(pages, "card"))


# --- What the templates show -------------------------------------------------------------------


@dataclass(frozen=True)
class Card:
    """One resource as a listing or "related" list shows it to this reader."""

    page: ResourcePage
    url: str
    language: str | None  # its language's name when it is not the reader's
    language_code: str
    type_label: str
    topics: list[str]


def topic_labels(topic_ids, language: str) -> list[str]:
    """The concepts of these `Topic` row ids, each once, in `language`, sorted."""
    labels = {}
    for topic_id in topic_ids:
        concept = concept_of(topic_id)
        if concept:
            labels[concept.slug] = concept.in_language(language).label
    return sorted(labels.values(), key=str.casefold)


def card(page: ResourcePage, request: HttpRequest, library_url: str, locale_id: int) -> Card:
    language = reader_language()
    code = page.locale.language_code
    if page.locale_id == locale_id:
        url = page.get_url(request)
    else:
        # Under the reader's own library, so that the interface stays in their language.
        url = f"{library_url}{page.slug}/"
    return Card(
        page=page,
        url=url,
        language=None if page.locale_id == locale_id else language_name(code),
        language_code=code,
        type_label=str(ResourceType(page.resource_type).label),
        topics=topic_labels(page.topic_ids or [], language),
    )


def _option_label(family: str, value: str, language: str) -> str:
    if family == "type":
        return str(ResourceType(value).label) if value in ResourceType.values else value
    if family == "topic":
        concept = get_concept(value)
        return concept.in_language(language).label if concept else value
    if family == "country":
        return country_name(value)
    if family == "region":
        return str(Region(value).label) if value in Region.values else value
    if family == "language":
        return language_name(value)
    if family == "tag":
        return known_tags().get(value, value)
    return value


def facets(filters: Filters, counts: dict[str, dict[str, int]]) -> list[dict]:
    """Each facet family with its options (label, count, link), chosen one first marked."""
    language = reader_language()
    result = []
    for family in FILTERS:
        chosen = filters.values.get(family)
        found = dict(counts[family])
        if chosen and chosen not in found:
            found[chosen] = 0
        options = [
            {
                "value": value,
                "label": _option_label(family, value, language),
                "count": number,
                "selected": value == chosen,
                "query": filters.query(**{family: None if value == chosen else value}),
            }
            for value, number in found.items()
        ]
        if family == "year":
            options.sort(key=lambda option: option["value"], reverse=True)
        else:
            options.sort(key=lambda option: option["label"].casefold())
        if options:
            result.append(
                {"name": family, "title": FACET_TITLES[family], "options": options,
                 "clear": filters.query(**{family: None}) if chosen else None}
            )  # fmt: skip
    return result


def listing_context(
    library: LibraryPage, request: HttpRequest, filters: Filters | None = None
) -> dict:
    """Everything the library page shows for this request's filters."""
    if filters is None:
        filters = parse_filters(request)
        request.library_canonical = filters.canonical
    total, counts = facet_counts(filters.values)
    library_url = library.get_url(request) or "/"
    locale_id = library.locale_id

    def fetch(offset: int, limit: int) -> list[Card]:
        pages = fetch_page(filters.values, filters.sort, locale_id, offset, limit)
        return [card(page, request, library_url, locale_id) for page in pages]

    paginator = Paginator(_Results(total, fetch), PAGE_SIZE)
    if filters.page > paginator.num_pages:
        raise Http404(_("There is no such page of results."))
    page_obj = paginator.page(filters.page)
    return {
        "page_obj": page_obj,
        "cards": list(page_obj.object_list),
        "facets": facets(filters, counts),
        "filters": filters,
        "query": filters.query(),
        "sorts": [
            {
                "value": value,
                "label": label,
                "selected": value == filters.sort,
                "query": filters.query(sort=value),
            }
            for value, label in (("newest", _("Newest first")), ("title", _("Title (A to Z)")))
        ],
        "filtered": bool(filters.values),
    }


def listing_html(library: LibraryPage, request: HttpRequest) -> tuple[Filters, SafeString]:
    """This request's filters and the listing they give (facets, cards, pager, feeds), drawn.

    The listing shows public content only, the same to every reader of a language and address,
    so a canonical address's is kept per process (`knowledge.declarations.listing_memo`):
    members, whom the page cache never serves, get it without a query. The publishing process
    forgets it at once (any publish, move or deletion of a page, a view restriction, an image
    or a topic); other processes within the memo's lifetime. The render that fills the page
    cache reads afresh, as the home page's blocks do: another process's copy may predate a
    publish. Other addresses (never stored anywhere) are drawn each time."""
    from .declarations import listing_memo

    filters = parse_filters(request)
    request.library_canonical = filters.canonical

    def draw() -> SafeString:
        context = {**listing_context(library, request, filters), "page": library}
        html = render_to_string("knowledge/_library_listing.html", context, request)
        return SafeString(html)

    if not filters.canonical or getattr(request, "_cache_update_cache", False):
        return filters, draw()
    key = (
        request.get_host(),
        get_language(),
        library.pk,
        library.locale_id,
        library.url_path,
        filters.query(),
        filters.sort,
        filters.page,
    )
    return filters, listing_memo.get(key, draw)


# --- Routing to a resource not in the reader's language -------------------------------------


def route_in_library(
    library: Page,
    request: HttpRequest,
    components: list[str],
    default_route,
    model: type[Page] = ResourcePage,
) -> RouteResult:
    """Wagtail's routing, then, for `<library>/<slug>/` with no such child in this language,
    the live resource of that slug in another language's library, served to this reader with a
    "not yet available in your language" notice (or its translation here, when it has one
    under another slug). The handbook routes its chapters (`model`) the same way."""
    from .routing import route_select_related

    # The routing may already know that no page of this language has that slug here.
    known_absent = (
        len(components) == 1 and getattr(library, "absent_child_slug", None) == components[0]
    )
    if not known_absent:
        try:
            return default_route(request, components)
        except Http404:
            if len(components) != 1:
                raise
    step = len(library.path)
    libraries = Page.objects.filter(translation_key=library.translation_key).values("path")
    translations_here = model.objects.live().filter(
        translation_key=OuterRef("translation_key"), locale_id=library.locale_id
    )
    found = (
        model.objects.live()
        .filter(slug=components[0], depth=library.depth + 1)
        .annotate(parent_path=Substr("path", 1, step))
        .filter(parent_path__in=libraries)
        .exclude(locale_id=library.locale_id)
        # Its translation here under another slug, if any, in the same query.
        .annotate(here_id=Subquery(translations_here.order_by("pk").values("pk")[:1]))
        .select_related(*route_select_related(model))
        .order_by("pk")
        .first()
    )
    if found is None:
        raise Http404
    if found.here_id is not None:
        return RouteResult(model.objects.get(pk=found.here_id))
    return RouteResult(found, kwargs={"reader_library": library})


# --- The resource page -------------------------------------------------------------------------


def related_resources(page: ResourcePage, topics: list, request: HttpRequest, library_url: str,
                      locale_id: int) -> list[Card]:  # fmt: skip
    """Up to four other resources sharing a topic or a country, newest first, each once (in
    the reader's language when it has a copy in it): one query for the pages."""
    slugs = [topic.slug for topic in topics]
    through = ResourcePage.topics.through
    shares = Exists(through.objects.filter(resourcepage_id=OuterRef("pk"), topic__slug__in=slugs))
    condition = shares
    for code in page.countries:
        condition = condition | _country_condition(code.code)
    candidates = (
        ResourcePage.objects.live()
        .exclude(restricted())
        .exclude(translation_key=page.translation_key)
        .filter(condition)
        .select_related("locale", "cover_image")
        .annotate(
            here=Case(
                When(locale_id=locale_id, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .order_by("-publication_date", "-first_published_at", "translation_key", "-here", "pk")
    )
    limit = RELATED_COUNT * len(settings.LANGUAGES)  # enough for four once copies are merged
    candidates = with_renditions(with_topic_ids(candidates), "card")[:limit]
    chosen: dict = {}
    for candidate in candidates:
        if candidate.translation_key not in chosen:
            chosen[candidate.translation_key] = candidate
        if len(chosen) == RELATED_COUNT:
            break
    return [card(item, request, library_url, locale_id) for item in chosen.values()]


def _country_condition(code: str):
    from django.db.models import Q

    # `countries` is stored as "FR,SN,ML": codes are two letters between commas.
    return (
        Q(countries=code)
        | Q(countries__startswith=f"{code},")
        | Q(countries__endswith=f",{code}")
        | Q(countries__contains=f",{code},")
    )


def citation(page: ResourcePage, url: str) -> str:
    """A plain-text reference to copy: publisher (year). Title. Address."""
    who = page.publisher or settings.WAGTAIL_SITE_NAME
    year = f" ({page.publication_date.year})" if page.publication_date else ""
    return f"{who}{year}. {page.title}. {page.source_url or url}"


def resource_context(page: ResourcePage, request: HttpRequest,
                     reader_library: LibraryPage | None) -> dict:  # fmt: skip
    """What a resource page shows beyond its own fields, for this reader.

    What it shows of other pages (its topics, translations, related resources and the chapters
    citing it) is public and the same for every reader of a language, so it is kept per process
    (`knowledge.declarations.resource_memo`), forgotten as the library's listings are
    (`listing_html`); the render that fills the page cache reads afresh."""
    from .declarations import resource_memo
    from .handbook import citing_chapters

    language = reader_language()
    url = page.get_url(request) or ""
    if reader_library is not None:
        library_url = reader_library.get_url(request) or "/"
        locale_id = reader_library.locale_id
    else:
        library_url = url[: -(len(page.slug) + 1)] if url.endswith(f"{page.slug}/") else "/"
        locale_id = page.locale_id

    def surroundings() -> dict:
        topics = list(page.topics.all())
        translations = sorted(
            page.get_translations().live().exclude(restricted()).select_related("locale"),
            key=lambda t: t.locale.language_code,
        )
        return {
            "topic_labels": topic_labels([topic.pk for topic in topics], language),
            "translations": [
                {
                    "code": t.locale.language_code,
                    "name": language_name(t.locale.language_code),
                    "url": t.get_url(request),
                }
                for t in translations
            ],
            "related": related_resources(page, topics, request, library_url, locale_id),
            "citing_chapters": citing_chapters(page, request),
            # Its free tags, each a link to the library filtered by it (one query, kept).
            "tags": sorted(
                ({"name": tag.name, "slug": tag.slug} for tag in page.tags.all()),
                key=lambda tag: tag["name"].casefold(),
            ),
        }

    def body_html() -> str:
        # The blocks' templates read only their own values, so no context processor runs.
        return render_to_string("knowledge/_resource_body.html", {"page": page, "request": request})

    # The render that fills the page cache, and a preview of a draft or revision (whose body,
    # topics and translations are not the live page's), read afresh.
    if getattr(request, "_cache_update_cache", False) or getattr(request, "is_preview", False):
        around, body = surroundings(), body_html()
    else:
        key = (request.get_host(), language, page.pk, page.url_path, library_url, locale_id)
        around = resource_memo.get(key, surroundings)
        # Keyed on the live revision too: a publish here clears the memo, one elsewhere is a
        # new key at once, whatever the memo's lifetime.
        body = resource_memo.get((*key, "body", page.live_revision_id), body_html)
    return {
        "fallback": reader_library is not None,
        "page_language": language_name(locale_code(page)),
        "page_language_code": locale_code(page),
        "type_label": str(ResourceType(page.resource_type).label),
        "country_names": sorted((country_name(c.code) for c in page.countries), key=str.casefold),
        "region_names": [str(Region(r).label) for r in page.regions if r in Region.values],
        **around,
        # Copies: the kept lists are never handed to a request that might change them.
        "translations": [dict(t) for t in around["translations"]],
        "related": list(around["related"]),
        "citing_chapters": list(around["citing_chapters"]),
        "tags": [{**tag, "query": urlencode({"tag": tag["slug"]})} for tag in around["tags"]],
        "body_html": body,
        "citation": citation(page, page.get_full_url(request) or url),
        # Only those whose download Wagtail would serve this reader (`knowledge.attachments`).
        "attachments": readable_attachments(page, request),
        "library_url": library_url,
    }
