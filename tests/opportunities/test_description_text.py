"""An opportunity's description as its poster typed it (issue 7/11): the page shows its
paragraphs, line breaks and links, with any markup typed shown as text; the edit form's textarea
shows the text typed, never the HTML it is stored as; saving it unchanged keeps the page the
same. The API, which sends HTML, keeps its formatting, and the site's edit form then shows that
description as text without losing the formatting when saved unchanged."""

from __future__ import annotations

import pytest

from community.opportunities.models import Opportunity
from core.api_tokens import create_token
from core.models import ApiToken
from tests.typed_text import TYPED, assert_shown_as_typed, description_section, textarea_value

from .conftest import opportunity_form

pytestmark = pytest.mark.django_db


def _edit(world, item: Opportunity, description: str):
    data = opportunity_form(
        title=item.title, description=description, organisation=str(world["verified"].pk)
    )
    data.pop("publish")
    return world["admin"].post(f"/en/opportunities/{item.pk}/edit/", data)


def test_a_poster_edits_the_text_they_typed_and_saving_it_unchanged_changes_nothing(world):
    created = world["admin"].post(
        "/en/opportunities/new/",
        opportunity_form(description=TYPED, organisation=str(world["verified"].pk)),
    )
    assert created.status_code == 302
    item = Opportunity.objects.get()
    url = f"/en/opportunities/{item.pk}/"
    shown = description_section(world["admin"].get(url).content.decode())
    assert_shown_as_typed(shown)

    edit_page = world["admin"].get(f"{url}edit/").content.decode()
    assert textarea_value(edit_page, "description") == TYPED
    stored = item.description
    assert _edit(world, item, textarea_value(edit_page, "description")).status_code == 302
    item.refresh_from_db()
    assert item.description == stored
    assert description_section(world["admin"].get(url).content.decode()) == shown


def test_html_sent_through_the_api_keeps_its_formatting_and_edits_as_text(world):
    _row, token = create_token(world["users"]["admin"], "partner", scope=ApiToken.Scope.WRITE)
    sent = "<p>Analyse <strong>remittance</strong> flows &amp; costs.</p><script>x()</script>"
    payload = {
        "type": "job",
        "title": "Remittance analyst",
        "description": sent,
        "deadline": opportunity_form()["deadline_local"],
        "time_zone": "Africa/Dakar",
        "work_mode": "remote",
        "apply_url": "https://example.org/apply",
        "organisation": world["verified"].pk,
    }
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    response = world["anonymous"].post(
        "/api/v1/opportunities/", payload, content_type="application/json", **auth
    )
    assert response.status_code == 201, response.content
    item = Opportunity.objects.get()
    assert item.description == "<p>Analyse <strong>remittance</strong> flows &amp; costs.</p>"
    assert response.json()["description"] == item.description

    # A PATCH of another field leaves the description as it was.
    patched = world["anonymous"].patch(
        f"/api/v1/opportunities/{item.pk}/",
        {"title": "Senior remittance analyst"},
        content_type="application/json",
        **auth,
    )
    assert patched.status_code == 200, patched.content
    item.refresh_from_db()
    assert "<strong>remittance</strong>" in item.description

    # On the site the poster sees the text, and saving it unchanged keeps the formatting.
    edit_page = world["admin"].get(f"/en/opportunities/{item.pk}/edit/").content.decode()
    text = textarea_value(edit_page, "description")
    assert text == "Analyse remittance flows & costs."
    assert _edit(world, item, text).status_code == 302
    item.refresh_from_db()
    assert item.description == "<p>Analyse <strong>remittance</strong> flows &amp; costs.</p>"
