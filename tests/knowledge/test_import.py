"""`manage.py import_resources`: what an editor importing a catalogue sees (the messages, the
summary, the exit status) and what readers then find in the library, against the real database.
"""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest

from django.core.management import CommandError, call_command

from wagtail.models import Page, PageLogEntry, Revision

from knowledge.models import ResourcePage

from .conftest import make_resource

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"


def run(path: Path, *options: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_resources", str(path), *options, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing(path: Path, *options: str) -> tuple[str, str]:
    err = StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("import_resources", str(path), *options, stdout=StringIO(), stderr=err)
    return str(failure.value), err.getvalue()


def write_jsonl(tmp_path: Path, rows: list[dict], name: str = "rows.jsonl") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(json.dumps(row, ensure_ascii=False) for row in rows) + "\n")
    return path


def row(number: int, **fields) -> dict:
    return {
        "title": f"Imported resource {number}",
        "language": "en",
        "resource_type": "report",
        "source_url": f"https://example.org/bulk/{number}",
        **fields,
    }


def titles(response) -> list[str]:
    return [card.page.title for card in response.context["cards"]]


def written() -> tuple[int, int, int]:
    return Page.objects.count(), Revision.objects.count(), PageLogEntry.objects.count()


# --- Good files ---------------------------------------------------------------------------------


def test_a_good_json_lines_file_publishes_resources_readers_find(client, libraries):
    out, err = run(DATA / "good.jsonl")

    assert out.strip() == "Created 3, updated 0, unchanged 0; skipped 0; warnings 1."
    toolkit = ResourcePage.objects.get(external_id="MIN-001")
    assert toolkit.live and not toolkit.has_unpublished_changes
    assert toolkit.live_revision_id == toolkit.latest_revision_id is not None
    assert toolkit.live_revision.as_object().title == "Remittance toolkit for ministries"
    assert sorted(c.code for c in toolkit.countries) == ["ML", "SN"]
    assert list(toolkit.topics.values_list("slug", flat=True)) == ["remittances"]
    assert toolkit.publisher == "Ministry of Diaspora <b>Affairs</b>"  # text, escaped on display
    assert str(toolkit.publication_date) == "2024-03-01"
    assert PageLogEntry.objects.filter(page=toolkit, action="wagtail.publish").exists()
    # The unknown topic is a warning for its row, which imports without it.
    assert "line 1, topics: “no-such-topic” is not a known topic" in err

    english = client.get("/en/library/")
    # Each resource once: the French translation is not listed beside its original.
    assert sorted(titles(english)) == [
        "Datos de la juventud de la diáspora",
        "Remittance toolkit for ministries",
    ]
    assert titles(client.get("/fr/library/?language=fr")) == [
        "Boîte à outils sur les transferts d'argent"
    ]
    assert titles(client.get("/en/library/?topic=remittances&country=ML")) == [
        "Remittance toolkit for ministries"
    ]


def test_an_imported_translation_is_linked_to_its_original(client, libraries):
    run(DATA / "good.jsonl")
    original = ResourcePage.objects.get(external_id="MIN-001")
    french = ResourcePage.objects.get(source_url="https://example.org/import/fr/remittance-toolkit")

    assert french.translation_key == original.translation_key
    assert french.locale.language_code == "fr"
    assert french.get_parent().pk == libraries["fr"].pk
    page = client.get(original.url).content.decode()
    assert f'href="{french.url}" lang="fr"' in page  # "also available in"


def test_body_html_is_shown_as_text_in_paragraphs(client, libraries):
    run(DATA / "good.jsonl")
    page = ResourcePage.objects.get(external_id="MIN-001")

    assert [block.block_type for block in page.body] == ["paragraph", "paragraph"]
    html = client.get(page.url).content.decode()
    assert "<script>alert" not in html
    assert "Fees are &lt;script&gt;alert('x')&lt;/script&gt; half the cost." in html
    assert "The exchange margin is the other half,<br>rarely shown." in html
    assert "Ministry of Diaspora &lt;b&gt;Affairs&lt;/b&gt;" in html


