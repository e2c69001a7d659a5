"""Indexing runs as django-tasks on the worker, never in a reader's request.

Every write goes to each engine in `writer_names()`: PostgreSQL first (the fallback must stay
current), then Elasticsearch when it serves. A failing Elasticsearch never breaks a save or the
PostgreSQL write: the failure is logged and `retry_index` tries that engine again later, with a
growing delay, reading the object afresh each time. The saved searches' alerts run here too.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django_tasks import task

from django.utils import timezone

from .backends import SearchUnavailable, fallback_name, get_backend, writer_names
from .documents import Document
from .registry import SearchAdapter, adapters

logger = logging.getLogger(__name__)

RETRY_ATTEMPTS = 6
RETRY_FIRST_DELAY = timedelta(seconds=30)


def _current(doc_type: str, object_id: str) -> tuple[SearchAdapter, list[Document]]:
    adapter = adapters[doc_type]
    obj = adapter.model._default_manager.filter(pk=object_id).first()
    return adapter, adapter.documents(obj) if obj is not None else []


def _write(name: str, adapter: SearchAdapter, object_id: str, documents: list[Document]) -> None:
    """Write the object's documents and remove those of its keys it no longer has."""
    backend = get_backend(name)
    written = {document.key for document in documents}
    gone = [key for key in adapter.keys(object_id) if key not in written]
    if gone:
        backend.delete(gone)
    if documents:
        backend.index(documents)


def schedule_retry(name: str, doc_type: str, object_id: str, attempt: int) -> bool:
    """Try writing to engine `name` again later; False when it is not retried."""
    if attempt > RETRY_ATTEMPTS:
        logger.error(
            "Search engine %r still fails for %s:%s after %d attempts; run "
            "`manage.py search_rebuild` once it is back.",
            name, doc_type, object_id, RETRY_ATTEMPTS,
        )  # fmt: skip
        return False
    if not retry_index.get_backend().supports_defer:
        logger.error("Search engine %r failed for %s:%s; this task queue cannot retry later.",
                     name, doc_type, object_id)  # fmt: skip
        return False
    delay = RETRY_FIRST_DELAY * 2 ** (attempt - 1)
    retry_index.using(run_after=timezone.now() + delay).enqueue(
        name, doc_type, str(object_id), attempt
    )
    return True


def index_now(doc_type: str, object_id: str) -> str:
    """Write one object's document, or remove it when it should not be found (any more)."""
    adapter, documents = _current(doc_type, object_id)
    for name in writer_names():
        try:
            _write(name, adapter, object_id, documents)
        except SearchUnavailable:
            if name == fallback_name():
                raise
            logger.warning("Search engine %r failed for %s:%s; retrying later", name,
                           doc_type, object_id, exc_info=True)  # fmt: skip
            schedule_retry(name, doc_type, object_id, 1)
    return "indexed" if documents else "deleted"


@task()
def index_object(doc_type: str, object_id: str) -> str:
    return index_now(doc_type, object_id)


@task()
def retry_index(backend_name: str, doc_type: str, object_id: str, attempt: int) -> str:
    """Another attempt at one engine's write, with the object as it is now."""
    adapter, documents = _current(doc_type, object_id)
    try:
        _write(backend_name, adapter, object_id, documents)
    except SearchUnavailable:
        schedule_retry(backend_name, doc_type, object_id, attempt + 1)
        return "failed"
    return "indexed" if documents else "deleted"


@task()
def index_objects(doc_type: str, object_ids: list[str]) -> int:
    """Re-index several objects of one type (a membership or hiding change affects many)."""
    for object_id in object_ids:
        index_now(doc_type, object_id)
    return len(object_ids)


def page_doc_types() -> dict[int, str]:
    """The content type id of each Wagtail page model an adapter declares, to its doc type."""
    from django.contrib.contenttypes.models import ContentType

    from wagtail.models import Page

    return {
        ContentType.objects.get_for_model(adapter.model).pk: doc_type
        for doc_type, adapter in adapters.items()
        if issubclass(adapter.model, Page)
    }


@task()
def index_page_tree(page_id: str) -> int:
    """Re-index a Wagtail page and every indexed page below it, as the tree is now: a view
    restriction on a page covers its descendants, and a move or slug change alters their URLs.
    Its aliases and theirs too: an alias is restricted as its original is
    (`knowledge.routing.view_restrictions`, as Wagtail's `get_view_restrictions`)."""
    from django.db.models import Q

    from wagtail.models import Page

    page = Page.objects.filter(pk=page_id).only("path").first()
    if page is None:
        return 0
    doc_types = page_doc_types()
    roots = [page.path, *Page.objects.filter(alias_of_id=page.pk).values_list("path", flat=True)]
    under = Q()
    for root in roots:
        under |= Q(path__startswith=root)
    rows = Page.objects.filter(under, content_type_id__in=doc_types)
    count = 0
    for pk, content_type_id in rows.values_list("pk", "content_type_id").order_by("path"):
        index_now(doc_types[content_type_id], str(pk))
        count += 1
    return count


@task()
def refresh_taxonomy() -> int:
    """A topic's labels or synonyms changed: every engine that keeps each document's taxonomy
    terms finds them again (PostgreSQL's `taxonomy_vector`). Returns how many changed."""
    return sum(get_backend(name).refresh_taxonomy() for name in writer_names())


@task()
def fill_vectors() -> int:
    """The periodic catch-up (`search.declarations`): vectors for documents the site index
    holds without them, when a rebuild's filling was cut short (its worker stopped) or they
    were indexed while no embedder was configured. Returns how many got theirs."""
    return sum(get_backend(name).fill_vectors() for name in writer_names())


@task()
def rebuild_index() -> int:
    """Everything again, after a bulk load (the demo) that skipped indexing item by item."""
    from .rebuilding import rebuild

    return rebuild()


@task()
def send_saved_search_alerts() -> int:
    """The hourly alerts of saved site searches (`search.alerts`)."""
    from .alerts import send_alerts

    return send_alerts()
