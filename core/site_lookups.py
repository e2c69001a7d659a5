"""The site a request is for and the active language's `Locale`, kept per process; that site's
home page in it, read in one query.

Wagtail asks PostgreSQL for these on every request that shows a page, signed-in ones included
(the page cache never serves those): the `Site` matching the request's host and port (with its
root page), the `Locale` of the active language, the root page's translation in it, then that
home page's specific row, before routing down to the page asked for. They change a few times in
a site's life, so each process keeps the site and the locale (`core.memo`); saving or deleting a
site, a locale or a home page (any page at the top of a site's tree) clears the copies of the
process where that happens at once, the others within `LOOKUP_TTL` seconds. The home page itself
is read afresh (one query instead of Wagtail's two): its content must never be stale.

Every request gets its own copy of what is kept, never the kept instance: whatever a request
attaches to its site or home page (a cached property, its view restrictions) stays with it.
"""

from __future__ import annotations

import copy

from django.db.models.signals import post_delete, post_save
from django.http import Http404, HttpRequest

from wagtail.models import Locale, Page, Site
from wagtail.url_routing import RouteResult

from .memo import ProcessMemo

LOOKUP_TTL = 30.0
# Home pages sit right under the tree's root (depth 1); deeper pages never touch these memos.
HOME_DEPTH = 2

# Keyed by the Host header as sent: bounded, whatever hosts reach the process.
_sites: ProcessMemo[Site | None] = ProcessMemo(
    "wagtail site by host", ttl=LOOKUP_TTL, max_entries=64
)
_locales: ProcessMemo[Locale] = ProcessMemo("wagtail locale by language", ttl=LOOKUP_TTL)
# The home page as the start of routing to a page below it, never shown: its content is read
# afresh whenever the home page itself is asked for.
_routing_homes: ProcessMemo[Page] = ProcessMemo("wagtail home page for routing", ttl=LOOKUP_TTL)
_find_site = Site._find_for_request
_get_for_language = type(Locale.objects).get_for_language


def find_site(request: HttpRequest) -> Site | None:
    """Wagtail's `Site._find_for_request`, read once per host and port per process."""
    key = (request._get_raw_host(), request.get_port())
    site = _sites.get(key, lambda: _find_site(request))
    if site is None:
        return None
    mine = copy.copy(site)
    # Wagtail reads the root page with the site: the request gets its own copy of that too.
    mine.root_page = copy.copy(site.root_page)
    return mine


def locale_for_language(manager, language_code: str) -> Locale:
    """Wagtail's `Locale.objects.get_for_language`, read once per language per process.

    A missing locale is not kept: it raises as Wagtail's does, and is asked again next time."""
    return copy.copy(_locales.get(language_code, lambda: _get_for_language(manager, language_code)))


def home_page(site: Site) -> Page:
    """The site's root page in the active language, as its specific type (Wagtail's
    `site.root_page.localized.specific`), read fresh in one query.

    Not kept per process like the site and the locale: its content is what readers see, and a
    publish by another process (the worker's scheduled publishing, another server) must show at
    once, not after a stale copy has been rendered into the shared page cache."""
    root = site.root_page
    locale = Locale.get_active()
    if root.locale_id == locale.pk:
        found = root.specific_class.objects.filter(pk=root.pk).first()
    else:
        found = (
            root.specific_class.objects.filter(
                translation_key=root.translation_key, locale_id=locale.pk
            ).first()
            or root.specific_class.objects.filter(pk=root.pk).first()
        )
    return found or root.specific


def _routing_home(site: Site) -> Page:
    """The home page from which a deeper page is routed (its path and type, not its content),
    kept per process: only its address matters, which moves as rarely as a site does."""
    key = (site.pk, site.root_page_id, Locale.get_active().pk)
    return copy.copy(_routing_homes.get(key, lambda: home_page(site)))


def route_for_request(request: HttpRequest, path: str) -> RouteResult | None:
    """Wagtail's `Page.route_for_request`, starting from the kept home page."""
    if not hasattr(request, "_wagtail_route_for_request"):
        try:
            site = Site.find_for_request(request)
            components = [component for component in path.split("/") if component]
            if site is None:
                route = None
            elif components:
                route = _routing_home(site).route(request, components)
            else:
                route = home_page(site).route(request, components)
        except Http404:
            route = None
        request._wagtail_route_for_request = route
    return request._wagtail_route_for_request


def _forget_all(**kwargs) -> None:
    _sites.clear()
    _locales.clear()
    _routing_homes.clear()


def _forget_home(sender, instance, **kwargs) -> None:
    if isinstance(instance, Page) and instance.depth is not None and instance.depth <= HOME_DEPTH:
        _forget_all()


def install() -> None:
    """Route Wagtail's lookups through this module (called once, from CoreConfig)."""
    Site._find_for_request = staticmethod(find_site)
    type(Locale.objects).get_for_language = locale_for_language
    Page.route_for_request = staticmethod(route_for_request)
    for signal in (post_save, post_delete):
        signal.connect(_forget_all, sender=Site, dispatch_uid="site_lookups_sites")
        signal.connect(_forget_all, sender=Locale, dispatch_uid="site_lookups_locales")
        # Any page type may be a home page: every saved page is looked at, by its depth only.
        signal.connect(_forget_home, dispatch_uid="site_lookups_homes")
