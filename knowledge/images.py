"""Images of the library: WebP renditions at a few widths, made before any reader asks.

Each place an image appears (a listing card, a resource's cover, a figure in its text) has a set
of widths; `webp_image` writes an `<img>` with `srcset`, `sizes`, width and height (no layout
shift) and `loading="lazy"`. The renditions are made when an image is saved (in the worker) and
again, synchronously and only for what is missing, when a resource using it is published: a
reader's first view never waits for an image to be resized, and never writes to the database.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Prefetch, QuerySet
from django.utils.html import format_html

from wagtail.images import get_image_model
from wagtail.images.models import AbstractImage, AbstractRendition, Filter

WIDTHS = {"card": (320, 640), "cover": (480, 960, 1440), "figure": (480, 960, 1440)}
SIZES = {
    "card": "(min-width: 48em) 10rem, 30vw",
    "cover": "(min-width: 60em) 48rem, 100vw",
    "figure": "(min-width: 60em) 48rem, 100vw",
}


def specs(kind: str) -> list[str]:
    return [f"width-{width}|format-webp" for width in WIDTHS[kind]]


ALL_SPECS = sorted({spec for kind in WIDTHS for spec in specs(kind)})
# One Filter per spec for the process: a new Filter parses its spec and reads Wagtail's operation
# hooks again on each use (~0.3 ms per card image, most of a listing's image cost).
_FILTERS = {kind: tuple(Filter(spec=spec) for spec in specs(kind)) for kind in WIDTHS}


def _one_by_one(image: AbstractImage, filters: Iterable[Filter]) -> list[AbstractRendition]:
    """The renditions of `filters`, each found or made with its own statement.

    Wagtail's `get_renditions` inserts the missing ones with one multi-row INSERT whose rows come
    in the order its resizing threads finish: two readers making the same renditions at once
    locked them in different orders and PostgreSQL killed one as a deadlock (a 500 on the
    bench's first concurrent views of a chapter with figures). One rendition per statement
    (`get_rendition`: get_or_create, which takes a clash in its stride) cannot deadlock."""
    return [image.get_rendition(spec) for spec in filters]


def make_renditions(image: AbstractImage) -> None:
    """Create every library rendition of `image` that does not exist yet."""
    _one_by_one(image, ALL_SPECS)


def make_renditions_for(images: Iterable[AbstractImage | None]) -> None:
    for image in images:
        if image is not None:
            make_renditions(image)


def with_renditions(pages: QuerySet, kind: str) -> QuerySet:
    """`pages` with their cover image's renditions of `kind` fetched in one query."""
    renditions = get_image_model().get_rendition_model().objects.filter(filter_spec__in=specs(kind))
    return pages.prefetch_related(Prefetch("cover_image__renditions", queryset=renditions))


def webp_image(image: AbstractImage | None, kind: str, alt: str = "") -> str:
    """An `<img>` of `image` in WebP at the widths of `kind`, lazily loaded."""
    if image is None:
        return ""
    ordered = sorted(_renditions(image, kind), key=lambda r: r.width)
    srcset = ", ".join(f"{r.url} {r.width}w" for r in ordered)
    first = ordered[0]
    return format_html(
        '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}" loading="lazy" '
        'decoding="async">',
        first.url, srcset, SIZES[kind], first.width, first.height, alt,
    )  # fmt: skip


def _renditions(image: AbstractImage, kind: str) -> list[AbstractRendition]:
    """The renditions of `kind`: from those fetched with the page (`with_renditions`), else
    from the renditions cache, when they are all there; otherwise from Wagtail, which finds or
    makes what is missing.

    Wagtail's own `get_renditions` (8.0) writes every rendition it found in the cache back to
    it, each pickled with its image, on every call: for a resource's cover that was about a
    tenth of a signed-in reader's view. What is read here is never written back."""
    filters = _FILTERS[kind]
    if not image.is_svg():
        prefetched = getattr(image, "_prefetched_objects_cache", {}).get("renditions")
        if prefetched is not None:
            by_key = {(r.filter_spec, r.focal_point_key): r for r in prefetched}
            found = [by_key.get((f.spec, f.get_cache_key(image))) for f in filters]
        else:
            rendition_model = image.get_rendition_model()
            keys = [
                rendition_model.construct_cache_key(image, f.get_cache_key(image), f.spec)
                for f in filters
            ]
            cached = rendition_model.cache_backend.get_many(keys)
            found = [cached.get(key) for key in keys]
            for rendition in found:
                if rendition is not None:
                    rendition.image = image  # as Wagtail does: the reader's image instance
        if all(found):
            return found
    return _one_by_one(image, filters)
