"""Bulk import of library resources from a JSON Lines or CSV file (`manage.py import_resources`).

Ministries and IOM offices hold their catalogues in spreadsheets and databases; this turns such an
export into published `ResourcePage`s without an editor retyping them. It works in three steps:

1. `read_file` turns the file into raw rows, each with the number a person finds it by (the
   physical line of a JSON Lines file, the data row after the header of a CSV file).
2. `validate` checks every row (fields, then what the site already holds: the resource's
   identity, the resource a row translates, the topics) and returns the valid rows as `Resource`s
   with every problem found; nothing is written.
3. `plan` sorts the valid rows into resources to create, to update and unchanged (still without
   writing), and `write` applies a plan in bulk.

A resource's identity is its `external_id` when the row gives one, else its `source_url`: a
re-run finds the resource by it and updates it instead of adding a copy. Rows that translate
another (`translation_of`) share its Wagtail `translation_key` and live in their own language's
library, so the library lists them once, in the reader's language.

Creating 10,000 pages through Wagtail's `add_child`, `save_revision` and `publish` costs dozens
of queries and signal handlers per page. `write` makes the same rows in a few statements per
batch instead: tree paths computed from the library's last child, pages and their resource rows
inserted in bulk, one revision per page (what `save_revision` stores) marked live, the create and
publish actions in Wagtail's log, and the page cache emptied once on commit; the search index is
updated in bulk by the worker (`knowledge.tasks.index_resources`). The pages are ordinary
published pages that editors then edit as any other.
"""

from __future__ import annotations

import csv
import io
import json
import re
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django_countries import countries as country_list

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from modelcluster.models import get_all_child_relations
from wagtail.models import Locale, Page, PageLogEntry, Revision

from core.exports import restore
from core.models import Topic
from core.page_cache import invalidate_pages

from .models import LibraryPage, Region, ResourcePage, ResourceType

FIELDS = (
    "title",
    "language",
    "resource_type",
    "source_url",
    "summary",
    "publisher",
    "body",
    "countries",
    "topics",
    "published",
    "external_id",
    "translation_of",
    "regions",
)
# Written by the library's export (`knowledge.exports`) for its readers; an import skips them
# without a warning, so that an exported file imports back as it is.
EXPORT_ONLY = ("url", "last_published")
REQUIRED = ("title", "language", "resource_type", "source_url")
LIST_FIELDS = ("countries", "topics", "regions")
MAX_LENGTHS = {
    "title": 255,
    "summary": 1000,
    "publisher": 255,
    "source_url": 500,
    "external_id": 255,
    "translation_of": 500,
    "body": 100_000,
}
DATE_FORMAT = re.compile(r"\d{4}-\d{2}-\d{2}")
BATCH = 1000
# How a row is named in messages: JSON Lines by physical line, CSV by data row after the header.
LABELS = {"line": gettext_lazy("line"), "row": gettext_lazy("row")}
SLUG_LENGTH = 80
# Attachments, tags, comments...: a revision holds them; see `_revisions`.
CHILD_RELATIONS = [rel.get_accessor_name() for rel in get_all_child_relations(ResourcePage)]


class ImportFileError(Exception):
    """The file as a whole cannot be read (encoding, header): no row is looked at."""


@dataclass
class RawRow:
    """One record of the file before validation: `values` is None when it is not an object."""

    number: int
    values: dict | None
    problem: str = ""


@dataclass(frozen=True)
class Problem:
    """An error or warning about one row (`number` 0: the file as a whole)."""

    label: str
    number: int
    field: str
    reason: str

    def __str__(self) -> str:
        where = f"{LABELS[self.label]} {self.number}" if self.number else _("file")
        return f"{where}, {self.field}: {self.reason}" if self.field else f"{where}: {self.reason}"


@dataclass
class Resource:
    """A valid row, its fields cleaned. `given` holds the fields the row spoke about: a column
    or key it does not have leaves the existing resource's value as it is."""

    number: int
    language: str
    identity: str
    given: dict = field(default_factory=dict)
    topic_ids: list[int] = field(default_factory=list)
    existing: ResourcePage | None = None
    target: Resource | None = None  # the row of this file that it translates
    target_key: uuid.UUID | None = None  # or the translation key of a resource on the site
    translation_key: uuid.UUID | None = None

    @property
    def external_id(self) -> str:
        return self.given.get("external_id", "")

    @property
    def source_url(self) -> str:
        return self.given["source_url"]


