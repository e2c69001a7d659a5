"""`{% library_feed_links %}`: the `<link rel="alternate">` tags of the library's feeds.

In a page's head, feed readers and browsers find the feeds in the reader's language: the whole
library's, and on a listing filtered by topic or country that topic's or country's as well.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html, format_html_join

from knowledge.feeds import feed_title, feed_url

register = template.Library()
TYPES = {"rss": "application/rss+xml", "atom": "application/atom+xml"}


def feed_choices(filters=None) -> list[dict]:
    """The feeds to offer beside a listing with these filters (a `library.Filters` or None)."""
    values = getattr(filters, "values", {}) or {}
    scopes = [("", "")]
    if values.get("topic"):
        scopes.append((values["topic"], ""))
    if values.get("country"):
        scopes.append(("", values["country"]))
    return [
        {"kind": kind, "type": TYPES[kind], "label": kind.upper(),
         "title": f"{feed_title(topic, country)} ({kind.upper()})",
         "url": feed_url(kind, topic, country)}
        for topic, country in scopes
        for kind in TYPES
    ]  # fmt: skip


@register.simple_tag
def library_feed_links(filters=None) -> str:
    return format_html_join(
        "\n",
        '<link rel="alternate" type="{}" title="{}" href="{}">',
        ((feed["type"], feed["title"], feed["url"]) for feed in feed_choices(filters)),
    ) or format_html("")


@register.simple_tag
def library_feeds(filters=None) -> list[dict]:
    """The same feeds, for visible links on the page."""
    return feed_choices(filters)
