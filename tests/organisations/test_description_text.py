"""An organisation's description as its admin typed it (issue 7/11): the page shows its
paragraphs, line breaks and links, with any markup typed shown as text; the edit form's textarea
shows the text typed, never the HTML it is stored as; saving it unchanged keeps the page the
same, for a description written before (plain text with its line breaks) as well."""

from __future__ import annotations

import pytest

from community.organisations.models import Organisation
from tests.typed_text import TYPED, assert_shown_as_typed, description_section, textarea_value

pytestmark = pytest.mark.django_db
PAGE = "/en/organisations/dakar-health-network/"


def _save(world, description: str):
    data = {"name": "Dakar Health Network", "type": "diaspora", "description": description}
    return world["admin"].post(f"{PAGE}edit/", data)


def test_an_admin_edits_the_text_they_typed_and_saving_it_unchanged_changes_nothing(world):
    assert _save(world, TYPED).status_code == 302
    shown = description_section(world["member"].get(PAGE).content.decode())
    assert_shown_as_typed(shown)

    edit_page = world["admin"].get(f"{PAGE}edit/").content.decode()
    assert textarea_value(edit_page, "description") == TYPED
    stored = Organisation.objects.get(pk=world["organisation"].pk).description
    assert _save(world, textarea_value(edit_page, "description")).status_code == 302
    assert Organisation.objects.get(pk=world["organisation"].pk).description == stored
    assert description_section(world["member"].get(PAGE).content.decode()) == shown


def test_a_description_stored_as_plain_text_before_comes_back_with_its_line_breaks(world):
    # Stored by the model's sanitiser before paragraphs were kept: escaped, newlines as typed.
    Organisation.objects.filter(pk=world["organisation"].pk).update(
        description="Founded in 2009.\nWe help nurses &amp; midwives &lt;3"
    )
    edit_page = world["admin"].get(f"{PAGE}edit/").content.decode()
    assert textarea_value(edit_page, "description") == (
        "Founded in 2009.\nWe help nurses & midwives <3"
    )
    _save(world, textarea_value(edit_page, "description") + "\n\nNew paragraph.")
    stored = Organisation.objects.get(pk=world["organisation"].pk).description
    assert stored == (
        "<p>Founded in 2009.<br>\nWe help nurses &amp; midwives &lt;3</p>\n\n<p>New paragraph.</p>"
    )