def test_a_csv_file_with_commas_quotes_and_newlines_in_cells(libraries):
    out, _err = run(DATA / "good.csv")

    assert out.strip() == "Created 2, updated 0, unchanged 0; skipped 0; warnings 0."
    bonds = ResourcePage.objects.get(source_url="https://example.org/import/bonds")
    assert bonds.title == "Diaspora bonds, explained"
    assert bonds.summary == 'A "plain" summary, with commas'
    assert [block.value.source for block in bonds.body] == [
        "<p>First paragraph, line one<br/>line two</p>",
        "<p>Second paragraph</p>",
    ]
    assert sorted(c.code for c in bonds.countries) == ["CO", "MX"]
    arabic = ResourcePage.objects.get(locale__language_code="ar")
    assert arabic.title == "شرح سندات المغتربين"
    assert arabic.translation_key == bonds.translation_key


def test_a_few_hundred_rows_make_a_sound_page_tree(
    client, libraries, tmp_path, django_capture_on_commit_callbacks
):
    rows = [row(n, language=("en", "fr", "es", "ar")[n % 4]) for n in range(240)]
    with django_capture_on_commit_callbacks(execute=True):  # the search index task among them
        out, _err = run(write_jsonl(tmp_path, rows))

    assert out.startswith("Created 240, updated 0")
    assert ResourcePage.objects.live().count() == 240
    # treebeard's own consistency check: paths, depths and child counts all agree.
    assert Page.find_problems() == ([], [], [], [], [])
    assert ResourcePage.objects.child_of(libraries["en"]).count() == 60
    assert client.get("/en/library/").context["page_obj"].paginator.count == 240
    assert ResourcePage.objects.search("Imported resource 7").count() > 0


def test_imported_pages_stay_editable_as_any_other(client, libraries):
    # A deleted child leaves a gap in the library's tree positions.
    make_resource(libraries["en"], "First")
    make_resource(libraries["en"], "Second").delete()
    make_resource(libraries["en"], "Third")
    run(DATA / "good.jsonl")
    page = ResourcePage.objects.get(external_id="MIN-001")
    page.summary = "Edited by an editor."
    page.save_revision().publish()
    make_resource(libraries["en"], "Made in the admin afterwards")

    assert Page.find_problems() == ([], [], [], [], [])
    assert "Edited by an editor." in client.get(page.url).content.decode()


# --- Re-runs ---------------------------------------------------------------------------------


def test_a_rerun_updates_by_identity_instead_of_duplicating(client, libraries, tmp_path):
    run(DATA / "good.jsonl")
    revisions = Revision.objects.count()

    out, _err = run(DATA / "good.jsonl")
    assert out.strip() == "Created 0, updated 0, unchanged 3; skipped 0; warnings 1."
    assert Revision.objects.count() == revisions  # nothing changed, nothing written

    rows = [json.loads(line) for line in (DATA / "good.jsonl").read_text().splitlines() if line]
    rows[0]["title"] = "Remittance toolkit, second edition"
    rows[2]["summary"] = "Now with a summary."
    out, _err = run(write_jsonl(tmp_path, rows))

    assert out.startswith("Created 0, updated 2, unchanged 1;")
    assert ResourcePage.objects.count() == 3
    toolkit = ResourcePage.objects.get(external_id="MIN-001")
    assert toolkit.title == "Remittance toolkit, second edition"
    assert toolkit.slug == "remittance-toolkit-for-ministries"  # addresses stay
    assert toolkit.live_revision.as_object().title == "Remittance toolkit, second edition"
    assert "Remittance toolkit, second edition" in titles(client.get("/en/library/"))


def test_a_source_url_identifies_a_resource_made_in_the_admin(libraries, tmp_path):
    made = make_resource(libraries["en"], "From the admin",
                         source_url="https://example.org/bulk/1")  # fmt: skip
    out, _err = run(write_jsonl(tmp_path, [row(1, title="From the import")]))

    assert out.startswith("Created 0, updated 1")
    made.refresh_from_db()
    assert made.title == "From the import"


def test_a_resource_cannot_change_language_by_import(libraries, tmp_path):
    make_resource(libraries["en"], "English", source_url="https://example.org/bulk/1")
    _message, err = run_failing(write_jsonl(tmp_path, [row(1, language="fr")]))

    assert "line 1, source_url: a resource with this identity exists in English" in err
    assert ResourcePage.objects.count() == 1


# --- Bad files -------------------------------------------------------------------------------


