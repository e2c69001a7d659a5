"""A fixed-window rate limit over the shared cache, for actions members repeat (posting, flags).

Shared cache means every server process counts together. Account actions (log-in attempts,
sign-up, password reset) use allauth's own limits, configured in settings.
"""

from __future__ import annotations

import math
import time

from django.core.cache import cache


def hit(scope: str, key: str, limit: int, window_seconds: int) -> bool:
    """Count one action; False when `key` has done `scope` more than `limit` times this window."""
    window = int(time.time() // window_seconds)
    cache_key = f"rl:{scope}:{key}:{window}"
    if cache.add(cache_key, 1, timeout=window_seconds + 1):
        return True
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=window_seconds + 1)
        return True
    return count <= limit


def seconds_left(window_seconds: int, now: float | None = None) -> int:
    """Seconds until the current window of `hit` ends (windows are aligned on the epoch), at
    least 1: what a refused caller is told to wait (an API's Retry-After)."""
    now = time.time() if now is None else now
    return max(1, math.ceil(window_seconds - now % window_seconds))
