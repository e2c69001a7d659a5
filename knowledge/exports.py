"""The resource library as a CSV or JSON Lines file, filtered like the library page.

`/<lang>/library/export.csv` and `export.jsonl` take the library's own filters (`type`, `topic`,
`country`, `region`, `language`, `year`, `tag`, and `sort`) and write one row per language version
of every resource that matches: the listing shows a resource once, in the reader's language, but a
partner syncing the library needs each translation, and `import_resources` needs them to rebuild
it. The rows are the library's candidates (`knowledge.library`: live pages outside any view
restriction, so what every reader of the listing sees, signed in or not) narrowed by the same
SQL conditions; a `language` filter keeps that language's versions.

The columns are the fields `import_resources` reads, written the way it reads them (lists as
JSON arrays or `;`-separated cells, dates as YYYY-MM-DD, the body as plain-text paragraphs),
plus `regions`, `url` and `last_published` for readers; a translation names its original (the
first version created) in `translation_of` by the original's identity (`external_id`, else
`source_url`). Export, then import into an empty library, gives back the same resources.
`COLUMNS` says what each column means; the library's export page (`library:export`) shows it.

Rows come from a server-side cursor a thousand at a time (`.iterator(chunk_size=...)`) and go
out as they are written (`core.exports.download`): memory stays flat on 100,000 rows
(`bench/exports.py`). Unknown parameters and invalid values get a 400 that names them, rather
than a silently larger file.
"""

from __future__ import annotations

import html
from collections.abc import Iterator

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import CharField, F, OuterRef, QuerySet, Subquery, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Lower, NullIf
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.models import Page

from core.exports import (
    BadExportQuery,
    columns_response,
    export_links,
    export_response,
    text_paragraphs,
)

from .library import FILTERS, SORTS, _candidates_sql, _conditions, _valid, restricted
from .models import Region, ResourcePage

CHUNK = 1000
# (column, meaning), in the order of the file; the first twelve are what import_resources reads.
COLUMNS = (
    ("title", gettext_lazy("The resource's title in this language.")),
    ("language", gettext_lazy("The language of this version: en, fr, es or ar.")),
    (
        "resource_type",
        gettext_lazy(
            "toolkit, case_study, policy, report, training_material, dataset, video or news."
        ),
    ),
    (
        "source_url",
        gettext_lazy(
            "Where the publisher keeps it; identifies the resource when external_id is empty."
        ),
    ),
    ("summary", gettext_lazy("A short summary, plain text.")),
    ("publisher", gettext_lazy("The organisation that published or wrote it.")),
    (
        "body",
        gettext_lazy(
            "The page's text as plain text, paragraphs separated by a blank line (images, "
            "tables and embedded media are left out)."
        ),
    ),
    (
        "countries",
        gettext_lazy(
            "ISO 3166-1 alpha-2 codes of the countries it is about (a list: a JSON array, or "
            "separated by ; in CSV)."
        ),
    ),
    ("topics", gettext_lazy("Slugs of its topics in the site's taxonomy (a list, as above).")),
    ("published", gettext_lazy("Its publication date, YYYY-MM-DD, or empty.")),
    (
        "external_id",
        gettext_lazy("The publisher's own identifier, when it gave one; identifies the resource."),
    ),
    (
        "translation_of",
        gettext_lazy(
            "Empty for an original; for a translation, the external_id (else the source_url) of "
            "the version it translates."
        ),
    ),
    ("regions", gettext_lazy("The world regions it is about (a list of region codes).")),
    ("url", gettext_lazy("Its address on this site.")),
    (
        "last_published",
        gettext_lazy(
            "When this version was last published here (ISO 8601, UTC): compare it to sync."
        ),
    ),
)


def export_filters(request: HttpRequest) -> tuple[dict[str, str], str]:
    """The library filters and sort of this request, every one checked (`page` is ignored,
    as a file has no pages; an empty value means "any")."""
    values: dict[str, str] = {}
    sort = "newest"
    problems = []
    for name, raws in request.GET.lists():
        given = [raw.strip() for raw in raws if raw.strip()]
        if name == "page":
            continue
        if name not in (*FILTERS, "sort"):
            problems.append(_("“%(name)s” is not a filter of the library") % {"name": name})
            continue
        if len(given) > 1:
            problems.append(_("“%(name)s” is given more than once") % {"name": name})
            continue
        if not given:
            continue
        value = given[0]
        if name == "sort":
            if value not in SORTS:
                problems.append(_("“%(value)s” is not a sort order (%(choices)s)")
                                % {"value": value, "choices": ", ".join(SORTS)})  # fmt: skip
            else:
                sort = value
        elif _valid(name, value):
            values[name] = value
        else:
            problems.append(_("“%(value)s” is not a valid %(name)s") % {"value": value,
                                                                         "name": name})  # fmt: skip
    # The library's order of filters, so the SQL is the same whatever the query's order.
    ordered = {name: values[name] for name in FILTERS if name in values}
    if problems:
        raise BadExportQuery("; ".join(problems))
    return ordered, sort


