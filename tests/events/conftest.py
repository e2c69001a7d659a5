"""Events, their organisers, attendees and every kind of viewer, for these tests."""

from __future__ import annotations

from datetime import timedelta

import pytest

from django.utils import timezone

from community.events.models import Event, Registration, RegistrationStatus
from tests.members.conftest import make_member
from tests.organisations.conftest import client_for, make_organisation

JOIN = "https://meet.example.org/secret-room-4821"


def make_event(organisation=None, days: float = 3, hours: float = 2, **fields) -> Event:
    start = fields.pop("starts_at", timezone.now() + timedelta(days=days))
    fields.setdefault("title", "Remittances 101")
    fields.setdefault("type", "webinar")
    fields.setdefault("format", "online")
    fields.setdefault("description", "<p>Learn the basics.</p>")
    fields.setdefault("join_url", JOIN)
    fields.setdefault("time_zone", "Africa/Dakar")
    return Event.objects.create(
        organisation=organisation,
        starts_at=start,
        ends_at=fields.pop("ends_at", start + timedelta(hours=hours)),
        **fields,
    )


def register(event: Event, member, status=RegistrationStatus.CONFIRMED, **fields) -> Registration:
    return Registration.objects.create(event=event, member=member, status=status, **fields)


@pytest.fixture
def world():
    admin, _ = make_member(display_name="Org Admin")
    other_admin, _ = make_member(display_name="Other Admin")
    member, _ = make_member(display_name="Plain Member")
    attendee, _ = make_member(display_name="Ada Attendee")
    waiting, _ = make_member(display_name="Wanda Waiting")
    organisation = make_organisation(admin, name="Dakar Health Network")
    make_organisation(other_admin, name="Other Organisation")
    event = make_event(organisation, capacity=1, title="Health workers webinar")
    register(event, attendee)
    register(event, waiting, RegistrationStatus.WAITLISTED)
    users = {
        "admin": admin,
        "other_admin": other_admin,
        "member": member,
        "attendee": attendee,
        "waiting": waiting,
    }
    return {
        "organisation": organisation,
        "event": event,
        "users": users,
        "anonymous": client_for(None),
        **{name: client_for(user) for name, user in users.items()},
    }
