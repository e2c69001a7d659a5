"""The cache of anonymous pages, shared by the web server and the worker, and its invalidation.

Pages are cached whole for anonymous readers (most traffic, often on slow phones) in the
`pages` cache, which lives in PostgreSQL (or Redis with REDIS_URL) so that a change made by any
process — an editor publishing, the worker's scheduled publishing — reaches all.

Two ways to invalidate, from blunt to fine:
- `invalidate_pages()` empties the whole cache. Wagtail content, site settings, sites, locales,
  redirects and view restrictions use it: they show on (or decide who sees) every page.
- `invalidate_groups(*groups)` for community writes. Each content group ("opportunities",
  "organisations", "members") has a version token in the `pages` cache. A view or panel calls
  `depends_on(request, *groups)` before it reads the data it shows; the middleware stores the
  page with the tokens it was rendered with and treats it as a miss once any token changed (one
  `get_many` on a hit). A page that never calls `depends_on` depends on `EVERYTHING`, a token
  every `invalidate_groups` changes, so a page that forgets to declare is never stale, only less
  often cached. `depends_on(request)` with no group says "only site-wide content" (a policy page).

A view may also cap how long its copy is kept (`expire_within`): a listing showing deadlines is
kept only until the first of them changes what it shows.

Browsers never keep a page (they are told `no-cache`): a change must reach the next reader, and
our own cache makes the refetch cheap. Shared caches in front of the site (a CDN, Varnish) may
keep Wagtail pages only where `core.frontend_cache` can purge them; every `invalidate_pages`
purges them too, once the change is committed. A group cannot be purged by address, so pages that
depend on a content group (the home page with its community panels) are never offered to shared
caches: the middleware asks for `s-maxage` only on pages that depend on site-wide content alone.
"""

from __future__ import annotations

import base64
import logging
import math
import pickle
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Iterable

from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.redis import RedisCache
from django.db import DEFAULT_DB_ALIAS, connection, router, transaction
from django.db.models import DateTimeField, Expression
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from .cache_faults import REDIS_UNAVAILABLE_ERRORS

logger = logging.getLogger(__name__)
_local = threading.local()

# The group of a page that declared none: every community write changes it.
EVERYTHING = "*"
_GROUP_KEY = "group:{}"
# The groups this process has seen declared or invalidated: a lookup reads their tokens with the
# page itself, so a hit costs no extra round trip once the process has rendered a page.
_known_groups: set[str] = {EVERYTHING}
_known_groups_lock = threading.Lock()  # requests run in threads; a set must not change mid-read


def new_token() -> str:
    """A fresh group token: when it was made (seconds since the epoch), then a random part, so
    the API can answer Last-Modified from the tokens alone (`token_time`)."""
    return f"{time.time():.3f}:{uuid.uuid4().hex}"


def token_time(token: str | None) -> float | None:
    """When a token made by `new_token` was made; None for another form or no token."""
    head, _, rest = (token or "").partition(":")
    try:
        return float(head) if rest else None
    except ValueError:
        return None


def group_key(group: str) -> str:
    """The `pages` cache key of a group's version token."""
    return _GROUP_KEY.format(group)


def depends_on(request: HttpRequest, *groups: str) -> None:
    """Say that the page being rendered shows content of `groups`; call it before reading it.

    The tokens are read now, before the data: a write that lands while the page renders changes
    them (now and on commit), so the copy stored with the old tokens is never served. With no
    group the page depends on site-wide content only (emptied by `invalidate_pages`).
    Pages that will not be stored (a member's, or with the cache off) only note the groups.
    """
    seen: dict[str, str | None] = request.__dict__.setdefault("_page_groups", {})
    wanted = [group for group in groups if group not in seen]
    if not wanted:
        return
    if getattr(request, "_cache_update_cache", False):
        _learn(wanted)
        seen.update(group_versions(wanted))
    else:
        seen.update(dict.fromkeys(wanted))


def declared_groups(request: HttpRequest) -> dict[str, str | None] | None:
    """The group tokens a page was rendered with; None if it declared none."""
    return request.__dict__.get("_page_groups")


def known_groups() -> list[str]:
    """The groups whose tokens a page lookup reads along with the page."""
    with _known_groups_lock:
        return sorted(_known_groups)


def _learn(groups: Iterable[str]) -> None:
    with _known_groups_lock:
        _known_groups.update(groups)


