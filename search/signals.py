"""Signals carry "this changed, re-index": a save or delete of a model an adapter declares
enqueues a task once the transaction commits (publish, unpublish and moderation hiding all save
the object). Apps with changes that affect other documents call `schedule` themselves."""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from core.bulk import after_bulk_load, is_bulk_loading

from .registry import adapters


def schedule(doc_type: str, object_id) -> None:
    """Re-index one object after the current transaction commits, on the worker."""

    def enqueue() -> None:
        from .tasks import index_object

        index_object.enqueue(doc_type, str(object_id))

    transaction.on_commit(enqueue)


# Types saved or deleted during the current bulk load: its end rebuilds only if there are any
# (a `make demo` restart finds its demo in place, changes nothing, and rebuilds nothing).
_changed_in_bulk: set[str] = set()


def _changed(doc_type: str, sender, instance, **kwargs) -> None:
    if kwargs.get("raw"):
        return  # fixtures: rebuild afterwards
    if is_bulk_loading():
        _changed_in_bulk.add(doc_type)  # rebuilt once at the end of the load
        return
    schedule(doc_type, instance.pk)


_receivers: list = []


def connect_adapters() -> None:
    for doc_type, adapter in adapters.items():
        receiver = partial(_changed, doc_type)
        _receivers.append(receiver)  # signals keep weak references
        post_save.connect(receiver, sender=adapter.model, weak=False)
        post_delete.connect(receiver, sender=adapter.model, weak=False)


def _rebuild_after_bulk_load() -> None:
    from .tasks import rebuild_index

    if not _changed_in_bulk:
        return
    _changed_in_bulk.clear()
    transaction.on_commit(rebuild_index.enqueue)


after_bulk_load.register("search", _rebuild_after_bulk_load)