@dataclass
class Report:
    """What `validate` found: the rows to import, errors and warnings, in file order."""

    label: str
    rows: list[Resource] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    invalid_rows: set[int] = field(default_factory=set)

    def error(self, number: int, field_name: str, reason: str) -> None:
        self.errors.append(Problem(self.label, number, field_name, reason))
        if number:
            self.invalid_rows.add(number)

    def warn(self, number: int, field_name: str, reason: str) -> None:
        self.warnings.append(Problem(self.label, number, field_name, reason))


@dataclass
class Plan:
    create: list[Resource] = field(default_factory=list)
    update: list[Resource] = field(default_factory=list)
    unchanged: list[Resource] = field(default_factory=list)


# --- Reading --------------------------------------------------------------------------------


def read_file(path: Path) -> tuple[str, list[RawRow]]:
    """The rows of a JSON Lines or CSV file (by its extension, else by its first character),
    and how its rows are numbered ("line" or "row", keys of `LABELS`)."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(
            _("The file is not UTF-8 text (byte %(position)s cannot be read).")
            % {"position": error.start + 1}
        ) from error
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        is_json = True
    elif suffix in (".csv", ".tsv"):
        is_json = False
    else:
        is_json = text.lstrip().startswith("{")
    if not text.strip():
        raise ImportFileError(_("The file is empty."))
    label, rows = ("line", list(_json_lines(text))) if is_json else ("row", list(_csv_rows(text)))
    if not rows:
        # A header alone, or only empty rows: a wrong export, not a successful import of nothing.
        raise ImportFileError(_("The file has no rows to import."))
    return label, rows


def _json_lines(text: str) -> Iterator[RawRow]:
    # splitlines() would also split at characters JSON allows inside strings (U+2028...).
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as error:
            yield RawRow(number, None, _("not valid JSON (%(error)s)") % {"error": error.msg})
            continue
        if not isinstance(value, dict):
            yield RawRow(number, None, _("not a JSON object"))
        else:
            yield RawRow(number, value)


def _csv_rows(text: str) -> Iterator[RawRow]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        return
    except csv.Error as error:
        message = _("The header row cannot be read: %(error)s") % {"error": error}
        raise ImportFileError(message) from error
    names = [name.strip().lower() for name in header]
    repeated = sorted({name for name in names if name and names.count(name) > 1})
    if repeated:
        raise ImportFileError(
            _("The header names these columns twice: %(names)s") % {"names": ", ".join(repeated)}
        )
    missing = [name for name in REQUIRED if name not in names]
    if missing:
        raise ImportFileError(
            _("The header lacks the required columns: %(names)s") % {"names": ", ".join(missing)}
        )
    number = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            problem = _("cannot be read as CSV (%(error)s)") % {"error": error}
            yield RawRow(number + 1, None, problem)
            return  # the reader cannot find where the next row starts
        number += 1
        if not any(cell.strip() for cell in cells):
            continue  # an empty row of a spreadsheet
        if len(cells) > len(names):
            yield RawRow(number, None, _("has more cells than the header has columns"))
            continue
        # A cell the export neutralised against spreadsheet formulas ('=...) reads as written.
        values = {name: restore(cell) for name, cell in zip(names, cells, strict=False) if name}
        yield RawRow(number, values)


# --- Checking each row on its own --------------------------------------------------------------


def _text(value, field_name: str, report: Report, number: int) -> str | None:
    """The row's value as text, or None (and an error) when it is another JSON type."""
    if value is None:
        return ""
    if field_name == "external_id" and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        report.error(number, field_name, _("must be text"))
        return None
    if "\x00" in value:
        report.error(number, field_name, _("contains a null character"))
        return None
    return value


def _items(value, field_name: str, report: Report, number: int) -> list[str] | None:
    """A list of codes: a JSON array in JSON Lines, `;`-separated text in CSV."""
    if value is None:
        return []
    if isinstance(value, str):
        if report.label == "line":
            report.error(number, field_name, _("must be a JSON array"))
            return None
        parts = value.split(";")
    elif isinstance(value, list) and all(isinstance(item, str) for item in value):
        parts = value
    else:
        report.error(number, field_name, _("must be a list of codes"))
        return None
    cleaned: list[str] = []
    for part in (item.strip() for item in parts):
        if part and part not in cleaned:
            cleaned.append(part)
    return cleaned


