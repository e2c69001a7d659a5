"""`{% reader_zone as mine %}`: the reader's own time zone in templates (see `members.zones`).

A fragment rendered once for many readers of the same zone (a memoised listing card) passes
`reader_zone` in its context instead of a request.
"""

from __future__ import annotations

from django import template

from ..zones import reader_zone_name

register = template.Library()


@register.simple_tag(takes_context=True)
def reader_zone(context: template.Context) -> str:
    """The zone given to the fragment, else the signed-in reader's profile zone, else ""."""
    if "reader_zone" in context:
        return context["reader_zone"]
    return reader_zone_name(context.get("request"))
