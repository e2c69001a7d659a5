"""Language analysis shared by indexing and querying: which PostgreSQL text-search
configuration each language uses, Arabic normalisation, and query tokenising.

Arabic is written with interchangeable spellings (alef with or without hamza, ta marbuta or ha,
alef maqsura or ya), optional vowel marks and tatweel stretching; the same fold is applied to a
document before indexing and to a query before analysis, so "الإستثمار" finds "الاستثمار".

What members write declares no language; `detect_language` names it with py3langid (a
well-kept n-gram model that ships inside its wheel), limited to the site's languages.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections.abc import Iterator

from django.conf import settings

TEXT_SEARCH_CONFIGS = {"en": "english", "fr": "french", "es": "spanish", "ar": "arabic"}
FALLBACK_CONFIG = "simple"
MAX_QUERY_CHARS = 200
MAX_QUERY_TOKENS = 12

_ARABIC_FOLDS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"})
_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_TOKEN = re.compile(r"\w+", re.UNICODE)
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def normalise_arabic(text: str) -> str:
    """Fold Arabic spelling variants and drop vowel marks and tatweel; other scripts unchanged."""
    if not any("\u0600" <= char <= "\u06ff" for char in text):
        return text
    return _ARABIC_MARKS.sub("", unicodedata.normalize("NFC", text)).translate(_ARABIC_FOLDS)


def enabled_languages() -> list[str]:
    return [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES]


def primary_language(code: str | None) -> str:
    return (code or "en").split("-")[0].lower()


def clean_query(text: str) -> str:
    """A bounded query: at most MAX_QUERY_CHARS characters, Arabic folded, control characters
    (a NUL byte, which PostgreSQL refuses in text, made the search page fail) and runs of
    spaces made one space."""
    return " ".join(_CONTROL.sub(" ", normalise_arabic(text or "")[:MAX_QUERY_CHARS]).split())


def query_tokens(text: str) -> list[str]:
    """Word tokens of a query (no operators: users never write tsquery or regex syntax)."""
    return _TOKEN.findall(text.casefold())[:MAX_QUERY_TOKENS]


# Below this share of the probability, a text is too short or too mixed to name its language,
# and the caller's default (the author's or the site's language) is the better guess.
DETECTION_CONFIDENCE = 0.6
DETECTION_SAMPLE_CHARS = 2000


@functools.cache
def _language_identifier():
    """py3langid's model restricted to the site's languages: it then only chooses among those,
    and its probabilities are shared out between them. Loaded once per process (~0.6 s)."""
    from py3langid.langid import _load_identifier

    languages = sorted({primary_language(code) for code in enabled_languages()})
    return _load_identifier(norm_probs=True, langs=languages)


def detect_language(text: str, default: str = "en") -> str:
    """The site language member-written text is in (a forum thread, an organisation's
    description, an opportunity), for what declares none; `default` when the text is too short
    or too mixed to tell ("Ghana Diaspora Affairs")."""
    sample = " ".join(text[:DETECTION_SAMPLE_CHARS].split())
    if not _TOKEN.search(sample):
        return default
    language, probability = _language_identifier().classify(sample)
    return language if probability >= DETECTION_CONFIDENCE else default


def taxonomy_terms(text: str, max_concepts: int = 4) -> list[tuple[str, str]]:
    """The query expansion both engines use: (language, term) for every label and synonym, in
    every language, of the `core` topics the query names, Arabic folded; terms the query
    already contains are left out (the keyword signal finds those)."""
    from core.topics import normalise_term, topics_in_text

    asked = f" {normalise_term(text)} "
    return [
        (language, folded)
        for concept in topics_in_text(text)[:max_concepts]
        for language, term, folded in _concept_terms(concept)
        if f" {normalise_term(term)} " not in asked
    ]


def _concept_terms(concept) -> Iterator[tuple[str, str, str]]:
    """(language, term, term Arabic-folded) for each label and synonym of a `core` concept."""
    for language, label in concept.labels.items():
        for term in label.terms:
            yield primary_language(language), term, normalise_arabic(term)


def taxonomy_lexeme(language: str, term: str) -> str:
    """The stand-in word for one taxonomy term (a label or synonym in one language) in an
    index of the terms each document contains (the PostgreSQL backend's `taxonomy_vector`):
    stable while the term is, whatever else the taxonomy gains or loses."""
    digest = hashlib.blake2s(f"{primary_language(language)}:{term}".encode(), digest_size=6)
    return f"tx{digest.hexdigest()}"


def all_taxonomy_terms() -> list[tuple[str, str]]:
    """(language, term) for every label and synonym of the `core` taxonomy, Arabic folded, as
    `taxonomy_terms` names them; each once."""
    from core.topics import all_concepts

    terms = (
        (language, folded)
        for concept in all_concepts()
        for language, _term, folded in _concept_terms(concept)
    )
    return list(dict.fromkeys(terms))
