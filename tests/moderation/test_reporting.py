"""Members report a profile: the form, its limits, and what the reported member never learns."""

from __future__ import annotations

import pytest

from django.test import Client

from community.moderation.models import Report
from tests.members.conftest import make_member

from .conftest import report_url, signed_in

pytestmark = pytest.mark.django_db


def test_anonymous_readers_are_sent_to_log_in_and_nothing_is_saved(reported):
    _owner, profile = reported
    client = Client()
    response = client.get(report_url(profile))
    assert response.status_code == 302
    assert "/accounts/login/" in response.headers["Location"]
    client.post(report_url(profile), {"reason": "scam"})
    assert not Report.objects.exists()


def test_a_member_reports_a_profile_and_is_thanked_in_their_language(reported):
    _owner, profile = reported
    reporter, _ = make_member()
    client = signed_in(reporter)
    form = client.get(report_url(profile))
    assert form.status_code == 200
    page = form.content.decode()
    assert "Reported Person" in page
    assert "Scam or fraud" in page  # the shared reasons
    response = client.post(
        report_url(profile), {"reason": "scam", "text": "Asks for money."}, follow=True
    )
    assert response.redirect_chain[-1][0] == f"/en/members/{profile.pk}/"
    assert "Your report has reached the moderators" in response.content.decode()
    saved = Report.objects.get()
    assert (saved.reason, saved.text, saved.reporter, saved.status) == (
        "scam",
        "Asks for money.",
        reporter,
        "open",
    )
    assert saved.target == profile


def test_the_confirmation_is_in_the_reporters_language(reported):
    _owner, profile = reported
    client = signed_in(make_member()[0])
    response = client.post(
        f"/fr/report/members.profile/{profile.pk}/", {"reason": "spam"}, follow=True
    )
    assert response.redirect_chain[-1][0] == f"/fr/members/{profile.pk}/"
    assert 'lang="fr"' in response.content.decode()
    assert Report.objects.count() == 1


def test_reporting_the_same_profile_twice_updates_the_first_report(reported):
    _owner, profile = reported
    client = signed_in(make_member()[0])
    client.post(report_url(profile), {"reason": "spam", "text": "First"})
    page = client.get(report_url(profile)).content.decode()
    assert "sending this form updates your report" in page
    client.post(report_url(profile), {"reason": "scam", "text": "Second thoughts"})
    saved = Report.objects.get()
    assert (saved.reason, saved.text) == ("scam", "Second thoughts")


def test_reports_by_different_members_stay_separate(reported):
    _owner, profile = reported
    for _ in range(2):
        signed_in(make_member()[0]).post(report_url(profile), {"reason": "spam"})
    assert Report.objects.filter(object_id=profile.pk).count() == 2


@pytest.mark.parametrize(
    "data, error",
    [
        ({"reason": "nonsense"}, "Select a valid choice"),
        ({}, "This field is required"),
        ({"reason": "spam", "text": "x" * 1001}, "at most 1000 characters"),
        ({"reason": "spam", "text": "<script>alert(1)</script>"}, "HTML tags are not allowed"),
        (
            {"reason": "spam", "text": 'Look <a href="https://x.test">here</a>'},
            "HTML tags are not allowed",
        ),
    ],
)
def test_bad_input_is_refused_with_a_clear_error_and_nothing_saved(reported, data, error):
    _owner, profile = reported
    client = signed_in(make_member()[0])
    response = client.post(report_url(profile), data)
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not Report.objects.exists()


def test_plain_text_with_angle_brackets_is_kept(reported):
    _owner, profile = reported
    client = signed_in(make_member()[0])
    client.post(report_url(profile), {"reason": "other", "text": "Price < 5 dollars <3"})
    assert Report.objects.get().text == "Price < 5 dollars <3"


def test_reports_are_rate_limited_with_a_translated_message():
    client = signed_in(make_member()[0])
    targets = [make_member(in_directory=True)[1] for _ in range(11)]
    for profile in targets[:10]:
        assert client.post(report_url(profile), {"reason": "spam"}).status_code == 302
    response = client.post(report_url(targets[10]), {"reason": "spam"})
    assert response.status_code == 429
    assert "many reports in a short time" in response.content.decode()
    assert Report.objects.count() == 10
    response = client.post(f"/fr/report/members.profile/{targets[10].pk}/", {"reason": "spam"})
    # The message goes through gettext, so it is in the reporter's language once translated.
    assert response.status_code == 429
    assert 'lang="fr"' in response.content.decode()


def test_reporting_a_protected_profile_answers_404():
    _owner, profile = make_member(display_name="Hidden Activist", protected=True)
    client = signed_in(make_member()[0])
    for response in (
        client.get(report_url(profile)),
        client.post(report_url(profile), {"reason": "spam"}),
    ):
        assert response.status_code == 404
        assert "Hidden Activist" not in response.content.decode()
    assert not Report.objects.exists()


def test_unknown_or_unreportable_models_and_ids_answer_404(reported):
    _owner, _profile = reported
    client = signed_in(make_member()[0])
    assert client.get("/en/report/core.user/1/").status_code == 404
    assert client.get("/en/report/nothing.here/1/").status_code == 404
    assert client.get("/en/report/members.profile/999999/").status_code == 404


def test_the_profile_page_offers_a_report_link_to_other_members_only(reported):
    owner, profile = reported
    link = report_url(profile)
    assert link not in Client().get(f"/en/members/{profile.pk}/").content.decode()
    assert link not in signed_in(owner).get(f"/en/members/{profile.pk}/").content.decode()
    page = signed_in(make_member()[0]).get(f"/en/members/{profile.pk}/").content.decode()
    assert link in page
    assert "Report this profile" in page


def test_the_reported_member_never_sees_who_reported_them(reported):
    owner, profile = reported
    reporter, _ = make_member(display_name="Secret Reporter")
    signed_in(reporter).post(report_url(profile), {"reason": "harassment", "text": "Rude to me."})
    client = signed_in(owner)
    pages = [
        client.get(f"/en/members/{profile.pk}/"),
        client.get("/en/members/"),
        client.get("/en/accounts/data/"),
    ]
    for response in pages:
        assert response.status_code == 200
        content = response.content.decode()
        assert "Secret Reporter" not in content
        assert reporter.email not in content
    # Nor can they open the moderators' list.
    assert client.get("/en/moderation/").status_code == 403
