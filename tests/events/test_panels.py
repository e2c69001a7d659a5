"""The events' panels as readers see them: "Upcoming events" on a country page: that country's
upcoming, visible events, with a link to the listing filtered on it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from django.core.cache import caches
from django.utils import timezone

from community.events.models import Event

from .conftest import make_event

pytestmark = pytest.mark.django_db

SENEGAL = "/en/countries/senegal/"


def test_a_country_page_lists_that_countrys_upcoming_events_only(world):
    caches["pages"].clear()
    organisation = world["organisation"]
    make_event(organisation, title="Dakar diaspora forum", countries=["SN"], days=4)
    make_event(organisation, title="Dakar forum last year", countries=["SN"], days=-30)
    hidden = make_event(organisation, title="Dakar hidden call", countries=["SN"], days=5)
    Event.objects.filter(pk=hidden.pk).update(hidden=True)
    make_event(organisation, title="Lima meetup 2031", countries=["PE"], days=4)

    for reader in ("anonymous", "member"):
        page = world[reader].get(SENEGAL).content.decode()
        assert "Upcoming events" in page, reader
        assert "Dakar diaspora forum" in page, reader
        assert 'href="/en/events/?country=SN"' in page, reader
        for absent in ("Dakar forum last year", "Dakar hidden call", "Lima meetup 2031"):
            assert absent not in page, (reader, absent)


def test_an_event_that_ends_leaves_the_country_page(world):
    caches["pages"].clear()
    event = make_event(world["organisation"], title="Dakar diaspora forum", countries=["SN"])
    assert event.title in world["anonymous"].get(SENEGAL).content.decode()
    now = timezone.now()
    Event.objects.filter(pk=event.pk).update(
        starts_at=now - timedelta(hours=3), ends_at=now - timedelta(hours=1)
    )
    caches["pages"].clear()  # an update() sends no signal: the panel's own rule is tested
    assert event.title not in world["anonymous"].get(SENEGAL).content.decode()


def test_the_dashboard_leads_a_member_to_their_events_and_calendar_without_a_query(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from community.events.panels import render_my_events
    from community.events.registration import register

    register(world["event"], world["users"]["attendee"])
    dashboard = world["attendee"].get("/en/me/").content.decode()
    assert 'href="/en/events/mine/"' in dashboard and 'href="/en/events/calendar/"' in dashboard
    # The list is one click away, where the registered event is.
    assert "Health workers webinar" in world["attendee"].get("/en/events/mine/").content.decode()
    request = world["attendee"].get("/en/me/").wsgi_request
    with CaptureQueriesContext(connection) as queries:
        render_my_events(request)
    assert len(queries) == 0  # the dashboard holds every app's panels to twelve queries
