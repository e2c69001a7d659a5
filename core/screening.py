"""Word lists that hold members' content for review: `screen(text, language) -> matched terms`.

Content that matches is never dropped or rejected: the calling app keeps it, held for a
moderator (opportunities now; forums call the same function later). The lists are supplied by
the moderation app through `core.registries.screening_provider` (per language, editable by
moderators, cached there); the kernel only matches.

Matching is done on a normalised form of both text and terms, so the usual disguises do not
slip through:
- NFKC (fullwidth letters, ligatures, compatibility forms) and Unicode case folding (ß = ss);
- accents and every other combining or enclosing mark removed (é = e; variation selectors and
  the grapheme joiner too), zero-width and format characters removed, and the characters that
  show as nothing (Hangul fillers, the braille blank) removed rather than read as a space;
- Cyrillic, Greek and Armenian lookalikes of Latin letters, and Latin small capitals, mapped to
  Latin (а, е, о, р, с, х, օ, ս, ᴠ, ɪ, ...);
- a word spelled out letter by letter ("v i s a", "v.i.s.a") is also read as one word, and a
  term also matches with its words run together ("guaranteedvisa", or the whole phrase
  spelled out);
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
        "һ": "h", "ԍ": "g", "ѡ": "w", "ү": "y", "ҽ": "e", "ԃ": "d",
        # Greek
        "ϲ": "c", "ϳ": "j",
        # Armenian
        "օ": "o", "ս": "u", "ո": "n", "հ": "h", "ց": "g", "զ": "q",
        # Latin lookalikes that survive case folding, and small capitals (no NFKC mapping)
        "ı": "i", "ſ": "s", "ɑ": "a", "ɡ": "g", "ɩ": "i", "ɪ": "i", "ʟ": "l", "ɴ": "n",
        "ʀ": "r", "ʏ": "y", "ʜ": "h", "ɢ": "g", "ʙ": "b", "ᴀ": "a", "ᴄ": "c", "ᴅ": "d",
        "ᴇ": "e", "ꜰ": "f", "ᴊ": "j", "ᴋ": "k", "ᴍ": "m", "ᴏ": "o", "ᴘ": "p", "ꜱ": "s",
        "ᴛ": "t", "ᴜ": "u", "ᴠ": "v", "ᴡ": "w", "ᴢ": "z",
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
# Characters that show nothing yet are letters or symbols to Unicode, so neither the format
# characters' removal nor the separators catch them: Hangul fillers, the braille blank.
_INVISIBLE = dict.fromkeys(map(ord, "\u115f\u1160\u3164\uffa0\u2800"))
# Marks removed wherever they come (after NFD): combining marks, including those of class 0
# that `unicodedata.combining` misses (variation selectors, the combining grapheme joiner,
# Mongolian free variation selectors), enclosing marks and format characters (zero width).
_DROPPED_CATEGORIES = frozenset({"Mn", "Me", "Cf"})
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
        for char in unicodedata.normalize("NFD", text).translate(_INVISIBLE)
        if unicodedata.category(char) not in _DROPPED_CATEGORIES
    )
    text = text.translate(_LOOKALIKES)
    return " ".join(_SEPARATORS.sub(" ", text).split())


def _joined_letters(normalised: str) -> str:
    """The text with words spelled out letter by letter ("v i s a", "v.i.s.a" once
    normalised) written as one word, so a term cannot be slipped through by spacing it out."""
    words: list[str] = []
    letters: list[str] = []
    for word in normalised.split(" "):
        if len(word) == 1:
            letters.append(word)
            continue
        if letters:
            words.append("".join(letters))
            letters = []
        words.append(word)
    if letters:
        words.append("".join(letters))
    return " ".join(words)


def _languages(language: str) -> list[str]:
    codes = [code for code, _name in settings.LANGUAGES]
    return [language] + [code for code in codes if code != language]


def screen(text: str, language: str) -> list[str]:
    """The list terms found in `text` (as the moderators wrote them), its language's list first;
    empty when nothing matches."""
    normalised = normalise(text)
    haystacks = (f" {normalised} ", f" {_joined_letters(normalised)} ")
    found: list[str] = []
    for code in _languages(language):
        for term in screening_provider.terms(code):
            words = normalise(term)
            if not words or term in found:
                continue
            # As written, or run together (a whole phrase spelled out letter by letter).
            needles = (f" {words} ", f" {words.replace(' ', '')} ")
            if any(needle in haystack for needle in needles for haystack in haystacks):
                found.append(term)
    return found
