"""`manage.py import_resources` on the files an editor gets wrong: each mistake is one clear
message naming the row (the JSON line or the CSV data row) and the field, the command fails, and
nothing at all is written, not even the file's good rows."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest

from django.core.management import CommandError, call_command

from knowledge.models import ResourcePage

from .test_import import written

pytestmark = pytest.mark.django_db

HEADER = "title,language,resource_type,source_url,summary,publisher,countries,topics,published,external_id"  # noqa: E501
GOOD = "Good one,en,report,https://example.org/good,Fine,Agency,SN,youth,2020-01-02,G-1"


def _csv(*rows: str, header: str = HEADER) -> str:
    return "\n".join([header, *rows]) + "\n"


def _fails(path: Path) -> tuple[str, str]:
    err = StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("import_resources", str(path), stdout=StringIO(), stderr=err)
    return str(failure.value), err.getvalue()


CASES = {
    "a required column missing from the header": (
        "rows.csv",
        _csv("A,en,https://example.org/a", header="title,language,source_url"),
        "The header lacks the required columns: resource_type",
    ),
    "a required key missing from a JSON line": (
        "rows.jsonl",
        '{"title": "A", "language": "en", "source_url": "https://example.org/a"}\n',
        "line 1, resource_type: is required",
    ),
    "a required cell left empty": (
        "rows.csv",
        _csv(GOOD, ",en,report,https://example.org/b,,,,,,"),
        "row 2, title: is required",
    ),
    "an unknown resource type": (
        "rows.csv",
        _csv(GOOD, "B,en,memo,https://example.org/b,,,,,,"),
        "row 2, resource_type: “memo” is not a resource type",
    ),
    "an unknown language": (
        "rows.csv",
        _csv(GOOD, "B,pt,report,https://example.org/b,,,,,,"),
        "row 2, language: “pt” is not one of the site's languages (en, fr, es, ar)",
    ),
    "an unknown country": (
        "rows.csv",
        _csv(GOOD, "B,en,report,https://example.org/b,,,SN;XK;QQ,,,"),
        "row 2, countries: “QQ” is not an ISO 3166-1 country code",
    ),
    "a date written another way": (
        "rows.csv",
        _csv(GOOD, "B,en,report,https://example.org/b,,,,,2024/03/01,"),
        "row 2, published: “2024/03/01” is not a date written YYYY-MM-DD",
    ),
    "a date that does not exist": (
        "rows.jsonl",
        '{"title": "B", "language": "en", "resource_type": "report", '
        '"source_url": "https://example.org/b", "published": "2023-13-01"}\n',
        "line 1, published: 2023-13-01 is not a real date",
    ),
    "an over-long title": (
        "rows.csv",
        _csv(GOOD, f"{'T' * 256},en,report,https://example.org/b,,,,,,"),
        "row 2, title: is 256 characters long; at most 255 are allowed",
    ),
    "an over-long summary": (
        "rows.csv",
        _csv(GOOD, f"B,en,report,https://example.org/b,{'s' * 1001},,,,,"),
        "row 2, summary: is 1,001 characters long; at most 1,000 are allowed",
    ),
    "an over-long publisher": (
        "rows.csv",
        _csv(GOOD, f"B,en,report,https://example.org/b,,{'P' * 256},,,,"),
        "row 2, publisher: is 256 characters long; at most 255 are allowed",
    ),
    "an over-long identifier": (
        "rows.csv",
        _csv(GOOD, f"B,en,report,https://example.org/b,,,,,,{'9' * 256}"),
        "row 2, external_id: is 256 characters long; at most 255 are allowed",
    ),
    "the same resource twice in one file": (
        "rows.csv",
        _csv(GOOD, "Again,en,report,https://example.org/other,,,,,,G-1"),
        "row 2, external_id: G-1 was already given on row 1",
    ),
    "the same address twice in one file": (
        "rows.csv",
        _csv(GOOD.replace(",G-1", ","), "Again,en,news,https://example.org/good,,,,,,"),
        "row 2, source_url: https://example.org/good was already given on row 1",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_mistake_names_its_row_and_field_and_nothing_is_imported(libraries, tmp_path, case):
    name, content, expected = CASES[case]
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    before = written()
    message, err = _fails(path)
    assert expected in err or expected in message, (message, err)
    assert "Nothing was imported" in message or "nothing was imported" in message
    assert written() == before
    assert not ResourcePage.objects.filter(title="Good one").exists()


def test_an_unknown_topic_is_a_warning_and_the_row_imports_without_it(libraries, tmp_path):
    path = tmp_path / "rows.csv"
    path.write_text(_csv(GOOD.replace(",youth,", ",youth;astrology,")), encoding="utf-8")
    out, err = StringIO(), StringIO()
    call_command("import_resources", str(path), stdout=out, stderr=err)
    assert "row 1, topics: “astrology” is not a known topic; the resource is imported without " \
        "it" in err.getvalue()  # fmt: skip
    assert out.getvalue().strip() == "Created 1, updated 0, unchanged 0; skipped 0; warnings 1."
    page = ResourcePage.objects.get(title="Good one")
    assert list(page.topics.values_list("slug", flat=True)) == ["youth"]


@pytest.mark.parametrize("name", ["rows.csv", "rows.jsonl"])
def test_a_file_that_is_not_utf8_is_refused_whole_naming_the_byte(libraries, tmp_path, name):
    path = tmp_path / name
    text = _csv(GOOD, "Caf\xe9,en,report,https://example.org/cafe,,,,,,")
    if name.endswith(".jsonl"):
        text = '{"title": "Caf\xe9", "language": "en"}\n'
    path.write_bytes(text.encode("latin-1"))
    before = written()
    message, _err = _fails(path)
    position = text.encode("latin-1").index(b"\xe9") + 1
    assert f"is not UTF-8 text (byte {position} cannot be read)" in message
    assert "Nothing was imported" in message
    assert written() == before


@pytest.mark.parametrize(
    "name,content,expected",
    [
        ("empty.csv", "", "The file is empty"),
        ("empty.jsonl", "", "The file is empty"),
        ("blank.jsonl", "\n  \n\n", "The file is empty"),
        ("header-only.csv", HEADER + "\n", "The file has no rows to import"),
        ("blank-rows.csv", HEADER + "\n,,,,,,,,,\n\n", "The file has no rows to import"),
    ],
)
def test_an_empty_file_is_an_error_not_a_silent_success(libraries, tmp_path, name, content,
                                                         expected):  # fmt: skip
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    before = written()
    message, _err = _fails(path)
    assert expected in message and "Nothing was imported" in message
    assert written() == before
