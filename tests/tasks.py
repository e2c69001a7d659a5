"""Tasks for tests that run a real worker process: one succeeds, one fails, one waits, one
indexes a document with the worker's embedder.

They live in an importable module because the worker is a separate process that imports a task
by its path, as it would any app's task.
"""

from __future__ import annotations

import time
from pathlib import Path

from django_tasks import task

from core.live import SITE_GROUP, publish


@task()
def succeed() -> str:
    return "done"


@task()
def fail() -> None:
    raise RuntimeError("This test task fails on purpose")


@task()
def announce_when(flag: str, marker: str, started: str = "") -> str:
    """Wait until the file `flag` exists, then announce `marker` on the site's live stream.

    `started`, when given, is a file created as the task starts: the test then knows the worker
    is running it, and can restart the database under it.
    """
    if started:
        Path(started).touch()
    while not Path(flag).exists():
        time.sleep(0.2)
    publish(SITE_GROUP, "site", {"event": marker})
    return marker


@task()
def index_with_the_workers_embedder(index_name: str, key: str, title: str) -> int:
    """Index one document into `index_name` with the embedder the worker is configured with
    (its model loads and runs in the worker process, as for the site's own documents)."""
    from search.backends import get_backend
    from search.documents import Document

    document = Document(key=key, doc_type="resource", object_id=key, language="en",
                        title=title, url=f"/{key}/")  # fmt: skip
    return get_backend("postgres").index([document], index_name)
