"""`/api/v1/resources/` and `/api/v1/handbook/chapters/`: the library and the handbook as data.

Both list each piece of content once, as the site does: the copy in `?lang=` (else the
Accept-Language) when it has one, else the original with its own `language`. Which pages exist
for the public is the library's own answer: `knowledge.library` picks the listed copies (live,
not under a view restriction) with the same SQL and the same filter checks as the library page,
and the handbook's table of contents (`knowledge.handbook.table_of_contents`) numbers chapters
as the handbook page does. Drafts, restricted pages and members' unpublished submissions never
appear; attached documents are those of listed pages only and outside restricted collections,
served by Wagtail's document view (which refuses a restricted page's or collection's documents).

A page of 50 resources costs a handful of queries: the page's rows (with topic ids and locale),
their translations, their attached documents.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from drf_spectacular.types import OpenApiTypes
from rest_framework import serializers
from rest_framework.exceptions import NotFound

from django.conf import settings
from django.db import connection
from django.db.models import DateField, DateTimeField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Lower, TruncDate

from wagtail.models import Locale

from core.api import (
    DEFAULT_PAGE_SIZE,
    ApiReadView,
    Ordering,
    PagingParams,
    known,
    ordering_field,
    read_operation,
    remembered_keyset_page,
)
from core.api_taxonomy import (
    CountryRefSerializer,
    TopicRefSerializer,
    country_param,
    country_ref,
    topic_param,
    topic_refs,
)
from core.memo import ProcessMemo
from core.page_urls import PageUrls

from .attachments import public_attachments
from .handbook import table_of_contents
from .library import _tables, _valid, page_ids_sql, restricted, with_topic_ids
from .models import (
    ChapterPage,
    HandbookPage,
    Region,
    ResourcePage,
    ResourceType,
)

LANGUAGES = [code for code, _name in settings.LANGUAGES]

RESOURCE_ORDERINGS = {
    "newest": Ordering("newest", (("sort_date", True), ("pk", True))),
    "title": Ordering("title", (("title_key", False), ("pk", False))),
    "updated": Ordering("updated", (("updated_key", True), ("pk", True))),
}


class ResourceParams(PagingParams):
    type = serializers.ChoiceField(choices=ResourceType.values, required=False)
    topic = topic_param(
        "A topic slug (see /api/v1/topics/).", known(lambda slug: _valid("topic", slug))
    )
    country = country_param("An ISO 3166-1 alpha-2 code, upper case (see /api/v1/countries/).")
    region = serializers.ChoiceField(choices=Region.values, required=False)
    language = serializers.ChoiceField(
        choices=LANGUAGES,
        required=False,
        help_text="Only resources available in this language (given in it).",
    )
    year = serializers.IntegerField(
        required=False, min_value=1000, max_value=9999, help_text="Year of publication."
    )
    published_after = serializers.DateField(
        required=False, help_text="Published on or after this date (YYYY-MM-DD)."
    )
    published_before = serializers.DateField(
        required=False, help_text="Published on or before this date (YYYY-MM-DD)."
    )
    ordering = ordering_field(RESOURCE_ORDERINGS, "newest")


class DocumentSerializer(serializers.Serializer):
    title = serializers.CharField()
    url = serializers.URLField()


class TranslationSerializer(serializers.Serializer):
    language = serializers.CharField()
    title = serializers.CharField()
    url = serializers.URLField()


class ResourceSerializer(serializers.Serializer):
    id = serializers.UUIDField(help_text="The resource, whatever its language (stable).")
    title = serializers.CharField()
    summary = serializers.CharField()
    type = serializers.ChoiceField(choices=ResourceType.values)
    type_label = serializers.CharField(help_text="The type's name in the requested language.")
    language = serializers.CharField(help_text="The language of this copy.")
    topics = TopicRefSerializer(many=True)
    countries = CountryRefSerializer(many=True)
    regions = serializers.ListField(child=serializers.ChoiceField(choices=Region.values))
    publication_date = serializers.DateField(allow_null=True)
    publisher = serializers.CharField(allow_blank=True)
    source_url = serializers.CharField(allow_blank=True)
    url = serializers.URLField(help_text="Its page on this site.")
    first_published_at = serializers.DateTimeField(allow_null=True)
    last_published_at = serializers.DateTimeField(allow_null=True)
    translations = TranslationSerializer(many=True, help_text="Every language it is in.")
    documents = DocumentSerializer(many=True, help_text="Attached public documents.")


_locale_memo: ProcessMemo[dict[str, int]] = ProcessMemo("api locales", ttl=300)


def _locale_ids() -> dict[str, int]:
    return _locale_memo.get("all", lambda: dict(Locale.objects.values_list("language_code", "pk")))


def resources(language: str, params: dict):
    """The listed resources, one copy each (in `language` when translated), filtered."""
    values = {
        name: str(params[name])
        for name in ("type", "topic", "country", "region", "language", "year")
        if params.get(name)
    }
    locale_id = _locale_ids().get(language) or 0
    ids_sql, sql_params = page_ids_sql(values, "newest", locale_id, 0, None)
    found = ResourcePage.objects.filter(pk__in=RawSQL(ids_sql, sql_params))  # noqa: S611
    if params.get("published_after"):
        found = found.filter(publication_date__gte=params["published_after"])
    if params.get("published_before"):
        found = found.filter(publication_date__lte=params["published_before"])
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    found = found.annotate(
        sort_date=Coalesce(
            "publication_date",
            TruncDate("first_published_at"),
            Value(date(1, 1, 1)),
            output_field=DateField(),
        ),
        title_key=Lower("title"),
        updated_key=Coalesce(
            "last_published_at", "first_published_at", Value(epoch), output_field=DateTimeField()
        ),
    )
    return with_topic_ids(found).values(*RESOURCE_FIELDS)


# What a resource shows, read as rows (a page instance costs more to make than all of it).
RESOURCE_FIELDS = (
    "pk",
    "translation_key",
    "title",
    "summary",
    "resource_type",
    "locale__language_code",
    "topic_ids",
    "countries",
    "regions",
    "publication_date",
    "publisher",
    "source_url",
    "url_path",
    "first_published_at",
    "last_published_at",
    # The keys of RESOURCE_ORDERINGS, for the next page's cursor.
    "sort_date",
    "title_key",
    "updated_key",
)


def _translations(keys, urls: PageUrls) -> dict:
    """{translation_key: [each live, unrestricted copy as shown]} of pages with these
    translation keys, in one query (one statement whatever their number: no ORM to build)."""
    copies: dict = {}
    keys = list(set(keys))
    if keys:
        with connection.cursor() as cursor:
            cursor.execute(_TRANSLATIONS_SQL.format(**_tables()), [keys])
            rows = cursor.fetchall()
        for key, language_code, title, url_path in rows:
            copies.setdefault(key, []).append(
                {"language": language_code, "title": title, "url": urls.full_url(url_path) or ""}
            )
    return copies


# The copies of pages (`Page.objects.live()`, not under a view restriction: `restricted()`),
# in the order of their language codes.
_TRANSLATIONS_SQL = """
    SELECT p.translation_key, l.language_code, p.title, p.url_path
    FROM {page} p JOIN {locale} l ON l.id = p.locale_id
    WHERE p.live AND p.translation_key = ANY(%s) AND NOT EXISTS (
        SELECT 1 FROM {restriction} v JOIN {page} vp ON vp.id = v.page_id
        WHERE LEFT(p.path, LENGTH(vp.path)) = vp.path)
    ORDER BY l.language_code
