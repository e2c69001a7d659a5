"""A PostgreSQL rebuild and the index writes made while it runs: writers of that index wait for
it to commit (then apply their change to the new rows), so a delete made meanwhile is not lost
under the rebuild's fresh copy of the document; writers of other indexes do not wait. Its
documents are found by their words as soon as it commits; those whose vectors were never
computed are embedded after, a batch per transaction."""

from __future__ import annotations

import threading
import uuid

import psycopg
import pytest

from django.db import OperationalError, connection

from search.backends import get_backend
from search.documents import Document
from tests.search.test_ranking import TinyEmbedder


def doc(key: str) -> Document:
    return Document(key=key, doc_type="resource", object_id=key, language="en",
                    title=f"Mentoring {key}", url=f"/{key}/")  # fmt: skip


def test_index_writers_wait_for_a_postgres_rebuild_of_their_index_only(db):
    backend = get_backend("postgres")
    backend.drop("waits")
    backend.index([doc("gone")], "waits")
    outcomes: dict[str, str] = {}

    def writer(index_name: str) -> None:
        """Another worker process deleting a document (its own connection)."""
        try:
            with connection.cursor() as cursor:
                cursor.execute("SET lock_timeout = '300ms'")
            backend.delete(["gone"], index_name)
            outcomes[index_name] = "written"
        except OperationalError as error:
            outcomes[index_name] = type(error.__cause__).__name__
        finally:
            connection.close()

    def documents():
        yield doc("gone")  # read before the worker's delete
        for index_name in ("waits", "elsewhere"):
            thread = threading.Thread(target=writer, args=(index_name,))
            thread.start()
            thread.join()
        yield doc("kept")

    assert backend.rebuild(documents(), "waits") == 2
    # The delete waited for the rebuild (here: gave up after its lock timeout) instead of
    # running beside it and missing the rebuild's new copy; another index was not held up.
    assert outcomes == {"waits": "LockNotAvailable", "elsewhere": "written"}
    backend.drop("waits")


