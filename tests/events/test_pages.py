"""The events pages as each kind of viewer sees them: who may open or do what, the join link
shown only to confirmed attendees and organisers, times across a daylight-saving change, bad
input refused with nothing saved, and the anonymous page cache showing a change at once."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from django.core.cache import caches
from django.urls import reverse

from community.events.models import Event, Registration
from core.models import Webhook
from core.webhooks import new_secret
from tests.members.conftest import make_member
from tests.organisations.conftest import client_for

from .conftest import JOIN, make_event, register

pytestmark = pytest.mark.django_db


def _urls(event: Event) -> dict[str, tuple[str, str]]:
    base = f"/en/events/{event.pk}/"
    return {
        "index": ("get", "/en/events/"),
        "detail": ("get", base),
        "ics": ("get", f"{base}event.ics"),
        "create": ("get", "/en/events/new/"),
        "edit": ("get", f"{base}edit/"),
        "attendees": ("get", f"{base}attendees/"),
        "csv": ("get", f"{base}attendees.csv"),
        "calendar": ("get", "/en/events/calendar/"),
        "mine": ("get", "/en/events/mine/"),
        "register": ("post", f"{base}register/"),
        "unregister": ("post", f"{base}unregister/"),
        "cancel": ("post", f"{base}cancel/"),
    }


# viewer -> view -> expected status (302 to log-in for anonymous writes; 302 back to the page
# after a member's registration; 302 to the page after the organiser's cancel)
EXPECTED = {
    "anonymous": {"index": 200, "detail": 200, "ics": 200, "create": 302, "edit": 302,
                  "attendees": 302, "csv": 302, "calendar": 302, "mine": 302, "register": 302,
                  "unregister": 302, "cancel": 302},
    "member": {"index": 200, "detail": 200, "ics": 200, "create": 403, "edit": 403,
               "attendees": 403, "csv": 403, "calendar": 200, "mine": 200, "register": 302,
               "unregister": 302, "cancel": 403},
    "other_admin": {"index": 200, "detail": 200, "ics": 200, "create": 200, "edit": 403,
                    "attendees": 403, "csv": 403, "calendar": 200, "mine": 200, "register": 302,
                    "unregister": 302, "cancel": 403},
    "admin": {"index": 200, "detail": 200, "ics": 200, "create": 200, "edit": 200,
              "attendees": 200, "csv": 200, "calendar": 200, "mine": 200, "register": 302,
              "unregister": 302, "cancel": 302},
}  # fmt: skip


def test_every_view_answers_each_kind_of_viewer_as_it_should(world):
    event = world["event"]
    for viewer, expected in EXPECTED.items():
        client = world[viewer]
        for view, (method, url) in _urls(event).items():
            if view == "cancel":
                continue  # last: it changes the event for everyone
            response = getattr(client, method)(url)
            assert response.status_code == expected[view], (viewer, view, response.status_code)
            if viewer == "anonymous" and expected[view] == 302:
                assert "/accounts/login/" in response["Location"], view
    assert not Event.objects.get(pk=event.pk).is_cancelled
    for viewer in ("anonymous", "member", "other_admin"):
        assert (
            world[viewer].post(_urls(event)["cancel"][1]).status_code == EXPECTED[viewer]["cancel"]
        )
        assert not Event.objects.get(pk=event.pk).is_cancelled
    assert world["admin"].post(_urls(event)["cancel"][1]).status_code == 302
    assert Event.objects.get(pk=event.pk).is_cancelled


def test_a_hidden_event_is_a_404_to_all_but_its_organisers(world):
    event = world["event"]
    report = reverse("moderation:report", args=["events.event", event.pk])
    assert report in world["member"].get(f"/en/events/{event.pk}/").content.decode()
    assert world["member"].get(report).status_code == 200
    Event.objects.filter(pk=event.pk).update(hidden=True)
    for viewer in ("anonymous", "member", "other_admin", "attendee"):
        assert world[viewer].get(f"/en/events/{event.pk}/").status_code == 404, viewer
        assert world[viewer].get(f"/en/events/{event.pk}/event.ics").status_code == 404, viewer
    assert world["admin"].get(f"/en/events/{event.pk}/").status_code == 200
    assert event.title not in world["anonymous"].get("/en/events/").content.decode()


def test_the_join_link_shows_only_to_confirmed_attendees_and_organisers(world):
    event = world["event"]
    url = f"/en/events/{event.pk}/"
    for viewer in ("anonymous", "member", "other_admin", "waiting"):
        page = world[viewer].get(url).content.decode()
        assert event.title in page
        assert JOIN not in page, viewer
        assert JOIN not in world[viewer].get(f"{url}event.ics").content.decode(), viewer
        assert JOIN not in world[viewer].get("/en/events/").content.decode(), viewer
    for viewer in ("attendee", "admin"):
        assert JOIN in world[viewer].get(url).content.decode(), viewer
    assert "secret-room-4821" in world["attendee"].get(f"{url}event.ics").content.decode()


def test_recording_and_materials_reach_attendees_only_after_the_event(world):
    past = make_event(
        world["organisation"], days=-2, title="Past webinar",
        recording_url="https://video.example.org/rec-77", materials="<p>Slides-77</p>",
    )  # fmt: skip
    register(past, world["users"]["attendee"])
    url = f"/en/events/{past.pk}/"
    for viewer in ("anonymous", "member", "other_admin"):
        page = world[viewer].get(url).content.decode()
        assert "rec-77" not in page and "Slides-77" not in page, viewer
    for viewer in ("attendee", "admin"):
        page = world[viewer].get(url).content.decode()
        assert "rec-77" in page and "Slides-77" in page, viewer
    upcoming = world["event"]
    Event.objects.filter(pk=upcoming.pk).update(recording_url="https://video.example.org/rec-88")
    assert "rec-88" not in world["attendee"].get(f"/en/events/{upcoming.pk}/").content.decode()


def test_times_follow_each_zone_across_a_daylight_saving_change(world):
    """New York moves to summer time on 14 March 2027, Paris on 28 March: between the two the
    gap is five hours, not six, and the reader in Paris must see it."""
    reader, profile = make_member(display_name="Paris Reader", time_zone="Europe/Paris")
    winter = make_event(
        world["organisation"], title="Winter call", time_zone="America/New_York",
        starts_at=datetime(2027, 3, 1, 20, 0, tzinfo=UTC),  # 15:00 in New York (UTC-5)
    )  # fmt: skip
    spring = make_event(
        world["organisation"], title="Spring call", time_zone="America/New_York",
        starts_at=datetime(2027, 3, 20, 19, 0, tzinfo=UTC),  # 15:00 in New York (UTC-4)
    )  # fmt: skip
    client = client_for(reader)
    winter_page = client.get(f"/en/events/{winter.pk}/").content.decode()
    spring_page = client.get(f"/en/events/{spring.pk}/").content.decode()
    assert "March 1, 2027, 3 p.m." in winter_page and "UTC-0500" in winter_page
    assert "Your time: March 1, 2027, 9 p.m." in winter_page
    assert "March 20, 2027, 3 p.m." in spring_page and "UTC-0400" in spring_page
    assert "Your time: March 20, 2027, 8 p.m." in spring_page
    # The reader's zone comes with their user row on each request: a change shows at once.
    type(profile).objects.filter(user=reader).update(time_zone="Asia/Tokyo")
    assert (
        "Your time: March 2, 2027, 5 a.m."
        in client.get(f"/en/events/{winter.pk}/").content.decode()
    )
    # Anonymous readers get the organiser's time, and the moment for the browser script.
    anonymous = world["anonymous"].get(f"/en/events/{spring.pk}/").content.decode()
    assert 'datetime="2027-03-20T19:00:00+00:00"' in anonymous
    assert 'data-zone="America/New_York"' in anonymous and "Your time: March" not in anonymous


def test_an_arabic_reader_sees_the_day_before_the_month_with_the_arabic_comma(world):
    """Django's Arabic locale has no date-with-time pattern of its own; without ours the page
    read "مارس 1, 2027, 3 م", the English order with Latin commas."""
    event = make_event(
        world["organisation"], title="Winter call", time_zone="America/New_York",
        starts_at=datetime(2027, 3, 1, 20, 0, tzinfo=UTC),  # 15:00 in New York (UTC-5)
    )  # fmt: skip
    page = world["anonymous"].get(f"/ar/events/{event.pk}/").content.decode()
    assert "1 مارس 2027، 3:00 م" in page
    assert "مارس 1," not in page


def _create_form(**overrides) -> dict:
    data = {
        "organisation": "",
        "type": "workshop",
        "title": "Engaging your diaspora",
        "description": "<p>First steps.</p><script>alert(1)</script>",
        "format": "online",
        "join_url": "https://meet.example.org/room",
        "time_zone": "Asia/Amman",
        "start_local": "2030-05-01T10:00",
        "end_local": "2030-05-01T12:00",
        "capacity": "30",
        "languages": ["ar", "en"],
    }
    data.update(overrides)
    return data


def test_an_organiser_creates_an_event_in_their_time_zone(world):
    hook = Webhook.objects.create(
        owner=world["users"]["admin"],
        organisation_id=world["organisation"].pk,
        url="https://partner.example.org/hook",
        events=["event.created"],
        secret=new_secret(),
    )
    data = _create_form(organisation=str(world["organisation"].pk), join_url=JOIN)
    response = world["admin"].post("/en/events/new/", data)
    assert response.status_code == 302
    event = Event.objects.get(title="Engaging your diaspora")
    # Partners subscribed to "event.created" get its public fields, never the join link.
    delivery = hook.deliveries.get()
    assert delivery.event == "event.created" and delivery.payload["data"]["id"] == event.pk
    assert JOIN not in str(delivery.payload)
    assert event.starts_at == datetime(2030, 5, 1, 7, 0, tzinfo=UTC)  # Amman is UTC+3
    assert "<script>" not in event.description and event.languages == ["ar", "en"]
    assert event.organisation == world["organisation"] and event.creator == world["users"]["admin"]


@pytest.mark.parametrize(
    "overrides, field_error",
    [
        ({"end_local": "2030-05-01T09:00"}, "The event must end after it starts."),
        ({"join_url": "http://meet.example.org/room"}, "Give a link that starts with https://."),
        ({"join_url": "https://exa mple"}, "Enter a valid URL."),
        ({"format": "in_person", "join_url": ""}, "Give the venue of an event held in person."),
        ({"start_local": "2001-01-01T10:00", "end_local": "2001-01-01T11:00"},
         "The event must start in the future."),
    ],
)  # fmt: skip
def test_bad_input_is_refused_with_a_clear_error_and_nothing_saved(world, overrides, field_error):
    before = Event.objects.count()
    data = _create_form(organisation=str(world["organisation"].pk), **overrides)
    response = world["admin"].post("/en/events/new/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert field_error in page and "Nothing was saved" in page
    assert "Engaging your diaspora" in page  # what was typed is kept
    assert Event.objects.count() == before


def test_posting_for_another_organisation_is_refused(world):
    data = _create_form(organisation=str(world["organisation"].pk))
    response = world["other_admin"].post("/en/events/new/", data)
    assert response.status_code == 400
    assert "only for organisations you administer" in response.content.decode()
    assert not Event.objects.filter(title="Engaging your diaspora").exists()


def test_capacity_below_current_registrations_is_refused_and_nothing_changes(world):
    event = world["event"]
    extra, _ = make_member(display_name="Extra")
    Event.objects.filter(pk=event.pk).update(capacity=3)
    register(event, extra)
    event.refresh_from_db()
    data = {
        "type": event.type, "title": "Renamed", "description": event.description,
        "format": event.format, "join_url": event.join_url, "time_zone": event.time_zone,
        "start_local": event.local_start.strftime("%Y-%m-%dT%H:%M"),
        "end_local": event.local_end.strftime("%Y-%m-%dT%H:%M"), "capacity": "1",
    }  # fmt: skip
    response = world["admin"].post(f"/en/events/{event.pk}/edit/", data)
    assert response.status_code == 400
    assert "2 people are already registered" in response.content.decode()
    event.refresh_from_db()
    assert (event.title, event.capacity) == ("Health workers webinar", 3)


def test_registering_through_the_page_and_the_attendee_export(world):
    event = world["event"]
    Event.objects.filter(pk=event.pk).update(capacity=5)
    member = world["member"]
    response = member.post(f"/en/events/{event.pk}/register/", follow=True)
    assert "You are registered." in response.content.decode()
    assert JOIN in response.content.decode()
    assert event.title in member.get("/en/events/mine/").content.decode()
    assert event.title not in world["other_admin"].get("/en/events/mine/").content.decode()
    csv = world["admin"].get(f"/en/events/{event.pk}/attendees.csv")
    assert csv["Content-Type"].startswith("text/csv")
    text = csv.content.decode("utf-8-sig")
    assert "Plain Member" in text and "Ada Attendee" in text and "Wanda Waiting" in text
    member.post(f"/en/events/{event.pk}/unregister/")
    assert Registration.objects.get(event=event, member=world["users"]["member"]).status == (
        "cancelled"
    )


def test_listing_filters_and_pages(world, monkeypatch):
    organisation = world["organisation"]
    from core.models import Topic

    remittances = Topic.objects.filter(slug="remittances").first()
    arabic = make_event(organisation, title="Arabic workshop", type="workshop", languages=["ar"])
    arabic.topics.set([remittances])
    make_event(organisation, title="Lima meetup", type="meetup", format="in_person",
               venue="Lima", countries=["PE"], days=4)  # fmt: skip
    make_event(organisation, title="Old meetup", type="meetup", days=-10)
    anonymous = world["anonymous"]
    meetups = anonymous.get("/en/events/?type=meetup").content.decode()
    assert "Lima meetup" in meetups and "Arabic workshop" not in meetups
    assert "Old meetup" not in meetups
    assert "Old meetup" in anonymous.get("/en/events/?when=past").content.decode()
    arabic = anonymous.get("/en/events/?language=ar").content.decode()
    assert "Arabic workshop" in arabic and "Lima meetup" not in arabic
    peru = anonymous.get("/en/events/?country=PE").content.decode()
    assert "Lima meetup" in peru and "Arabic workshop" not in peru
    about = anonymous.get("/en/events/?topic=remittances").content.decode()
    assert "Arabic workshop" in about and "Lima meetup" not in about
    online = anonymous.get("/en/events/?online=1").content.decode()
    assert "Arabic workshop" in online and "Lima meetup" not in online
    # Keyset pages: every upcoming event once, in order, whatever the page size.
    from community.events import listing, views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    seen, url = [], "/en/events/"
    while url:
        response = anonymous.get(url)
        seen += [e.pk for e in response.context["events"]]
        url = response.context["next_url"] and "/en/events/" + response.context["next_url"]
    upcoming = list(
        listing.listed()
        .filter(ends_at__gt=datetime.now(UTC))
        .values_list("pk", flat=True)
        .order_by("starts_at", "pk")
    )
    assert seen == upcoming


def test_a_change_to_an_event_shows_on_the_next_anonymous_load(world):
    caches["pages"].clear()
    anonymous = world["anonymous"]
    event = world["event"]
    url = f"/en/events/{event.pk}/"
    for address in (url, "/en/events/"):
        anonymous.get(address)
        assert "Age" in anonymous.get(address).headers, address  # served from the cache
    event.title = "Renamed webinar"
    event.save()
    for address in (url, "/en/events/"):
        response = anonymous.get(address)
        assert "Age" not in response.headers and "Renamed webinar" in response.content.decode()
    # A registration changes the seats shown.
    anonymous.get(url)
    Registration.objects.filter(event=event, member=world["users"]["attendee"]).delete()
    assert "1 seat left" in anonymous.get(url).content.decode()


def test_the_home_page_panel_shows_upcoming_events_and_a_cancellation_at_once(world):
    caches["pages"].clear()
    anonymous = world["anonymous"]
    Event.objects.exclude(pk=world["event"].pk).update(cancelled_at=datetime.now(UTC))
    anonymous.get("/en/")
    home = anonymous.get("/en/")
    assert "Age" in home.headers and world["event"].title in home.content.decode()
    world["admin"].post(f"/en/events/{world['event'].pk}/cancel/")
    home = anonymous.get("/en/")
    assert "Age" not in home.headers and world["event"].title not in home.content.decode()


def test_search_indexes_visible_events_without_their_join_link(world):
    from search.registry import adapters

    adapter = adapters["event"]
    document = adapter.document(world["event"])
    assert document.audiences == ["public"] and document.title == world["event"].title
    assert JOIN not in f"{document.body} {document.summary}"
    assert document.url == f"/en/events/{world['event'].pk}/"
    world["event"].hidden = True
    assert adapter.document(world["event"]) is None


def test_related_library_resources_are_resource_pages_only(world):
    from wagtail.models import Page

    from community.events.forms import resource_pages

    resource = resource_pages().filter(locale__language_code="en").first()
    other = Page.objects.live().exclude(pk__in=resource_pages().values("pk")).last()
    form_page = world["admin"].get(f"/en/events/{world['event'].pk}/edit/").content.decode()
    assert f'value="{resource.pk}"' in form_page
    data = _create_form(organisation=str(world["organisation"].pk), resources=[str(other.pk)])
    response = world["admin"].post("/en/events/new/", data)
    assert response.status_code == 400  # not a resource page: refused
    data["resources"] = [str(resource.pk)]
    assert world["admin"].post("/en/events/new/", data).status_code == 302
    event = Event.objects.get(title="Engaging your diaspora")
    page = world["anonymous"].get(f"/en/events/{event.pk}/").content.decode()
    assert resource.title in page and "From the library" in page


def test_the_form_asks_who_organises_first_and_the_times_just_above_their_zone(world):
    page = world["admin"].get("/en/events/new/").content.decode()
    order = ['name="organisation"', 'name="title"', 'name="start_local"', 'name="end_local"',
             'name="time_zone"', 'name="deadline_local"', 'name="materials"']  # fmt: skip
    positions = [page.index(field) for field in order]
    assert positions == sorted(positions)


def test_listing_cards_follow_each_change_and_each_readers_time_zone(world):
    """Cards are remembered between views (community/events/views.py): a seat taken, a
    cancellation, a new title or another reader's zone must still show at once."""
    paris, _ = make_member(display_name="Paris Reader", time_zone="Europe/Paris")
    tokyo, _ = make_member(display_name="Tokyo Reader", time_zone="Asia/Tokyo")
    event = make_event(
        world["organisation"], title="Card call", time_zone="Africa/Dakar", capacity=10,
        starts_at=datetime(2031, 6, 2, 12, 0, tzinfo=UTC),
    )  # fmt: skip
    reader = client_for(paris)

    def card() -> str:
        page = reader.get("/en/events/").content.decode()
        return next(item for item in page.split("<li ") if f"/en/events/{event.pk}/" in item)

    assert "0 of 10 seats taken" in card() and "Your time: June 2, 2031, 2 p.m." in card()
    register(event, world["users"]["member"])
    assert "1 of 10 seats taken" in card()
    Event.objects.filter(pk=event.pk).update(
        title="Card call, renamed", cancelled_at=event.starts_at
    )
    assert "Card call, renamed" in card() and "Cancelled" in card()
    tokyo_page = client_for(tokyo).get("/en/events/").content.decode()
    assert "Your time: June 2, 2031, 9 p.m." in tokyo_page
    assert "Your time: June 2, 2031, 2 p.m." not in tokyo_page


