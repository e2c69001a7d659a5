"""Registration closes at the deadline, or at the start when there is none, and for a cancelled
event: `registration.register` refuses with a clear reason and records nothing, the event page
says so and offers no button, and the organisers' form refuses a deadline after the start."""

from __future__ import annotations

from datetime import timedelta

import pytest

from django.utils import timezone

from community.events import registration
from community.events.models import Event, Registration

from .conftest import make_event
from .test_pages import _create_form

pytestmark = pytest.mark.django_db

CLOSED = "Registration for this event has closed."


def _closed_events(organisation) -> dict[str, Event]:
    now = timezone.now()
    return {
        # Starts in three days, but registration closed an hour ago.
        "deadline passed": make_event(
            organisation, title="Deadline passed", registration_deadline=now - timedelta(hours=1)
        ),
        # No deadline: registration closes when it starts, and it started ten minutes ago.
        "started": make_event(
            organisation, title="Already started", starts_at=now - timedelta(minutes=10)
        ),
    }


def test_registering_after_the_deadline_or_the_start_is_refused_and_nothing_is_recorded(world):
    member = world["users"]["member"]
    for label, event in _closed_events(world["organisation"]).items():
        with pytest.raises(registration.Refused) as refused:
            registration.register(event, member)
        assert refused.value.message == CLOSED, label
        assert not Registration.objects.filter(event=event).exists(), label


def test_registering_before_the_deadline_still_works(world):
    soon = timezone.now() + timedelta(hours=1)
    event = make_event(world["organisation"], title="Closes soon", registration_deadline=soon)
    found = registration.register(event, world["users"]["member"])
    assert found.status == "confirmed"


def test_registering_for_a_cancelled_event_is_refused(world):
    event = make_event(world["organisation"], title="Called off")
    Event.objects.filter(pk=event.pk).update(cancelled_at=timezone.now())
    with pytest.raises(registration.Refused) as refused:
        registration.register(event, world["users"]["member"])
    assert refused.value.message == "This event has been cancelled."
    assert not Registration.objects.filter(event=event).exists()


def test_a_closed_event_page_says_so_and_offers_no_register_button(world):
    events = _closed_events(world["organisation"])
    cancelled = make_event(world["organisation"], title="Called off")
    world["admin"].post(f"/en/events/{cancelled.pk}/cancel/")
    events["cancelled"] = cancelled
    member = world["member"]
    for label, event in events.items():
        url = f"/en/events/{event.pk}/"
        page = member.get(url).content.decode()
        assert "Registration is closed." in page, label
        assert f'action="/en/events/{event.pk}/register/"' not in page, label
        assert "Join the waiting list" not in page, label
        assert "Log in to register" not in world["anonymous"].get(url).content.decode(), label
        # Posting anyway (an old tab) is refused with the reason, and nothing is recorded.
        answer = member.post(f"{url}register/", follow=True).content.decode()
        reason = "This event has been cancelled." if label == "cancelled" else CLOSED
        assert reason in answer, label
        assert not Registration.objects.filter(event=event).exists(), label
    # The same member sees the button on an event still open.
    open_event = make_event(world["organisation"], title="Still open")
    page = member.get(f"/en/events/{open_event.pk}/").content.decode()
    assert f'action="/en/events/{open_event.pk}/register/"' in page
    assert "Registration is closed." not in page


def test_a_deadline_after_the_start_is_refused_with_nothing_saved(world):
    admin = world["admin"]
    organisation = str(world["organisation"].pk)
    before = Event.objects.count()
    data = _create_form(organisation=organisation, deadline_local="2030-05-01T10:30")
    response = admin.post("/en/events/new/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert (
        "Registration must close before the event starts." in page and "Nothing was saved" in page
    )
    assert Event.objects.count() == before
    # A deadline before the start is accepted, stored in the organiser's zone (Amman, UTC+3).
    data["deadline_local"] = "2030-04-30T18:00"
    assert admin.post("/en/events/new/", data).status_code == 302
    event = Event.objects.get(title="Engaging your diaspora")
    assert event.registration_deadline == event.starts_at - timedelta(hours=16)


def test_an_edit_moving_the_deadline_past_the_start_changes_nothing(world):
    event = world["event"]
    local = event.local_start
    data = {
        "type": event.type, "title": "Renamed", "description": event.description,
        "format": event.format, "join_url": event.join_url, "time_zone": event.time_zone,
        "start_local": local.strftime("%Y-%m-%dT%H:%M"),
        "end_local": event.local_end.strftime("%Y-%m-%dT%H:%M"), "capacity": "1",
        "deadline_local": (local + timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M"),
    }  # fmt: skip
    response = world["admin"].post(f"/en/events/{event.pk}/edit/", data)
    assert response.status_code == 400
    assert "Registration must close before the event starts." in response.content.decode()
    event.refresh_from_db()
    assert (event.title, event.registration_deadline) == ("Health workers webinar", None)
    assert Registration.objects.filter(event=event).count() == 2
