"""Creates the demo's pages already published, at a fraction of Wagtail's cost.

`copy_for_translation` copies a page through `copy_page` (a revision and log entries of its own),
and `save_revision().publish()` then checks workflows, updates aliases and runs every
`page_published` handler: half a second a page, two thirds of `load_demo`. A demo page is new,
has no alias, no workflow and no reader yet, so it is written once, live, with the one revision
and the "created" and "published" log entries an editor would see in its history; what the skipped
handlers did (the page cache, the chapters' citations, the covers' renditions) the loaders do
once at the end: in `finish`, and the renditions in `demo_library.make_demo_renditions`.
"""

from __future__ import annotations

import uuid

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F
from django.utils import timezone

from modelcluster.fields import ParentalManyToManyField
from wagtail.models import Locale, Page, PageLogEntry, Revision

# Fields a translation does not take from its original: its place in the tree, its history.
_NOT_COPIED = {
    "id", "page_ptr", "path", "depth", "numchild", "url_path", "locale", "latest_revision",
    "live_revision", "live", "has_unpublished_changes", "first_published_at",
    "last_published_at", "latest_revision_created_at", "draft_title", "locked", "locked_at",
    "locked_by", "owner", "alias_of", "content_type",
}  # fmt: skip


def create_live(parent: Page, page: Page) -> Page:
    """Add the unsaved `page` under `parent`, live, with one revision as Wagtail's publish would
    leave it (live and latest revision, first and last published now)."""
    now = timezone.now()
    page.live, page.has_unpublished_changes = True, False
    page.first_published_at = page.last_published_at = page.latest_revision_created_at = now
    page.draft_title = page.title
    # Placed after the parent's last child, as treebeard's add_child would, without its
    # validation (a dozen queries a page; the demo's slugs are unique among their siblings).
    parent = Page.objects.get(pk=parent.pk)
    last = parent.get_children().order_by("-path").values_list("path", flat=True).first()
    position = Page._str2int(last[-Page.steplen :]) + 1 if last else 1
    page.depth = parent.depth + 1
    page.path = Page._get_path(parent.path, page.depth, position)
    page.numchild = 0
    page.save(clean=False)
    Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + 1)
    revision = Revision.objects.create(
        content_type=ContentType.objects.get_for_model(page),
        base_content_type=ContentType.objects.get_for_model(Page),
        object_id=str(page.pk),
        created_at=now,
        object_str=page.title,
        content=page.serializable_data(),
    )
    Page.objects.filter(pk=page.pk).update(latest_revision=revision, live_revision=revision)
    page.latest_revision = page.live_revision = revision
    # Page.save logged "wagtail.create"; the publish entry is what an editor's publish adds.
    PageLogEntry.objects.create(
        content_type_id=page.content_type_id, label=page.get_admin_display_title(),
        action="wagtail.publish", data={}, timestamp=now, uuid=uuid.uuid4(), page_id=page.pk,
        revision=revision, content_changed=True,
    )  # fmt: skip
    return page


def create_translation(original: Page, locale: Locale, parent: Page | None = None,
                       **changes) -> Page:  # fmt: skip
    """A live copy of `original` in `locale` under its parent's translation (or `parent`), with
    `changes` applied: what `copy_for_translation` and a publish would make, in a few queries."""
    source = original.specific
    model = type(source)
    if parent is None:
        parent = source.get_parent().get_translation(locale)
    values: dict = {}
    for field in model._meta.get_fields():
        if field.auto_created or field.name in _NOT_COPIED or field.name in changes:
            continue
        if isinstance(field, models.OneToOneField) and field.remote_field.parent_link:
            continue
        if isinstance(field, ParentalManyToManyField):
            values[field.name] = list(getattr(source, field.name).all())
        elif field.many_to_many or not field.concrete:
            continue
        elif isinstance(field, models.ForeignKey):
            values[field.attname] = getattr(source, field.attname)
        else:
            values[field.name] = getattr(source, field.name)
    if parent.depth == 1 and "slug" not in changes:
        # Beside its original under the root, as Wagtail names such a translation.
        values["slug"] = f"{source.slug}-{locale.language_code}"
    page = model(**values, **changes, locale=locale)
    if hasattr(source, "tags") and "tags" not in changes:
        # Free tags (taggit through modelcluster), copied as Wagtail's copy_for_translation does.
        page.tags.add(*(tag.name for tag in source.tags.all()))
    return create_live(parent, page)


def finish(made: int) -> None:
    """What the skipped `page_published` handlers would have done, once, if pages were made:
    readers' cached pages and this process's memos of the home, library and policies are
    forgotten (the cache again when the transaction commits)."""
    if not made:
        return
    from core.page_cache import invalidate_pages
    from core.templatetags.site_tags import forget_language_links

    from .declarations import _forget_policies

    forget_language_links()
    invalidate_pages()
    _forget_policies()
