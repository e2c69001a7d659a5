"""The HTML of the panels community apps add to knowledge pages, kept per process.

A country page shows three panels (open opportunities, upcoming events, organisations working
there), each a query and a template on every signed-in view, which the page cache never serves.
What a panel shows is the same for every reader who shares what it depends on, so a panel that
declares it (`PagePanel.varies_on`: the reader's time zone beside a deadline, say) is drawn once
per process for each key holding
- the panel and the page (its country),
- the interface language,
- the reader's audience: signed in or not, and their permissions (`audience`),
- what the panel declares it varies on,
- the tokens of its content groups (`core.page_cache`), read before its data: a write to a group
  (a new opportunity, an organisation hidden) or any publish (which empties the page cache and
  so makes new tokens) gives a new key in every process at once, never a stale entry.

A panel that limits how long a page showing it stays right (`expire_within`, a deadline) limits
its kept HTML the same way, and passes what is left of that limit on to each page drawn with it.
Panels that declare nothing are drawn on every view, as before.
"""

from __future__ import annotations

import time
from collections.abc import Hashable, Iterable
from typing import Any

from django.http import HttpRequest
from django.utils.translation import get_language

from .memo import ProcessMemo
from .page_cache import declared_groups, depends_on, expire_within, group_versions
from .registries import PagePanel

PANEL_TTL = 600.0
_panels: ProcessMemo[tuple[str, float | None]] = ProcessMemo(
    "page panels", ttl=PANEL_TTL, max_entries=2000
)


def _now() -> float:
    return time.time()


def audience(request: HttpRequest) -> Hashable:
    """Who the reader is, as far as what a panel may show them goes: anonymous, or signed in
    with these permissions (read with the user, `core.permissions_backend`); a reader whose
    permissions were not read is their own audience."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ("anonymous",)
    if user.is_superuser:
        return ("superuser",)
    permissions = getattr(user, "_perm_cache", None)
    if permissions is None:
        return ("member", user.pk)
    return ("member", bool(user.is_staff), frozenset(permissions))


def render_panels(request: HttpRequest, page: Any, panels: Iterable[PagePanel]) -> list[str]:
    """The HTML of `panels` on `page`, in order; the page depends on their groups."""
    panels = list(panels)
    for panel in panels:
        depends_on(request, *panel.groups)  # before any panel reads its data
    tokens = _tokens(request, panels)
    return [_render(panel, request, page, tokens) for panel in panels]


def _tokens(request: HttpRequest, panels: list[PagePanel]) -> dict[str, str | None]:
    """The current token of each group the kept panels show: those the page cache read for this
    request, the others in one round trip."""
    groups = {group for panel in panels if panel.varies_on is not None for group in panel.groups}
    if not groups:
        return {}
    declared = declared_groups(request) or {}
    tokens = {group: declared.get(group) for group in groups}
    unread = sorted(group for group, token in tokens.items() if token is None)
    if unread:
        tokens.update(group_versions(unread))
    return tokens


def _render(panel: PagePanel, request: HttpRequest, page: Any, tokens: dict) -> str:
    versions = tuple(tokens.get(group) for group in panel.groups)
    if panel.varies_on is None or None in versions:
        return panel.render(request, page)  # not kept: nothing declared, or the cache is down
    key = (
        panel.key,
        getattr(page, "pk", None),
        get_language(),
        audience(request),
        panel.varies_on(request),
        versions,
    )
    html, until = _panels.get(key, lambda: _draw(panel, request, page))
    if until is not None and until <= _now():
        # A deadline it shows has passed: draw it again.
        _panels.forget(key)
        html, until = _panels.get(key, lambda: _draw(panel, request, page))
    if until is not None:
        expire_within(request, until - _now())
    return html


def _draw(panel: PagePanel, request: HttpRequest, page: Any) -> tuple[str, float | None]:
    """The panel's HTML, and until when it holds (None: until its groups change)."""
    earlier = request.__dict__.pop("_page_cache_max_age", None)
    started = _now()
    try:
        html = panel.render(request, page)
        limit = request.__dict__.get("_page_cache_max_age")
    finally:
        request._page_cache_max_age = earlier
    return html, None if limit is None else started + limit
