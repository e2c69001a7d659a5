"""The reader's own time zone, for pages that show a moment set in someone else's.

Opportunity deadlines (and later events) are shown in the organiser's time zone with its UTC
offset; a signed-in member who chose a time zone in their profile also sees the moment in theirs.
Looked up once per request, and only by pages that show such a moment, so other pages pay
nothing. Anonymous readers get no server-side guess (their pages are cached for everyone); the
site script adds their browser's time instead.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db.models import OuterRef, Subquery
from django.http import HttpRequest

from .models import Profile

READER_ZONE_COLUMN = "reader_time_zone"
_NOT_READ = object()


def zone_column() -> Subquery:
    """The member's profile time zone, as a column of their user row (`core.registries.
    signed_in_user_columns`)."""
    return Subquery(Profile.objects.filter(user=OuterRef("pk")).values("time_zone")[:1])


def reader_zone_name(request: HttpRequest | None) -> str:
    """The signed-in reader's profile time zone name, or "" (anonymous, or none chosen)."""
    user = getattr(request, "user", None)
    if request is None or user is None or not user.is_authenticated:
        return ""
    if not hasattr(request, "_reader_zone"):
        # Read with the user (`zone_column`), or by a query of its own for a user read otherwise.
        name = getattr(user, READER_ZONE_COLUMN, _NOT_READ)
        if name is _NOT_READ:
            name = Profile.objects.filter(user=user).values_list("time_zone", flat=True).first()
        try:
            request._reader_zone = ZoneInfo(name).key if name else ""
        except (ZoneInfoNotFoundError, ValueError):
            request._reader_zone = ""
    return request._reader_zone