"""


def _documents(page_ids: list[int], request) -> dict[int, list[dict]]:
    """{page id: its attached documents the public may download, in their order}, in one
    query. A document under a restricted collection is left out, whoever asks: the API is one
    answer for every client (`knowledge.attachments`, the resource page's rule)."""
    return {
        page_id: [
            {
                "title": row.label or row.document.title,
                # Its address as Wagtail gives it (`Document.url` reads the id and the file).
                "url": request.build_absolute_uri(row.document.url),
            }
            for row in rows
        ]
        for page_id, rows in public_attachments(page_ids).items()
    }


def serialize_resources(rows: list[dict], request, language: str) -> list[dict]:
    """Resources (rows of `resources()`) as the API shows them: two more queries (their
    translations and their documents) whatever their number."""
    if not rows:
        return []
    urls = PageUrls(request)
    copies = _translations((row["translation_key"] for row in rows), urls)
    documents = _documents([row["pk"] for row in rows], request)
    countries = ResourcePage._meta.get_field("countries")
    type_labels: dict[str, str] = {}
    codes: dict[str, str] = {}

    refs: dict[str, dict] = {}
    topic_lists: dict[tuple, list[dict]] = {}

    def code_of(code: str) -> str:  # a Country's code, as the field's descriptor gives it
        if code not in codes:
            codes[code] = ResourcePage.countries.country(code).code
        return codes[code]

    def countries_of(value) -> list[dict]:
        # As the field's descriptor reads its column (cleaned, each code a Country's); each
        # country named once a page.
        found = []
        for code in countries.get_clean_value(value) or []:
            if code not in refs:
                refs[code] = country_ref(code_of(code))
            found.append(refs[code])
        return found

    def topics_of(topic_ids) -> list[dict]:  # the same few sets of topics, sorted once a page
        key = tuple(topic_ids or ())
        if key not in topic_lists:
            topic_lists[key] = topic_refs(key, language)
        return topic_lists[key]

    def type_label(value: str) -> str:
        if value not in type_labels:
            type_labels[value] = (
                str(ResourceType(value).label) if value in ResourceType.values else value
            )
        return type_labels[value]

    return [
        {
            "id": str(row["translation_key"]),
            "title": row["title"],
            "summary": row["summary"],
            "type": row["resource_type"],
            "type_label": type_label(row["resource_type"]),
            "language": row["locale__language_code"],
            "topics": topics_of(row["topic_ids"]),
            "countries": countries_of(row["countries"]),
            "regions": list(row["regions"] or []),
            "publication_date": _iso(row["publication_date"]),
            "publisher": row["publisher"],
            "source_url": row["source_url"],
            "url": urls.full_url(row["url_path"]) or "",
            "first_published_at": _iso(row["first_published_at"]),
            "last_published_at": _iso(row["last_published_at"]),
            "translations": copies.get(row["translation_key"], []),
            "documents": documents.get(row["pk"], []),
        }
        for row in rows
    ]


def _iso(moment: date | datetime | None) -> str | None:
    return moment.isoformat() if moment else None


@read_operation(
    "resources_list",
    "The resource library",
    "library",
    ResourceSerializer,
    description=(
        "Every public resource once, in the requested language when it is translated "
        "(else in its original language), filtered as the library page filters."
    ),
)
class ResourceList(ApiReadView):
    """The library: each public resource once, in the requested language when translated."""

    params_class = ResourceParams
    etag_groups = ()  # Wagtail content: every publish empties the page cache and its tokens

    def build(self, request, params: dict, **kwargs) -> dict:
        ordering = RESOURCE_ORDERINGS[params.get("ordering") or "newest"]
        # Everything the statement is made from: the language's locale and the parameters.
        key = (
            "resources",
            self.language,
            _locale_ids().get(self.language),
            tuple(sorted((name, str(value)) for name, value in params.items())),
        )
        page = remembered_keyset_page(
            key,
            lambda: resources(self.language, params),
            ordering,
            params.get("cursor"),
            params.get("page_size") or DEFAULT_PAGE_SIZE,
            # Public resources only, the same for every caller: kept until a publish.
            version=self.content_version(),
        )
        return self.page_response(
            request, page, lambda rows: serialize_resources(rows, request, self.language)
        )


@read_operation(
    "resources_retrieve",
    "One resource",
    "library",
    ResourceSerializer,
    description="In the requested language when it is translated, else in its original.",
    path=("id", OpenApiTypes.UUID, "The resource's id."),
)
class ResourceDetail(ApiReadView):
    """One public resource, in the requested language when translated."""

    etag_groups = ()

    def build(self, request, params: dict, id=None, **kwargs) -> dict:
        found = list(resources(self.language, {}).filter(translation_key=id)[:1])
        if not found:
            raise NotFound
        return serialize_resources(found, request, self.language)[0]


# --- The handbook ------------------------------------------------------------------------------


class SectionSerializer(serializers.Serializer):
    number = serializers.CharField()
    title = serializers.CharField()
    anchor = serializers.CharField()


class ChapterSerializer(serializers.Serializer):
    id = serializers.UUIDField(help_text="The chapter, whatever its language (stable).")
    number = serializers.IntegerField(help_text="Its place in the handbook, from 1.")
    title = serializers.CharField()
    intro = serializers.CharField()
    language = serializers.CharField(help_text="The language of this copy.")
    last_reviewed = serializers.DateField(allow_null=True)
    url = serializers.URLField()
    sections = SectionSerializer(many=True)
    translations = TranslationSerializer(many=True)


class ChapterListSerializer(serializers.Serializer):
    results = ChapterSerializer(many=True)


def _reader_handbook(language: str) -> HandbookPage | None:
    handbooks = HandbookPage.objects.live().exclude(restricted()).select_related("locale")
    found = {handbook.locale.language_code: handbook for handbook in handbooks}
    return (
        found.get(language) or found.get(settings.LANGUAGE_CODE) or next(iter(found.values()), None)
    )


def chapters(request, language: str) -> list[dict]:
    handbook = _reader_handbook(language)
    if handbook is None:
        return []
    entries = table_of_contents(handbook, request)
    copies: dict = {}
    keys = [entry.page.translation_key for entry in entries]
    rows = (
        ChapterPage.objects.live()
        .filter(translation_key__in=keys)
        .exclude(restricted())
        .select_related("locale")
        .defer("body")
        .order_by("locale__language_code")
    )
    for row in rows:
        copies.setdefault(row.translation_key, []).append(row)
    return [
        {
            "id": str(entry.page.translation_key),
            "number": entry.number,
            "title": entry.page.title,
            "intro": entry.page.intro,
            "language": entry.language_code,
            "last_reviewed": entry.page.last_reviewed.isoformat()
            if entry.page.last_reviewed
            else None,
            "url": request.build_absolute_uri(entry.url),
            "sections": [
                {"number": s.number, "title": s.title, "anchor": s.anchor} for s in entry.sections
            ],
            "translations": [
                {
                    "language": copy.locale.language_code,
                    "title": copy.title,
                    "url": copy.get_full_url(request) or "",
                }
                for copy in copies.get(entry.page.translation_key, [])
            ],
        }
        for entry in entries
    ]


@read_operation(
    "handbook_chapters_list",
    "The handbook's chapters, in order",
    "handbook",
    ChapterListSerializer,
    description="Each chapter once, numbered, in the requested language when translated.",
)
class ChapterList(ApiReadView):
    """The handbook: each public chapter once, numbered, in the requested language."""

    etag_groups = ()

    def build(self, request, params: dict, **kwargs) -> dict:
        return {"results": chapters(request, self.language)}


@read_operation(
    "handbook_chapters_retrieve",
    "One handbook chapter",
    "handbook",
    ChapterSerializer,
    path=("id", OpenApiTypes.UUID, "The chapter's id."),
)
class ChapterDetail(ApiReadView):
    """One public handbook chapter, with its sections."""

    etag_groups = ()

    def build(self, request, params: dict, id=None, **kwargs) -> dict:
        for chapter in chapters(request, self.language):
            if chapter["id"] == str(id):
                return chapter
        raise NotFound
