"""From what a member types to what readers see: Markdown → HTML → nh3, mentions, language.

Markdown is rendered by markdown-it-py with raw HTML turned off (a member's `<script>` stays
text), then the result still goes through `core.sanitize.clean_html` (nh3), which keeps a small
allow-list and gives every link `rel="nofollow ... ugc"`. The stored `body_html` is therefore
safe to mark safe in templates.

Mentions are written `@Name#12` (the autocomplete inserts them; 12 is the member's profile
number): the name shows in bold, and `mentioned_profile_ids` gives the members to notify later.

The language of a thread is guessed by script (Arabic) and then by the most frequent stop words
of English, French and Spanish: enough to label a forum post, and editable by its author.
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


_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_ARABIC = re.compile(r"[\u0600-\u06FF]")
STOP_WORDS = {
    "en": {"the", "and", "of", "to", "is", "in", "for", "with", "that", "this", "are", "on",
           "you", "have", "it", "we", "our", "how", "what", "be", "can", "does", "anyone"},
    "fr": {"le", "la", "les", "des", "est", "et", "une", "un", "pour", "dans", "que", "qui",
           "nous", "vous", "sur", "avec", "pas", "du", "au", "aux", "ce", "je", "comment"},
    "es": {"el", "la", "los", "las", "es", "y", "una", "un", "para", "en", "que", "del",
           "con", "por", "como", "nos", "se", "al", "pero", "hay", "su", "mi", "cómo"},
}  # fmt: skip


def detect_language(text: str, default: str = "en") -> str:
    """ "ar", "fr", "es" or "en" for a title and message; `default` when nothing decides."""
    letters = [c for c in text if c.isalpha()]
    if letters and sum(bool(_ARABIC.match(c)) for c in letters) / len(letters) > 0.3:
        return "ar"
    words = [w.lower() for w in _WORD.findall(text)]
    scores = {lang: sum(w in stops for w in words) for lang, stops in STOP_WORDS.items()}
    best = max(scores, key=lambda lang: scores[lang])
    return best if scores[best] > 0 else default
