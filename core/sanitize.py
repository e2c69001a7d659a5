"""HTML sanitising for anything members write: a small allow-list, links made safe.

Member-written rich text (posts, profiles, opportunity descriptions) goes through `clean_html`
before it is stored, so templates may mark it safe. Built on nh3 (the Rust ammonia sanitiser).
"""

from __future__ import annotations

import nh3

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "em", "h2", "h3", "h4", "i", "li", "ol",
    "p", "pre", "s", "strong", "sub", "sup", "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def clean_html(html: str) -> str:
    """Keep harmless formatting; drop scripts, styles, event handlers and unsafe links."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="nofollow noopener noreferrer ugc",
    )


def plain_text(html: str) -> str:
    """Text only, for e-mails, previews and search."""
    return nh3.clean(html, tags=set())
