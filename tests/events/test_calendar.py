"""Calendar files: one event's `.ics` parses back with `icalendar` to the right moment in UTC,
and a member's feed lives at a secret address that is never cached and stops at once when
revoked."""

from __future__ import annotations

from datetime import UTC

import pytest
from icalendar import Calendar

from django.core.cache import caches

from community.events.models import CalendarFeed

from .conftest import JOIN, make_event, register

pytestmark = pytest.mark.django_db
WAITING_JOIN = "https://meet.example.org/queue-room-9917"


def _events(body: bytes) -> list:
    calendar = Calendar.from_ical(body)
    assert calendar["VERSION"] == "2.0" and calendar.get("PRODID")
    return [part for part in calendar.walk("VEVENT")]


def _text(entry) -> str:
    """Everything a calendar shows of an entry: description, location and address."""
    return " ".join(str(entry.get(field, "")) for field in ("DESCRIPTION", "LOCATION", "URL"))


def test_an_events_ics_is_valid_and_in_utc(world):
    event = world["event"]
    response = world["anonymous"].get(f"/en/events/{event.pk}/event.ics")
    assert response["Content-Type"].startswith("text/calendar")
    assert f'filename="event-{event.pk}.ics"' in response["Content-Disposition"]
    (entry,) = _events(response.content)
    assert str(entry["SUMMARY"]) == event.title
    assert entry.decoded("DTSTART") == event.starts_at.astimezone(UTC).replace(microsecond=0)
    assert entry.decoded("DTEND") == event.ends_at.astimezone(UTC).replace(microsecond=0)
    assert entry.decoded("DTSTART").tzinfo is not None
    assert str(entry["UID"]).startswith(f"event-{event.pk}@")
    assert str(entry["STATUS"]) == "CONFIRMED"
    assert "Africa/Dakar" in str(entry["DESCRIPTION"]) and JOIN not in str(entry["DESCRIPTION"])


def _download(client, event) -> tuple[object, str]:
    """The single VEVENT of one event's `.ics`, and the file's text unfolded."""
    response = client.get(f"/en/events/{event.pk}/event.ics")
    assert response.status_code == 200
    (entry,) = _events(response.content)
    return entry, response.content.decode().replace("\r\n ", "")


def test_one_events_ics_says_tentative_without_join_link_for_a_waiting_list_place(world):
    caches["pages"].clear()
    event = world["event"]
    queued, text = _download(world["waiting"], event)
    assert str(queued["STATUS"]) == "TENTATIVE"
    assert JOIN not in _text(queued) and JOIN not in text


def test_one_events_ics_is_confirmed_with_join_link_for_a_confirmed_attendee(world):
    caches["pages"].clear()
    seat, _ = _download(world["attendee"], world["event"])
    assert str(seat["STATUS"]) == "CONFIRMED" and JOIN in _text(seat)


def test_one_events_ics_is_confirmed_without_join_link_for_readers_not_registered(world):
    caches["pages"].clear()
    for reader in ("member", "anonymous"):
        entry, text = _download(world[reader], world["event"])
        assert str(entry["STATUS"]) == "CONFIRMED", reader
        assert JOIN not in _text(entry) and JOIN not in text, reader


def test_an_organiser_on_the_waiting_list_downloads_a_tentative_entry_without_join_link(world):
    caches["pages"].clear()
    event = world["event"]
    register(event, world["users"]["admin"], status="waitlisted")
    queued, text = _download(world["admin"], event)
    assert str(queued["STATUS"]) == "TENTATIVE" and JOIN not in text