def test_a_file_with_errors_imports_nothing_and_lists_each_error(libraries):
    before = written()
    message, err = run_failing(DATA / "bad.jsonl")

    assert "9 rows have errors: nothing was imported" in message
    assert written() == before
    for expected in (
        "line 1: not valid JSON",
        "line 2: not a JSON object",
        "line 3, title: is required",
        "line 3, language: “xx” is not one of the site's languages (en, fr, es, ar)",
        "line 3, resource_type: “memo” is not a resource type",
        "line 3, source_url: must be an absolute http:// or https:// address",
        "line 4, published: 2023-02-30 is not a real date",
        "line 5, published: 2999-01-01 is after today",
        "line 6, countries: “ZZ” is not an ISO 3166-1 country code",
        "line 7, source_url: https://example.org/bad/1 was already given on line 4",
        "line 8, published: “01/02/2023” is not a date written YYYY-MM-DD",
        "line 9, source_url: is required",
    ):
        assert expected in err


def test_skip_invalid_imports_the_valid_rows_and_lists_the_rest(libraries):
    out, err = run(DATA / "mixed.csv", "--skip-invalid")

    assert out.strip() == "Created 2, updated 0, unchanged 0; skipped 1; warnings 0."
    assert "row 2, countries: “XX” is not an ISO 3166-1 country code" in err
    assert sorted(ResourcePage.objects.values_list("title", flat=True)) == ["Good one", "Good two"]


def test_a_mixed_file_without_skip_invalid_imports_nothing(libraries):
    message, _err = run_failing(DATA / "mixed.csv")
    assert "1 row has errors" in message
    assert ResourcePage.objects.count() == 0


def test_unknown_columns_are_a_warning_and_ignored(libraries, tmp_path):
    path = tmp_path / "extra.csv"
    path.write_text(
        "title,language,resource_type,source_url,colour\nA,en,news,https://e.org/a,red\n"
    )
    out, err = run(path)
    assert "row 1, colour: is not a field of a resource; it is ignored" in err
    assert out.strip() == "Created 1, updated 0, unchanged 0; skipped 0; warnings 1."


def test_a_dry_run_reports_and_writes_nothing(libraries):
    before = written()
    out, _err = run(DATA / "good.jsonl", "--dry-run")

    assert out.strip() == (
        "Dry run, nothing written: would create 3, update 0, leave 0 unchanged; "
        "skipped 0; warnings 1."
    )
    assert written() == before
    message, _err = run_failing(DATA / "bad.jsonl", "--dry-run")
    assert "nothing was imported" in message


def test_a_body_longer_than_100000_characters_is_refused(libraries, tmp_path):
    _message, err = run_failing(write_jsonl(tmp_path, [row(1, body="w" * 100_001)]))
    assert "line 1, body: is 100,001 characters long; at most 100,000 are allowed" in err


def test_list_fields_must_be_arrays_in_json_lines(libraries, tmp_path):
    _message, err = run_failing(write_jsonl(tmp_path, [row(1, countries="SN;ML")]))
    assert "line 1, countries: must be a JSON array" in err


def test_translation_links_that_cannot_hold_are_errors(libraries, tmp_path):
    rows = [
        row(1),
        row(2, language="fr", translation_of="https://example.org/bulk/1"),
        row(3, language="fr", translation_of="https://example.org/bulk/1"),
        row(4, translation_of="NOT-THERE"),
        row(5, language="es", translation_of="https://example.org/bulk/6"),
        row(6, language="ar", translation_of="https://example.org/bulk/5"),
    ]
    _message, err = run_failing(write_jsonl(tmp_path, rows))

    assert "line 3, translation_of: this resource already has a français version on line 2" in err
    assert "line 4, translation_of: no resource has this source_url or external_id" in err
    assert "line 5, translation_of: the translations form a loop" in err
    assert ResourcePage.objects.count() == 0


def test_a_translation_can_point_at_a_resource_already_on_the_site(libraries, tmp_path):
    original = make_resource(libraries["en"], "On the site", external_id="SITE-1")
    run(write_jsonl(tmp_path, [row(1, language="es", translation_of="SITE-1")]))

    spanish = ResourcePage.objects.get(locale__language_code="es")
    assert spanish.translation_key == original.translation_key
    assert spanish.slug == original.slug  # reached under the same address in every library


def test_an_unreadable_file_is_refused_whole(libraries, tmp_path):
    latin1 = tmp_path / "rows.csv"
    latin1.write_bytes("title,language,resource_type,source_url\nCaf\xe9,en,news,https://x.org\n"
                       .encode("latin-1"))  # fmt: skip
    message, _err = run_failing(latin1)
    assert "is not UTF-8 text" in message

    headless = tmp_path / "headless.csv"
    headless.write_text("title,language\nA,en\n")
    message, _err = run_failing(headless)
    assert "The header lacks the required columns: resource_type, source_url" in message
