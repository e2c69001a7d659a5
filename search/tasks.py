"""Indexing runs as django-tasks on the worker, never in a reader's request."""

from __future__ import annotations

from django_tasks import task

from .backends import get_backend
from .registry import adapters


def index_now(doc_type: str, object_id: str) -> str:
    """Write one object's document, or remove it when it should not be found (any more)."""
    adapter = adapters[doc_type]
    obj = adapter.model._default_manager.filter(pk=object_id).first()
    document = adapter.document(obj) if obj is not None else None
    backend = get_backend()
    if document is None:
        backend.delete([adapter.key(object_id)])
        return "deleted"
    backend.index([document])
    return "indexed"


@task()
def index_object(doc_type: str, object_id: str) -> str:
    return index_now(doc_type, object_id)


@task()
def index_objects(doc_type: str, object_ids: list[str]) -> int:
    """Re-index several objects of one type (a membership or hiding change affects many)."""
    for object_id in object_ids:
        index_now(doc_type, object_id)
    return len(object_ids)


@task()
def rebuild_index() -> int:
    """Everything again, after a bulk load (the demo) that skipped indexing item by item."""
    from .rebuilding import rebuild

    return rebuild()
