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

from ..documents import Document, Results, SearchQuery

SITE_INDEX = "site"

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
