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
from wagtail.images.models import AbstractImage

WIDTHS = {"card": (320, 640), "cover": (480, 960, 1440), "figure": (480, 960, 1440)}
SIZES = {
    "card": "(min-width: 48em) 10rem, 30vw",
    "cover": "(min-width: 60em) 48rem, 100vw",
    "figure": "(min-width: 60em) 48rem, 100vw",
}


def specs(kind: str) -> list[str]:
    return [f"width-{width}|format-webp" for width in WIDTHS[kind]]


ALL_SPECS = sorted({spec for kind in WIDTHS for spec in specs(kind)})


def make_renditions(image: AbstractImage) -> None:
    """Create every library rendition of `image` that does not exist yet."""
    image.get_renditions(*ALL_SPECS)


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
    renditions = image.get_renditions(*specs(kind))
    ordered = sorted(renditions.values(), key=lambda r: r.width)
    srcset = ", ".join(f"{r.url} {r.width}w" for r in ordered)
    first = ordered[0]
    return format_html(
        '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}" loading="lazy" '
        'decoding="async">',
        first.url, srcset, SIZES[kind], first.width, first.height, alt,
    )  # fmt: skip
