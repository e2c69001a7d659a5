"""The cache of anonymous pages, shared by the web server and the worker, and its invalidation.

Pages are cached whole for anonymous readers (most traffic, often on slow phones) in the
`pages` cache, which lives in PostgreSQL (or Redis with REDIS_URL) so that a change made by any
process — an editor publishing, the worker's scheduled publishing — empties it for all.

Browsers never keep a page (they are told `no-cache`): a change must reach the next reader, and
our own cache makes the refetch cheap. Shared caches in front of the site (a CDN, Varnish) may
keep Wagtail pages only where `core.frontend_cache` can purge them; every invalidation here
purges them too, once the change is committed.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import connection, transaction

from .cache_faults import REDIS_UNAVAILABLE_ERRORS

logger = logging.getLogger(__name__)
_local = threading.local()


class _Batch:
    """The URLs to purge for one transaction; flushed by the first of its on-commit callbacks."""

    def __init__(self) -> None:
        self.stale_urls: set[str] = set()
        self.done = False


def invalidate_pages(stale_urls: Iterable[str] = ()) -> None:
    """Forget every cached anonymous page; the next reader renders fresh content.

    `stale_urls` are addresses that stop being pages with this change (the old address of a
    moved, renamed, unpublished or deleted page); a shared cache must forget them as well as
    every page that is still live.

    The cache is emptied now and again when the transaction commits: a reader rendering the page
    between the two would otherwise store the old content for as long as the cache keeps it.
    Shared caches are purged only after the commit, for the same reason.
    """
    _clear()
    batch = getattr(_local, "batch", None)
    if batch is None or batch.done:
        batch = _local.batch = _Batch()
    batch.stale_urls.update(stale_urls)
    if connection.in_atomic_block:
        # One callback per call: a callback registered inside a savepoint that rolls back is
        # dropped, and the first surviving one flushes the batch for all.
        transaction.on_commit(lambda: _flush(batch, clear=True))
    else:
        _flush(batch, clear=False)


def _flush(batch: _Batch, *, clear: bool) -> None:
    if batch.done:
        return
    batch.done = True
    if clear:
        _clear()
    from .frontend_cache import is_configured
    from .tasks import purge_frontend_cache

    if is_configured():
        purge_frontend_cache.enqueue(sorted(batch.stale_urls))


def _clear() -> None:
    cache = caches["pages"]
    if isinstance(cache, RedisCache):
        # clear() would FLUSHDB: the channel layer and anything else in that Redis database
        # would go too. Delete only this cache's own keys.
        try:
            client = cache._cache.get_client(write=True)
            pattern = cache.make_key("*")
            for keys in _batches(client.scan_iter(match=pattern, count=500), 500):
                client.delete(*keys)
        except REDIS_UNAVAILABLE_ERRORS as error:
            # The change itself is saved; while Redis is down no page is served from it.
            logger.warning("Could not empty the page cache: Redis is unreachable (%s)", error)
        return
    cache.clear()


def _batches(iterable, size: int):
    batch = []
    for item in iterable:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
