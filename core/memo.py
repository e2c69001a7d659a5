"""Process-local memos for the small, public, rarely changing values every page's shell shows.

Without Redis the cache lives in PostgreSQL, so even a cache read is an SQL query, and the shell
(the current policies behind the footer links and the acceptance check, the footer's operator
name) would cost one or more on every signed-in page, which the page cache never serves. These
values are the same for every reader and change a few times a year, so each process keeps them:
- the process where the change happens (a publish, a settings save) clears the memo at once,
  through signal handlers the owning app connects;
- every other process reads the value again at most `ttl` seconds later.

Never memoize here anything that depends on the reader, their permissions or private data.
A memo may also keep rendered fragments keyed on every value they show (`max_entries` then bounds
it, since such keys change with the content): a changed value is a new key, never a stale entry.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")

_memos: list[ProcessMemo] = []


class ProcessMemo(Generic[T]):
    """Values computed at most once per `ttl` seconds per process, per key."""

    def __init__(self, name: str, ttl: float = 30.0, max_entries: int | None = None) -> None:
        self.name = name
        self.ttl = ttl
        self.max_entries = max_entries
        self._values: dict[Hashable, tuple[float, T]] = {}
        _memos.append(self)

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The memoized value for `key`, computed (and kept) when absent or older than `ttl`."""
        now = time.monotonic()
        entry = self._values.get(key)
        if entry is not None and entry[0] > now:
            return entry[1]
        value = compute()
        if self.max_entries is not None and len(self._values) >= self.max_entries:
            # Keys built from content pile up as it changes: start again rather than grow.
            self._values = {}
        self._values[key] = (now + self.ttl, value)
        return value

    def forget(self, key: Hashable) -> None:
        """Forget the value for `key` alone: its caller learnt it no longer holds (a moment it
        depended on has passed), while the other keys' values still do."""
        self._values.pop(key, None)

    def clear(self) -> None:
        """Forget every value: call it from the signal that says the source changed."""
        self._values = {}


def clear_all() -> None:
    """Forget every memo of this process (tests do it between tests, whose data is rolled back)."""
    for memo in _memos:
        memo.clear()
