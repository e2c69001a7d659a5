"""Calendar files, written with `icalendar`: one event's `.ics`, and a member's feed of events.

Times are written in UTC (`DTSTART:...Z`), which Google, Outlook and Apple calendars all read
the same way, so no VTIMEZONE is needed; the organiser's time zone is kept in the description.
Each event's UID is stable (`event-<pk>@<host>`) so a calendar updates the entry when the event
changes; a cancelled event is sent with `STATUS:CANCELLED` so subscribed calendars drop it, and
a place on the waiting list with `STATUS:TENTATIVE` so the member's calendar shows it as not
confirmed. The join link is written only for readers allowed to see it (the caller says so),
and never for a waiting-list place: `place_entry` holds that rule, for the member's feed and
the download of one event alike.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC
from typing import NamedTuple

from icalendar import Calendar
from icalendar import Event as CalendarEvent

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from core.sanitize import plain_text

from .models import Event, RegistrationStatus

PRODUCT_ID = "-//Diaspora Hub//Events//EN"


def _host() -> str:
    hosts = [host for host in settings.ALLOWED_HOSTS if host not in ("*", "") and "*" not in host]
    return (hosts[0] if hosts else "diaspora-hub").lstrip(".")


class Entry(NamedTuple):
    """One event in a calendar: its absolute address, whether the reader may see its join
    link, and whether their place is only on the waiting list (`tentative`)."""

    event: Event
    url: str
    with_join_link: bool
    tentative: bool = False


def place_entry(event: Event, url: str, place: str | None, with_join_link: bool) -> Entry:
    """The entry for a reader whose live registration for `event` has the status `place`
    (None: not registered). A waiting-list place is TENTATIVE and carries no join link, whatever
    `with_join_link` (what the reader may otherwise see) says; nor does a cancelled event, which
    calendars keep, struck through, long after."""
    waiting = place == RegistrationStatus.WAITLISTED
    joins = with_join_link and not waiting and not event.is_cancelled
    return Entry(event, url, with_join_link=joins, tentative=waiting)


def _status(event: Event, tentative: bool) -> str:
    if event.is_cancelled:
        return "CANCELLED"
    return "TENTATIVE" if tentative else "CONFIRMED"


def _entry(event: Event, url: str, with_join_link: bool, tentative: bool) -> CalendarEvent:
    entry = CalendarEvent()
    entry.add("uid", f"event-{event.pk}@{_host()}")
    entry.add("dtstamp", timezone.now().astimezone(UTC))
    entry.add("last-modified", event.updated_at.astimezone(UTC))
    entry.add("dtstart", event.starts_at.astimezone(UTC))
    entry.add("dtend", event.ends_at.astimezone(UTC))
    entry.add("summary", event.title)
    lines = [plain_text(event.description)]
    lines.append(_("Organiser's time zone: %(zone)s") % {"zone": event.time_zone})
    if with_join_link and event.join_url:
        lines.append(_("Join: %(url)s") % {"url": event.join_url})
    lines.append(url)
    entry.add("description", "\n\n".join(line for line in lines if line))
    if event.venue:
        entry.add("location", event.venue)
    elif with_join_link and event.join_url:
        entry.add("location", event.join_url)
    entry.add("url", url)
    entry.add("status", _status(event, tentative))
    return entry


def build(entries: Iterable[Entry], name: str = "") -> bytes:
    """A VCALENDAR of these entries."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
    for item in entries:
        calendar.add_component(_entry(*item))
    return calendar.to_ical()