def _check_row(raw: RawRow, report: Report, today: date) -> Resource | None:
    """The row's fields cleaned, or None after reporting each of its errors."""
    number = raw.number
    values = raw.values or {}
    before = len(report.errors)
    given: dict = {}
    for name in FIELDS:
        if name not in values:
            continue
        if name in LIST_FIELDS:
            items = _items(values[name], name, report, number)
            if items is not None:
                given[name] = items
            continue
        text = _text(values[name], name, report, number)
        if text is None:
            continue
        text = text.strip()
        if name in ("title", "publisher"):
            text = " ".join(text.split())  # a title is one line, whatever the cell held
        limit = MAX_LENGTHS.get(name)
        if limit and len(text) > limit:
            report.error(
                number, name,
                _("is %(length)s characters long; at most %(limit)s are allowed")
                % {"length": f"{len(text):,}", "limit": f"{limit:,}"},
            )  # fmt: skip
            continue
        given[name] = text
    for name in REQUIRED:
        if not given.get(name) and not any(p.field == name for p in report.errors[before:]):
            report.error(number, name, _("is required"))
    language = given.get("language", "")
    if language and language not in dict(settings.LANGUAGES):
        report.error(
            number, "language",
            _("“%(value)s” is not one of the site's languages (%(codes)s)")
            % {"value": language, "codes": ", ".join(code for code, _n in settings.LANGUAGES)},
        )  # fmt: skip
    kind = given.get("resource_type", "")
    if kind and kind not in ResourceType.values:
        report.error(
            number, "resource_type",
            _("“%(value)s” is not a resource type (%(types)s)")
            % {"value": kind, "types": ", ".join(ResourceType.values)},
        )  # fmt: skip
    for name in ("source_url", "translation_of"):
        if name == "translation_of" and not _looks_like_url(given.get(name, "")):
            continue  # it may name an external_id
        if given.get(name) and not _is_web_address(given[name]):
            report.error(number, name, _("must be an absolute http:// or https:// address"))
    codes = []
    for code in given.get("countries", []):
        upper = code.upper()
        if len(upper) != 2 or not country_list.alpha2(upper):
            reason = _("“%(code)s” is not an ISO 3166-1 country code") % {"code": code}
            report.error(number, "countries", reason)
        else:
            codes.append(upper)
    if "countries" in given:
        given["countries"] = codes
    for region in given.get("regions", []):
        if region not in Region.values:
            reason = _("“%(code)s” is not a region (%(codes)s)") % {
                "code": region,
                "codes": ", ".join(Region.values),
            }
            report.error(number, "regions", reason)
    if given.get("published"):
        given["published"] = _date(given["published"], report, number, today)
    elif "published" in given:
        given["published"] = None
    if len(report.errors) > before:
        report.invalid_rows.add(number)
        return None
    return Resource(
        number=number,
        language=given["language"],
        identity=given.get("external_id") or given["source_url"],
        given=given,
    )


def _looks_like_url(value: str) -> bool:
    return "://" in value or value.lower().startswith(("http:", "https:", "www."))


WEB_ADDRESS = URLValidator(schemes=["http", "https"])


def _is_web_address(value: str) -> bool:
    try:
        WEB_ADDRESS(value)
    except ValidationError:
        return False
    return True


def _date(value: str, report: Report, number: int, today: date) -> date | None:
    if not DATE_FORMAT.fullmatch(value):
        report.error(number, "published", _("“%(value)s” is not a date written YYYY-MM-DD")
                     % {"value": value})  # fmt: skip
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        report.error(number, "published", _("%(value)s is not a real date") % {"value": value})
        return None
    if day > today:
        report.error(
            number, "published", _("%(value)s is after today (%(today)s)")
            % {"value": value, "today": today.isoformat()},
        )  # fmt: skip
        return None
    return day


# --- Checking rows against each other and the site ----------------------------------------------


