"""Registries that apps declare into, so hub features never import every app.

Each registry is an ordered mapping from a key to what an app declared. Apps declare at import
time of their `declarations.py` module (imported from `AppConfig.ready`), and the hub code that
consumes a registry reads it lazily, after all apps are ready.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class Registry(Generic[T]):
    """An ordered, named collection of declarations with a clear error on duplicates."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._items: dict[str, T] = {}

    def register(self, key: str, item: T) -> T:
        if key in self._items and self._items[key] is not item:
            raise ValueError(f"{self.name}: {key!r} is already registered")
        self._items[key] = item
        return item

    def unregister(self, key: str) -> None:
        self._items.pop(key, None)

    def __getitem__(self, key: str) -> T:
        return self._items[key]

    def get(self, key: str) -> T | None:
        return self._items.get(key)

    def __contains__(self, key: str) -> bool:
        return key in self._items

    def __iter__(self) -> Iterator[T]:
        return iter(self._items.values())

    def items(self) -> list[tuple[str, T]]:
        return list(self._items.items())

    def __len__(self) -> int:
        return len(self._items)


@dataclass(frozen=True)
class NavigationEntry:
    """One item of the main navigation; shown as a link once its URL name resolves."""

    key: str
    label: Any
    url_name: str
    order: int


@dataclass(frozen=True)
class DemoLoader:
    """A callable that creates an app's demo content idempotently and returns a summary line."""

    key: str
    load: Callable[[Callable[[str], None]], str]
    order: int = 100


@dataclass(frozen=True)
class PeriodicJob:
    """A task the worker enqueues every `every`; the task must be safe to run late or twice."""

    key: str
    task_path: str
    every: timedelta


@dataclass(frozen=True)
class LiveStream:
    """A kind of live stream a page may subscribe to over its one websocket.

    `group_for(user, object_id)` returns the channel-layer group to join, or None when the
    user may not follow that object (the consumer then answers with a translated error).
    """

    key: str
    group_for: Callable[[Any, str | None], str | None]


@dataclass(frozen=True)
class PolicyDocument:
    """What members accept on sign-up: a kind (terms, privacy, conduct) and its current version."""

    kind: str
    title: Any
    version: int
    url: str


@dataclass
class PolicyProvider:
    """Declared by the app that stores the policy texts; returns the current published policies."""

    current: Callable[[], list[PolicyDocument]] = field(default=lambda: [])


@dataclass(frozen=True)
class PagePanel:
    """A block of community data a knowledge page shows (e.g. latest opportunities on home).

    `render(request, page)` returns safe HTML; `page_type` says which page shows it.
    """

    key: str
    page_type: str
    render: Callable[[Any, Any], str]
    order: int = 100


navigation: Registry[NavigationEntry] = Registry("navigation")
demo_loaders: Registry[DemoLoader] = Registry("demo_loaders")
periodic_jobs: Registry[PeriodicJob] = Registry("periodic_jobs")
live_streams: Registry[LiveStream] = Registry("live_streams")
policy_provider = PolicyProvider()
page_panels: Registry[PagePanel] = Registry("page_panels")
# Filled by later issues: personal data export/erase, notification kinds, reportable models.
personal_data: Registry[Any] = Registry("personal_data")
notification_kinds: Registry[Any] = Registry("notification_kinds")
reportable_models: Registry[Any] = Registry("reportable_models")


def current_policies() -> list[PolicyDocument]:
    """The published policies a member must accept, as declared by the app that stores them."""
    return list(policy_provider.current())
