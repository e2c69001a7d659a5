"""The reader's own time zone, for pages that show a moment set in someone else's.

Opportunity deadlines (and later events) are shown in the organiser's time zone with its UTC
offset; a signed-in member who chose a time zone in their profile also sees the moment in theirs.
Looked up once per request, and only by pages that show such a moment, so other pages pay
nothing. Anonymous readers get no server-side guess (their pages are cached for everyone); the
site script adds their browser's time instead.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.http import HttpRequest

from .models import Profile


def reader_zone_name(request: HttpRequest | None) -> str:
    """The signed-in reader's profile time zone name, or "" (anonymous, or none chosen)."""
    user = getattr(request, "user", None)
    if request is None or user is None or not user.is_authenticated:
        return ""
    if not hasattr(request, "_reader_zone"):
        name = Profile.objects.filter(user=user).values_list("time_zone", flat=True).first()
        try:
            request._reader_zone = ZoneInfo(name).key if name else ""
        except (ZoneInfoNotFoundError, ValueError):
            request._reader_zone = ""
    return request._reader_zone
