"""The cache of anonymous pages, shared by the web server and the worker, and its invalidation.

Pages are cached whole for anonymous readers (most traffic, often on slow phones) in the
`pages` cache, which lives in PostgreSQL (or Redis with REDIS_URL) so that a change made by any
process — an editor publishing, the worker's scheduled publishing — empties it for all.
"""

from __future__ import annotations

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache


def invalidate_pages() -> None:
    """Forget every cached anonymous page; the next reader renders fresh content."""
    cache = caches["pages"]
    if isinstance(cache, RedisCache):
        # clear() would FLUSHDB: the channel layer and anything else in that Redis database
        # would go too. Delete only this cache's own keys.
        client = cache._cache.get_client(write=True)
        pattern = cache.make_key("*")
        for keys in _batches(client.scan_iter(match=pattern, count=500), 500):
            client.delete(*keys)
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
