"""Which documents attached to resources a reader may see listed: one rule for the resource
page and the open-data API.

Wagtail's document view refuses a document whose collection, or one of its ancestors, has a
view restriction (members only, password, groups) to a request that the restriction does not
accept (`CollectionViewRestriction.accept_request`, asked by Wagtail's `before_serve_document`
hook). Listing such a document would still give away its title and address, so it is listed
only where its download would be served: the API, shared by every client, and a resource page
kept by the anonymous page cache (a request without a session) list none of them; a resource
page rendered for a request with a session (a signed-in member, or a visitor who gave a
collection's password) lists those whose every restriction accepts that request.

The restriction is read in the statement that reads the attachments (`attachment_rows`, raw
SQL: the same test written with the ORM's Exists / Substr cost the API's page of 50 resources
5,600 Python calls more, a third of its request), so a page whose documents are all public
costs no query more; the restrictions themselves are read, in one query, only when a restricted
document is attached and the reader has a session.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet
from django.http import HttpRequest

from wagtail.documents import get_document_model
from wagtail.documents.models import AbstractDocument
from wagtail.models import Collection, CollectionViewRestriction

from core.sql_arrays import int_array

from .models import ResourceAttachment

# A document whose collection, or one of its ancestors, has a view restriction
# (`Collection.get_view_restrictions`: an ancestor's tree path is a prefix of its own).
_RESTRICTED = """EXISTS (
    SELECT 1 FROM {restriction} r JOIN {collection} rc ON rc.id = r.collection_id
    WHERE dc.path LIKE rc.path || '%%'
)"""
_BY_PAGE_SQL = """
    SELECT a.page_id, a.label, d.id, d.title, d.file, d.file_size, dc.path, {restricted}
    FROM {attachment} a JOIN {document} d ON d.id = a.document_id
    JOIN {collection} dc ON dc.id = d.collection_id
    WHERE a.page_id = ANY(%s::bigint[])
    ORDER BY a.sort_order, a.id
"""
_BY_DOCUMENT_SQL = """
    SELECT d.id, d.title, d.file, d.file_size, dc.path, {restricted}
    FROM {document} d JOIN {collection} dc ON dc.id = d.collection_id
    WHERE d.id = ANY(%s::bigint[])
"""


@dataclass
class Listed:
    """An attached document as a page or the API lists it: its label, the document (id, title,
    file and size: what its address, name and size need) and whether a restricted collection
    holds it."""

    label: str
    document: AbstractDocument
    collection_path: str
    restricted_collection: bool


@cache  # the models' tables never change within a process
def _statement(sql: str) -> str:
    tables = {
        "attachment": ResourceAttachment._meta.db_table,
        "collection": Collection._meta.db_table,
        "document": get_document_model()._meta.db_table,
        "restriction": CollectionViewRestriction._meta.db_table,
    }
    return sql.format(restricted=_RESTRICTED.format(**tables), **tables)


def attachment_rows(page_ids: Iterable[int]) -> dict[int, list[Listed]]:
    """{page id: its attachments, in order, each saying whether its collection is restricted},
    in one statement."""
    found: dict[int, list[Listed]] = {}
    document_model = get_document_model()
    with connection.cursor() as cursor:
        cursor.execute(_statement(_BY_PAGE_SQL), [int_array(page_ids)])
        for page_id, label, doc_id, title, file, size, path, restricted in cursor.fetchall():
            document = document_model(id=doc_id, title=title, file=file, file_size=size)
            found.setdefault(page_id, []).append(Listed(label, document, path, restricted))
    return found


def public_attachments(page_ids: Iterable[int]) -> dict[int, list[Listed]]:
    """{page id: the attachments whose documents every reader may download}: none under a
    restricted collection (the API's answer is one for every client)."""
    return {
        page_id: public
        for page_id, rows in attachment_rows(page_ids).items()
        if (public := [row for row in rows if not row.restricted_collection])
    }


def _held_in_memory(attachments: Iterable[ResourceAttachment]) -> list[Listed]:
    """A preview's attachments (held in memory by modelcluster), read like `attachment_rows`."""
    rows = list(attachments)
    documents: dict[int, tuple] = {}
    document_model = get_document_model()
    with connection.cursor() as cursor:
        cursor.execute(_statement(_BY_DOCUMENT_SQL), [int_array(row.document_id for row in rows)])
        for doc_id, title, file, size, path, restricted in cursor.fetchall():
            document = document_model(id=doc_id, title=title, file=file, file_size=size)
            documents[doc_id] = (document, path, restricted)
    return [
        Listed(row.label, *documents[row.document_id])
        for row in rows
        if row.document_id in documents
    ]


def _may_have_passed(request: HttpRequest | None) -> bool:
    """The request could satisfy some collection restriction: it is signed in, or carries a
    session (where Wagtail keeps the passwords given). Without one it is any anonymous reader,
    whose page the page cache may keep for the next."""
    if request is None:
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return True
    return settings.SESSION_COOKIE_NAME in request.COOKIES


def _ancestor_paths(path: str) -> list[str]:
    step = Collection.steplen
    return [path[:end] for end in range(step, len(path) + 1, step)]


def readable_attachments(page, request: HttpRequest | None) -> list[Listed]:
    """The page's attachments whose download Wagtail would serve to `request`, in their order:
    those in the table, or a preview's, held in memory."""
    held = page.attachments.all()
    if isinstance(held, QuerySet):
        rows = attachment_rows([page.pk]).get(page.pk, [])
    else:
        rows = _held_in_memory(held)
    if not any(row.restricted_collection for row in rows):
        return rows
    if not _may_have_passed(request):
        return [row for row in rows if not row.restricted_collection]
    paths = {row.collection_path for row in rows if row.restricted_collection}
    restrictions = list(
        CollectionViewRestriction.objects.filter(
            collection__path__in={above for path in paths for above in _ancestor_paths(path)}
        )
        .select_related("collection")
        .prefetch_related("groups")
    )
    accepted = {restriction.pk: restriction.accept_request(request) for restriction in restrictions}

    def may_download(row: Listed) -> bool:
        path = row.collection_path
        return all(
            accepted[restriction.pk]
            for restriction in restrictions
            if path.startswith(restriction.collection.path)
        )

    return [row for row in rows if not row.restricted_collection or may_download(row)]
