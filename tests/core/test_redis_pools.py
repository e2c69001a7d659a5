"""With REDIS_URL, the caches of every thread and asynchronous context share one connection pool.

Django makes a cache instance per thread and per asynchronous context, and each websocket is a
context for as long as it stays open: with a pool per instance, every open socket that touched
the cache kept a Redis connection, and at 10,000 sockets Redis refused new clients (found by
`bench/live.py`). A Redis of the test's own counts the connections.
"""

from __future__ import annotations

import asyncio

import redis
from asgiref.sync import async_to_sync, sync_to_async

from django.core.cache import caches

from core.cache_faults import redis_caches

SOCKETS = 120


def test_open_sockets_that_used_the_cache_share_a_few_redis_connections(private_redis, settings):
    settings.CACHES = redis_caches(private_redis.url, fail_open_prefixes=[])
    release = asyncio.Event()

    async def socket(number: int) -> None:
        # What a socket's connect does (a rate limit, a page-cache token), then it stays open.
        await sync_to_async(caches["default"].add)(f"socket-{number}", 1)
        await release.wait()

    async def scenario() -> int:
        tasks = [asyncio.create_task(socket(number)) for number in range(SOCKETS)]
        while sum(1 for n in range(SOCKETS) if caches["default"].get(f"socket-{n}")) < SOCKETS:
            await asyncio.sleep(0.01)
        connected = redis.Redis(port=private_redis.port).info("clients")["connected_clients"]
        release.set()
        await asyncio.gather(*tasks)
        return connected

    connected = async_to_sync(scenario)()
    assert caches["default"].get(f"socket-{SOCKETS - 1}") == 1
    # This test's own client and the pool's connections in use at once, not one per socket.
    assert connected < 10, connected
