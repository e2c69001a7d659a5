"""Template tags of the resource library: lazily loaded WebP images with `srcset`, and resource
cards drawn once per process for as long as nothing they show changes.

A listing draws ten cards, a resource page four related ones, a country page and a chapter more:
through `{% include %}` each cost about as much as the rest of the page's template. A card shows
the same to every reader of a language (no per-reader state: no save button, no token), so its
HTML is kept in a `core.memo.ProcessMemo` keyed on every value it shows; an edit gives a new key.
The cover's renditions are keyed by the image's file and focal point: renditions made again
under new names are seen within `CARD_TTL`, as with Wagtail's own per-process rendition cache.
"""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from core.memo import ProcessMemo
from core.sanitize import clean_rich_text
from knowledge.embeds import find_offline_embed
from knowledge.images import webp_image as _webp_image

register = template.Library()

CARD_TTL = 300.0
_cards: ProcessMemo[str] = ProcessMemo("resource cards", ttl=CARD_TTL, max_entries=5000)
# The listing's facet column (a hundred links or more) is the same for every reader of a language
# with the same filters and counts: keyed on all of them, so a new count is a new entry.
_facets: ProcessMemo[str] = ProcessMemo("library facets", ttl=CARD_TTL, max_entries=2000)


def _card_key(card, heading: str) -> tuple:
    page = card.page
    image = page.cover_image
    cover = image and (
        image.pk,
        image.file.name,
        image.width,
        image.height,
        image.focal_point_x,
        image.focal_point_y,
        image.focal_point_width,
        image.focal_point_height,
    )
    return (
        get_language(),
        heading,
        card.url,
        card.language,
        card.language_code,
        card.type_label,
        tuple(card.topics),
        page.pk,
        page.title,
        page.publication_date,
        page.publisher,
        page.summary,
        cover,
    )


@register.simple_tag
def resource_card(card, heading: str = "h2") -> SafeString:
    """`{% resource_card card "h3" %}`: the card of a listing, from the memo when unchanged."""
    html = _cards.get(
        _card_key(card, heading),
        lambda: render_to_string(
            "knowledge/_resource_card.html", {"card": card, "heading": heading}
        ),
    )
    return mark_safe(html)  # noqa: S308 - rendered by the auto-escaping template above


@register.simple_tag
def webp_image(image, kind: str, alt: str = "") -> str:
    """`{% webp_image page.cover_image "cover" %}`: decorative unless `alt` is given."""
    return _webp_image(image, kind, alt)


@register.simple_tag
def offline_video(url: str):
    """The player address of a supported video (see `knowledge.embeds`), or None."""
    return find_offline_embed(str(url)) if url else None


@register.filter
def clean_richtext(value) -> SafeString:
    """`{{ value|clean_richtext }}`: Wagtail's `richtext`, then kept to harmless formatting
    (`core.sanitize.clean_rich_text`): bodies may come from imports or translations."""
    from wagtail.templatetags.wagtailcore_tags import richtext

    return mark_safe(clean_rich_text(str(richtext(value))))  # noqa: S308 - sanitised just now


@register.simple_tag
def library_facets(facets: list[dict]) -> SafeString:
    """`{% library_facets facets %}`: the listing's filter column, from the memo when unchanged."""
    key = (
        get_language(),
        tuple(
            (
                facet["name"],
                str(facet["title"]),
                facet["clear"],
                tuple(
                    (o["value"], o["label"], o["count"], o["selected"], o["query"])
                    for o in facet["options"]
                ),
            )
            for facet in facets
        ),
    )
    html = _facets.get(key, lambda: render_to_string("knowledge/_facets.html", {"facets": facets}))
    return mark_safe(html)  # noqa: S308 - rendered by the auto-escaping template above
