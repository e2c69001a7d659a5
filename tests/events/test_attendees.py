"""The organisers' attendee page: who registered and who waits, by name and e-mail, without the
registrations cancelled since; nobody else may open it."""

from __future__ import annotations

import pytest

from community.events import registration
from community.events.models import Event, Registration
from tests.members.conftest import make_member

pytestmark = pytest.mark.django_db


def _rows(page: str) -> dict[str, str]:
    """Each table row's text by the attendee's name."""
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = {}
    for row in body.split("<tr>")[1:]:
        cells = [cell.split("</td>", 1)[0] for cell in row.split(">", 1)[1].split("<td")]
        text = " | ".join(cell.split(">", 1)[-1] for cell in cells)
        rows[text.split(" | ", 1)[0]] = text
    return rows


def test_the_organiser_sees_names_emails_and_the_waiting_list_but_not_cancellations(world):
    event = world["event"]
    leaving, _ = make_member(display_name="Lena Leaving")
    assert registration.register(event, leaving).status == "waitlisted"  # one seat, taken
    registration.cancel(Registration.objects.get(event=event, member=leaving))

    response = world["admin"].get(f"/en/events/{event.pk}/attendees/")
    assert response.status_code == 200
    page = response.content.decode()
    rows = _rows(page)
    attendee, waiting = world["users"]["attendee"], world["users"]["waiting"]
    assert set(rows) == {"Ada Attendee", "Wanda Waiting"}
    assert attendee.email in rows["Ada Attendee"] and "Registered" in rows["Ada Attendee"]
    assert waiting.email in rows["Wanda Waiting"]
    assert "On the waiting list" in rows["Wanda Waiting"]
    assert "Lena Leaving" not in page and leaving.email not in page
    assert "2 people registered or waiting" in page


def test_nobody_but_the_organisers_opens_the_attendee_page(world):
    event = world["event"]
    url = f"/en/events/{event.pk}/attendees/"
    for viewer in ("member", "other_admin", "attendee", "waiting"):
        response = world[viewer].get(url)
        assert response.status_code == 403, viewer
        assert world["users"]["attendee"].email not in response.content.decode(), viewer
    assert "/accounts/login/" in world["anonymous"].get(url)["Location"]
    # A hidden event is not even admitted to exist, except to its organisers.
    Event.objects.filter(pk=event.pk).update(hidden=True)
    for viewer in ("member", "other_admin", "attendee"):
        assert world[viewer].get(url).status_code == 404, viewer
    assert world["admin"].get(url).status_code == 200