def pending_gin_pages() -> dict[str, int]:
    """Per GIN index of the search table, the pages its pending list held (now merged)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, gin_clean_pending_list(c.oid) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam "
            "WHERE i.indrelid = 'search_searchdocument'::regclass AND a.amname = 'gin'"
        )
        return dict(cursor.fetchall())


def test_a_rebuilt_index_leaves_nothing_in_the_gin_pending_lists(db):
    """New rows wait in a GIN index's pending list, which every search scans whole, until
    autovacuum merges them: a rebuild merges them itself, so a fresh index is as fast as a
    settled one (and the lexeme statistics are read again)."""
    backend = get_backend("postgres")
    index = "rebuild-settles"
    try:
        backend.rebuild([doc(f"settled-{n}") for n in range(300)], index)
        left = pending_gin_pages()
        assert "search_document_fts" in left
        assert set(left.values()) == {0}, left
    finally:
        backend.drop(index)


class WatchedEmbedder(TinyEmbedder):
    """The stand-in model; each time it embeds passages, a reader on a connection of its own
    notes which documents of the index it finds by their words and which have vectors."""

    reader_url = ""
    index = ""
    seen: list[dict[str, bool]] = []

    def passages(self, texts):
        with psycopg.connect(self.reader_url, autocommit=True) as reader:
            rows = reader.execute(
                "SELECT key, embedding IS NOT NULL FROM search_searchdocument "
                "WHERE index_name = %s AND search_vector @@ plainto_tsquery('english', %s)",
                [self.index, "mentoring"],
            ).fetchall()
            if not WatchedEmbedder.seen:  # meanwhile, another worker re-indexes "b" anew
                reader.execute(
                    "UPDATE search_searchdocument SET title = 'Mentoring b, revised', "
                    "content_hash = 'revised' WHERE index_name = %s AND key = 'b'",
                    [self.index],
                )
        WatchedEmbedder.seen.append(dict(rows))
        return super().passages(texts)


def test_a_rebuild_is_found_by_its_words_before_its_new_vectors_are_computed(
    committed_db, test_database_url, settings
):
    from search.models import EmbeddingCache

    backend = get_backend("postgres")
    if not backend.has_vectors:
        pytest.skip("this database has no pgvector: nothing is embedded")
    settings.SEARCH_EMBEDDER = f"{__name__}.WatchedEmbedder"
    run = uuid.uuid4().hex[:8]  # texts never embedded before: nothing of them is cached
    WatchedEmbedder.reader_url, WatchedEmbedder.index, WatchedEmbedder.seen = (
        test_database_url, f"rebuild-words-first-{run}", [])  # fmt: skip
    index = WatchedEmbedder.index
    documents = [
        Document(key=key, doc_type="resource", object_id=key, language="en", url=f"/{key}/",
                 title=f"Mentoring {key} {run}", body=f"Mentors meet {key} each month. " * 30)
        for key in "abc"
    ]  # fmt: skip
    cached_before = set(EmbeddingCache.objects.values_list("id", flat=True))
    heard: list[tuple[int, int]] = []
    try:
        assert backend.rebuild(documents, index, progress=lambda *step: heard.append(step)) == 3
        assert heard == [(3, 3)]  # the vectors' progress: one batch of the three
        # The reader found all three by their words while the first vectors were computed,
        # none of them with vectors yet: the text had committed, the embedding came after.
        assert WatchedEmbedder.seen[0] == {"a": False, "b": False, "c": False}
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT key, embedding IS NOT NULL, passages IS NOT NULL "
                "FROM search_searchdocument WHERE index_name = %s ORDER BY key",
                [index],
            )
            rows = cursor.fetchall()
        # "b", written anew meanwhile, does not get the vectors of the text it no longer has.
        assert rows == [("a", True, True), ("b", False, False), ("c", True, True)]
        assert set(pending_gin_pages().values()) == {0}  # settled again after the vectors

        # Rebuilt again, the same documents keep their vectors throughout: nothing to embed.
        embedded = len(WatchedEmbedder.seen)
        assert backend.rebuild(documents, index, progress=lambda *step: heard.append(step)) == 3
        assert len(WatchedEmbedder.seen) == embedded
        assert heard == [(3, 3)]  # nothing left without vectors: no step to report
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM search_searchdocument "
                "WHERE index_name = %s AND embedding IS NOT NULL",
                [index],
            )
            assert cursor.fetchone()[0] == 3
    finally:
        backend.drop(index)
        EmbeddingCache.objects.exclude(id__in=cached_before).delete()


def test_the_periodic_catch_up_embeds_what_was_indexed_without_vectors(db, settings):
    """Documents written while no embedder was configured, or left behind by a rebuild whose
    worker stopped before it filled in their vectors, get them from the periodic job, which
    finds them by the partial index of rows without vectors."""
    from core.registries import periodic_jobs
    from search.tasks import fill_vectors

    backend = get_backend("postgres")
    if not backend.has_vectors:
        pytest.skip("this database has no pgvector: nothing is embedded")
    assert periodic_jobs["search_fill_vectors"].task_path == "search.tasks.fill_vectors"
    settings.SEARCH_EMBEDDER = ""
    backend.index([doc("late-a"), doc("late-b")])  # the site index
    settings.SEARCH_EMBEDDER = "tests.search.test_ranking.TinyEmbedder"
    with connection.cursor() as cursor:
        # The plan follows the statistics: taken now, not whenever autovacuum last came by
        # (a template database just built had none of its rows counted, and the planner
        # walked the primary key instead).
        cursor.execute("ANALYZE search_searchdocument")
        cursor.execute(
            "EXPLAIN SELECT id FROM search_searchdocument WHERE index_name = 'site' "
            "AND embedding IS NULL AND id > 0 ORDER BY id LIMIT 64"
        )
        assert "search_document_unembedded" in " ".join(row[0] for row in cursor.fetchall())
    assert fill_vectors.enqueue().return_value >= 2  # run at once by the tests' task queue
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT key, embedding IS NOT NULL AND passages IS NOT NULL "
            "FROM search_searchdocument WHERE index_name = 'site' AND key LIKE 'late-%%'"
        )
        assert dict(cursor.fetchall()) == {"late-a": True, "late-b": True}
    assert fill_vectors.enqueue().return_value == 0  # nothing left to do
