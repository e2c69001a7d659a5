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

The restriction is read in the query that reads the attachments (`in_restricted_collection`),
so a page whose documents are all public costs no query more; the restrictions themselves are
read, in one query, only when a restricted document is attached and the reader has a session.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.functions import Length, Substr
from django.http import HttpRequest

from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction

from .models import ResourceAttachment

DOCUMENT_COLLECTION_PATH = "document__collection__path"


def in_restricted_collection(path: str = DOCUMENT_COLLECTION_PATH) -> Exists:
    """True for a row whose collection (its tree path is the outer field `path`), or one of its
    ancestors, has a view restriction (`Collection.get_view_restrictions`)."""
    return Exists(
        CollectionViewRestriction.objects.filter(
            collection__path=Substr(OuterRef(path), 1, Length("collection__path"))
        )
    )


def public_attachments(attachments: QuerySet[ResourceAttachment]) -> QuerySet[ResourceAttachment]:
    """The attachments whose documents every reader may download: none under a restricted
    collection."""
    return attachments.exclude(in_restricted_collection())


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


def _with_restriction(
    attachments: QuerySet[ResourceAttachment] | Iterable[ResourceAttachment],
) -> list[ResourceAttachment]:
    """The attachments, each with `restricted_collection` set, in one query."""
    if isinstance(attachments, QuerySet):
        return list(
            attachments.select_related("document__collection").annotate(
                restricted_collection=in_restricted_collection()
            )
        )
    # A preview's attachments, held in memory by modelcluster (no SQL of their own).
    rows = list(attachments)
    held = set(
        get_document_model()
        .objects.filter(pk__in=[row.document_id for row in rows])
        .filter(in_restricted_collection("collection__path"))
        .values_list("pk", flat=True)
    )
    for row in rows:
        row.restricted_collection = row.document_id in held
    return rows


def readable_attachments(
    attachments: QuerySet[ResourceAttachment] | Iterable[ResourceAttachment],
    request: HttpRequest | None,
) -> list[ResourceAttachment]:
    """The attachments (with their documents) whose download Wagtail would serve to `request`,
    in their order. `attachments` is a page's `attachments.all()`: a query, or the in-memory
    list of a preview."""
    rows = _with_restriction(attachments)
    if not any(row.restricted_collection for row in rows):
        return rows
    if not _may_have_passed(request):
        return [row for row in rows if not row.restricted_collection]
    paths = {row.document.collection.path for row in rows if row.restricted_collection}
    restrictions = list(
        CollectionViewRestriction.objects.filter(
            collection__path__in={above for path in paths for above in _ancestor_paths(path)}
        )
        .select_related("collection")
        .prefetch_related("groups")
    )
    accepted = {restriction.pk: restriction.accept_request(request) for restriction in restrictions}

    def may_download(row: ResourceAttachment) -> bool:
        path = row.document.collection.path
        return all(
            accepted[restriction.pk]
            for restriction in restrictions
            if path.startswith(restriction.collection.path)
        )

    return [row for row in rows if not row.restricted_collection or may_download(row)]
