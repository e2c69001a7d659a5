"""Fixtures of the library tests: an empty library in each language and a resource maker."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest

from django.core.files.images import ImageFile
from django.db.models.signals import post_delete

from wagtail.images import get_image_model
from wagtail.models import Locale, Page

from core.models import Topic
from knowledge.models import LibraryPage, ResourcePage


def delete_pages_quietly(model) -> None:
    """Delete every page of `model` in one statement, without the per-page bookkeeping.

    Wagtail unpublishes each page before deleting it, and wagtail-localize, the reference index
    and the admin search clean up after each: for the demo's 150-odd resources that took ~4 s,
    before every test that wants an empty library. A test's setup needs none of it."""
    from modelsearch.signal_handlers import post_delete_signal_handler

    from wagtail.signal_handlers import disable_reference_index_auto_update
    from wagtail_localize.models import handle_translation_on_delete

    pages = Page.objects.filter(pk__in=model.objects.values("pk"))
    pages.update(live=False)  # not live: nothing to unpublish
    quiet = [(handle_translation_on_delete, sender) for sender in (Page, model)]
    quiet += [(post_delete_signal_handler, sender) for sender in (Page, model)]
    disconnected = [(h, s) for h, s in quiet if post_delete.disconnect(h, sender=s)]
    try:
        with disable_reference_index_auto_update():
            pages.delete()
    finally:
        for handler, sender in disconnected:
            post_delete.connect(handler, sender=sender)


@pytest.fixture
def libraries(db) -> dict[str, LibraryPage]:
    """The demo's libraries, emptied of the demo's resources, by language."""
    # One statement for the demo's 80-odd pages (treebeard keeps the tree consistent): deleting
    # them one by one took most of each test's time.
    delete_pages_quietly(ResourcePage)
    pages = LibraryPage.objects.select_related("locale")
    return {page.locale.language_code: page for page in pages}


def make_resource(
    library: LibraryPage,
    title: str,
    *,
    slug: str | None = None,
    kind: str = "report",
    countries: tuple[str, ...] = (),
    regions: tuple[str, ...] = (),
    topics: tuple[str, ...] = (),
    published: date | None = date(2024, 1, 1),
    publish: bool = True,
    **fields,
) -> ResourcePage:
    page = ResourcePage(
        title=title,
        slug=slug or title.lower().replace(" ", "-"),
        summary=f"Summary of {title}",
        resource_type=kind,
        countries=list(countries),
        regions=list(regions),
        publication_date=published,
        live=publish,  # as the admin creates a draft: never published
        **fields,
    )
    page.topics = list(Topic.objects.filter(slug__in=topics, locale__language_code="en"))
    library.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
    return ResourcePage.objects.get(pk=page.pk)


def translate(page: ResourcePage, language: str, title: str) -> ResourcePage:
    copy = page.copy_for_translation(Locale.objects.get(language_code=language))
    copy.title = title
    copy.save_revision().publish()
    return ResourcePage.objects.get(pk=copy.pk)


def make_image(title: str = "Cover", size: tuple[int, int] = (900, 500)):
    from PIL import Image as PILImage

    buffer = BytesIO()
    PILImage.new("RGB", size, (20, 90, 80)).save(buffer, "PNG")
    return get_image_model().objects.create(
        title=title, file=ImageFile(buffer, name=f"{title.lower()}.png")
    )
