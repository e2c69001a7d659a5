"""The moderator list and its decisions: who may open it, and what hide, restore, dismiss do."""

from __future__ import annotations

import logging

import pytest

from django.contrib.contenttypes.models import ContentType
from django.test import Client

from community.members.models import Profile
from community.moderation.models import Report
from tests.members.conftest import make_member

from .conftest import report_url, signed_in

pytestmark = pytest.mark.django_db


def _report(profile, reason="scam", text="", reporter=None):
    reporter = reporter or make_member()[0]
    response = signed_in(reporter).post(report_url(profile), {"reason": reason, "text": text})
    assert response.status_code == 302
    return reporter


def _decide(client, profile, action, note=""):
    return client.post(
        "/en/moderation/decide/",
        {
            "action": action,
            "content_type": ContentType.objects.get_for_model(Profile).pk,
            "object_id": profile.pk,
            "note": note,
        },
    )


@pytest.mark.parametrize("path", ["/en/moderation/", "/en/moderation/?status=hidden"])
def test_anonymous_readers_are_sent_to_log_in(path):
    response = Client().get(path)
    assert response.status_code == 302
    assert "/accounts/login/" in response.headers["Location"]


@pytest.mark.parametrize("role", ["Member", "Editor"])
def test_members_and_editors_without_the_permission_are_refused(reported, role):
    _owner, profile = reported
    _report(profile, text="Fake visas")
    client = signed_in(make_member(role=role)[0])
    response = client.get("/en/moderation/")
    assert response.status_code == 403
    assert "Fake visas" not in response.content.decode()
    assert _decide(client, profile, "hide").status_code == 403
    assert not Profile.objects.get(pk=profile.pk).hidden_by_moderation


def test_a_moderator_without_a_second_factor_in_this_session_is_sent_to_give_it(reported):
    _owner, profile = reported
    _report(profile, text="Fake visas")
    moderator, _ = make_member(role="Moderator")
    client = signed_in(moderator)
    response = client.get("/en/moderation/")
    assert response.status_code == 302
    assert "/accounts/2fa/" in response.headers["Location"]
    assert _decide(client, profile, "hide").status_code == 302
    assert not Profile.objects.get(pk=profile.pk).hidden_by_moderation


def test_the_moderation_permission_is_not_the_publishing_one():
    editor, _ = make_member(role="Editor")
    moderator, _ = make_member(role="Moderator")
    administrator, _ = make_member(role="Administrator")
    assert not editor.has_perm("moderation.moderate_community")
    assert moderator.has_perm("moderation.moderate_community")
    assert administrator.has_perm("moderation.moderate_community")


def test_the_list_groups_reports_of_one_profile_and_shows_it_in_context(reported, moderator_client):
    _owner, profile = reported
    first = _report(profile, "scam", "Asks for money")
    _report(profile, "spam", "Posts links everywhere")
    other = make_member(display_name="Someone Else", in_directory=True)[1]
    _report(other, "off_topic")
    page = moderator_client.get("/en/moderation/").content.decode()
    assert page.count("Reported Person") == 1  # one group, not one per report
    assert "2 reports" in page and "1 report" in page
    assert "Sells miracle visas" in page  # the profile itself, in context
    assert "Asks for money" in page and "Posts links everywhere" in page
    assert "Scam or fraud" in page and "Spam" in page
    assert f"/en/members/{profile.pk}/" in page
    assert first.email in page or first.get_full_name() in page  # moderators see who reported


def test_hiding_removes_the_profile_for_everyone_but_its_member_and_moderators(
    reported, moderator_client, caplog
):
    owner, profile = reported
    _report(profile)
    # Every account exists before the pages are cached: saving a profile empties the cache.
    member = signed_in(make_member()[0])
    anonymous = Client()
    assert anonymous.get(f"/en/members/{profile.pk}/").status_code == 200  # now cached
    assert "Reported Person" in anonymous.get("/en/members/").content.decode()  # cached too

    with caplog.at_level(logging.INFO, logger="core.audit"):
        response = _decide(moderator_client, profile, "hide", note="Visa scam")
    assert response.status_code == 302
    assert "moderation hide: members.Profile" in caplog.text
    assert str(moderator_client.user.pk) in caplog.text

    for client in (anonymous, member):
        assert client.get(f"/en/members/{profile.pk}/").status_code == 404
        assert "Reported Person" not in client.get("/en/members/").content.decode()
        assert client.get(report_url(profile)).status_code in (302, 404)
    own = signed_in(owner).get(f"/en/members/{profile.pk}/")
    assert own.status_code == 200
    assert "The moderators have hidden this profile" in own.content.decode()
    assert moderator_client.get(f"/en/members/{profile.pk}/").status_code == 200

    saved = Report.objects.get()
    assert saved.status == Report.Status.HIDDEN
    assert saved.decided_by == moderator_client.user
    assert saved.decided_at is not None
    assert saved.decision_note == "Visa scam"
    assert "Reported Person" not in moderator_client.get("/en/moderation/").content.decode()
    hidden = moderator_client.get("/en/moderation/?status=hidden").content.decode()
    assert "Reported Person" in hidden and "Restore" in hidden


