"""The backend interface and the one place that picks the engine from settings.

A backend indexes `Document`s into a named index ("site" for the site, throwaway names for the
evaluation command), deletes them, answers `SearchQuery`s and rebuilds an index. Apps never call
an engine: they declare adapters (`search.registry`) and the tasks feed the backend.

With Elasticsearch configured (`ELASTICSEARCH_URL`) it serves the searches, but every index write
also goes to PostgreSQL (`writer_names`), so that when the cluster is down `search` answers from
PostgreSQL with a notice instead of failing.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.module_loading import import_string
from django.utils.translation import gettext

from ..documents import Document, Results, SearchQuery, Suggestion

SITE_INDEX = "site"
# Titles offered while a reader types, and the fewest letters typed before any is.
SUGGESTIONS = 6
SUGGEST_MIN_CHARS = 3

logger = logging.getLogger(__name__)


class SearchUnavailable(Exception):
    """An engine could not answer or store (a cluster down or refusing): the caller falls back
    to PostgreSQL for reading, and retries writing later."""


# What a long step calls as it goes: (done, total).
Progress = Callable[[int, int], None]


class SearchBackend(ABC):
    name = "base"

    @abstractmethod
    def index(self, documents: Iterable[Document], index_name: str = SITE_INDEX) -> int:
        """Add or replace documents (by key); returns how many were written."""

    @abstractmethod
    def delete(self, keys: Iterable[str], index_name: str = SITE_INDEX) -> int:
        """Remove documents by key; unknown keys are ignored."""

    @abstractmethod
    def search(self, query: SearchQuery, index_name: str = SITE_INDEX) -> Results:
        """Ranked, access-filtered, faceted, highlighted, paged results."""

    @abstractmethod
    def suggest(
        self, query: SearchQuery, index_name: str = SITE_INDEX, limit: int = SUGGESTIONS
    ) -> list[Suggestion]:
        """Titles for a reader still typing `query.text`: each word as typed, the last maybe
        unfinished, a letter or two maybe wrong; best first, one per translation group (the
        reader's language where that version matched too), under the same access filter as
        `search`. Words only, no embedding: it answers at every pause in typing."""

    @abstractmethod
    def rebuild(
        self,
        documents: Iterable[Document],
        index_name: str = SITE_INDEX,
        progress: Progress | None = None,
    ) -> int:
        """Replace the whole index with these documents. `progress(done, total)` hears of the
        work an engine does after it has read them all (PostgreSQL's vectors), if any."""

    @abstractmethod
    def drop(self, index_name: str) -> None:
        """Remove an index and everything in it (throwaway indexes)."""

    def keys(self, index_name: str = SITE_INDEX) -> set[str]:
        raise NotImplementedError

    def refresh_taxonomy(self) -> int:
        """After the topic taxonomy changed: update what the engine keeps of it per document
        (nothing by default: an engine that matches the terms when asked keeps none)."""
        return 0

    def fill_vectors(self, index_name: str = SITE_INDEX) -> int:
        """Give their vectors to the documents written without them; returns how many got
        theirs (none by default: an engine that embeds as it writes leaves none behind)."""
        return 0

    @property
    def has_vectors(self) -> bool:
        return False


def too_short_to_suggest(tokens: list[str]) -> bool:
    """Nothing is suggested before a word of SUGGEST_MIN_CHARS letters is typed: one or two
    letters are in most titles, and would make the engine compare them all."""
    return not tokens or max(len(token) for token in tokens) < SUGGEST_MIN_CHARS


SuggestionRow = tuple[str, str, str, str, str, str, str]


def one_per_group(
    rows: Iterable[SuggestionRow],
    limit: int,
    reader: str,
    in_reader_language: Callable[[list[str]], Iterable[SuggestionRow]],
) -> list[Suggestion]:
    """At most `limit` suggestions from rows (key, doc_type, object_id, title, language, url,
    group), best first: the first row of each translation group, shown by its version in the
    `reader`'s language when `in_reader_language(groups)` (the engine's rows of that language
    in those groups, under the same access filter) has one."""
    chosen: dict[str, SuggestionRow] = {}
    for row in rows:
        if row[6] not in chosen:
            chosen[row[6]] = row
            if len(chosen) == limit:
                break
    elsewhere = [group for group, row in chosen.items() if row[4] != reader]
    versions: dict[str, SuggestionRow] = {}
    for row in in_reader_language(elsewhere) if elsewhere else ():
        versions.setdefault(row[6], row)
    suggestions = []
    for group, matched in chosen.items():
        key, doc_type, object_id, title, language, url, _group = versions.get(group, matched)
        suggestions.append(Suggestion(key, doc_type, object_id, title, language, url, matched[4]))
    return suggestions


_backends: dict[str, SearchBackend] = {}


def get_backend(name: str | None = None) -> SearchBackend:
    """The backend named in `SEARCH_BACKENDS` (default: `SEARCH_BACKEND`)."""
    name = name or settings.SEARCH_BACKEND
    if name not in _backends:
        _backends[name] = import_string(settings.SEARCH_BACKENDS[name])()
    return _backends[name]


@receiver(setting_changed)
def _forget_backends(setting: str, **kwargs) -> None:
    """Tests that point search at another engine get new backend objects."""
    if setting.startswith(("SEARCH_BACKEND", "ELASTICSEARCH_")):
        _backends.clear()


def fallback_name() -> str:
    """The engine that always holds a current index: the site's own PostgreSQL."""
    return getattr(settings, "SEARCH_FALLBACK_BACKEND", "postgres")


def writer_names() -> list[str]:
    """Where index writes go: PostgreSQL first, then the engine that serves, if another."""
    names = [fallback_name()]
    if settings.SEARCH_BACKEND not in names:
        names.append(settings.SEARCH_BACKEND)
    return names


def suggest(query: SearchQuery, index_name: str = SITE_INDEX) -> list[Suggestion]:
    """The configured engine's suggestions, or PostgreSQL's when it fails (quietly: a reader
    who is typing needs no notice, the search they then run gives it)."""
    try:
        return get_backend().suggest(query, index_name)
    except SearchUnavailable:
        if settings.SEARCH_BACKEND == fallback_name():
            raise
        logger.exception(
            "Search engine %r failed; suggesting from PostgreSQL", settings.SEARCH_BACKEND
        )
        return get_backend(fallback_name()).suggest(query, index_name)


def search(query: SearchQuery, index_name: str = SITE_INDEX) -> Results:
    """The configured engine's results, or PostgreSQL's with a notice when it fails."""
    try:
        results = get_backend().search(query, index_name)
    except SearchUnavailable:
        if settings.SEARCH_BACKEND == fallback_name():
            raise
        logger.exception(
            "Search engine %r failed; answering from PostgreSQL", settings.SEARCH_BACKEND
        )
        results = get_backend(fallback_name()).search(query, index_name)
        results.engine = fallback_name()
        results.notice = gettext(
            "The search engine is not answering, so these results come from the site's own "
            "database and may be ranked a little differently."
        )
        return results
    results.engine = settings.SEARCH_BACKEND
    return results