def validate(raw_rows: Iterable[RawRow], label: str, today: date | None = None,
             progress: Callable[[int], None] | None = None) -> Report:  # fmt: skip
    """Check every row; the valid ones come back as `Resource`s, nothing is written."""
    today = today or timezone.localdate()
    raw_rows = list(raw_rows)
    report = Report(label)
    checked: list[Resource] = []
    seen: dict[tuple[str, str], int] = {}
    for raw in raw_rows:
        if progress:
            progress(1)
        if raw.values is None:
            report.error(raw.number, "", raw.problem)
            continue
        # The first row giving an identity keeps it, even if that row has other errors.
        which = "external_id" if _raw_text(raw.values, "external_id") else "source_url"
        identity = _raw_text(raw.values, which)
        # Versions of one resource in several languages may share it (a translation keeps its
        # original's source_url); within one language it names one resource.
        slot = (identity, _raw_text(raw.values, "language"))
        if identity and slot in seen:
            report.error(
                raw.number, which,
                _("%(identity)s was already given on %(label)s %(first)s; the first one is kept")
                % {"identity": identity, "label": LABELS[label], "first": seen[slot]},
            )  # fmt: skip
        elif identity:
            seen[slot] = raw.number
        row = _check_row(raw, report, today)
        if row is not None and raw.number not in report.invalid_rows:
            checked.append(row)
    _check_unknown_fields(raw_rows, report)
    _check_libraries(checked, report)
    _match_existing(checked, report)
    _resolve_topics(checked, report)
    _resolve_translations(checked, report)
    report.rows = [row for row in checked if row.number not in report.invalid_rows]
    report.errors.sort(key=lambda p: p.number)
    report.warnings.sort(key=lambda p: p.number)
    return report


def _raw_text(values: dict, name: str) -> str:
    value = values.get(name)
    return str(value).strip() if isinstance(value, str | int) else ""


def _check_unknown_fields(raw_rows: Iterable[RawRow], report: Report) -> None:
    reported: set[str] = set()
    for raw in raw_rows:
        for name in raw.values or {}:
            if name not in FIELDS and name not in EXPORT_ONLY and name not in reported:
                reported.add(name)
                report.warn(raw.number, name, _("is not a field of a resource; it is ignored"))


def libraries_by_language() -> dict[str, LibraryPage]:
    """The library of each language (the live one first when there are several)."""
    found: dict[str, LibraryPage] = {}
    for library in LibraryPage.objects.select_related("locale").order_by("-live", "pk"):
        found.setdefault(library.locale.language_code, library)
    return found


def _check_libraries(rows: list[Resource], report: Report) -> None:
    libraries = libraries_by_language()
    for row in rows:
        if row.language not in libraries:
            report.error(row.number, "language",
                         _("there is no library in this language on the site yet"))  # fmt: skip


def _language_name(code: str) -> str:
    from .library import language_name

    return language_name(code)


def _match_existing(rows: list[Resource], report: Report) -> None:
    """Find each row's resource on the site by its identity, in the row's language."""
    external = [row.external_id for row in rows if row.external_id]
    urls = [row.source_url for row in rows if not row.external_id]
    found = (
        ResourcePage.objects.filter(
            Q(external_id__in=external) | Q(source_url__in=urls, external_id="")
        )
        .select_related("locale")
        # What an updated page's new revision holds beside its fields, fetched in bulk.
        .prefetch_related(*CHILD_RELATIONS, "topics")
    )
    by_identity: dict[str, list[ResourcePage]] = {}
    for page in found:
        by_identity.setdefault(page.external_id or page.source_url, []).append(page)
    for row in rows:
        pages = by_identity.get(row.identity, [])
        if not row.external_id:
            pages = [page for page in pages if not page.external_id]
        here = [page for page in pages if page.locale.language_code == row.language]
        if here:
            row.existing = page = min(here, key=lambda page: page.pk)
            if not page.live:
                report.warn(row.number, "", _("the resource was unpublished on the site; the "
                                              "import publishes it again"))  # fmt: skip
            elif page.has_unpublished_changes:
                report.warn(
                    row.number, "",
                    _("the resource has unpublished changes in the admin; the import publishes "
                      "its own version (the draft stays in the page's history)"),
                )  # fmt: skip
        elif pages:
            report.error(
                row.number, "external_id" if row.external_id else "source_url",
                _("a resource with this identity exists in %(language)s; an import cannot "
                  "change a resource's language") % {"language": _language_name(
                      pages[0].locale.language_code)},
            )  # fmt: skip


