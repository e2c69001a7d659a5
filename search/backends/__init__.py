"""The backend interface and the one place that picks the engine from settings.

A backend indexes `Document`s into a named index ("site" for the site, throwaway names for the
evaluation command), deletes them, answers `SearchQuery`s and rebuilds an index. Apps never call
an engine: they declare adapters (`search.registry`) and the tasks feed the backend.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable

from django.conf import settings
from django.utils.module_loading import import_string

from ..documents import Document, Results, SearchQuery

SITE_INDEX = "site"


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
    def rebuild(self, documents: Iterable[Document], index_name: str = SITE_INDEX) -> int:
        """Replace the whole index with these documents."""

    @abstractmethod
    def drop(self, index_name: str) -> None:
        """Remove an index and everything in it (throwaway indexes)."""

    def keys(self, index_name: str = SITE_INDEX) -> set[str]:
        raise NotImplementedError

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
