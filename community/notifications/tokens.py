"""Signed unsubscribe tokens: a link in an e-mail stops some kinds of e-mail without logging in.

The token names the member and the kinds it stops, signed with the site's secret
(`django.core.signing`, its own salt), so a tampered token or one made for another member is
refused; it never expires (an old e-mail's link must still work) and does nothing but set those
kinds to "never" for that member.
"""

from __future__ import annotations

from django.core import signing

from core.models import User

SALT = "notifications.unsubscribe"


def unsubscribe_token(user: User, kinds: list[str]) -> str:
    return signing.dumps({"u": user.pk, "k": sorted(set(kinds))}, salt=SALT, compress=True)


def read_token(token: str) -> tuple[User, list[str]] | None:
    """The member and kinds a valid token names, or None (tampered, unknown member)."""
    try:
        payload = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("k"), list):
        return None
    user = User.objects.filter(pk=payload.get("u"), is_active=True).first()
    if user is None:
        return None
    return user, [str(kind) for kind in payload["k"]]
