"""Word lists that hold members' content for review: `screen(text, language) -> matched terms`.

Content that matches is never dropped or rejected: the calling app keeps it, held for a
moderator (opportunities now; forums call the same function later). The lists are supplied by
the moderation app through `core.registries.screening_provider` (per language, editable by
moderators, cached there); the kernel only matches.

Matching is done on a normalised form of both text and terms, so the usual disguises do not
slip through:
- NFKC (fullwidth letters, ligatures, compatibility forms) and Unicode case folding (ß = ss);
- accents removed (é = e), zero-width and format characters removed;
- Cyrillic and Greek lookalikes of Latin letters mapped to Latin (а, е, о, р, с, х, ...);
- Arabic: diacritics (harakat) and tatweel removed, alef forms (أ إ آ ٱ) = ا, ة = ه, ى = ي,
  ؤ = و, ئ = ي, and the Persian ی ک typed for ي ك;
- runs of spaces and punctuation collapse to one space, and terms match on word boundaries.
A term is checked in the text's own language and, since members mix languages, in every list.
"""

from __future__ import annotations

import re
import unicodedata

from django.conf import settings

from .registries import screening_provider

_LOOKALIKES = str.maketrans(
    {
        # Cyrillic
        "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o",
        "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ј": "j",
        "ԁ": "d", "ӏ": "l", "ԛ": "q", "ԝ": "w",
        # Greek
        "α": "a", "β": "b", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
        "τ": "t", "υ": "u", "χ": "x",
        # Latin lookalikes that survive case folding
        "ı": "i", "ſ": "s",
        # Digits and signs used as letters are left alone: "0" for "o" would turn prices into words.
    }
)  # fmt: skip
_ARABIC = str.maketrans(
    {
        "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ؤ": "و", "ئ": "ي",
        "ی": "ي", "ک": "ك",  # Persian yeh and keheh, typed on Persian keyboards
        "ـ": None,  # tatweel
    }
)  # fmt: skip
# Arabic harakat, Quranic marks, superscript alef.
_ARABIC_MARKS = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_SEPARATORS = re.compile(r"[\W_]+", re.UNICODE)


def normalise(text: str) -> str:
    """The form text and terms are compared in (see the module docstring)."""
    text = unicodedata.normalize("NFKC", text or "")
    text = _ARABIC_MARKS.sub("", text).translate(_ARABIC)
    text = text.casefold()
    # Accents: decompose, drop combining marks (Arabic marks are already gone).
    text = "".join(
        char
        for char in unicodedata.normalize("NFD", text)
        if not unicodedata.combining(char) and unicodedata.category(char) != "Cf"
    )
    text = text.translate(_LOOKALIKES)
    return " ".join(_SEPARATORS.sub(" ", text).split())


def _languages(language: str) -> list[str]:
    codes = [code for code, _name in settings.LANGUAGES]
    return [language] + [code for code in codes if code != language]


def screen(text: str, language: str) -> list[str]:
    """The list terms found in `text` (as the moderators wrote them), its language's list first;
    empty when nothing matches."""
    haystack = f" {normalise(text)} "
    found: list[str] = []
    for code in _languages(language):
        for term in screening_provider.terms(code):
            needle = normalise(term)
            if needle and f" {needle} " in haystack and term not in found:
                found.append(term)
    return found
