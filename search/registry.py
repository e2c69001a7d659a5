"""The adapters apps declare in their own `search_documents.py`: which model, how one object
becomes a `Document` (fields, language, audiences, URL), or None when nobody should find it.

    from search.registry import SearchAdapter, register

    @register
    class OpportunityAdapter(SearchAdapter):
        doc_type = "opportunity"
        model = Opportunity
        label = _("Opportunities")
        def document(self, obj): ...

`search` never imports app views: adapters call the apps' own visibility functions.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models

from .documents import Document


class SearchAdapter:
    doc_type: str = ""
    model: type[models.Model]
    label: Any = ""
    order: int = 100

    def key(self, object_id: Any) -> str:
        return f"{self.doc_type}:{object_id}"

    def queryset(self) -> models.QuerySet:
        """Every object that might be indexed (rebuild); `document` decides which are."""
        return self.model._default_manager.all()

    def document(self, obj: models.Model) -> Document | None:
        raise NotImplementedError

    def documents(self, obj: models.Model) -> list[Document]:
        """Every document of `obj`: its `document`, or none. An adapter whose fields have
        audiences of their own (a profile) writes one per audience, in one translation
        group, and says so in `keys`."""
        document = self.document(obj)
        return [] if document is None else [document]

    def keys(self, object_id: Any) -> list[str]:
        """Every key `documents` may write for one object: what removing it deletes."""
        return [self.key(object_id)]

    def related_keys(self, obj: models.Model) -> Iterable[str]:
        """Other documents a change to `obj` affects (its translations, say)."""
        return ()


adapters: dict[str, SearchAdapter] = {}


def register(cls: type[SearchAdapter]) -> type[SearchAdapter]:
    adapter = cls()
    if adapter.doc_type in adapters and type(adapters[adapter.doc_type]) is not cls:
        raise ValueError(f"search adapter {adapter.doc_type!r} is already registered")
    adapters[adapter.doc_type] = adapter
    return cls


def type_labels() -> dict[str, Any]:
    return {
        key: adapter.label
        for key, adapter in sorted(adapters.items(), key=lambda item: item[1].order)
    }
