"""What a member types in a description textarea, and how to read it back from the pages they
see: the edit form's textarea as a browser fills it, and the description as the page shows it.

Shared by the events, opportunities and organisations tests of the edit forms (issue 7/11): what
was typed must come back as typed, whatever it holds (paragraphs, line breaks, links, accents,
Arabic, a `<` or `&` meant as text, a script tag meant as text).
"""

from __future__ import annotations

import re
from html import unescape

TYPED = (
    "Bienvenue à Dakar — café & échanges.\n"
    "Second line: 3 < 5 and <script>alert(1)</script> stays text.\n"
    "\n"
    "مرحبا بكم في الورشة\n"
    "\n"
    "Programme: https://example.org/agenda?day=1&lang=fr."
)


def textarea_value(page: str, name: str) -> str:
    """The text a browser puts in the textarea `name` of this page (it drops one newline right
    after the opening tag, and decodes the characters the page escaped)."""
    found = re.search(rf'<textarea[^>]*\bname="{name}"[^>]*>(.*?)</textarea>', page, re.DOTALL)
    assert found, f"no textarea {name!r} on the page"
    # Text in another script than the page's runs in its own direction (Arabic in an English
    # page, English in an Arabic one): without it the full stop lands on the wrong side.
    assert 'dir="auto"' in found.group(0).split(">", 1)[0], f"textarea {name!r} has no dir=auto"
    value = found.group(1)
    for newline in ("\r\n", "\n"):
        if value.startswith(newline):
            value = value[len(newline) :]
            break
    return unescape(value).replace("\r\n", "\n")


def description_section(page: str) -> str:
    """The description as the page renders it (its HTML)."""
    found = re.search(
        r'(?s)<section class="bio"[^>]*aria-label="Description">(.*?)</section>', page
    )
    assert found, "no description on the page"
    return found.group(1)


def assert_shown_as_typed(rendered: str) -> None:
    """The description page shows TYPED's paragraphs, line breaks and link, and its markup as
    text: no tag typed by the member reaches the page."""
    assert "<script>" not in rendered
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered
    assert "3 &lt; 5" in rendered and "café &amp; échanges." in rendered
    assert rendered.count("<p>") == 3 and "<br>" in rendered
    assert "<p>مرحبا بكم في الورشة</p>" in rendered
    assert '<a href="https://example.org/agenda?day=1&amp;lang=fr"' in rendered