def test_the_events_read_is_compiled_once_and_each_readers_answers_read_afresh(world):
    # `core.compiled_queries` keeps the event page's read only when the values the view passes
    # match the ORM's; the registration it reads with the event is each reader's own, each time.
    from community.events import views

    event = world["event"]
    url = f"/en/events/{event.pk}/"
    views._compiled.clear()
    for viewer in ("anonymous", "member", "attendee", "waiting", "admin"):
        assert world[viewer].get(url).status_code == 200
    assert views._compiled._plans and all(views._compiled._plans.values())
    assert JOIN in world["attendee"].get(url).content.decode()
    Registration.objects.filter(event=event).update(status="cancelled")
    assert JOIN not in world["attendee"].get(url).content.decode()
    assert JOIN in world["admin"].get(url).content.decode()


def test_the_landing_listing_and_the_organisers_link_are_compiled_once(world):
    # `core.compiled_queries` keeps each read only when the values the view passes match the
    # ORM's: one that stopped matching would silently compile on every view.
    from community.events import permissions, views

    views._compiled.clear()
    permissions._compiled.clear()
    for viewer in ("anonymous", "member", "admin"):
        page = world[viewer].get("/en/events/").content.decode()
        assert world["event"].title in page
    assert "listing" in views._compiled._plans and all(views._compiled._plans.values())
    assert permissions._compiled._plans and all(permissions._compiled._plans.values())
    # The organiser's link follows their role at once.
    assert reverse("events:create") in world["admin"].get("/en/events/").content.decode()
    assert reverse("events:create") not in world["member"].get("/en/events/").content.decode()


def test_an_arabic_event_page_joins_its_topics_with_the_arabic_comma(world):
    from core.models import Topic
    from core.topics import get_concept

    caches["pages"].clear()
    event = world["event"]
    event.topics.set(Topic.objects.filter(slug__in=["remittances", "youth"]))
    labels = sorted(
        (get_concept(slug).in_language("ar").label for slug in ("remittances", "youth")),
        key=str.casefold,
    )
    page = world["anonymous"].get(f"/ar/events/{event.pk}/").content.decode()
    assert f"{labels[0]}، {labels[1]}" in page
    english = world["anonymous"].get(f"/en/events/{event.pk}/").content.decode()
    assert "، " not in english
