"""Middleware of the kernel: anonymous page cache, staff two-factor, policy re-acceptance, CSP.

Each piece is small and says why it exists:
- the page cache serves anonymous readers from the shared `pages` cache while the content
  groups a page shows are unchanged (`core.page_cache`), and never caches a signed-in member's
  page (their pages carry their name and private data);
- a session without its second factor holds no privileged permission anywhere (its user answers
  as an ordinary member);
- members without admin access get a 403 there; staff must pass a second factor in the session;
- a member asked to accept a new version of a policy sees that page before any other;
- the Wagtail admin needs inline scripts, so it gets a looser CSP than the public site.
"""

from __future__ import annotations

import time
from urllib.parse import urlencode

from csp.constants import HEADER, HEADER_REPORT_ONLY, NONE, SELF, UNSAFE_EVAL, UNSAFE_INLINE
from csp.middleware import CheckableLazyObject, CSPMiddleware, PolicyParts
from csp.utils import build_policy

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.cache import FetchFromCacheMiddleware, UpdateCacheMiddleware
from django.urls import reverse
from django.utils.cache import (
    # Django's own key makers, as `get_cache_key` uses them (see `_lookup`).
    _generate_cache_header_key,
    _generate_cache_key,
    get_max_age,
    has_vary_header,
    learn_cache_key,
    patch_cache_control,
)

from .frontend_cache import is_configured as is_frontend_cache_configured
from .guards import privileged_access_response, restrict_without_second_factor
from .page_cache import (
    EVERYTHING,
    cache_lifetime,
    declared_groups,
    group_key,
    group_versions,
    is_current,
    known_groups,
    local_copies,
    new_stamp,
    stamp_key,
)
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
# Not "anon2": pages stored before content groups carry no group tokens.
PAGE_KEY_PREFIX = "anon3"


def _is_uncached_path(path: str) -> bool:
    # Account pages and private files (core.private_files) are one person's, in every language.
    return (
        path.startswith(UNCACHED_PREFIXES)
        or "/accounts/" in path
        or path.split("/", 3)[2:3] == ["private"]
    )


class AnonymousPageCacheUpdateMiddleware(UpdateCacheMiddleware):
    """Stores anonymous readers' pages in the `pages` cache and says who else may keep them.

    Browsers are told `no-cache` (`max-age=0`): they ask again every time, so a page made
    private or changed reaches the next view, and our own cache answers that refetch cheaply.
    Shared caches (Varnish, a CDN) get `s-maxage` only on a Wagtail page's own addresses, only
    when `core.frontend_cache` can purge them, and only if the page depends on site-wide content
    alone: content groups (`core.page_cache.depends_on`) change without a purge by address. Any
    other HTML says `private, no-cache`, so that no proxy keeps a signed-in member's page for
    the next visitor.

    Each page is stored with the content-group tokens it was rendered with, and for
    `PAGE_CACHE_SECONDS` or the shorter lifetime it asked for (`core.page_cache.expire_within`).
    """

    def __init__(self, get_response) -> None:
        super().__init__(get_response)
        self.cache_alias = "pages"
        self.cache_timeout = settings.PAGE_CACHE_SECONDS
        self.page_timeout = None
        self.key_prefix = PAGE_KEY_PREFIX

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if getattr(request, "_page_cache_hit", False):
            return response  # stored with its headers
        if not self._is_for_everyone(request, response):
            if "Cache-Control" not in response and "html" in response.get("Content-Type", ""):
                patch_cache_control(response, private=True, no_cache=True)
            return response
        shared_timeout = cache_lifetime(request, response, settings.FRONTEND_CACHE_SECONDS)
        if self._shared_caches_may_keep(request) and shared_timeout > 0:
            patch_cache_control(response, public=True, max_age=0, s_maxage=shared_timeout)
        else:
            patch_cache_control(response, no_cache=True, max_age=0)
        timeout = cache_lifetime(request, response, settings.PAGE_CACHE_SECONDS)
        if getattr(request, "_cache_update_cache", False) and timeout > 0:
            response._page_cached_at = time.time()
            key = learn_cache_key(request, response, timeout, self.key_prefix, cache=self.cache)

            def store(rendered: HttpResponse) -> None:
                # Read once rendered: panels declare their groups while the page renders.
                versions = declared_groups(request)
                if versions is None:
                    versions = {EVERYTHING: getattr(request, "_page_everything", None)}
                if any(token is None for token in versions.values()):
                    return  # the cache could not say which version this is
                rendered._page_groups = dict(versions)
                # Its stamp, inside it and beside it: a hit reads the stamp, and this
                # process's copy (`core.page_cache.LocalCopies`) if the stamps agree.
                rendered._page_stamp = new_stamp()
                rendered._page_expires = time.time() + timeout
                self.cache.set_many({key: rendered, stamp_key(key): rendered._page_stamp}, timeout)
                local_copies.keep(key, rendered)

            if callable(getattr(response, "render", None)):
                response.add_post_render_callback(store)
            else:
                store(response)
        return response

    @staticmethod
    def _is_for_everyone(request: HttpRequest, response: HttpResponse) -> bool:
        """The same response would go to every anonymous reader of this address."""
        if settings.SESSION_COOKIE_NAME in request.COOKIES or "Authorization" in request.headers:
            return False  # a session may hold messages or a password for a private page
        user = getattr(request, "user", None)
        if request.method not in ("GET", "HEAD") or (user is not None and user.is_authenticated):
            return False
        if _is_uncached_path(request.path) or response.status_code != 200 or response.streaming:
            return False
        if response.cookies or has_vary_header(response, "*"):
            return False
        cache_control = response.get("Cache-Control", "").lower()
        if any(word in cache_control for word in ("private", "no-cache", "no-store")):
            return False  # e.g. a page behind a view restriction, served to one who may see it
        return get_max_age(response) != 0

    @staticmethod
    def _shared_caches_may_keep(request: HttpRequest) -> bool:
        # Only what a purge reaches: a live page's own address, without a query string, whose
        # content changes only with a purge (no content group).
        return (
            is_frontend_cache_configured()
            and not request.META.get("QUERY_STRING")
            and request.path in getattr(request, "purgeable_paths", ())
            and declared_groups(request) == {}
        )


