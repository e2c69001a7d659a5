"""Rebuild the site index from every adapter, for `manage.py search_rebuild`: in PostgreSQL and,
when it serves, in Elasticsearch too (a new index behind its alias), so the fallback stays real."""

from __future__ import annotations

import logging
from collections.abc import Iterator

from .backends import (
    SITE_INDEX,
    Progress,
    SearchUnavailable,
    fallback_name,
    get_backend,
    writer_names,
)
from .documents import Document
from .registry import adapters

logger = logging.getLogger(__name__)


def all_documents(progress: Progress | None = None) -> Iterator[Document]:
    querysets = [(adapter, adapter.queryset()) for adapter in adapters.values()]
    total = sum(queryset.count() for _adapter, queryset in querysets)
    done = 0
    for adapter, queryset in querysets:
        for obj in queryset.iterator(chunk_size=200):
            done += 1
            if progress:
                progress(done, total)
            yield from adapter.documents(obj)


def rebuild(
    progress: Progress | None = None,
    failures: dict[str, str] | None = None,
    vector_progress: Progress | None = None,
) -> int:
    """Rebuild every engine that receives writes; returns PostgreSQL's count. A failing
    Elasticsearch (down, or already being rebuilt) is logged and put in `failures` (engine ->
    reason; its old index keeps serving) and does not stop PostgreSQL's. `progress` hears of
    the documents read, `vector_progress` of the vectors computed after them."""
    count = 0
    for name in writer_names():
        try:
            written = get_backend(name).rebuild(
                all_documents(progress), SITE_INDEX, progress=vector_progress
            )
        except SearchUnavailable as error:
            if name == fallback_name():
                raise
            logger.exception("Rebuilding the %r search index failed", name)
            if failures is not None:
                failures[name] = str(error)
            continue
        if name == fallback_name():
            count = written
    return count
