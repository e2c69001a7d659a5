"""Library resources as reportable content: the hooks `knowledge.declarations` declares into
`core.registries.reportable_models`, so the moderation app handles them without importing us.

- who may report one: whoever may read it now (a live page they pass the view restrictions
  of; a password-protected page is never reportable, since its password is per session);
- its author: the page's owner, who is the member for a proposal (`knowledge.submissions`);
- hide: the page is unpublished by the moderator (Wagtail's own unpublish, so every reader's
  path follows: the page, the library's listings, the home page, search, the API and the page
  cache all drop it on the signals they already hear), and a `ModeratedResource` row remembers
  why and which revision readers saw;
- delete: the same, marked withdrawn. An editor's page is never deleted from under Wagtail:
  it stays a draft in their tree, with its history saying who unpublished it, for the editors
  to fix, keep or delete; nothing else in the tree (translations, citing chapters) breaks;
- restore (a moderator, or a granted appeal): the remembered revision is published again.
An editor who publishes the page again decides for it: the moderation row goes
(`forget_on_publish`, connected in `knowledge.declarations`).
"""

from __future__ import annotations

from django.db import transaction
from django.template.loader import render_to_string

from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.models import PageViewRestriction

from .models import ResourcePage, ResourceType
from .moderation_models import ModeratedResource


def is_hidden(page: ResourcePage) -> bool:
    return ModeratedResource.objects.filter(page_id=page.pk).exists()


def can_view(user, page: ResourcePage) -> bool:
    """Whether `user` may read the page now, as Wagtail would let them."""
    if not page.live or is_hidden(page):
        return False
    for restriction in page.get_view_restrictions():
        kind = restriction.restriction_type
        if kind == PageViewRestriction.NONE:
            continue
        if kind == PageViewRestriction.LOGIN and user.is_authenticated:
            continue
        if (
            kind == PageViewRestriction.GROUPS
            and user.is_authenticated
            and (user.is_superuser or restriction.groups.filter(user=user).exists())
        ):
            continue
        return False
    return True


def author(page: ResourcePage):
    return page.owner


def url(page: ResourcePage) -> str | None:
    return page.url or None


@transaction.atomic
def hide(page: ResourcePage, moderator, *, withdrawn: bool = False) -> None:
    """Out of every reader's sight: unpublished by the moderator, the live revision kept."""
    page = ResourcePage.objects.select_for_update().get(pk=page.pk)
    row, created = ModeratedResource.objects.get_or_create(
        page=page,
        defaults={
            "revision_id": page.live_revision_id,
            "withdrawn": withdrawn,
            "moderator": moderator,
        },
    )
    if not created and withdrawn and not row.withdrawn:
        # Hidden first, deleted afterwards: the revision readers saw is still the one kept.
        row.withdrawn = True
        row.moderator = moderator
        row.save(update_fields=["withdrawn", "moderator"])
    if page.live:
        # The moderation permission is not Wagtail's publishing one: the moderator acts here
        # through the moderation app's own guard, and the page's history says who it was.
        UnpublishPageAction(page, user=moderator).execute(skip_permission_checks=True)


def withdraw(page: ResourcePage, moderator) -> None:
    """A moderator's "delete" of a resource: out of sight for good, the page left to editors."""
    hide(page, moderator, withdrawn=True)


@transaction.atomic
def restore(page: ResourcePage, moderator) -> None:
    """Back as readers saw it: the remembered revision published again."""
    row = ModeratedResource.objects.filter(page_id=page.pk).select_related("revision").first()
    revision = row.revision if row is not None and row.revision is not None else None
    if row is not None:
        row.delete()
    page = ResourcePage.objects.get(pk=page.pk)
    revision = revision or page.live_revision or page.latest_revision
    if revision is not None and not page.live:
        revision.publish(user=moderator, skip_permission_checks=True)


def forget_on_publish(sender, instance, **kwargs) -> None:
    """An editor published the page again: their decision, the moderators' row goes."""
    ModeratedResource.objects.filter(page_id=instance.pk).delete()


def show(request, page: ResourcePage) -> str:
    """The resource as a moderator sees it in the queue."""
    return render_to_string(
        "knowledge/_reported_resource.html",
        {
            "page": page,
            "type_label": ResourceType(page.resource_type).label
            if page.resource_type in ResourceType.values
            else page.resource_type,
            "language_code": page.locale.language_code,
            "url": url(page),
        },
        request,
    )
