"""A fixed-window rate limit over the shared cache, for actions members repeat (posting, flags).

Shared cache means every server process counts together. Account actions (log-in attempts,
sign-up, password reset) use allauth's own limits, configured in settings.
"""

from __future__ import annotations

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