def group_versions(groups: Iterable[str]) -> dict[str, str | None]:
    """The current token of each group, creating the missing ones (None: cache unreachable)."""
    cache = caches["pages"]
    groups = list(groups)
    try:
        found = cache.get_many([group_key(group) for group in groups])
        for group in groups:
            if group_key(group) not in found:
                # Another process may create it at the same moment: whichever `add` wins.
                cache.add(group_key(group), new_token(), None)
                found[group_key(group)] = cache.get(group_key(group))
    except REDIS_UNAVAILABLE_ERRORS as error:
        # A page whose tokens are unknown is still served, but not stored (core.middleware).
        logger.warning("Could not read page-cache groups: Redis is unreachable (%s)", error)
        return dict.fromkeys(groups)
    return {group: found.get(group_key(group)) for group in groups}


def group_versions_source(groups: Iterable[str]) -> tuple[str, list[str]] | None:
    """Where the tokens of `groups` are, for a statement that reads them along with its own
    work (one round trip instead of two): the pages cache's table and the keys of the groups
    in it. None unless that cache is Django's database cache on the default database; then
    `group_versions` is the way."""
    cache = caches["pages"]
    if not isinstance(cache, DatabaseCache):
        return None
    if router.db_for_read(cache.cache_model_class) != DEFAULT_DB_ALIAS:
        return None
    return cache._table, list(_cache_keys(cache, tuple(groups)))


# The cache keys of groups, by what makes them: each request of the API asks for the same few.
_keys_made: dict[tuple, dict[str, str]] = {}


def _cache_keys(cache, groups: tuple[str, ...]) -> dict[str, str]:
    """{cache key: group} of `groups` in `cache`, as `cache.make_and_validate_key` makes them."""
    memo = (groups, cache.key_prefix, cache.version, cache.key_func)
    found = _keys_made.get(memo)
    if found is None:
        found = {cache.make_and_validate_key(group_key(group)): group for group in groups}
        if len(_keys_made) > 256:
            _keys_made.clear()
        _keys_made[memo] = found
    return found


# How the database gives a DateTimeField back, per backend (the cache's `expires`).
_expires_converters: dict[str, tuple[Expression, list]] = {}


def group_versions_from_rows(groups: Iterable[str], rows: list[tuple]) -> dict[str, str | None]:
    """`group_versions(groups)` from the (cache_key, value, expires) rows a statement read at
    `group_versions_source(groups)`, decoded as `DatabaseCache.get_many` decodes them; groups
    missing or expired there are created as `group_versions` creates them."""
    cache = caches["pages"]
    groups = tuple(groups)
    names = _cache_keys(cache, groups)
    known = _expires_converters.get(connection.vendor)
    if known is None:
        expression = Expression(output_field=DateTimeField())
        known = (
            expression,
            connection.ops.get_db_converters(expression) + expression.get_db_converters(connection),
        )
        _expires_converters[connection.vendor] = known
    expression, converters = known
    found: dict[str, str | None] = {}
    now = timezone.now()
    for key, value, expires in rows:
        if key not in names:
            continue
        for converter in converters:
            expires = converter(expires, expression, connection)
        if expires >= now:
            value = connection.ops.process_clob(value)
            found[names[key]] = pickle.loads(base64.b64decode(value.encode()))  # noqa: S301
    missing = [group for group in groups if group not in found]
    if missing:
        found.update(group_versions(missing))
    return {group: found.get(group) for group in groups}


def is_current(versions: dict[str, str | None], current: dict[str, str | None]) -> bool:
    """Whether a page rendered with `versions` is still valid given the `current` tokens."""
    return all(
        token is not None and current.get(group) == token for group, token in versions.items()
    )


def invalidate_groups(*groups: str) -> None:
    """Make every cached page that shows content of `groups` (or declared none) a miss.

    Like `invalidate_pages`, the tokens change now and again when the transaction commits, so
    a reader that rendered the old rows in between cannot store them under the new token.
    """
    groups = (*groups, EVERYTHING)
    _learn(groups)
    _bump(groups)
    if connection.in_atomic_block:
        transaction.on_commit(lambda: _bump(groups))