def _resolve_topics(rows: list[Resource], report: Report) -> None:
    slugs = {slug for row in rows for slug in row.given.get("topics", [])}
    known = dict(
        Topic.objects.filter(slug__in={s.lower() for s in slugs},
                             locale__language_code=settings.LANGUAGE_CODE)
        .values_list("slug", "pk")
    )  # fmt: skip
    for row in rows:
        ids = []
        for slug in row.given.get("topics", []):
            if slug.lower() in known:
                ids.append(known[slug.lower()])
            else:
                report.warn(
                    row.number, "topics",
                    _("“%(slug)s” is not a known topic; the resource is imported without it")
                    % {"slug": slug},
                )  # fmt: skip
        row.topic_ids = list(dict.fromkeys(ids))


def _resolve_translations(rows: list[Resource], report: Report) -> None:
    """Give every row its translation key and refuse links that Wagtail cannot hold: a row
    translating itself or a missing resource, a loop, two copies in one language."""
    # A reference may name several rows: versions of one resource keep the original's
    # source_url (and external_id) in every language. It means, in this order of preference, a
    # row whose identity it is rather than only its source_url, the original (a row translating
    # nothing), the first in the file; never the row itself.
    by_reference: dict[str, list[tuple[int, Resource]]] = {}
    for row in rows:
        by_reference.setdefault(row.identity, []).append((0, row))
        if row.source_url != row.identity:
            by_reference.setdefault(row.source_url, []).append((1, row))
    references = {row.given["translation_of"] for row in rows if row.given.get("translation_of")}
    on_site: dict[str, list[tuple[str, uuid.UUID]]] = {}
    for page in (
        ResourcePage.objects.filter(Q(external_id__in=references) | Q(source_url__in=references))
        .select_related("locale")
        .order_by("pk")
    ):
        for reference in dict.fromkeys((page.external_id, page.source_url)):
            if reference in references:
                on_site.setdefault(reference, []).append(
                    (page.locale.language_code, page.translation_key)
                )
    for row in rows:
        reference = row.given.get("translation_of")
        if not reference:
            continue
        itself = reference in (row.identity, row.source_url)
        others = [(kind, other) for kind, other in by_reference.get(reference, [])
                  if other is not row]  # fmt: skip
        elsewhere = [
            key for language, key in on_site.get(reference, []) if language != row.language
        ]
        if others:
            row.target = min(
                others,
                key=lambda found: (found[0], bool(found[1].given.get("translation_of")),
                                   found[1].number),
            )[1]  # fmt: skip
        elif elsewhere:
            row.target_key = elsewhere[0]
        elif itself:
            report.error(row.number, "translation_of", _("a resource cannot translate itself"))
        elif reference in on_site:
            row.target_key = on_site[reference][0][1]
        else:
            report.error(
                row.number, "translation_of",
                _("no resource has this source_url or external_id, in this file or on the site"),
            )  # fmt: skip
    # Errors found below may invalidate rows others depend on: repeat until nothing changes.
    while True:
        before = len(report.invalid_rows)
        _assign_keys(rows, report)
        _check_one_copy_per_language(rows, report)
        if len(report.invalid_rows) == before:
            return


def _assign_keys(rows: list[Resource], report: Report) -> None:
    for row in rows:
        row.translation_key = None
    for row in rows:
        if row.number in report.invalid_rows:
            continue
        chain: list[Resource] = []
        current: Resource | None = row
        while current is not None and current.translation_key is None:
            if current in chain:
                for member in chain:
                    report.error(member.number, "translation_of",
                                 _("the translations form a loop"))  # fmt: skip
                break
            if current.number in report.invalid_rows:
                report.error(
                    row.number, "translation_of",
                    _("the resource it translates (%(label)s %(number)s) has errors")
                    % {"label": LABELS[report.label], "number": current.number},
                )  # fmt: skip
                break
            chain.append(current)
            if current.target is None:
                current.translation_key = current.target_key or (
                    current.existing.translation_key if current.existing else uuid.uuid4()
                )
                break
            current = current.target
        key = current.translation_key if current is not None else None
        if key is None or any(member.number in report.invalid_rows for member in chain):
            continue
        for member in chain:
            member.translation_key = key


