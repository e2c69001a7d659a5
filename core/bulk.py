"""Loading many objects at once (the demo, an import) without one background job per save.

Apps that react to every save with follow-up work (the search index, say) check
`is_bulk_loading()` and skip it, and declare in `after_bulk_load` what catches up once for the
whole load. The kernel knows none of them: `bulk_loading()` only sets the flag and runs the hooks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from .registries import Registry

_loading: ContextVar[bool] = ContextVar("bulk_loading", default=False)

# Each hook runs once after a bulk load that completed (not after one that failed).
after_bulk_load: Registry[Callable[[], None]] = Registry("after_bulk_load")


def is_bulk_loading() -> bool:
    return _loading.get()


@contextmanager
def bulk_loading() -> Iterator[None]:
    token = _loading.set(True)
    try:
        yield
    finally:
        _loading.reset(token)
    for hook in after_bulk_load:
        hook()
