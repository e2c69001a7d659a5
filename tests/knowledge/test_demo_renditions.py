"""The demo's images are resized when the demo loads: a newcomer's first look at the library
and at a resource with a cover finds every WebP rendition the templates ask for already made,
even when the worker (which a saved image only queues) has not run yet."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from wagtail.images import get_image_model

from core.registries import demo_loaders
from knowledge.images import ALL_SPECS, specs
from knowledge.models import ResourcePage

pytestmark = pytest.mark.django_db


def _covers():
    used = ResourcePage.objects.live().exclude(cover_image=None).values("cover_image")
    return get_image_model().objects.filter(pk__in=used)


def test_loading_the_demo_makes_every_rendition_the_templates_use(client, monkeypatch):
    from knowledge import tasks

    Rendition = get_image_model().get_rendition_model()
    covers = list(_covers())
    assert len(covers) >= 10  # the demo's library has covers to show
    # As on a fresh site: no rendition yet, and no worker to make the ones a save queues.
    Rendition.objects.filter(image__in=covers).delete()
    Rendition.cache_backend.clear()
    queued: list = []
    monkeypatch.setattr(tasks, "make_image_renditions", SimpleNamespace(enqueue=queued.append))
    (knowledge,) = [loader for loader in demo_loaders if loader.key == "knowledge"]
    knowledge.load(lambda item: None)

    # The listing's cards, a resource's cover and a body's figures each use a set of widths.
    assert {spec for kind in ("card", "cover", "figure") for spec in specs(kind)} == set(ALL_SPECS)
    for cover in covers:
        made = set(Rendition.objects.filter(image=cover).values_list("filter_spec", flat=True))
        assert made >= set(ALL_SPECS), (cover.title, made)

    before = Rendition.objects.count()
    covered = (
        ResourcePage.objects.live()
        .filter(cover_image__in=covers, locale__language_code="en")
        .first()
    )
    filters = f"?type={covered.resource_type}&year={covered.publication_date.year}"
    listing = client.get(f"/en/library/{filters}").content.decode()
    page = client.get(covered.url).content.decode()
    assert covered.title in listing and ".webp 640w" in listing
    assert ".webp 480w" in page and ".webp 960w" in page
    assert Rendition.objects.count() == before  # the reader's first hit made none
