"""Whether an account may be used now: a suspended member cannot until the end date, a banned
member never.

The sanctions are two fields of the user (`suspended_until`, `banned_at`), set by the
moderation app. They live on the account rather than behind a registry hook because they are
read on every signed-in request: the user row is already loaded by the authentication
middleware, so the check costs no query, and the kernel never imports the app that sets them.

Three places ask `refusal(user)`:
- the allauth adapter's `pre_login`, so a log-in is refused with the reason;
- `SanctionMiddleware`, so a session opened before the sanction is cut at its very next request:
  it is flushed (its second-factor records, remembered policy acceptance and anything else held
  in it go with it), and the member sees why;
- live sockets: saving a sanction makes the member's open sockets re-check what they follow
(`core.signals`), and the socket consumer reads a sanctioned member as anonymous
(`core.consumers`), so private streams stop at once, before any page request.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext as _


def refusal(user, now: datetime | None = None) -> str | None:
    """The translated reason `user` may not use the site now, or None when they may."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if user.banned_at is not None:
        return _(
            "This account has been banned by the moderators for breaking the community rules. "
            "It can no longer be used."
        )
    now = now or timezone.now()
    if user.suspended_until is not None and user.suspended_until > now:
        when = formats.date_format(timezone.localtime(user.suspended_until), "DATETIME_FORMAT")
        return _(
            "This account is suspended by the moderators until %(date)s. "
            "You can sign in again after that date."
        ) % {"date": when}
    return None


def refused_response(request: HttpRequest, reason: str) -> HttpResponse:
    """The page a sanctioned member sees instead of what they asked for (403)."""
    return render(request, "core/sanctioned.html", {"reason": reason, "noindex": True}, status=403)


class SanctionMiddleware:
    """Cuts a suspended or banned member's open session at once, whatever page they ask for."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        reason = refusal(user)
        if reason is not None:
            # logout() flushes the whole session, so nothing this member held in it survives.
            logout(request)
            return refused_response(request, reason)
        return self.get_response(request)
