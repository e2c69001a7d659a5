"""The open-data API's throttles: per address for anonymous callers, per token (else per member)
for signed-in ones, at the rates of `settings.API_THROTTLE_RATES`, a 429 with Retry-After beyond.

They are DRF's `DEFAULT_THROTTLE_CLASSES` (settings), so every API view has them without naming
them: a plain `APIView` added later cannot fall back to a limit of DRF's own. That is also why
they live here rather than in `core.api`: DRF reads its default classes while it defines
`APIView`, so this module must not import `rest_framework.views` (nor `core.api`, at import).
Only requests under the public API's prefix are counted; the Wagtail admin's own DRF views are
the editors' tools, not the open-data API.
"""

from __future__ import annotations

import math
import time

from rest_framework.throttling import BaseThrottle

from django.conf import settings

from .api_models import count_hit
from .page_cache import group_versions_from_rows, group_versions_source

# Where the public API lives (re-exported by `core.api`, which imports this module).
PUBLIC_API_PREFIX = "/api/v1/"


class _WindowThrottle(BaseThrottle):
    """A fixed-window limit per caller, counted in one statement (`core.api_models`); the rate
    ("120/minute") is read from `settings.API_THROTTLE_RATES[scope]` at each request."""

    scope = ""
    DURATIONS = {"s": 1, "m": 60, "h": 3600, "d": 86400}

    def get_cache_key(self, request, view) -> str | None:
        raise NotImplementedError

    def allow_request(self, request, view) -> bool:
        if not request.path.startswith(PUBLIC_API_PREFIX):
            return True
        key = self.get_cache_key(request, view)
        return key is None or self.count(getattr(request, "_request", request), key, view)

    def count(self, http_request, key: str, view) -> bool:
        """Count this request under `key` (once per request: a count the conditional fast path
        made is taken again) and say whether it is within the rate."""
        from .api import ApiReadView

        rate = getattr(settings, "API_THROTTLE_RATES", {}).get(self.scope)
        if not rate:
            return True
        number, _slash, period = rate.partition("/")
        counted = http_request.__dict__.setdefault("_api_counts", {})
        if (self.scope, key) not in counted:
            duration = self.DURATIONS[period[0]]
            now = time.time()
            window_end = (int(now // duration) + 1) * duration
            # A read endpoint's validator tokens come with the count: one round trip, not two.
            groups = view.validator_groups() if isinstance(view, ApiReadView) else None
            source = group_versions_source(groups) if groups else None
            count, rows = count_hit(key, window_end, source)
            counted[(self.scope, key)] = (count, window_end, now)
            if source is not None:
                view.group_tokens = group_versions_from_rows(groups, rows)
        count, self.window_end, self.now = counted[(self.scope, key)]
        return count <= int(number)

    def wait(self) -> float:
        return max(1.0, math.ceil(self.window_end - self.now))


def anonymous_key(http_request) -> str:
    """The throttle key of an anonymous caller: its address."""
    return f"{AnonymousIpThrottle.scope}:{http_request.META.get('REMOTE_ADDR', '')}"[:200]


class AnonymousIpThrottle(_WindowThrottle):
    """Anonymous callers, per address (REMOTE_ADDR: the server trusts proxies' headers itself)."""

    scope = "api_anon"

    def get_cache_key(self, request, view) -> str | None:
        if request.user and request.user.is_authenticated:
            return None
        return anonymous_key(request)


class MemberOrTokenThrottle(_WindowThrottle):
    """Signed-in callers: per API token when the request carries one, else per member."""

    scope = "api_member"

    def get_cache_key(self, request, view) -> str | None:
        if not (request.user and request.user.is_authenticated):
            return None
        token_pk = getattr(request.auth, "pk", None)
        ident = f"token-{token_pk}" if token_pk is not None else f"user-{request.user.pk}"
        return f"{self.scope}:{ident}"
