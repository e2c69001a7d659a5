"""Wagtail's site root paths, kept per process instead of read from the cache on every request.

Wagtail needs them to build any page's URL (canonical links, the language switcher, menus) and
keeps them in Django's cache, which without Redis is a PostgreSQL table: one SQL query on every
request that shows a Wagtail page, signed-in ones included. They change only when a site or a
site's root page (or one of its translations) changes, and Wagtail then calls
`Site.clear_site_root_paths_cache()`; this module makes that call also forget the process's copy,
so the process where the change happens sees it at once and the others within `ROOT_PATHS_TTL`
seconds (`core.memo`).
"""

from __future__ import annotations

from wagtail.models import Site

from .memo import ProcessMemo

ROOT_PATHS_TTL = 30.0

_memo: ProcessMemo[list] = ProcessMemo("wagtail site root paths", ttl=ROOT_PATHS_TTL)
_read_shared = Site.get_site_root_paths
_clear_shared = Site.clear_site_root_paths_cache


def site_root_paths() -> list:
    """Wagtail's `SiteRootPath`s, from this process's copy when it is recent enough."""
    # A copy of the list: Wagtail's callers only read it, but none can change ours.
    return list(_memo.get("all", _read_shared))


def clear_site_root_paths() -> None:
    """Forget the shared copy (as Wagtail does) and this process's one."""
    _clear_shared()
    _memo.clear()


def install() -> None:
    """Route Wagtail's two entry points through this module (called once, from CoreConfig)."""
    Site.get_site_root_paths = staticmethod(site_root_paths)
    Site.clear_site_root_paths_cache = staticmethod(clear_site_root_paths)
