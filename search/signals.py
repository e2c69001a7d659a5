"""Signals carry "this changed, re-index": a save or delete of a model an adapter declares
enqueues a task once the transaction commits (publish, unpublish and moderation hiding all save
the object). Apps with changes that affect other documents call `schedule` themselves.

Wagtail pages change in ways that save no page of theirs: a view restriction added to or
removed from a page (or an ancestor: the library restricts every resource in it) changes who may
find it, and a move or an ancestor's slug change changes its URL. Those re-index the page and
its whole subtree on the worker (`schedule_page_tree`)."""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from wagtail.models import PageViewRestriction
from wagtail.signals import page_slug_changed, post_page_move

from core.bulk import after_bulk_load, is_bulk_loading

from .registry import adapters


def schedule(doc_type: str, object_id) -> None:
    """Re-index one object after the current transaction commits, on the worker."""

    def enqueue() -> None:
        from .tasks import index_object

        index_object.enqueue(doc_type, str(object_id))

    transaction.on_commit(enqueue)


def schedule_page_tree(page_id) -> None:
    """Re-index a Wagtail page and its descendants after the current transaction commits."""

    def enqueue() -> None:
        from .tasks import index_page_tree

        index_page_tree.enqueue(str(page_id))

    transaction.on_commit(enqueue)


def _page_tree_changed(page_id) -> None:
    if is_bulk_loading():
        _changed_in_bulk.add("pages")  # the load's closing rebuild covers every page
        return
    schedule_page_tree(page_id)


def _restriction_changed(sender, instance: PageViewRestriction, **kwargs) -> None:
    if kwargs.get("raw"):
        return
    _page_tree_changed(instance.page_id)


def _page_moved(sender, instance, url_path_before=None, url_path_after=None, **kwargs) -> None:
    # A move within one parent (reordering) changes neither URLs nor restrictions.
    if url_path_before != url_path_after:
        _page_tree_changed(instance.pk)


def _slug_changed(sender, instance, **kwargs) -> None:
    # The page's own save re-indexed it; its descendants' URLs changed with it.
    _page_tree_changed(instance.pk)


post_save.connect(_restriction_changed, sender=PageViewRestriction, dispatch_uid="search_pvr")
post_delete.connect(_restriction_changed, sender=PageViewRestriction, dispatch_uid="search_pvr")
post_page_move.connect(_page_moved, dispatch_uid="search_page_moved")
page_slug_changed.connect(_slug_changed, dispatch_uid="search_slug_changed")


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
