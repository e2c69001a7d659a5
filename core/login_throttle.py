"""Slow password guessing on an account down, without letting anyone lock its owner out.

A fixed "N failures, then blocked" rule per account lets anyone who knows an address keep its
owner out forever, from addresses of their own choosing. Here each account (keyed by the
canonical form of the address typed, whether or not it exists, so that the answer says nothing
about membership) gets `FREE_FAILURES` attempts, then must wait between password attempts, the
wait doubling with each failure up to `MAX_DELAY_SECONDS`. Guessing drops to a few tries an
hour; the owner can still get in at once with a code e-mailed to them (allauth's log-in by code,
which does not go through here), and a successful password log-in or password reset starts the
count afresh. Limits per client address are allauth's (settings ACCOUNT_RATE_LIMITS).

An attempt is counted as a failure before the password is checked and forgiven if it succeeds, so
parallel requests cannot slip several guesses into one wait. The state lives in the shared cache
for `FORGET_AFTER_SECONDS` after the last failure.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.cache import cache

FREE_FAILURES = 5
FIRST_DELAY_SECONDS = 15
MAX_DELAY_SECONDS = 15 * 60
FORGET_AFTER_SECONDS = 24 * 60 * 60

# The clock, replaceable in tests so they check decisions rather than wait for them.
now: Callable[[], float] = time.time


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after: float  # seconds until a password attempt will be considered; 0 when allowed


def delay_after(failures: int) -> float:
    """How long an account waits after `failures` failed attempts before the next one."""
    if failures < FREE_FAILURES:
        return 0
    return min(MAX_DELAY_SECONDS, FIRST_DELAY_SECONDS * 2 ** (failures - FREE_FAILURES))


def _cache_key(account: str) -> str:
    return "login-throttle:" + hashlib.sha256(account.encode()).hexdigest()


@contextmanager
def _locked(key: str) -> Iterator[bool]:
    lock = f"{key}:lock"
    for _ in range(50):
        if cache.add(lock, 1, timeout=5):
            try:
                yield True
            finally:
                cache.delete(lock)
            return
        time.sleep(0.01)
    yield False


def failures(account: str) -> int:
    return cache.get(_cache_key(account), {}).get("failures", 0)


def begin_attempt(account: str) -> Decision:
    """May a password be tried on `account` now? If so, the attempt is counted as a failure."""
    key = _cache_key(account)
    with _locked(key) as locked:
        if not locked:  # a burst of parallel attempts on one account: refuse the extra ones
            return Decision(allowed=False, retry_after=1)
        state = cache.get(key) or {"failures": 0, "last": 0.0}
        moment = now()
        wait = delay_after(state["failures"]) - (moment - state["last"])
        if wait > 0:
            return Decision(allowed=False, retry_after=wait)
        cache.set(key, {"failures": state["failures"] + 1, "last": moment}, FORGET_AFTER_SECONDS)
        return Decision(allowed=True, retry_after=0)


def succeeded(account: str) -> None:
    """The owner proved who they are: forget the failures."""
    cache.delete(_cache_key(account))
