"""Middleware of the kernel: anonymous page cache, staff two-factor, policy re-acceptance, CSP.

Each piece is small and says why it exists:
- the page cache serves anonymous readers from the shared `pages` cache and never caches a
  signed-in member's page (their pages carry their name and private data);
- members without admin access get a 403 there; staff must pass a second factor in the session;
- a member asked to accept a new version of a policy sees that page before any other;
- the Wagtail admin needs inline scripts, so it gets a looser CSP than the public site.
"""

from __future__ import annotations

from urllib.parse import urlencode

from csp.constants import NONE, SELF, UNSAFE_EVAL, UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.cache import FetchFromCacheMiddleware, UpdateCacheMiddleware
from django.urls import reverse

from .guards import privileged_access_response
from .roles import ADMIN_PERMISSION

UNCACHED_PREFIXES = (
    "/admin/",
    "/django-admin/",
    "/api/",
    "/ws/",
    "/healthz",
    "/static/",
)
ADMIN_PREFIXES = ("/admin/", "/django-admin/", "/api/v1/docs/")


def _is_uncached_path(path: str) -> bool:
    return path.startswith(UNCACHED_PREFIXES) or "/accounts/" in path


class AnonymousPageCacheUpdateMiddleware(UpdateCacheMiddleware):
    def __init__(self, get_response) -> None:
        super().__init__(get_response)
        self.cache_alias = "pages"
        self.cache_timeout = settings.PAGE_CACHE_SECONDS
        self.page_timeout = None
        self.key_prefix = "anon"

    def _should_update_cache(self, request: HttpRequest, response: HttpResponse) -> bool:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return False
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            return False  # a session may hold messages or a password for a private page
        if _is_uncached_path(request.path) or response.status_code != 200:
            return False
        return super()._should_update_cache(request, response)


class AnonymousPageCacheFetchMiddleware(FetchFromCacheMiddleware):
    def __init__(self, get_response) -> None:
        super().__init__(get_response)
        self.cache_alias = "pages"
        self.key_prefix = "anon"

    def process_request(self, request: HttpRequest):
        if (
            settings.PAGE_CACHE_SECONDS <= 0
            or settings.SESSION_COOKIE_NAME in request.COOKIES
            or _is_uncached_path(request.path)
        ):
            request._cache_update_cache = False
            return None
        return super().process_request(request)


class AdminAccessMiddleware:
    """Guards the admin before Wagtail sees the request, with the rule of `core.guards`.

    A signed-in member without the admin permission gets a plain 403 (Wagtail would send them
    to the login page, which sends a signed-in person straight back: a loop). Whoever holds it
    must have passed a second factor in this session: those without an authenticator set one
    up, those with one give a code, before the admin (or its API) opens.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(("/admin/", "/django-admin/")):
            return self.get_response(request)
        if request.user.is_authenticated:
            # Anonymous visitors go on to the admins' own redirect to the site's log-in page.
            response = privileged_access_response(request, ADMIN_PERMISSION)
            if response is not None:
                return response
        return self.get_response(request)


class PolicyAcceptanceMiddleware:
    """Sends a signed-in member to accept the current policies when a new version is out."""

    EXEMPT = (
        "/static/",
        "/media/",
        "/healthz",
        "/ws/",
        "/api/",
        "/admin/",
        "/robots.txt",
    )

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path
        if request.user.is_authenticated and not (
            path.startswith(self.EXEMPT) or "/accounts/" in path
        ):
            from .policies import pending_policies
            from .registries import current_policies

            policies = current_policies()
            # The policy pages themselves stay readable, or nobody could read what to accept.
            if all(path != p.url for p in policies) and pending_policies(request.user, policies):
                url = reverse("policies_accept")
                return HttpResponseRedirect(f"{url}?{urlencode({'next': path})}")
        return self.get_response(request)


ADMIN_POLICY = {
    "default-src": [SELF],
    "script-src": [SELF, UNSAFE_INLINE, UNSAFE_EVAL],
    "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:", "blob:"],
    "connect-src": [SELF],
    "font-src": [SELF, "data:"],
    "frame-src": [SELF],
    "frame-ancestors": [SELF],
    "form-action": [SELF],
    "base-uri": [SELF],
    "object-src": [NONE],
}


class SectionContentSecurityPolicyMiddleware(CSPMiddleware):
    """A strict policy for the public site; a looser one for the Wagtail admin's own scripts."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponse, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path.startswith(ADMIN_PREFIXES):
            parts.config = ADMIN_POLICY
        return parts