def _check_one_copy_per_language(rows: list[Resource], report: Report) -> None:
    """Wagtail holds one page per language and translation key."""
    valid = [row for row in rows if row.number not in report.invalid_rows]
    keys = {row.translation_key for row in valid}
    taken: dict[tuple, int | str] = {}
    moved = {row.existing.pk for row in valid if row.existing}
    for page_id, key, language in Page.objects.filter(translation_key__in=keys).values_list(
        "pk", "translation_key", "locale__language_code"
    ):
        if page_id not in moved:
            taken[(key, language)] = "site"
    for row in valid:
        slot = (row.translation_key, row.language)
        holder = taken.get(slot)
        if holder is None:
            taken[slot] = row.number
            continue
        where = (
            _("on the site")
            if holder == "site"
            else _("on %(label)s %(number)s") % {"label": LABELS[report.label], "number": holder}
        )
        report.error(
            row.number, "translation_of" if row.given.get("translation_of") else "language",
            _("this resource already has a %(language)s version %(where)s")
            % {"language": _language_name(row.language), "where": where},
        )  # fmt: skip
    # An existing resource moved to another translation group must leave none behind.
    for row in valid:
        if row.number in report.invalid_rows or row.existing is None:
            continue
        if row.existing.translation_key != row.translation_key:
            others = (
                Page.objects.filter(translation_key=row.existing.translation_key)
                .exclude(pk=row.existing.pk)
                .exists()
            )
            if others:
                report.error(
                    row.number, "translation_of",
                    _("this resource is already linked to other translations; unlink them in "
                      "the admin first"),
                )  # fmt: skip


# --- Planning and writing ---------------------------------------------------------------------


def _body(text: str) -> list[dict]:
    """Plain text with blank-line paragraphs as rich-text paragraphs; markup is shown as text."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks = []
    for paragraph in re.split(r"\n[ \t]*\n", text):
        lines = [escape(line.strip()) for line in paragraph.strip().split("\n")]
        if any(lines):
            blocks.append(
                {"type": "paragraph", "value": f"<p>{'<br/>'.join(lines)}</p>",
                 "id": str(uuid.uuid4())}
            )  # fmt: skip
    return blocks


def _field_values(row: Resource) -> dict:
    """The model fields a row sets (only those it gave, for an update)."""
    given = row.given
    mapping = {
        "title": "title",
        "summary": "summary",
        "publisher": "publisher",
        "resource_type": "resource_type",
        "source_url": "source_url",
        "external_id": "external_id",
        "countries": "countries",
        "regions": "regions",
        "published": "publication_date",
    }
    values = {model: given[name] for name, model in mapping.items() if name in given}
    if "body" in given:
        values["body"] = _body(given["body"])
    return values


def _comparable(page: ResourcePage, name: str):
    value = getattr(page, name)
    if name == "body":
        return [(block["type"], block["value"]) for block in value.raw_data]
    if name == "countries":
        return sorted(country.code for country in value)
    if name == "regions":
        return sorted(value)
    return value


def plan(rows: list[Resource]) -> Plan:
    """Which rows create a resource, which change one, which would change nothing."""
    result = Plan()
    existing = [row.existing.pk for row in rows if row.existing]
    topics: dict[int, set[int]] = {}
    through = ResourcePage.topics.through
    for page_id, topic_id in through.objects.filter(resourcepage_id__in=existing).values_list(
        "resourcepage_id", "topic_id"
    ):
        topics.setdefault(page_id, set()).add(topic_id)
    for row in rows:
        page = row.existing
        if page is None:
            result.create.append(row)
            continue
        changed = page.translation_key != row.translation_key or not page.live
        for name, value in _field_values(row).items():
            if name == "body":
                new = [(block["type"], block["value"]) for block in value]
            else:
                new = sorted(value) if name in ("countries", "regions") else value
            changed = changed or _comparable(page, name) != new
        if "topics" in row.given:
            changed = changed or topics.get(page.pk, set()) != set(row.topic_ids)
        (result.update if changed else result.unchanged).append(row)
    return result


class _Slugs:
    """Slugs unique across every library, except that translations share their original's:
    the library reaches a resource not in the reader's language by its slug."""

    def __init__(self) -> None:
        self.keys: dict[str, set] = {}
        self.by_key: dict = {}
        for slug, key in ResourcePage.objects.values_list("slug", "translation_key"):
            self.keys.setdefault(slug, set()).add(key)
            self.by_key.setdefault(key, slug)

    def take(self, title: str, key: uuid.UUID) -> str:
        shared = self.by_key.get(key)
        if shared and self.keys.get(shared) == {key}:
            return shared
        base = slugify(title, allow_unicode=True)[:SLUG_LENGTH].strip("-") or "resource"
        slug, number = base, 1
        while slug in self.keys:
            number += 1
            slug = f"{base}-{number}"
        self.keys[slug] = {key}
        self.by_key.setdefault(key, slug)
        return slug


