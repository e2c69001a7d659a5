"""The events' panels: "Upcoming events" on the home page and on a country page (events held
in or about that country, with counts per country for the countries index), and the member's
dashboard "My events" (what they registered for or wait for, and their calendar address).

The home and country pages are Wagtail pages that cannot import this app: they render the
registered panels and declare the panels' content groups to the page cache, so a new, edited or
cancelled event shows on the cached page at once; the panel also caps the cached page's life at
the moment its first event starts or ends.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from core.country_panels import counts_by_country, page_country_code
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


def render_country_panel(request: HttpRequest, page) -> str:
    code = page_country_code(page)
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
    now = timezone.now()
    upcoming = listed().filter(ends_at__gt=now, cancelled_at__isnull=True)
    found = counts_by_country(request, upcoming, codes, leaves="ends_at", now=now)
    return {code: count for code, count in found.items() if count}


def render_my_events(request: HttpRequest) -> str:
    """Links to the member's events and calendar feed, with no query of its own: the dashboard
    is held to twelve SQL queries with every app's panels, and the list itself is one click
    away (`events:mine`)."""
    return render_to_string("events/_my_events.html", {}, request)
