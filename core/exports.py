"""Streamed CSV and JSON Lines downloads: the shared writing half of the apps' data exports.

The resource library and the opportunities listing offer their filtered results as files
(`knowledge.exports`, `community.opportunities.exports`); each app decides which rows and
columns, and this module turns rows into a download whose memory stays constant whatever the
number of rows: rows are read from a server-side cursor by the app (`.iterator(chunk_size=...)`),
written a few hundred at a time into chunks of bytes, and sent as they are made.

Under ASGI a `StreamingHttpResponse` given a plain iterator reads it whole into a list before
sending (Django warns and does so), so the download gets an asynchronous iterator there that
pulls each chunk in the request's own thread (the one holding the database connection and its
cursor); under WSGI and the test client it gets the plain iterator.

A CSV file is opened in spreadsheets, which run a cell starting with `=`, `+`, `-`, `@`, a tab
or a carriage return as a formula ("CSV injection"): `neutralise` prefixes such a cell with an
apostrophe, which spreadsheets show as text, and `restore` (used by `import_resources`) takes it
off again, so that a file the export wrote imports back unchanged. JSON Lines is left as it is.

The views' common half is here too: `export_response` (a 400 naming what is wrong with the
parameters, else the streamed file), `export_links` and `columns_response` (what each column means).
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import AsyncIterator, Callable, Iterable, Iterator

import nh3
from asgiref.sync import sync_to_async

from django.core.handlers.asgi import ASGIRequest
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

# A cell starting with one of these is a formula to a spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK_ROWS = 500
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "jsonl": "application/x-ndjson; charset=utf-8",
}
FORMAT_NAMES = {"csv": "CSV", "jsonl": "JSON Lines"}


def neutralise(value: str) -> str:
    """`value` made safe for a spreadsheet: a leading apostrophe when it would start a formula.

    Values already starting with apostrophes before such a character get one more, so that
    `restore` can always take exactly one off (`'=x` → `''=x` → `'=x`)."""
    if value.lstrip("'")[:1] in FORMULA_STARTS and value.lstrip("'"):
        return f"'{value}"
    return value


def restore(value: str) -> str:
    """The value `neutralise` was given: one apostrophe off a neutralised cell."""
    if value.startswith("'") and value.lstrip("'")[:1] in FORMULA_STARTS and value.lstrip("'"):
        return value[1:]
    return value


PARAGRAPH_END = re.compile(r"</p\s*>|</h[1-6]\s*>|</li\s*>|</blockquote\s*>", re.IGNORECASE)
LINE_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)


def text_paragraphs(markup: str) -> list[str]:
    """The words of sanitised HTML as plain-text paragraphs (lines kept within each)."""
    text = LINE_BREAK.sub("\n", PARAGRAPH_END.sub("\n\n", markup))
    text = html.unescape(nh3.clean(text, tags=set()))
    paragraphs = []
    for part in re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n")):
        lines = [line.strip() for line in part.strip().split("\n")]
        if any(lines):
            paragraphs.append("\n".join(lines))
    return paragraphs


def csv_cell(value) -> str:
    """One CSV cell: lists joined with `;`, booleans as `true`/`false`, None empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        value = ";".join(str(item) for item in value)
    return neutralise(str(value))


def csv_chunks(columns: Iterable[str], rows: Iterable[dict]) -> Iterator[bytes]:
    """A CSV file (header, then one line per row, CRLF as RFC 4180 says) in chunks of rows.

    The first chunk starts with a byte order mark, so that spreadsheets read the file as UTF-8
    (Excel otherwise guesses a legacy encoding and garbles every accent)."""
    columns = list(columns)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    prefix = "\ufeff"
    count = 0
    for row in rows:
        writer.writerow([csv_cell(row.get(column)) for column in columns])
        count += 1
        if count % CHUNK_ROWS == 0:
            yield (prefix + buffer.getvalue()).encode()
            prefix = ""
            buffer.seek(0)
            buffer.truncate()
    yield (prefix + buffer.getvalue()).encode()


def jsonl_chunks(rows: Iterable[dict]) -> Iterator[bytes]:
    """A JSON Lines file: one JSON object per line, UTF-8, in chunks of rows."""
    lines: list[str] = []
    for row in rows:
        lines.append(json.dumps(row, ensure_ascii=False, default=str))
        if len(lines) == CHUNK_ROWS:
            yield ("\n".join(lines) + "\n").encode()
            lines = []
    if lines:
        yield ("\n".join(lines) + "\n").encode()


async def _pulled_in_request_thread(chunks: Iterator[bytes]) -> AsyncIterator[bytes]:
    """`chunks`, each made by the request's thread: the one whose connection holds the cursor."""
    pull: Callable = sync_to_async(next, thread_sensitive=True)
    try:
        while True:
            chunk = await pull(chunks, None)
            if chunk is None:
                return
            yield chunk
    finally:
        # A reader who goes away mid-download: close the server-side cursor now.
        close = getattr(chunks, "close", None)
        if close is not None:
            await sync_to_async(close, thread_sensitive=True)()


def download(
    request: HttpRequest, chunks: Iterator[bytes], filename: str, kind: str
) -> StreamingHttpResponse:
    """A streamed attachment of `kind` ("csv" or "jsonl") named `filename`."""
    content = _pulled_in_request_thread(chunks) if isinstance(request, ASGIRequest) else chunks
    response = StreamingHttpResponse(content, content_type=FORMATS[kind])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # One reader's request for a file that changes with every write: no shared cache keeps it.
    response["Cache-Control"] = "private, no-cache"
    response["X-Content-Type-Options"] = "nosniff"
    return response


class BadExportQuery(ValueError):
    """Parameters the export does not know or cannot use; the message names them."""


def export_response(
    request: HttpRequest,
    kind: str,
    stem: str,
    columns: Iterable[tuple[str, object]],
    read_rows: Callable[[], Iterable[dict]],
) -> HttpResponse:
    """The download `<stem>.<kind>` of the rows `read_rows()` gives (it checks the request's
    parameters first: a 400 naming the problems when it raises `BadExportQuery`), with the
    (column, meaning) `columns`."""
    try:
        found = read_rows()
    except BadExportQuery as error:
        return HttpResponseBadRequest(
            _("This download cannot be made: %(problems)s.") % {"problems": error},
            content_type="text/plain; charset=utf-8",
        )
    names = [name for name, _meaning in columns]
    chunks = csv_chunks(names, found) if kind == "csv" else jsonl_chunks(found)
    return download(request, chunks, f"{stem}.{kind}", kind)


def export_links(namespace: str, query: str) -> list[dict]:
    """The download links (`<namespace>:export_csv`, `_jsonl`) for a filter query string."""
    return [
        {
            "label": _("Download %(format)s") % {"format": FORMAT_NAMES[kind]},
            "url": reverse(f"{namespace}:export_{kind}") + (f"?{query}" if query else ""),
        }
        for kind in ("csv", "jsonl")
    ]


def columns_response(request: HttpRequest, context: dict) -> HttpResponse:
    """The page saying what each column of a download means (`exports/columns.html`)."""
    response = render(request, "exports/columns.html", context)
    if request.GET:
        # Any filters may be passed on to the links: such copies stay out of the page cache.
        patch_cache_control(response, private=True, no_cache=True)
    return response
