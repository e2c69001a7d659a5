"""Signal handlers of the kernel: publishing content empties the page cache and says so live."""

from __future__ import annotations

import logging

from django.db.models.signals import post_delete

from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished

from .live import SITE_GROUP, publish
from .page_cache import invalidate_pages

logger = logging.getLogger(__name__)


def _content_changed(sender, instance, **kwargs) -> None:
    invalidate_pages()
    try:
        publish(
            SITE_GROUP,
            "site",
            {"event": "page_changed", "page": instance.pk, "url": instance.url or ""},
        )
    except Exception:  # the change is saved; a dropped live event must not undo it
        logger.exception("Could not announce the change of page %s", instance.pk)


page_published.connect(_content_changed, dispatch_uid="core_page_published")
page_unpublished.connect(_content_changed, dispatch_uid="core_page_unpublished")
post_delete.connect(
    lambda sender, instance, **kw: invalidate_pages() if isinstance(instance, Page) else None,
    dispatch_uid="core_page_deleted",
    weak=False,
)