# The header list each address's page varies on, as last read from the `pages` cache (see
# `AnonymousPageCacheFetchMiddleware._lookup`): a guess, always checked against the list read.
MAX_HEADER_LISTS = 10_000
_header_lists: dict[str, list[str]] = {}


class AnonymousPageCacheFetchMiddleware(FetchFromCacheMiddleware):
    """Answers anonymous readers from the `pages` cache while the stored page is current.

    One `get_many` reads the page with the list of headers it varies on and the tokens of the
    content groups this process knows (`core.page_cache.known_groups`); a page whose tokens
    changed is a miss.
    """

    def __init__(self, get_response) -> None:
        super().__init__(get_response)
        self.cache_alias = "pages"
        self.key_prefix = PAGE_KEY_PREFIX

    def process_request(self, request: HttpRequest):
        if (
            settings.PAGE_CACHE_SECONDS <= 0
            or settings.SESSION_COOKIE_NAME in request.COOKIES
            or _is_uncached_path(request.path)
        ):
            request._cache_update_cache = False
            return None
        # Django's own lookup, without its Age arithmetic (which needs an Expires header: we
        # send none, as browsers must not keep pages).
        request._cache_update_cache = True
        if request.method not in ("GET", "HEAD"):
            request._cache_update_cache = False
            return None
        response = None
        tokens: dict[str, str | None] = {}
        for method in ("GET", "HEAD") if request.method == "HEAD" else ("GET",):
            response, tokens = self._lookup(request, method)
            if response is not None:
                break
        if response is not None and not self._is_current(response, tokens):
            response = None
        if response is None:
            # A page that declares no group is stored with this token, read before it renders.
            request._page_everything = (
                tokens.get(EVERYTHING) or group_versions([EVERYTHING])[EVERYTHING]
            )
            return None
        request._cache_update_cache = False
        request._page_cache_hit = True
        stored_at = getattr(response, "_page_cached_at", None)
        if stored_at is not None:
            # How long ago it was rendered: a shared cache counts its s-maxage from then.
            response["Age"] = str(max(0, int(time.time() - stored_at)))
        return response

    def _lookup(
        self, request: HttpRequest, method: str
    ) -> tuple[HttpResponse | None, dict[str, str | None]]:
        """The stored page for `method` and the known groups' tokens, in one round trip when
        this process has seen the address's header list before.

        Django's own lookup (`get_cache_key`) reads the list of headers the page varies on,
        then the page stored under the key made with them: two round trips to the `pages`
        cache for every hit. The list last read for an address is remembered here, so the page
        it names is asked for with it; only if the list read differs is the page asked for again.
        """
        header_key = _generate_cache_header_key(self.key_prefix, request)
        remembered = _header_lists.get(header_key)
        guess = (
            _generate_cache_key(request, method, remembered, self.key_prefix)
            if remembered is not None
            else None
        )
        groups = known_groups()
        wanted = [header_key, *(group_key(group) for group in groups)]
        # With a copy of the guessed page here, only its stamp is read: the page itself only
        # if the stamp stored beside it is another (`core.page_cache.LocalCopies`).
        has_copy = guess is not None and local_copies.stamp_of(guess) is not None
        if guess is not None:
            wanted.append(stamp_key(guess) if has_copy else guess)
        found = self.cache.get_many(wanted)
        tokens = {group: found.get(group_key(group)) for group in groups}
        headers = found.get(header_key)
        if headers is None:
            return None, tokens
        if len(_header_lists) >= MAX_HEADER_LISTS:
            _header_lists.clear()
        _header_lists[header_key] = headers
        key = _generate_cache_key(request, method, headers, self.key_prefix)
        if key == guess and has_copy:
            page = local_copies.page(key, found.get(stamp_key(key)))
            if page is not None:
                return page, tokens
            page = self.cache.get(key)
        elif key == guess:
            page = found.get(key)
        else:
            page = self.cache.get(key)
        local_copies.keep(key, page)
        return page, tokens

    def _is_current(self, response: HttpResponse, tokens: dict[str, str | None]) -> bool:
        versions = getattr(response, "_page_groups", None) or {}
        unread = [group for group in versions if group not in tokens]
        if unread:
            # Groups this process has not met yet: one more round trip, once.
            found = self.cache.get_many([group_key(group) for group in unread])
            tokens = {**tokens, **{group: found.get(group_key(group)) for group in unread}}
        return is_current(versions, tokens)