def write(result: Plan, progress: Callable[[int], None] | None = None) -> None:
    """Create and update the planned resources, published, in one transaction."""
    now = timezone.now()
    log_uuid = uuid.uuid4()  # Wagtail groups the log entries of one action by it
    with transaction.atomic():
        libraries = libraries_by_language()
        # Hold the libraries while their children's tree paths are computed.
        list(Page.objects.select_for_update().filter(pk__in=[p.pk for p in libraries.values()]))
        slugs = _Slugs()
        # Originals before translations, so that a translation can reuse its original's slug.
        ordered = sorted(result.create, key=lambda row: row.target is not None
                         or row.target_key is not None)  # fmt: skip
        for start in range(0, len(ordered), BATCH):
            batch = ordered[start : start + BATCH]
            _create(batch, libraries, slugs, now, log_uuid)
            if progress:
                progress(len(batch))
        for start in range(0, len(result.update), BATCH):
            batch = result.update[start : start + BATCH]
            _update(batch, now, log_uuid)
            if progress:
                progress(len(batch))
        transaction.on_commit(invalidate_pages)


def _create(rows: list[Resource], libraries: dict[str, LibraryPage], slugs: _Slugs, now,
            log_uuid: uuid.UUID) -> None:  # fmt: skip
    content_type = ContentType.objects.get_for_model(ResourcePage)
    locales = {locale.language_code: locale for locale in Locale.objects.all()}
    next_position: dict[int, int] = {}
    pages: list[ResourcePage] = []
    for row in rows:
        library = libraries[row.language]
        if library.pk not in next_position:
            library.refresh_from_db(fields=["numchild", "url_path"])
            last = library.get_last_child()
            next_position[library.pk] = Page._str2int(last.path[-Page.steplen :]) + 1 if last else 1
        position = next_position[library.pk]
        next_position[library.pk] = position + 1
        values = {"summary": "", "publisher": "", "countries": [], "regions": [], "body": [],
                  "publication_date": None, **_field_values(row)}  # fmt: skip
        slug = slugs.take(values["title"], row.translation_key)
        page = ResourcePage(
            **values,
            slug=slug,
            draft_title=values["title"],
            path=Page._get_path(library.path, library.depth + 1, position),
            depth=library.depth + 1,
            numchild=0,
            url_path=f"{library.url_path}{slug}/",
            locale=locales[row.language],
            translation_key=row.translation_key,
            content_type=content_type,
            live=True,
            has_unpublished_changes=False,
            first_published_at=now,
            last_published_at=now,
            latest_revision_created_at=now,
        )
        pages.append(page)
    page_fields = [f for f in Page._meta.concrete_fields if not f.primary_key]
    bases = Page.objects.bulk_create(
        [Page(**{f.attname: getattr(page, f.attname) for f in page_fields}) for page in pages]
    )
    for page, base in zip(pages, bases, strict=True):
        page.pk = page.id = page.page_ptr_id = base.pk
        page._state.adding = False
    # The resource table's own rows, as bulk_create would if Django allowed it for a child of
    # a concrete model (Page): one INSERT per batch.
    ResourcePage._base_manager._insert(
        pages, fields=ResourcePage._meta.local_concrete_fields, using="default"
    )
    through = ResourcePage.topics.through
    through.objects.bulk_create(
        [through(resourcepage_id=page.pk, topic_id=topic)
         for row, page in zip(rows, pages, strict=True) for topic in row.topic_ids]
    )  # fmt: skip
    # Added to the count, not set from the last position: a deleted child leaves a gap.
    added = Counter(libraries[row.language].pk for row in rows)
    for library_id, count in added.items():
        Page.objects.filter(pk=library_id).update(numchild=F("numchild") + count)
    for page in pages:  # a new page has no attachments, tags or comments: no query for them
        related = page.__dict__.setdefault("_cluster_related_objects", {})
        related.update({name: [] for name in CHILD_RELATIONS})
    _hold_topics(rows, pages)
    revisions = _revisions(pages, now)
    _log(pages, revisions, ("wagtail.create", "wagtail.publish"), now, log_uuid)
    _index(pages)


