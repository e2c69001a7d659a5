"""The resource library's CSV and JSON Lines downloads as a partner uses them: filtered like the
library page, every language version, never a draft or a restricted page, streamed, safe to open
in a spreadsheet, and importable back with `import_resources` into an empty library."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from asgiref.sync import async_to_sync

from django.core.management import call_command
from django.test import AsyncClient

from wagtail.models import PageViewRestriction

from knowledge.models import ResourcePage
from tests.knowledge.conftest import delete_pages_quietly, make_resource, translate

from .conftest import csv_rows, jsonl_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(libraries):
    en, es = libraries["en"], libraries["es"]
    toolkit = make_resource(
        en, "Remittance toolkit", slug="toolkit", kind="toolkit", topics=("remittances",),
        countries=("SN", "ML"), regions=("west_central_africa",), published=date(2024, 5, 1),
        source_url="https://example.org/toolkit", publisher="Ministry",
    )  # fmt: skip
    translate(toolkit, "fr", "Boîte à outils sur les transferts")
    make_resource(es, "Informe juventud", slug="informe", topics=("youth",), countries=("MX",),
                  published=date(2023, 1, 1), source_url="https://example.org/informe",
                  external_id="OBS-7")  # fmt: skip
    make_resource(en, "Secret draft", slug="secret", publish=False,
                  source_url="https://example.org/secret")  # fmt: skip
    hidden = make_resource(en, "Members only", slug="members-only",
                           source_url="https://example.org/members")  # fmt: skip
    PageViewRestriction.objects.create(page=hidden, restriction_type="login")
    changed = make_resource(en, "Published title", slug="changed", published=date(2022, 1, 1),
                            source_url="https://example.org/changed")  # fmt: skip
    changed.title = "Unpublished new title"
    changed.save_revision()
    return libraries


def titles(rows: list[dict]) -> list[str]:
    return [row["title"] for row in rows]


def test_the_download_holds_every_published_version_and_nothing_hidden(client, library):
    rows = jsonl_rows(client.get("/en/library/export.jsonl"))

    assert titles(rows) == [
        "Remittance toolkit", "Boîte à outils sur les transferts", "Informe juventud",
        "Published title",
    ]  # fmt: skip
    toolkit, french, informe = rows[0], rows[1], rows[2]
    assert toolkit["language"] == "en" and toolkit["translation_of"] is None
    assert toolkit["countries"] == ["ML", "SN"] and toolkit["topics"] == ["remittances"]
    assert toolkit["regions"] == ["west_central_africa"] and toolkit["published"] == "2024-05-01"
    assert toolkit["url"].startswith("http") and toolkit["url"].endswith("/en/library/toolkit/")
    assert french["language"] == "fr" and french["translation_of"] == "https://example.org/toolkit"
    assert informe["external_id"] == "OBS-7" and informe["resource_type"] == "report"
    # A signed-in reader gets the same file: the library lists the same things to everyone.
    from tests.members.conftest import make_member

    member, _ = make_member()
    client.force_login(member)
    assert titles(jsonl_rows(client.get("/en/library/export.jsonl"))) == titles(rows)


def test_the_librarys_filters_narrow_the_download(client, library):
    def exported(query: str) -> list[str]:
        return titles(jsonl_rows(client.get(f"/en/library/export.jsonl?{query}")))

    assert exported("type=toolkit") == ["Remittance toolkit", "Boîte à outils sur les transferts"]
    assert exported("country=MX&topic=youth") == ["Informe juventud"]
    assert exported("language=fr") == ["Boîte à outils sur les transferts"]
    assert exported("region=west_central_africa&year=2024") == [
        "Remittance toolkit", "Boîte à outils sur les transferts"]  # fmt: skip
    assert exported("year=2021") == []
    # The listing's own parameters that a file has no use for, and empty ones, change nothing.
    assert exported("type=&page=2") == exported("")
    assert exported("sort=title")[0] == "Boîte à outils sur les transferts"


def test_bad_filters_are_refused_with_a_clear_message(client, db):
    for query, named in (
        ("type=novel", "“novel” is not a valid type"),
        ("country=sn", "“sn” is not a valid country"),
        ("colour=red", "“colour” is not a filter of the library"),
        ("type=toolkit&type=report", "“type” is given more than once"),
        ("sort=random", "“random” is not a sort order"),
    ):
        response = client.get(f"/en/library/export.csv?{query}")
        assert response.status_code == 400
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        assert named in response.content.decode()


def test_csv_cells_cannot_run_as_spreadsheet_formulas(client, libraries):
    page = make_resource(libraries["en"], "=HYPERLINK(\"http://evil.example\")", slug="formula",
                         publisher="@SUM(A1)", source_url="https://example.org/formula",
                         external_id="'+quoted")  # fmt: skip
    ResourcePage.objects.filter(pk=page.pk).update(summary="-2+3")
    (row,) = csv_rows(client.get("/en/library/export.csv"))

    assert row["title"] == '\'=HYPERLINK("http://evil.example")'
    assert row["publisher"] == "'@SUM(A1)"
    assert row["summary"] == "'-2+3"
    assert row["external_id"] == "''+quoted"  # one apostrophe more: the import takes one off
    assert row["source_url"] == "https://example.org/formula"
    # JSON Lines is not opened by spreadsheets: it keeps the values as they are.
    (line,) = jsonl_rows(client.get("/en/library/export.jsonl"))
    assert line["title"] == '=HYPERLINK("http://evil.example")'


def test_the_download_is_streamed_in_chunks_from_a_cursor(client, db, monkeypatch):
    import psycopg

    from django.db import connection

    server_side = []

    def record(execute, sql, params, many, context):
        server_side.append(isinstance(context["cursor"].cursor, psycopg.ServerCursor))
        return execute(sql, params, many, context)

    monkeypatch.setattr("core.exports.CHUNK_ROWS", 10)
    # The per-process memos (site, locale, taxonomy) are read afresh once their time is up, in
    # whichever request comes then: warm them first so that only the download's own queries count.
    list(client.get("/en/library/export.csv").streaming_content)
    with connection.execute_wrapper(record):
        response = client.get("/en/library/export.csv")  # the demo's library
        chunks = list(response.streaming_content)

    rows = len(csv_rows(client.get("/en/library/export.csv")))
    assert response.streaming and rows > 50
    assert len(chunks) == rows // 10 + 1  # ten rows a chunk, the header in the first
    assert any(server_side)  # the rows come from a server-side cursor
    assert len(server_side) < 12  # a few queries for the whole file, none per row

    # Under ASGI the chunks come from an asynchronous iterator (a plain one would be read whole
    # into memory by Django before the first byte is sent).
    async def download() -> tuple[bool, bytes]:
        response = await AsyncClient().get("/en/library/export.csv")
        parts = [part async for part in response.streaming_content]
        return hasattr(response.streaming_content, "__aiter__"), b"".join(parts)

    asynchronous, content = async_to_sync(download)()
    assert asynchronous and content == b"".join(chunks)


def test_the_columns_are_explained_and_linked_from_the_library(client, db):
    response = client.get("/en/library/export/columns/?type=toolkit")
    assert "private" in response["Cache-Control"]  # filtered copies stay out of the page cache
    page = response.content.decode()
    assert '<code dir="ltr">translation_of</code>' in page
    assert 'href="/en/library/export.csv?type=toolkit"' in page

    listing = client.get("/en/library/?type=toolkit").content.decode()
    assert 'href="/en/library/export.csv?type=toolkit"' in listing
    assert 'href="/en/library/export.jsonl?type=toolkit"' in listing


def _comparable(rows: list[dict]) -> list[dict]:
    """The rows without what a new site gives anew (addresses, publication moments)."""
    return sorted(
        ({key: value for key, value in row.items() if key not in ("url", "last_published")}
         for row in rows),
        key=lambda row: (row["source_url"], row["language"]),
    )  # fmt: skip


def test_an_exported_library_imports_back_into_an_empty_one(client, db, tmp_path):
    # The demo's library: originals and translations in four languages, bodies with headings,
    # quotes and figures, topics, countries and regions.
    before = client.get("/en/library/export.csv")
    path = tmp_path / "library.csv"
    path.write_bytes(b"".join(before.streaming_content))
    exported = csv_rows(client.get("/en/library/export.csv"))
    assert len(exported) > 50 and any(row["translation_of"] for row in exported)

    delete_pages_quietly(ResourcePage)
    out = StringIO()
    call_command("import_resources", str(path), stdout=out, stderr=StringIO())

    assert out.getvalue().startswith(f"Created {len(exported)}, updated 0")
    assert _comparable(csv_rows(client.get("/en/library/export.csv"))) == _comparable(exported)
    # Translations are one resource again: each version shares its original's translation key.
    keys = ResourcePage.objects.values_list("translation_key", flat=True)
    assert len(set(keys)) == sum(1 for row in exported if not row["translation_of"])

    # And the JSON Lines file of the imported library imports as nothing to change.
    jsonl = tmp_path / "library.jsonl"
    jsonl.write_bytes(b"".join(client.get("/en/library/export.jsonl").streaming_content))
    again = StringIO()
    call_command("import_resources", str(jsonl), stdout=again, stderr=StringIO())
    assert again.getvalue().startswith(f"Created 0, updated 0, unchanged {len(exported)}")