class SecondFactorPrivilegeMiddleware:
    """A session that has not given its second factor holds no privileged permission.

    Right after authentication: the request's user, when its account needs a second factor
    (`core.guards.needs_second_factor`) and this session has not given one, answers every
    permission question as an ordinary member for this request (`core.privilege`), so that
    every visibility rule of every app, the API and the templates see a member, with nothing
    to remember view by view. Guarded views still know what the account would hold, and send
    it to the code prompt. Nothing changes without `STAFF_REQUIRE_2FA`.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.STAFF_REQUIRE_2FA and hasattr(request, "user"):
            # The user row is read on every request anyway (`core.sanctions` next); this asks
            # nothing more of the database for members, nor for staff who gave their code.
            restrict_without_second_factor(request, request.user)
            # `await request.auser()` must give the same, restricted, object.
            if request.user.is_authenticated:
                request._acached_user = getattr(request.user, "_wrapped", request.user)
        return self.get_response(request)


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
    """Sends a signed-in member to accept the current policies when a new version is out.

    Once a session's member is seen to have accepted the current versions, the session remembers
    it: acceptances are never withdrawn, so until a new version is published (which changes the
    versions compared) no page view needs to look them up again.
    """

    EXEMPT = (
        "/static/",
        "/media/",
        "/healthz",
        "/ws/",
        "/api/",
        "/admin/",
        "/robots.txt",
    )
    SESSION_KEY = "_policies_accepted"

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
            accepted = [request.user.pk, [[p.kind, p.version] for p in policies]]
            # The policy pages themselves stay readable, or nobody could read what to accept.
            if request.session.get(self.SESSION_KEY) != accepted and all(
                path != p.url for p in policies
            ):
                if pending_policies(request.user, policies):
                    url = reverse("policies_accept")
                    return HttpResponseRedirect(f"{url}?{urlencode({'next': path})}")
                request.session[self.SESSION_KEY] = accepted
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


# The settings' policy and its report-only twin, built once per process (see below).
_settings_policies: tuple[str, str] | None = None


def add_settings_policy(request: HttpRequest, response: HttpResponse) -> None:
    """Set the settings' policy headers as django-csp sets them on a response outside the admin
    that used no nonce and set no policy of its own (also for an answer given before the
    policy middleware is reached: `core.api_middleware.ConditionalApiMiddleware`)."""
    global _settings_policies
    policies = _settings_policies
    if policies is None:
        policies = _settings_policies = (build_policy(), build_policy(report_only=True))
    for header, value, setting in (
        (HEADER, policies[0], "CONTENT_SECURITY_POLICY"),
        (HEADER_REPORT_ONLY, policies[1], "CONTENT_SECURITY_POLICY_REPORT_ONLY"),
    ):
        prefixes = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
        if value and header not in response and not request.path_info.startswith(tuple(prefixes)):
            response[header] = value


# What django-csp's response could carry, set from settings per request.
_OWN_POLICY_ATTRIBUTES = (
    "_csp_config", "_csp_update", "_csp_replace", "_csp_config_ro", "_csp_update_ro",
    "_csp_replace_ro", "_csp_exempt", "_csp_exempt_ro",
)  # fmt: skip


class SectionContentSecurityPolicyMiddleware(CSPMiddleware):
    """A strict policy for the public site; a looser one for the Wagtail admin's own scripts.

    A response outside the admin that used no nonce and set no policy of its own view carries
    the settings' policy, which never changes within a process: it is built once (django-csp
    builds it again for each response, a tenth of a cached 304's time) and set as django-csp
    sets it.
    """

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if (
            request.path.startswith(ADMIN_PREFIXES)
            or getattr(request, "_csp_nonce", None) is not None
            or any(getattr(response, name, None) is not None for name in _OWN_POLICY_ATTRIBUTES)
            or (settings.DEBUG and response.status_code in (404, 500))
        ):
            return super().process_response(request, response)
        add_settings_policy(request, response)
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponse, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path.startswith(ADMIN_PREFIXES):
            parts.config = ADMIN_POLICY
        return parts
