"""Shared caches in front of the site (Varnish, a CDN): configured from the environment, purged.

A shared cache may keep a page only if we can make it forget the page the moment it changes:
otherwise a page made private, moved or unpublished stays public there. So the site sends
`s-maxage` only when `FRONTEND_CACHE_URL` names a purge endpoint, and every invalidation of the
anonymous page cache (`core.page_cache`) enqueues a task (`core.tasks.purge_frontend_cache`)
that purges every live page and the addresses that stopped being pages, through Wagtail's
frontend-cache backends.

`FRONTEND_CACHE_URL` holds one or more comma-separated endpoints:
- `http://varnish.internal:6081` (or https): an HTTP `PURGE` for each URL, sent to that address
  with the page's own `Host` header (Varnish, nginx's cache purge, any cache that accepts PURGE);
- `cloudflare://<api token>@<zone id>` (or `cloudflare://<email>:<global key>@<zone id>`, the
  e-mail's `@` written `%40`): Cloudflare's purge-by-URL API.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from types import SimpleNamespace
from urllib.parse import unquote, urlsplit

from django.conf import settings

HTTP_BACKEND = "wagtail.contrib.frontend_cache.backends.HTTPBackend"
CLOUDFLARE_BACKEND = "wagtail.contrib.frontend_cache.backends.CloudflareBackend"


def backends_from_urls(urls: str, hostnames: list[str] | None = None) -> dict[str, dict]:
    """Wagtail's WAGTAILFRONTENDCACHE setting for the endpoints in FRONTEND_CACHE_URL."""
    backends: dict[str, dict] = {}
    for number, url in enumerate((u.strip() for u in urls.split(",") if u.strip()), start=1):
        parsed = urlsplit(url)
        if parsed.scheme in {"http", "https"}:
            config: dict[str, object] = {"BACKEND": HTTP_BACKEND, "LOCATION": url}
        elif parsed.scheme == "cloudflare":
            if not parsed.hostname or not parsed.username:
                raise ValueError("FRONTEND_CACHE_URL: cloudflare://<api token>@<zone id>")
            config = {"BACKEND": CLOUDFLARE_BACKEND, "ZONEID": parsed.hostname}
            if parsed.password:
                config["EMAIL"] = unquote(parsed.username)
                config["API_KEY"] = unquote(parsed.password)
            else:
                config["BEARER_TOKEN"] = unquote(parsed.username)
        else:
            raise ValueError(
                f"FRONTEND_CACHE_URL: unsupported scheme {parsed.scheme!r} "
                "(use http://, https:// or cloudflare://)"
            )
        if hostnames:
            config["HOSTNAMES"] = list(hostnames)
        backends[f"{parsed.scheme}-{number}"] = config
    return backends


def is_configured() -> bool:
    """Whether a shared cache can be purged, and so may keep pages."""
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


def page_urls(page, cache_object=None) -> list[str]:
    """Every address under which a shared cache may hold this page (Wagtail's cached paths)."""
    url = page.get_full_url(cache_object)
    if not url:
        return []
    base = url if url.endswith("/") else f"{url}/"
    return [base + path.lstrip("/") for path in page.specific_deferred.get_cached_paths()]


def subtree_urls(page) -> list[str]:
    """The current addresses of a page and its live descendants (before it moves or goes)."""
    if not is_configured():
        return []  # the lookups are only worth it when something is purged
    urls: list[str] = []
    holder = SimpleNamespace()  # Wagtail keeps the site root paths on it for the next page
    for node in page.get_descendants(inclusive=True).live().specific(defer=True):
        urls.extend(page_urls(node, holder))
    return urls


def shared_urls_under(page_before, page) -> list[str]:
    """The addresses a page's live subtree had before its slug changed (`page_before`)."""
    if not is_configured():
        return []
    old_base_url = page_before.get_full_url()
    if not old_base_url:
        return []
    old_base = old_base_url if old_base_url.endswith("/") else f"{old_base_url}/"
    urls: list[str] = []
    for node in page.get_descendants(inclusive=True).live().specific(defer=True):
        relative = node.url_path[len(page.url_path) :]
        urls.extend(old_base + relative + path.lstrip("/") for path in node.get_cached_paths())
    return urls


def live_page_urls() -> list[str]:
    """The addresses of every live page of every site."""
    from wagtail.models import Page

    holder = SimpleNamespace()
    urls: list[str] = []
    for page in Page.objects.live().specific(defer=True).iterator(chunk_size=500):
        urls.extend(page_urls(page, holder))
    return urls


def purge_site(stale_urls: Iterable[str]) -> int:
    """Purge every live page and the given stale addresses from the shared caches.

    Content shows up on other pages (titles in listings, settings in every footer), so one
    change purges the whole site, as the server-side cache is emptied whole. Returns the number
    of addresses sent.
    """
    from wagtail.contrib.frontend_cache.utils import get_backends

    backends = get_backends()
    if not backends:
        return 0
    urls = sorted(set(live_page_urls()) | set(stale_urls))
    _purge(urls, backends)
    return len(urls)


def _purge(urls: Iterable[str], backends: dict) -> None:
    by_host: dict[str, list[str]] = defaultdict(list)
    for url in urls:
        by_host[urlsplit(url).netloc].append(url)
    for host, host_urls in by_host.items():
        for backend in backends.values():
            if backend.invalidates_hostname(host):
                backend.purge_batch(host_urls)
