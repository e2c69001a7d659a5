"""An event's description and materials as the organiser typed them (issue 7/11): the page shows
their paragraphs, line breaks and links, with any markup typed shown as text; the edit form's
textarea shows the text typed, never the HTML it is stored as; saving the form unchanged keeps
the page the same, for events written before as well."""

from __future__ import annotations

import pytest

from community.events.models import Event
from tests.typed_text import TYPED, assert_shown_as_typed, description_section, textarea_value

from .conftest import make_event

pytestmark = pytest.mark.django_db

MATERIALS = "Slides: https://example.org/slides.pdf\nNotes & <b>extras</b> for everyone"


def _form(event: Event, description: str, materials: str = "") -> dict:
    return {
        "type": event.type,
        "title": event.title,
        "description": description,
        "format": event.format,
        "join_url": event.join_url,
        "time_zone": event.time_zone,
        "start_local": event.local_start.strftime("%Y-%m-%dT%H:%M"),
        "end_local": event.local_end.strftime("%Y-%m-%dT%H:%M"),
        "capacity": str(event.capacity or ""),
        "materials": materials,
    }


def test_an_organiser_edits_the_text_they_typed_and_saving_it_unchanged_changes_nothing(world):
    organiser = world["admin"]
    created = organiser.post(
        "/en/events/new/",
        {
            "organisation": str(world["organisation"].pk),
            "type": "workshop",
            "title": "Typed by hand",
            "description": TYPED,
            "format": "online",
            "time_zone": "Africa/Dakar",
            "start_local": "2030-05-01T10:00",
            "end_local": "2030-05-01T12:00",
            "materials": MATERIALS,
        },
    )
    assert created.status_code == 302
    event = Event.objects.get(title="Typed by hand")
    page = world["member"].get(f"/en/events/{event.pk}/").content.decode()
    shown = description_section(page)
    assert_shown_as_typed(shown)

    edit_page = organiser.get(f"/en/events/{event.pk}/edit/").content.decode()
    assert "&lt;p&gt;" not in edit_page  # no stored markup in any textarea
    assert textarea_value(edit_page, "description") == TYPED
    assert textarea_value(edit_page, "materials") == MATERIALS

    stored = (event.description, event.materials)
    saved = organiser.post(
        f"/en/events/{event.pk}/edit/",
        _form(
            event,
            textarea_value(edit_page, "description"),
            textarea_value(edit_page, "materials"),
        ),
    )
    assert saved.status_code == 302
    event.refresh_from_db()
    assert (event.description, event.materials) == stored
    again = world["member"].get(f"/en/events/{event.pk}/").content.decode()
    assert description_section(again) == shown


def test_an_event_written_before_shows_its_text_and_keeps_its_formatting_when_saved_unchanged(
    world,
):
    formatted = (
        "<p>Agenda:</p><ul><li>Welcome</li><li><strong>Panel</strong></li></ul>"
        '<p>See <a href="https://example.org">our site</a>.</p>'
    )
    event = make_event(world["organisation"], title="Older event", description=formatted)
    before = description_section(world["member"].get(f"/en/events/{event.pk}/").content.decode())
    edit_page = world["admin"].get(f"/en/events/{event.pk}/edit/").content.decode()
    shown = textarea_value(edit_page, "description")
    assert shown == "Agenda:\n\n- Welcome\n- Panel\n\nSee our site (https://example.org)."
    world["admin"].post(f"/en/events/{event.pk}/edit/", _form(event, shown))
    after = description_section(world["member"].get(f"/en/events/{event.pk}/").content.decode())
    assert after == before and "<strong>Panel</strong>" in after

    # Once the organiser changes the text, it is stored as the text they typed.
    world["admin"].post(f"/en/events/{event.pk}/edit/", _form(event, shown + "\nUpdated."))
    event.refresh_from_db()
    assert "<li>" not in event.description
    assert "<p>- Welcome<br>\n- Panel</p>" in event.description
    assert 'our site (<a href="https://example.org"' in event.description
