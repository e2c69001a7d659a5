"""What the site does while Redis (the cache, with REDIS_URL) is unreachable: degrade, or refuse.

The shared cache holds two kinds of things. Some only save work: rendered anonymous pages,
Wagtail's site root paths, the current policies. Losing them for a while costs speed, not
correctness, so their reads miss and their writes are dropped ("fail open") and pages are
rendered afresh. Others are security state: log-in throttles, rate limits on two-factor codes and
sign-ups, one-time links. Treating an unreachable cache as "no failures so far" would let
guessing run unlimited during an outage, so those operations fail ("fail closed"), and
`CacheUnavailableMiddleware` turns the error into a 503 page that says, in the reader's
language, to try again shortly.

Failing closed is the default: a cache whose settings name no keys fails closed for every key.
`FaultTolerantRedisCache` fails open for every key with `OPTIONS["FAIL_OPEN"] = True` (the page
cache) or for keys starting with one of `OPTIONS["FAIL_OPEN_PREFIXES"]` (the default cache,
where settings list the keys that only save work).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable
from typing import Any

import redis

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.http import HttpRequest, HttpResponse
from django.template import loader

logger = logging.getLogger(__name__)

# What redis-py raises when the server is down, restarting, or too slow to answer.
REDIS_UNAVAILABLE_ERRORS: tuple[type[BaseException], ...] = (
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    redis.exceptions.BusyLoadingError,
)
RETRY_AFTER_SECONDS = 30
_REPORT_EVERY_SECONDS = 60.0
# Per process, not per cache instance: instances are per thread, and each request has its own.
_reported_at: dict[str, float] = {}


def report_outage(message: str, *args: object) -> None:
    """Log `message` at most once a minute per process, not once per request or socket."""
    now = time.monotonic()
    if now - _reported_at.get(message, float("-inf")) >= _REPORT_EVERY_SECONDS:
        _reported_at[message] = now
        logger.warning(message, *args)


# Connection pools by server and options, shared by every cache instance of this process.
_pools: dict[tuple, Any] = {}
_pools_lock = threading.Lock()


class SharedPoolRedisCacheClient(RedisCacheClient):
    """Django's Redis client, with one connection pool per server and options per process.

    Django keeps a cache instance per thread and per asynchronous context, and its client a pool
    of its own, so each websocket (an asynchronous context for as long as it stays open) that
    touched the cache held a Redis connection: at 10,000 open sockets Redis refused new clients
    ("max number of clients reached") and the live layer lost it. Shared, the pool holds as many
    connections as are in use at once. redis-py's pools are thread-safe and start afresh in a
    forked process."""

    def _get_connection_pool(self, write):
        index = self._get_connection_pool_index(write)
        key = (
            self._servers[index],
            self._pool_class,
            tuple(sorted((name, repr(value)) for name, value in self._pool_options.items())),
        )
        pool = _pools.get(key)
        if pool is None:
            with _pools_lock:
                pool = _pools.get(key)
                if pool is None:
                    pool = _pools[key] = self._pool_class.from_url(
                        self._servers[index], **self._pool_options
                    )
        return pool


class FaultTolerantRedisCache(RedisCache):
    """Django's RedisCache whose chosen keys behave as a cache miss while Redis is unreachable."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = dict(params.get("OPTIONS", {}))
        self.fail_open = bool(options.pop("FAIL_OPEN", False))
        self.fail_open_prefixes = tuple(options.pop("FAIL_OPEN_PREFIXES", ()))
        # A host that does not answer at all must not hold a request for the OS's TCP timeout.
        options.setdefault("socket_connect_timeout", 2)
        options.setdefault("socket_timeout", 5)
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = SharedPoolRedisCacheClient

    def _may_fail_open(self, keys: Iterable[str]) -> bool:
        if self.fail_open:
            return True
        keys = list(keys)
        return bool(keys) and all(str(key).startswith(self.fail_open_prefixes) for key in keys)

    def _degraded(self, operation: str, error: BaseException) -> None:
        report_outage("Cache unreachable (%s on %s); serving without it.", error, operation)

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except REDIS_UNAVAILABLE_ERRORS as error:
            if not self._may_fail_open([key]):
                raise
            self._degraded("get", error)
            return default

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except REDIS_UNAVAILABLE_ERRORS as error:
            if not self._may_fail_open(keys):
                raise
            self._degraded("get_many", error)
            return {}

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set(key, value, timeout, version)
        except REDIS_UNAVAILABLE_ERRORS as error:
            if not self._may_fail_open([key]):
                raise
            self._degraded("set", error)
            return None

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set_many(data, timeout, version)
        except REDIS_UNAVAILABLE_ERRORS as error:
            if not self._may_fail_open(data):
                raise
            self._degraded("set_many", error)
            return list(data)

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except REDIS_UNAVAILABLE_ERRORS as error:
            if not self._may_fail_open([key]):
                raise
            self._degraded("delete", error)
            return False

    def delete_many(self, keys, version=None):
        try:
            return super().delete_many(keys, version)
        except REDIS_UNAVAILABLE_ERRORS as error:
            if not self._may_fail_open(keys):
                raise
            self._degraded("delete_many", error)
            return None


def redis_caches(url: str, *, fail_open_prefixes: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The CACHES setting for Redis at `url`: the default cache and the page cache."""
    return {
        "default": {
            "BACKEND": "core.cache_faults.FaultTolerantRedisCache",
            "LOCATION": url,
            "OPTIONS": {"FAIL_OPEN_PREFIXES": list(fail_open_prefixes)},
        },
        "pages": {
            "BACKEND": "core.cache_faults.FaultTolerantRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "pages",
            "OPTIONS": {"FAIL_OPEN": True},
        },
    }


def redis_answers(cache: RedisCache) -> bool:
    """Does the Redis behind `cache` answer now? For /healthz."""
    try:
        return bool(cache._cache.get_client(write=True).ping())
    except REDIS_UNAVAILABLE_ERRORS:
        return False


class CacheUnavailableMiddleware:
    """Answers 503 "try again shortly" where a security check could not reach the cache.

    A view that needs the cache's security state (a log-in attempt, a two-factor code, a rate
    limit) raises when Redis is unreachable; the reader gets this page instead of a 500, and no
    check is skipped.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, REDIS_UNAVAILABLE_ERRORS):
            return None
        logger.warning(
            "Refused %s %s: the cache is unreachable (%s)", request.method, request.path, exception
        )
        template = loader.get_template("503.html")
        response = HttpResponse(template.render({"request": request}), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