def test_restoring_brings_the_profile_back(reported, moderator_client):
    _owner, profile = reported
    _report(profile)
    _decide(moderator_client, profile, "hide")
    anonymous = Client()
    assert anonymous.get(f"/en/members/{profile.pk}/").status_code == 404
    assert "Reported Person" not in anonymous.get("/en/members/").content.decode()  # cached

    assert _decide(moderator_client, profile, "restore", note="Checked: genuine").status_code == 302
    assert anonymous.get(f"/en/members/{profile.pk}/").status_code == 200
    assert "Reported Person" in anonymous.get("/en/members/").content.decode()
    saved = Report.objects.get()
    assert saved.status == Report.Status.DISMISSED
    assert saved.decision_note == "Checked: genuine"


def test_dismissing_leaves_the_profile_visible_and_clears_the_list(reported, moderator_client):
    _owner, profile = reported
    _report(profile)
    assert _decide(moderator_client, profile, "dismiss").status_code == 302
    assert Client().get(f"/en/members/{profile.pk}/").status_code == 200
    assert Report.objects.get().status == Report.Status.DISMISSED
    assert not Profile.objects.get(pk=profile.pk).hidden_by_moderation
    assert "Reported Person" not in moderator_client.get("/en/moderation/").content.decode()


def test_reporting_again_after_a_dismissal_reopens_the_report(reported, moderator_client):
    _owner, profile = reported
    reporter = _report(profile)
    _decide(moderator_client, profile, "dismiss")
    _report(profile, "harassment", "It happened again", reporter=reporter)
    saved = Report.objects.get()
    assert (saved.status, saved.text, saved.decided_by) == ("open", "It happened again", None)


def test_decisions_need_a_post_with_a_csrf_token(reported):
    _owner, profile = reported
    _report(profile)
    moderator, _ = make_member(role="Moderator")
    client = Client(enforce_csrf_checks=True)
    from tests.factories import sign_in_with_second_factor

    # Log in without CSRF enforcement, then decide with it.
    plain = Client()
    sign_in_with_second_factor(plain, moderator)
    client.cookies = plain.cookies
    assert client.get("/en/moderation/decide/").status_code == 405
    assert _decide(client, profile, "hide").status_code == 403
    assert not Profile.objects.get(pk=profile.pk).hidden_by_moderation


def test_a_bad_decision_is_refused_and_changes_nothing(reported, moderator_client):
    _owner, profile = reported
    _report(profile)
    response = _decide(moderator_client, profile, "explode")
    assert response.status_code == 302
    assert Report.objects.get().status == "open"
    follow = moderator_client.get(response.headers["Location"]).content.decode()
    assert "That decision could not be recorded" in follow
    response = _decide(moderator_client, profile, "hide", note="<b>bold</b>")
    assert Report.objects.get().status == "open"
    assert not Profile.objects.get(pk=profile.pk).hidden_by_moderation


def test_a_moderators_password_alone_reads_neither_the_queue_nor_what_it_hid(
    reported, moderator_client
):
    """The queue asks for the code (not a 403); a profile hidden by moderation is absent for
    members and asks for the code of a moderator whose session did not give it
    (`core.privilege`), and shows to the same account once it did."""
    _owner, profile = reported
    _report(profile, text="Fake visas")
    password_only = signed_in(moderator_client.user)
    queue = password_only.get("/en/moderation/")
    assert queue.status_code == 302
    assert "/accounts/2fa/reauthenticate/" in queue.headers["Location"]
    assert "Fake visas" not in queue.content.decode()
    assert "Fake visas" in moderator_client.get("/en/moderation/").content.decode()
    assert _decide(moderator_client, profile, "hide").status_code == 302
    hidden_profile = f"/en/members/{profile.pk}/"
    assert signed_in(make_member()[0]).get(hidden_profile).status_code == 404
    asked = password_only.get(hidden_profile)
    assert asked.status_code == 302 and "/accounts/2fa/" in asked.headers["Location"]
    assert "Reported Person" not in asked.content.decode()
    assert "Reported Person" in moderator_client.get(hidden_profile).content.decode()
    # Writing to a hidden member is refused with or without the code: a plain 404, never the
    # prompt (which the contact page used to take for the profile, and failed with a 500).
    for client in (password_only, moderator_client):
        assert client.get(f"/en/members/{profile.pk}/contact/").status_code == 404
        assert client.post(f"/en/members/{profile.pk}/contact/", {}).status_code == 404