def matching(values: dict[str, str], sort: str = "newest") -> QuerySet[ResourcePage]:
    """Every language version of the resources the library lists for `values`, each with its
    topic slugs and its original's id and identity, translations right after their original."""
    where, params = _conditions(values)
    sql = f"WITH c AS ({_candidates_sql()}) SELECT c.id FROM c WHERE {where}"  # noqa: S608
    ids = RawSQL(sql, params)  # noqa: S611 - values are parameters
    originals = (
        ResourcePage.objects.live()
        .exclude(restricted())
        .filter(translation_key=OuterRef("translation_key"))
        .order_by("pk")
    )
    identity = Coalesce(NullIf("external_id", Value("")), "source_url", output_field=CharField())
    through = ResourcePage.topics.through
    topics = through.objects.filter(resourcepage_id=OuterRef("pk")).order_by("topic__slug")
    order = (
        [Lower("title"), "pk"]
        if sort == "title"
        else [F("publication_date").desc(nulls_last=True), "translation_key", "pk"]
    )
    return (
        ResourcePage.objects.filter(pk__in=ids)
        .select_related("locale")
        .annotate(
            topic_slugs=ArraySubquery(topics.values("topic__slug")),
            original_id=Subquery(originals.values("pk")[:1]),
            original_identity=Subquery(originals.annotate(ref=identity).values("ref")[:1]),
        )
        .order_by(*order)
    )


def body_text(page: ResourcePage) -> str:
    """The body's words as plain text, paragraphs separated by a blank line: what
    `import_resources` reads back into paragraphs. Images, media, tables and figures go."""
    paragraphs: list[str] = []
    for block in page.body.raw_data:
        value = block.get("value")
        if block.get("type") == "paragraph" and isinstance(value, str):
            paragraphs += text_paragraphs(value)
        elif block.get("type") == "heading" and isinstance(value, dict):
            paragraphs += [" ".join(str(value.get("text", "")).split())]
        elif block.get("type") == "quote" and isinstance(value, dict):
            paragraphs += text_paragraphs(html.escape(str(value.get("quote", ""))))
    return "\n\n".join(p for p in paragraphs if p)


class _Addresses:
    """Each version's address, from its library's: Wagtail's `get_full_url` activates the
    page's language and reverses a URL for every page (most of an export's time); a resource
    is a child of its library, so its address is the library's and its slug."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request
        self.parents: dict[str, str | None] = {}

    def __call__(self, page: ResourcePage) -> str | None:
        parent_path = page.url_path[: -(len(page.slug) + 1)]
        if parent_path not in self.parents:
            parent = Page.objects.filter(url_path=parent_path).first()
            self.parents[parent_path] = parent.get_full_url(self.request) if parent else None
        parent_url = self.parents[parent_path]
        if parent_url is None:
            return page.get_full_url(self.request)
        return f"{parent_url}{page.slug}/"


def row(page: ResourcePage, address) -> dict:
    """One version of a resource as the export writes it (`address` gives its URL)."""
    original = page.original_id in (None, page.pk)
    return {
        "title": page.title,
        "language": page.locale.language_code,
        "resource_type": page.resource_type,
        "source_url": page.source_url,
        "summary": page.summary,
        "publisher": page.publisher,
        "body": body_text(page),
        "countries": sorted(country.code for country in page.countries),
        "topics": list(page.topic_slugs or []),
        "published": page.publication_date.isoformat() if page.publication_date else None,
        "external_id": page.external_id,
        "translation_of": None if original else page.original_identity,
        "regions": [region for region in page.regions if region in Region.values],
        "url": address(page),
        "last_published": page.last_published_at.isoformat() if page.last_published_at else None,
    }


def rows(values: dict[str, str], sort: str, request: HttpRequest) -> Iterator[dict]:
    address = _Addresses(request)
    for page in matching(values, sort).iterator(chunk_size=CHUNK):
        yield row(page, address)


def export(request: HttpRequest, kind: str) -> HttpResponse:
    """`library:export_csv` / `library:export_jsonl`: the filtered library as a file."""
    return export_response(
        request, kind, "library-resources", COLUMNS, lambda: rows(*export_filters(request), request)
    )


def export_csv(request: HttpRequest) -> HttpResponse:
    return export(request, "csv")


def export_jsonl(request: HttpRequest) -> HttpResponse:
    return export(request, "jsonl")


def columns_page(request: HttpRequest) -> HttpResponse:
    """`library:export`: what each column of the library's download means."""
    return columns_response(
        request,
        {
            "title": _("Download the resource library"),
            "intro": _(
                "The library's resources as a CSV or JSON Lines file, one row per language "
                "version, filtered like the library page. The same file can be imported into "
                "another Diaspora Hub with import_resources."
            ),
            "columns": COLUMNS,
            "downloads": export_links("library", request.GET.urlencode()),
            "regions": Region.choices,
            "listing_url": reverse("library:index"),
            "listing_label": _("Back to the library"),
        },
    )
