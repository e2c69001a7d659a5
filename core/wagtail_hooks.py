"""Wagtail hooks of the kernel: tell the page cache which responses a purge can reach.

A shared cache (Varnish, a CDN) may keep a response only if `core.frontend_cache` can purge it:
the addresses of a live Wagtail page (its URL and the paths its type declares in
`get_cached_paths`). A search result, a form, a password prompt or a sub-route of a page are
none of these, so they are marked for no one.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from wagtail import hooks

from .frontend_cache import is_configured


@hooks.register("on_serve_page")
def note_purgeable_paths(next_serve_page):
    def serve(page, request, args, kwargs):
        url = page.get_url(request) if is_configured() else None
        if url:
            base = urlsplit(url).path
            base = base if base.endswith("/") else f"{base}/"
            request.purgeable_paths = {base + path.lstrip("/") for path in page.get_cached_paths()}
        return next_serve_page(page, request, args, kwargs)

    return serve
