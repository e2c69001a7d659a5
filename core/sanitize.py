"""HTML sanitising for anything members write: a small allow-list, links made safe.

Member-written rich text (posts, profiles, opportunity descriptions) goes through `clean_html`
before it is stored, so templates may mark it safe. Built on nh3 (the Rust ammonia sanitiser).
Descriptions typed in a plain textarea (events, opportunities, organisations) are stored with
`text_to_html` and shown again for editing with `editable_text`, so members edit the text they
typed, never the markup it is stored as.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import nh3

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "em", "h2", "h3", "h4", "i", "li", "ol",
    "p", "pre", "s", "strong", "sub", "sup", "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def _clean(html: str, link_rel: str | None) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel=link_rel,
    )


def clean_html(html: str) -> str:
    """Keep harmless formatting; drop scripts, styles, event handlers and unsafe links."""
    return _clean(html, "nofollow noopener noreferrer ugc")


def clean_rich_text(html: str) -> str:
    """Editors' rich text as Wagtail expanded it, kept to the same harmless formatting: a body
    stored by an import, the API or a translation never went through the editor's own filter,
    so a script or event handler in it is dropped when it is drawn. Links keep their target
    and gain no `rel` (editors' links are the site's own)."""
    return _clean(html, None)


def plain_text(html: str) -> str:
    """Text only, for e-mails, previews and search."""
    return nh3.clean(html, tags=set())


# --- Plain text as members type it, and back ---------------------------------------------------
#
# The site's forms offer a plain textarea: what a member types is text, never markup. It is
# stored as sanitised HTML (so pages, the API and e-mails read one format): a blank line starts a
# paragraph, a line break stays a line break, an http(s) address becomes a link, and every `<` or
# `&` typed is escaped, so nothing typed can ever become a tag. `editable_text` turns the stored
# HTML back into what was typed, for the edit form's textarea; rows written before this (plain
# text with its newlines, or HTML from the API or demo content) come back as close as plain text
# can say it, and `text_to_html(..., previous=)` keeps such a row unchanged when the member saves
# the text it was shown without touching it.

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
# An address as typed: up to the first space or angle bracket; trailing punctuation that ends a
# sentence is not part of it (a closing bracket is, when the address opened one).
_URL = re.compile(r"https?://[^\s<>\"]+", re.IGNORECASE)
_TRAILING = ".,;:!?'"
_TAG = re.compile(r"</?(?:[a-z][a-z0-9]*)(?:\s[^<>]*)?/?>", re.IGNORECASE)
_BLOCKS = {"p", "ul", "ol", "li", "h2", "h3", "h4", "blockquote", "pre", "div"}


def looks_like_html(value: str) -> bool:
    """Whether a stored value holds tags: sanitised text keeps every typed `<` escaped, so a tag
    there is markup (the site's own paragraphs, or HTML from the API or demo content), while a
    row stored before paragraphs were kept is escaped text with its newlines."""
    return bool(_TAG.search(value or ""))


def _split_url(candidate: str) -> tuple[str, str]:
    """The address and what follows it (a full stop, a comma, an unmatched bracket)."""
    end = len(candidate)
    while end and (
        candidate[end - 1] in _TRAILING
        or (candidate[end - 1] == ")" and candidate[:end].count("(") < candidate[:end].count(")"))
    ):
        end -= 1
    return candidate[:end], candidate[end:]


def _line_to_html(line: str) -> str:
    parts, position = [], 0
    for match in _URL.finditer(line):
        url, rest = _split_url(match.group())
        if "://" not in url or url.endswith("://"):
            continue
        parts.append(html.escape(line[position : match.start()], quote=False))
        parts.append(f'<a href="{html.escape(url)}">{html.escape(url, quote=False)}</a>')
        parts.append(html.escape(rest, quote=False))
        position = match.end()
    parts.append(html.escape(line[position:], quote=False))
    return "".join(parts)


def text_to_html(text: str, previous: str = "") -> str:
    """Sanitised HTML for plain text as typed: paragraphs, line breaks and links kept, anything
    else escaped. `previous` is the value stored before an edit: when `text` is exactly what the
    edit form showed of it (`editable_text(previous)`), it is kept as it was, so saving a form
    unchanged never changes a page, even one whose HTML plain text cannot say (a list, bold)."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    if previous and text.strip() == editable_text(previous).strip():
        return clean_html(previous)
    paragraphs = [block.strip("\n") for block in _PARAGRAPH_BREAK.split(text.strip("\n"))]
    # Newlines after each <br> and between paragraphs are the typed ones, kept in the source:
    # the plain text taken from it (search, e-mails, calendars) keeps its lines apart.
    built = "\n\n".join(
        "<p>" + "<br>\n".join(_line_to_html(line) for line in block.split("\n")) + "</p>"
        for block in paragraphs
        if block.strip()
    )
    return clean_html(built)


class _TextWriter(HTMLParser):
    """Collects the text of sanitised HTML with blank lines between blocks, line breaks, list
    items marked with "- " and each link as typed (its address, or "label (address)")."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.links: list[tuple[str, int]] = []  # (href, where its text starts in `current`)
        self.pre = 0

    def _end_block(self) -> None:
        text = "".join(self.current).strip("\n")
        if text.strip():
            self.blocks.append(text)
        self.current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.current.append("\n")
        elif tag in _BLOCKS:
            if tag == "li":
                if self.current and "".join(self.current).strip():
                    self.current.append("\n")
                self.current.append("- ")
                return
            if tag in ("ul", "ol") and not "".join(self.current).strip():
                self.current = []
            self._end_block()
            if tag == "pre":
                self.pre += 1
        elif tag == "a":
            self.links.append((dict(attrs).get("href") or "", len(self.current)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.links:
            href, start = self.links.pop()
            label = "".join(self.current[start:])
            if href and label.strip() != href:
                self.current.append(f" ({href})" if label.strip() else href)
        elif tag == "li":
            pass
        elif tag in _BLOCKS:
            if tag == "pre":
                self.pre = max(self.pre - 1, 0)
            self._end_block()

    def handle_data(self, data: str) -> None:
        if not self.pre:
            # In HTML a newline in the source is a space (typed line breaks are <br>), but the
            # one `text_to_html` writes after a <br> is that line break's own, and the
            # indentation of hand-written HTML between blocks is no one's typing.
            if data.startswith("\n") and self.current and self.current[-1] == "\n":
                data = data[1:]
            elif data.startswith("\n") and not "".join(self.current).strip():
                data = data.lstrip()
            data = data.replace("\n", " ")
        self.current.append(data)

    def text(self) -> str:
        self.close()
        self._end_block()
        return "\n\n".join(block.rstrip(" ") for block in self.blocks)


def editable_text(stored: str) -> str:
    """What to show in an edit form's textarea for a stored description: the plain text as the
    member typed it (`text_to_html` gives the same HTML back)."""
    stored = stored or ""
    if not looks_like_html(stored):
        # Written before paragraphs were kept: escaped text whose newlines are the member's own.
        return html.unescape(stored).replace("\r\n", "\n")
    writer = _TextWriter()
    writer.feed(stored)
    return writer.text()
