"""What moderation holds about a person: their reports, exported and anonymised on erasure."""

from __future__ import annotations

import pytest

from community.moderation.models import Report
from core.registries import personal_data
from tests.members.conftest import make_member

from .conftest import report_url, signed_in

pytestmark = pytest.mark.django_db


def test_a_member_exports_their_own_reports_only(reported):
    owner, profile = reported
    reporter, _ = make_member()
    signed_in(reporter).post(report_url(profile), {"reason": "scam", "text": "Fake visas"})
    exported = personal_data["moderation"].export(reporter)
    assert [(r["reason"], r["text"]) for r in exported["reports"]] == [("scam", "Fake visas")]
    assert exported["reports"][0]["created_at"]
    # The reported member's export says nothing about who reported them.
    assert personal_data["moderation"].export(owner) == {"reports": [], "appeals": []}


def test_deleting_the_reporter_keeps_the_report_anonymised_for_moderators(
    reported, moderator_client
):
    _owner, profile = reported
    reporter, _ = make_member(display_name="Leaving Reporter")
    signed_in(reporter).post(report_url(profile), {"reason": "scam", "text": "Fake visas"})
    personal_data["moderation"].erase(reporter)
    reporter.delete()
    saved = Report.objects.get()
    assert saved.reporter is None and saved.text == "Fake visas"
    page = moderator_client.get("/en/moderation/").content.decode()
    assert "Fake visas" in page and "a deleted account" in page
