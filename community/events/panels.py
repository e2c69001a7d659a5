"""The events' panels: "Upcoming events" on the home page and on a country page (events held
in or about that country, with counts per country for the countries index), and the member's
dashboard "My events" (what they registered for or wait for, and their calendar address).

The home and country pages are Wagtail pages that cannot import this app: they render the
registered panels and declare the panels' content groups to the page cache, so a new, edited or
cancelled event shows on the cached page at once; the panel also caps the cached page's life at
the moment its first event starts or ends.
"""

from __future__ import annotations

from django.db.models import Count, Min, Q
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from core.page_cache import expire_within

from .listing import listed, next_change

SHOWN = 5


def _upcoming(now):
    return (
        listed()
        .filter(ends_at__gt=now, cancelled_at__isnull=True)
        .select_related("organisation")
        .order_by("starts_at", "pk")
    )


def render_home_panel(request: HttpRequest, page) -> str:
    now = timezone.now()
    found = list(_upcoming(now)[:SHOWN])
    # One that ends leaves the panel and lets a later one in.
    expire_within(request, next_change(found, now))
    if not found:
        return ""
    return render_to_string(
        "events/_panel.html",
        {"events": found, "more_url": reverse("events:index")},
        request=request,
    )


def _country_code(page) -> str:
    country = getattr(page, "country", None)
    code = str(getattr(country, "code", country) or "")
    return code if len(code) == 2 and code.isascii() and code.isalpha() else ""


def render_country_panel(request: HttpRequest, page) -> str:
    code = _country_code(page)
    if not code:
        return ""
    now = timezone.now()
    found = list(_upcoming(now).filter(countries__contains=code)[:SHOWN])
    expire_within(request, next_change(found, now))
    if not found:
        return ""
    return render_to_string(
        "events/_panel.html",
        {"events": found, "more_url": f"{reverse('events:index')}?country={code}"},
        request=request,
    )


def count_upcoming_by_country(request: HttpRequest, codes: list[str]) -> dict[str, int]:
    """How many upcoming events each of these countries has, in one query."""
    codes = [code for code in codes if len(code) == 2 and code.isascii() and code.isalpha()]
    if not codes:
        return {}
    now = timezone.now()
    any_code = Q()
    for code in codes:
        any_code |= Q(countries__contains=code)
    found = (
        listed()
        .filter(ends_at__gt=now, cancelled_at__isnull=True)
        .aggregate(
            first_end=Min("ends_at", filter=any_code),
            **{code: Count("pk", filter=Q(countries__contains=code)) for code in codes},
        )
    )
    first_end = found.pop("first_end")
    if first_end is not None:
        expire_within(request, (first_end - now).total_seconds())
    return {code: count for code, count in found.items() if count}


def render_my_events(request: HttpRequest) -> str:
    """Links to the member's events and calendar feed, with no query of its own: the dashboard
    is held to twelve SQL queries with every app's panels, and the list itself is one click
    away (`events:mine`)."""
    return render_to_string("events/_my_events.html", {}, request)
