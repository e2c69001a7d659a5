"""Signals carry "this changed, re-index": a save or delete of a model an adapter declares
enqueues a task once the transaction commits (publish, unpublish and moderation hiding all save
the object). Apps with changes that affect other documents call `schedule` themselves.

Wagtail pages change in ways that save no page of theirs: a view restriction added to or
removed from a page (or an ancestor: the library restricts every resource in it), the groups a
"groups" restriction names (set after the restriction is saved, in the admin's `save_m2m`) or
a group deleted from under one change who may find it, and a move or an ancestor's slug change
changes its URL. Those re-index the page and its whole subtree on the worker
(`schedule_page_tree`). A change to the topic taxonomy finds every document's taxonomy terms
again (`refresh_taxonomy`). A member joining or leaving a group re-indexes nothing: the group is in
the reader's audiences (`search.access`), worked out at each query."""

from __future__ import annotations

from functools import partial

from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from wagtail.models import PageViewRestriction
from wagtail.signals import page_slug_changed, post_page_move

from core.bulk import after_bulk_load, is_bulk_loading
from core.models import Topic

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


def _restriction_groups_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if not reverse:  # restriction.groups.add / remove / set / clear
        if action in ("post_add", "post_remove", "post_clear"):
            _page_tree_changed(instance.page_id)
        return
    # From the group's side (group.pageviewrestriction_set...): `pk_set` names the
    # restrictions; a clear names none, so they are read before it removes the rows.
    if action in ("post_add", "post_remove"):
        restrictions = PageViewRestriction.objects.filter(pk__in=pk_set)
    elif action == "pre_clear":
        restrictions = PageViewRestriction.objects.filter(groups=instance)
    else:
        return
    for page_id in set(restrictions.values_list("page_id", flat=True)):
        _page_tree_changed(page_id)


def _group_deleted(sender, instance: Group, **kwargs) -> None:
    # Deleting a group deletes its rows in the restrictions' m2m table without m2m_changed.
    pages = PageViewRestriction.objects.filter(groups=instance).values_list("page_id", flat=True)
    for page_id in set(pages):
        _page_tree_changed(page_id)


def _page_moved(sender, instance, url_path_before=None, url_path_after=None, **kwargs) -> None:
    # A move within one parent (reordering) changes neither URLs nor restrictions.
    if url_path_before != url_path_after:
        _page_tree_changed(instance.pk)


def _slug_changed(sender, instance, **kwargs) -> None:
    # The page's own save re-indexed it; its descendants' URLs changed with it.
    _page_tree_changed(instance.pk)


def _enqueue_taxonomy_refresh() -> None:
    from .tasks import refresh_taxonomy

    refresh_taxonomy.enqueue()


def _taxonomy_changed(sender, instance, **kwargs) -> None:
    """A topic's labels and synonyms are what the taxonomy signal finds in documents: their
    terms are found again once the transaction commits, once however many topics it saves
    (a rolled-back transaction forgets its callbacks, and with them this one)."""
    if kwargs.get("raw"):
        return
    if is_bulk_loading():
        _changed_in_bulk.add("taxonomy")
        return
    if any(func is _enqueue_taxonomy_refresh for _sids, func, _robust in connection.run_on_commit):
        return
    transaction.on_commit(_enqueue_taxonomy_refresh)


post_save.connect(_taxonomy_changed, sender=Topic, dispatch_uid="search_topic_saved")
post_delete.connect(_taxonomy_changed, sender=Topic, dispatch_uid="search_topic_deleted")
post_save.connect(_restriction_changed, sender=PageViewRestriction, dispatch_uid="search_pvr")
post_delete.connect(_restriction_changed, sender=PageViewRestriction, dispatch_uid="search_pvr")
m2m_changed.connect(
    _restriction_groups_changed,
    sender=PageViewRestriction.groups.through,
    dispatch_uid="search_pvr_groups",
)
pre_delete.connect(_group_deleted, sender=Group, dispatch_uid="search_group_deleted")
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
