"""Rebuild the site index from every adapter, for `manage.py search_rebuild`."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from .backends import SITE_INDEX, get_backend
from .documents import Document
from .registry import adapters


def all_documents(progress: Callable[[int, int], None] | None = None) -> Iterator[Document]:
    querysets = [(adapter, adapter.queryset()) for adapter in adapters.values()]
    total = sum(queryset.count() for _adapter, queryset in querysets)
    done = 0
    for adapter, queryset in querysets:
        for obj in queryset.iterator(chunk_size=200):
            done += 1
            if progress:
                progress(done, total)
            document = adapter.document(obj)
            if document is not None:
                yield document


def rebuild(progress: Callable[[int, int], None] | None = None) -> int:
    return get_backend().rebuild(all_documents(progress), SITE_INDEX)
