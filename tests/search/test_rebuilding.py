"""A PostgreSQL rebuild and the index writes made while it runs: writers of that index wait for
it to commit (then apply their change to the new rows), so a delete made meanwhile is not lost
under the rebuild's fresh copy of the document; writers of other indexes do not wait."""

from __future__ import annotations

import threading

from django.db import OperationalError, connection

from search.backends import get_backend
from search.documents import Document


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


def test_a_rebuilt_index_leaves_nothing_in_the_gin_pending_lists(db):
    """New rows wait in a GIN index's pending list, which every search scans whole, until
    autovacuum merges them: a rebuild merges them itself, so a fresh index is as fast as a
    settled one (and the lexeme statistics are read again)."""
    backend = get_backend("postgres")
    index = "rebuild-settles"
    try:
        backend.rebuild([doc(f"settled-{n}") for n in range(300)], index)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT c.relname, gin_clean_pending_list(c.oid) FROM pg_index i "
                "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam "
                "WHERE i.indrelid = 'search_searchdocument'::regclass AND a.amname = 'gin'"
            )
            left = dict(cursor.fetchall())
        assert "search_document_fts" in left
        assert set(left.values()) == {0}, left
    finally:
        backend.drop(index)
