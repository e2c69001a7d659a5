"""The search benchmark's baseline (bench/search_baseline.py) really searches Wagtail's database
backend: its figures mean something only if Wagtail finds the documents, under the same access
rule as ours. No timings are asserted here; bench/search_bench.py prints them."""

from __future__ import annotations

import pytest

from bench.search_baseline import WagtailBaseline
from search.documents import MEMBERS, PUBLIC, Document


def _document(key: str, language: str, title: str, body: str, audience: str) -> Document:
    return Document(
        key=key,
        doc_type="resource",
        object_id=key,
        language=language,
        title=title,
        body=body,
        url=f"/{key}/",
        audiences=[audience],
    )


@pytest.fixture
def baseline(db):
    wagtail = WagtailBaseline()
    wagtail.index(
        [
            _document("bonds", "en", "Diaspora bonds", "Bonds fund roads and schools.", PUBLIC),
            _document("fees", "en", "Remittance fees", "What sending money home costs.", PUBLIC),
            _document("members-bonds", "en", "Bonds for members", "A members' note.", MEMBERS),
            _document("remesas", "es", "Remesas familiares", "El coste de las remesas.", PUBLIC),
        ]
    )
    yield wagtail
    wagtail.drop()


def test_wagtail_finds_the_matching_documents_a_reader_may_see(baseline):
    hits, facets = baseline.search("diaspora bonds", [PUBLIC])
    assert [hit.key for hit in hits] == ["bonds"]
    assert facets == {"en": 1}


def test_members_documents_reach_members_only(baseline):
    hits, facets = baseline.search("bonds", [PUBLIC, MEMBERS])
    assert {hit.key for hit in hits} == {"bonds", "members-bonds"}
    assert facets == {"en": 2}


def test_timings_are_one_figure_per_question(baseline):
    assert len(baseline.timings(["bonds", "remesas", "nothing like this"], [PUBLIC])) == 3
