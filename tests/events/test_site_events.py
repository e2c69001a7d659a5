"""Events that belong to the site rather than an organisation: Editors and Administrators
organise them (the migration gives them `events.manage_site_events`); a plain member and an
organisation's admin do not, neither creating one nor editing one that exists."""

from __future__ import annotations

import pytest

from django.test import Client

from community.events.models import Event
from tests.factories import UserFactory, accept_current_policies, sign_in_with_second_factor

from .conftest import make_event
from .test_pages import _create_form

pytestmark = pytest.mark.django_db


def _staff(role: str) -> Client:
    user = UserFactory(role=role)
    accept_current_policies(user)
    client = Client()
    sign_in_with_second_factor(client, user)
    return client


def _edit_form(event: Event, **overrides) -> dict:
    data = _create_form(
        title="Diaspora week: opening session",
        start_local=event.local_start.strftime("%Y-%m-%dT%H:%M"),
        end_local=event.local_end.strftime("%Y-%m-%dT%H:%M"),
        time_zone=event.time_zone,
    )
    data.pop("organisation")
    data.update(overrides)
    return data


@pytest.mark.parametrize("role", ["Editor", "Administrator"])
def test_editors_and_administrators_create_and_edit_the_sites_events(role):
    client = _staff(role)
    form = client.get("/en/events/new/")
    assert form.status_code == 200
    response = client.post("/en/events/new/", _create_form(organisation=""))
    assert response.status_code == 302
    created = Event.objects.get(title="Engaging your diaspora")
    assert created.organisation is None

    existing = make_event(title="Diaspora week")
    assert client.get(f"/en/events/{existing.pk}/edit/").status_code == 200
    response = client.post(f"/en/events/{existing.pk}/edit/", _edit_form(existing))
    assert response.status_code == 302
    existing.refresh_from_db()
    assert existing.title == "Diaspora week: opening session"
    assert client.get(f"/en/events/{existing.pk}/attendees/").status_code == 200


@pytest.mark.parametrize("who", ["member", "admin", "Moderator"])
def test_members_and_organisation_admins_cannot_touch_the_sites_events(world, who):
    client = _staff(who) if who == "Moderator" else world[who]
    site_event = make_event(title="Diaspora week")
    # Creating one: the site is not a choice they are given, and posting it anyway is refused.
    response = client.post("/en/events/new/", _create_form(organisation=""))
    assert response.status_code in (400, 403)
    assert not Event.objects.filter(title="Engaging your diaspora").exists()
    # Editing one that exists, or seeing its attendees, is refused object by object.
    assert client.get(f"/en/events/{site_event.pk}/edit/").status_code == 403
    response = client.post(f"/en/events/{site_event.pk}/edit/", _edit_form(site_event))
    assert response.status_code == 403
    assert client.get(f"/en/events/{site_event.pk}/attendees/").status_code == 403
    assert client.post(f"/en/events/{site_event.pk}/cancel/").status_code == 403
    site_event.refresh_from_db()
    assert site_event.title == "Diaspora week" and not site_event.is_cancelled
