"""Template context every page needs: language direction, main navigation, canonical URL."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language, get_language_bidi

from .memo import ProcessMemo
from .paths import local_path
from .registries import navigation

# The menu's addresses depend only on the URL map, the language prefix and the script prefix:
# reversing each entry on every page (signed-in pages are never served from the page cache) is
# work repeated for nothing. Labels stay lazy, translated when the page is drawn.
_menus: ProcessMemo[tuple[tuple[str, object, str | None], ...]] = ProcessMemo(
    "main navigation", ttl=3600.0, max_entries=64
)


def _reversed(entries: tuple) -> tuple[tuple[str, object, str | None], ...]:
    menu = []
    for entry in sorted(entries, key=lambda e: e.order):
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            url = None
        menu.append((entry.key, entry.label, url))
    return tuple(menu)


def _navigation(path: str) -> tuple[list[dict[str, object]], tuple]:
    """The menu, and what its drawing depends on (with the language): the menu's key and which
    of its addresses is the page's own (`aria-current`), for base.html's `{% kept %}`."""
    entries = tuple(navigation)
    # The entries are part of the key: one registered later (tests do) is a new menu.
    key = (
        get_language(),
        get_script_prefix(),
        get_urlconf() or settings.ROOT_URLCONF,
        tuple((e.key, e.url_name, e.order) for e in entries),
    )
    menu = _menus.get(key, lambda: _reversed(entries))
    current = next((url for _key, _label, url in menu if url == path), None)
    return [{"key": k, "label": label, "url": url} for k, label, url in menu], (key, current)


def site_context(request: HttpRequest) -> dict[str, object]:
    menu, menu_key = _navigation(request.path)
    return {
        "LANGUAGE_BIDI": get_language_bidi(),
        "main_navigation": menu,
        "main_navigation_key": menu_key,
        "SITE_URL": settings.SITE_URL,
        "canonical_url": settings.SITE_URL + local_path(request.path),
    }
