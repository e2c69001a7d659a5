"""`{{ items|join_list }}`: a list of names (topics, countries, skills...) joined with the
separator of the reader's language, e.g. "Health, Youth" in English and "صحة، شباب" in Arabic.

The separator is one translatable string (context "list separator"), so every list on the site
follows the catalogues: Arabic uses its own comma "، ", French and Spanish keep ", ". Items are
escaped as Django's `join` escapes them; `join_list:"name"` joins an attribute of each item
(`{{ event.countries|join_list:"name" }}`). Load with `{% load list_tags %}`.
"""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.html import format_html_join
from django.utils.translation import pgettext

register = template.Library()


def list_separator() -> str:
    """The separator between the items of a list, in the active language."""
    # Translators: between the items of a list ("Health, Youth"); Arabic uses its own comma.
    return pgettext("list separator", ", ")


@register.filter(is_safe=True, needs_autoescape=True)
def join_list(value: Iterable[object], attribute: str = "", autoescape: bool = True) -> str:
    """`value`'s items (or each item's `attribute`) joined with `list_separator()`."""
    items = [getattr(item, attribute) if attribute else item for item in value]
    separator = list_separator()
    if not autoescape:
        return separator.join(str(item) for item in items)
    return format_html_join(separator, "{}", ((item,) for item in items))