def test_a_members_feed_lists_their_events_is_never_cached_and_revoking_stops_it(world):
    caches["pages"].clear()
    attendee = world["attendee"]
    other = make_event(world["organisation"], title="Another event", days=9, join_url=WAITING_JOIN)
    register(other, world["users"]["attendee"], status="waitlisted")
    make_event(world["organisation"], title="Not theirs", days=10)

    attendee.post("/en/events/calendar/", {"action": "create"})
    token = CalendarFeed.objects.get(member=world["users"]["attendee"]).token
    page = attendee.get("/en/events/calendar/").content.decode()
    assert token in page
    feed_url = f"/en/events/feed/{token}.ics"

    reader = world["anonymous"]  # a calendar application: no session
    first = reader.get(feed_url)
    assert first.status_code == 200 and "no-store" in first["Cache-Control"]
    entries = {str(entry["SUMMARY"]): entry for entry in _events(first.content)}
    assert set(entries) == {world["event"].title, "Another event"}
    # The join link only for the confirmed seat, not the waiting-list place, which a calendar
    # shows as not yet confirmed.
    seat, queued = entries[world["event"].title], entries["Another event"]
    assert JOIN in _text(seat) and str(seat["STATUS"]) == "CONFIRMED"
    assert WAITING_JOIN not in _text(queued) and str(queued["STATUS"]) == "TENTATIVE"
    assert WAITING_JOIN not in first.content.decode().replace("\r\n ", "")
    second = reader.get(feed_url)
    assert "Age" not in second.headers  # never served from the page cache

    attendee.post("/en/events/calendar/", {"action": "revoke"})
    assert reader.get(feed_url).status_code == 404
    assert not CalendarFeed.objects.filter(member=world["users"]["attendee"]).exists()

    attendee.post("/en/events/calendar/", {"action": "create"})
    renewed = CalendarFeed.objects.get(member=world["users"]["attendee"]).token
    assert renewed != token and reader.get(feed_url).status_code == 404
    assert reader.get(f"/en/events/feed/{renewed}.ics").status_code == 200


def test_a_cancelled_event_says_so_in_its_calendar_entry(world):
    event = world["event"]
    world["admin"].post(f"/en/events/{event.pk}/cancel/")
    (entry,) = _events(world["anonymous"].get(f"/en/events/{event.pk}/event.ics").content)
    assert str(entry["STATUS"]) == "CANCELLED"


def test_a_cancelled_event_in_an_attendees_feed_and_download_carries_no_join_link(world):
    """A calendar keeps a cancelled entry (struck through): it must not keep the way in."""
    caches["pages"].clear()
    event, attendee = world["event"], world["attendee"]
    world["admin"].post(f"/en/events/{event.pk}/cancel/")
    attendee.post("/en/events/calendar/", {"action": "create"})
    token = CalendarFeed.objects.get(member=world["users"]["attendee"]).token
    feed = world["anonymous"].get(f"/en/events/feed/{token}.ics")
    (entry,) = _events(feed.content)
    assert str(entry["STATUS"]) == "CANCELLED"
    assert JOIN not in feed.content.decode().replace("\r\n ", "")
    downloaded, text = _download(attendee, event)
    assert str(downloaded["STATUS"]) == "CANCELLED" and JOIN not in text


def test_registrations_join_the_members_data_export_and_go_with_erasure(world):
    from core.registries import personal_data

    attendee = world["users"]["attendee"]
    assert personal_data["events"].export(attendee)["calendar_feed_created_at"] is None
    world["attendee"].post("/en/events/calendar/", {"action": "create"})
    feed = CalendarFeed.objects.get(member=attendee)
    section = personal_data["events"].export(attendee)
    assert [row["event"] for row in section["registrations"]] == [world["event"].title]
    assert section["calendar_feed_created_at"] == feed.created_at.isoformat()
    assert feed.token not in str(section)  # the secret stays out of a file that travels
    personal_data["events"].erase(attendee)
    assert not CalendarFeed.objects.filter(member=attendee).exists()
    assert world["anonymous"].get(f"/en/events/feed/{feed.token}.ics").status_code == 404
    waiting = world["event"].registrations.get(member=world["users"]["waiting"])
    assert waiting.status == "confirmed"  # the freed seat went to the waiting list
    assert not world["event"].registrations.filter(member=attendee).exists()
