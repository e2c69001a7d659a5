"""Template tags of the resource library: lazily loaded WebP images with `srcset`."""

from __future__ import annotations

from django import template

from knowledge.embeds import find_offline_embed
from knowledge.images import webp_image as _webp_image

register = template.Library()


@register.simple_tag
def webp_image(image, kind: str, alt: str = "") -> str:
    """`{% webp_image page.cover_image "cover" %}`: decorative unless `alt` is given."""
    return _webp_image(image, kind, alt)


@register.simple_tag
def offline_video(url: str):
    """The player address of a supported video (see `knowledge.embeds`), or None."""
    return find_offline_embed(str(url)) if url else None