def _update(rows: list[Resource], now, log_uuid: uuid.UUID) -> None:
    pages = [row.existing for row in rows]
    through = ResourcePage.topics.through
    names: set[str] = {"translation_key", "live", "has_unpublished_changes", "last_published_at",
                       "latest_revision_created_at"}  # fmt: skip
    topic_rows = []
    changed_topics = []
    for row, page in zip(rows, pages, strict=True):
        for name, value in _field_values(row).items():
            setattr(page, name, value)
            names.add(name)
        if "title" in row.given:
            page.draft_title = page.title
            names.add("draft_title")
        page.translation_key = row.translation_key
        page.live, page.has_unpublished_changes = True, False
        page.last_published_at = page.latest_revision_created_at = now
        if page.first_published_at is None:
            page.first_published_at = now
            names.add("first_published_at")
        if "topics" in row.given:
            changed_topics.append(page.pk)
            topic_rows += [through(resourcepage_id=page.pk, topic_id=t) for t in row.topic_ids]
    ResourcePage.objects.bulk_update(pages, sorted(names), batch_size=100)
    through.objects.filter(resourcepage_id__in=changed_topics).delete()
    through.objects.bulk_create(topic_rows)
    _hold_topics([row for row in rows if "topics" in row.given],
                 [row.existing for row in rows if "topics" in row.given])  # fmt: skip
    revisions = _revisions(pages, now)
    _log(pages, revisions, ("wagtail.edit", "wagtail.publish"), now, log_uuid)
    _index(pages)


def _hold_topics(rows: list[Resource], pages: list[ResourcePage]) -> None:
    """Give each page its topics in memory, where its revision's content reads them.

    Assigning `page.topics` on a saved page writes the links one page at a time (modelcluster);
    they are written in bulk above, so the pages only keep them as an unsaved form would.
    """
    topics = Topic.objects.in_bulk({topic for row in rows for topic in row.topic_ids})
    for row, page in zip(rows, pages, strict=True):
        related = page.__dict__.setdefault("_cluster_related_objects", {})
        related["topics"] = [topics[topic] for topic in row.topic_ids]


def _revisions(pages: list[ResourcePage], now) -> list[Revision]:
    """One revision per page, holding what `save_revision` would, made its live revision."""
    content_type = ContentType.objects.get_for_model(ResourcePage)
    base_type = ContentType.objects.get_for_model(Page)
    revisions = Revision.objects.bulk_create(
        [
            Revision(
                content_type=content_type,
                base_content_type=base_type,
                object_id=str(page.pk),
                created_at=now,
                object_str=page.title,
                content=page.serializable_data(),
            )
            for page in pages
        ]
    )
    for page, revision in zip(pages, revisions, strict=True):
        page.latest_revision = page.live_revision = revision
    # One statement (bulk_update's CASE per row grows with the square of the batch).
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Page._meta.db_table} p SET latest_revision_id = r.id, "  # noqa: S608
            f"live_revision_id = r.id FROM {Revision._meta.db_table} r "
            "WHERE r.id = ANY(%s) AND r.object_id = p.id::text",
            [[revision.pk for revision in revisions]],
        )
    return revisions


def _log(pages: list[ResourcePage], revisions: list[Revision], actions: tuple[str, ...], now,
         log_uuid: uuid.UUID) -> None:  # fmt: skip
    content_type = ContentType.objects.get_for_model(ResourcePage)
    PageLogEntry.objects.bulk_create(
        [
            PageLogEntry(
                content_type=content_type, label=page.get_admin_display_title(), action=action,
                data={}, timestamp=now, uuid=log_uuid, page_id=page.pk,
                revision=revision if action == "wagtail.publish" else None,
                content_changed=action != "wagtail.create",
            )
            for page, revision in zip(pages, revisions, strict=True)
            for action in actions
        ]
    )  # fmt: skip


def _index(pages: list[ResourcePage]) -> None:
    """Wagtail's search index, updated by the worker once the import is committed, one task
    per batch (the slowest part of an import, and what readers of the library do not need)."""
    from .tasks import index_resources

    ids = [page.pk for page in pages]
    transaction.on_commit(lambda: index_resources.enqueue(ids))
