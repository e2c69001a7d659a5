"""From what a member types to what readers see: Markdown → HTML → nh3, mentions, language.

Markdown is rendered by markdown-it-py with raw HTML turned off (a member's `<script>` stays
text), then the result still goes through `core.sanitize.clean_html` (nh3), which keeps a small
allow-list and gives every link `rel="nofollow ... ugc"`. The stored `body_html` is therefore
safe to mark safe in templates.

Mentions are written `@Name#12` (the autocomplete inserts them; 12 is the member's profile
number): the name shows in bold, and `mentioned_profile_ids` gives the members to notify later.

A thread's language is guessed by `search.analysis.detect_language` and editable by its author.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

from core.sanitize import clean_html

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("strikethrough")
MENTION = re.compile(r"@([^\s@#\[\]()*_`][^@#\n\[\]()*_`]{0,79}?)#(\d{1,12})\b")


def render(source: str) -> str:
    """Safe HTML for a post's Markdown source."""
    text = MENTION.sub(lambda match: f"**@{match.group(1).strip()}**", source)
    return clean_html(_markdown.render(text))


def mentioned_profile_ids(source: str) -> list[int]:
    return sorted({int(match.group(2)) for match in MENTION.finditer(source)})