def _bump(groups: Iterable[str]) -> None:
    try:
        caches["pages"].set_many({group_key(group): new_token() for group in groups}, None)
    except REDIS_UNAVAILABLE_ERRORS as error:
        logger.warning("Could not invalidate page-cache groups: Redis is unreachable (%s)", error)


def expire_within(target: HttpRequest | HttpResponse, seconds: float | None) -> None:
    """Keep the cached copy of this page at most `seconds` (None: no limit of its own).

    Views pass their response; panels, which only see the request, pass that. The shortest
    limit wins; a page whose limit is under a second is not stored at all.
    """
    if seconds is None:
        return
    earlier = getattr(target, "_page_cache_max_age", None)
    target._page_cache_max_age = seconds if earlier is None else min(earlier, seconds)


def cache_lifetime(request: HttpRequest, response: HttpResponse, default: int) -> int:
    """How long the middleware keeps this page: `default`, or less if the page asked (0: not)."""
    limits = [default]
    for target in (request, response):
        limit = getattr(target, "_page_cache_max_age", None)
        if limit is not None:
            limits.append(max(0, math.floor(limit)))
    return min(limits)


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
    local_copies.clear()  # they would never be served again: their stamps go with the cache
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


# --- This process's copies of stored pages ---------------------------------------------------

# At most this much pickled page per process (the largest pages are ~40 kB: a thousand fit).
LOCAL_COPIES_MAX_BYTES = 48 * 1024 * 1024


def stamp_key(page_key: str) -> str:
    """The `pages` cache key under which the stamp of the page stored at `page_key` is kept."""
    return f"{page_key}:stamp"


def new_stamp() -> str:
    return uuid.uuid4().hex


class LocalCopies:
    """Pickled copies of the pages this process stored or read, each filed under its stamp, so
    that a hit reads a few bytes (the stamp) from the shared cache instead of the whole page.

    Reading a 35 kB page from the shared cache (detoasting it in PostgreSQL, sending it, base64
    and unpickling it) cost a large page's hit more than the rest of the request. Each page is
    stored with a random stamp inside it and the same stamp beside it (`stamp_key`); a copy
    here is served only while the stamp beside the stored page is the copy's own, so what is
    served is exactly what the shared cache holds: a clear, an expiry, or another process
    storing a newer page removes or changes that stamp, and the page is read again. A copy
    is filed under the stamp inside the page, never under the one read beside it (the two are
    written one after the other), so a page is never paired with another page's stamp. The
    content-group tokens are checked on every hit, whichever copy is served.
    """

    def __init__(self, max_bytes: int = LOCAL_COPIES_MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self._copies: OrderedDict[str, tuple[str, float, bytes]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def stamp_of(self, page_key: str) -> str | None:
        """The stamp of this process's copy of the page at `page_key` (None: no usable copy)."""
        copy = self._copies.get(page_key)
        if copy is None or copy[1] <= time.time():
            return None
        return copy[0]

    def page(self, page_key: str, stamp: str | None) -> HttpResponse | None:
        """A fresh response object from the copy at `page_key` if its stamp is `stamp`."""
        copy = self._copies.get(page_key)
        if copy is None or stamp is None or copy[0] != stamp or copy[1] <= time.time():
            return None
        return pickle.loads(copy[2])  # noqa: S301 - pickled by this process

    def keep(self, page_key: str, page: HttpResponse | None) -> None:
        """Keep a copy of `page`, stored at (or just read from) `page_key` of the shared cache."""
        stamp = getattr(page, "_page_stamp", None)
        expires = getattr(page, "_page_expires", None)
        if stamp is None or expires is None:
            self.forget(page_key)
            return
        copy = self._copies.get(page_key)
        if copy is not None and copy[0] == stamp:
            return
        pickled = pickle.dumps(page, pickle.HIGHEST_PROTOCOL)
        with self._lock:
            self._drop(page_key)
            self._copies[page_key] = (stamp, expires, pickled)
            self._bytes += len(pickled)
            while self._bytes > self.max_bytes and self._copies:
                self._drop(next(iter(self._copies)))

    def forget(self, page_key: str) -> None:
        with self._lock:
            self._drop(page_key)

    def clear(self) -> None:
        with self._lock:
            self._copies = OrderedDict()
            self._bytes = 0

    def _drop(self, page_key: str) -> None:
        copy = self._copies.pop(page_key, None)
        if copy is not None:
            self._bytes -= len(copy[2])


local_copies = LocalCopies()
