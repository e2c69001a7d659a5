"""The moderators' word lists, supplied to `core.screening` (see `declarations.py`).

Read on every screened post, so kept in the shared cache (every process sees an edit at once:
saving a list clears it) and only read from the database when the cache is cold.
"""

from __future__ import annotations

from django.core.cache import cache

from .models import WordList

CACHE_KEY = "moderation:wordlists:v1"
CACHE_SECONDS = 3600


def _all() -> dict[str, list[str]]:
    lists = cache.get(CACHE_KEY)
    if lists is None:
        lists = {item.language: item.term_list for item in WordList.objects.all()}
        cache.set(CACHE_KEY, lists, CACHE_SECONDS)
    return lists


def terms(language: str) -> list[str]:
    """The terms of one language's list."""
    return _all().get(language, [])


def clear() -> None:
    cache.delete(CACHE_KEY)
