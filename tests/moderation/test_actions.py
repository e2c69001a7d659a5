"""Moderators' actions from the queue: each one's effect, its log entry, the author's e-mail,
the one appeal, and suspension / ban cutting sessions. Permissions of every moderator page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.test import Client
from django.utils import timezone

from community.members.models import Profile
from community.moderation.models import Appeal, ModerationAction, Report
from core.registries import personal_data
from tests.factories import PASSWORD
from tests.members.conftest import make_member

from .conftest import report_url, signed_in

pytestmark = pytest.mark.django_db

MODERATOR_PAGES = [
    "/en/moderation/",
    "/en/moderation/log/",
    "/en/moderation/words/",
    "/en/moderation/trust/",
]


def _report(profile, reason="scam"):
    reporter = make_member()[0]
    assert signed_in(reporter).post(report_url(profile), {"reason": reason}).status_code == 302
    return reporter


def _act(client, profile, action, **extra):
    return client.post(
        "/en/moderation/decide/",
        {
            "action": action,
            "content_type": ContentType.objects.get_for_model(Profile).pk,
            "object_id": profile.pk,
            "note": "Checked with the reporter",
            **extra,
        },
    )


def _appeal_link() -> str:
    return re.search(r"https?://\S+/appeal/\S+/", mail.outbox[-1].body).group(0)


@pytest.mark.parametrize("path", MODERATOR_PAGES)
def test_moderator_pages_need_the_permission_and_a_second_factor(path, reported):
    _owner, profile = reported
    _report(profile)
    assert "/accounts/login/" in Client().get(path).headers["Location"]
    assert signed_in(make_member()[0]).get(path).status_code == 403
    # An editor publishes pages; judging members is not theirs.
    assert signed_in(make_member(role="Editor")[0]).get(path).status_code == 403
    password_only = signed_in(make_member(role="Moderator")[0])
    response = password_only.get(path)
    assert response.status_code == 302 and "/accounts/2fa/" in response.headers["Location"]
    assert _act(password_only, profile, "ban").status_code == 302
    assert not ModerationAction.objects.filter(kind="ban").exists()


def test_hide_warn_approve_and_delete_are_logged_and_the_author_told(reported, moderator_client):
    owner, profile = reported
    owner.preferred_language = "fr"
    owner.save(update_fields=["preferred_language"])
    _report(profile)
    with_reports = Report.objects.filter(object_id=profile.pk)
    assert _act(moderator_client, profile, "warn").status_code == 302
    assert not Profile.objects.get(pk=profile.pk).hidden_by_moderation
    assert mail.outbox[-1].to == [owner.email]
    assert "/fr/appeal/" in mail.outbox[-1].body  # in the author's language
    _report(profile)
    _act(moderator_client, profile, "approve")
    assert not with_reports.filter(status="open").exists()
    _report(profile)
    _act(moderator_client, profile, "hide")
    assert Profile.objects.get(pk=profile.pk).hidden_by_moderation
    kinds = list(ModerationAction.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds == ["warn", "approve", "hide"]
    entry = ModerationAction.objects.get(kind="hide")
    assert entry.moderator == moderator_client.user and entry.author == owner
    assert entry.note == "Checked with the reporter" and entry.reason == "scam"
    with pytest.raises(ValueError):  # append-only
        entry.save()
    page = moderator_client.get("/en/moderation/log/?kind=hide").content.decode()
    assert "Reported Person" in page and "Warned the author" not in page.split("<tbody>")[1]
    # The reason as a moderator reads it, in their language, not the stored key.
    assert "<td>Scam or fraud</td>" in page and "<td>scam</td>" not in page
    page = moderator_client.get("/ar/moderation/log/?kind=hide").content.decode()
    assert "<td>احتيال أو نصب</td>" in page and "<td>scam</td>" not in page
    _act(moderator_client, profile, "delete")
    assert not Profile.objects.filter(pk=profile.pk).exists()
    assert ModerationAction.objects.filter(kind="delete", object_repr__contains="Reported").exists()


def test_suspension_cuts_an_open_session_and_refuses_log_in_until_its_end(
    reported, moderator_client
):
    owner, profile = reported
    _report(profile)
    session = signed_in(owner)
    assert session.get("/en/me/").status_code == 200
    _act(moderator_client, profile, "suspend", days="7")
    owner.refresh_from_db()
    assert owner.suspended_until is not None
    assert Profile.objects.get(pk=profile.pk).hidden_by_moderation
    cut = session.get("/en/me/")
    assert cut.status_code == 403 and "suspended by the moderators until" in cut.content.decode()
    # The session is gone, not only this page: the next request is anonymous.
    assert "/accounts/login/" in session.get("/en/me/").headers["Location"]
    login = Client().post("/en/accounts/login/", {"login": owner.email, "password": PASSWORD})
    assert login.status_code == 403 and "suspended" in login.content.decode()
    # Once the end date passes, the member signs in again.
    owner.suspended_until = timezone.now() - timedelta(minutes=1)
    owner.save(update_fields=["suspended_until"])
    again = Client().post("/en/accounts/login/", {"login": owner.email, "password": PASSWORD})
    assert again.status_code == 302


def test_a_ban_is_forever_and_one_appeal_reverses_it(reported, moderator_client):
    owner, profile = reported
    _report(profile)
    _act(moderator_client, profile, "ban")
    owner.refresh_from_db()
    assert owner.banned_at is not None
    refused = Client().post("/en/accounts/login/", {"login": owner.email, "password": PASSWORD})
    assert "banned" in refused.content.decode()
    # The appeal needs no log-in: a banned member cannot sign in.
    link = _appeal_link()
    appeal_page = Client().get(link)
    assert appeal_page.status_code == 200
    assert Client().post(link, {"text": ""}).status_code == 400  # a clear error, nothing saved
    assert Client().post(link, {"text": "I sell nothing."}).status_code == 302
    second = Client().post(link, {"text": "Please, again."})
    assert second.status_code == 409 and "only once" in second.content.decode()
    assert Appeal.objects.get().text == "I sell nothing."
    queue = moderator_client.get("/en/moderation/").content.decode()
    assert "I sell nothing." in queue
    appeal = Appeal.objects.get()
    assert (
        signed_in(make_member()[0])
        .post(f"/en/moderation/appeals/{appeal.pk}/", {"decision": "reverse"})
        .status_code
        == 403
    )
    moderator_client.post(f"/en/moderation/appeals/{appeal.pk}/", {"decision": "reverse"})
    owner.refresh_from_db()
    assert owner.banned_at is None
    assert not Profile.objects.get(pk=profile.pk).hidden_by_moderation  # the restore hook ran
    assert ModerationAction.objects.filter(kind="reverse", reverses__kind="ban").exists()
    assert "appeal was granted" in mail.outbox[-1].subject
    assert (
        Client()
        .post("/en/accounts/login/", {"login": owner.email, "password": PASSWORD})
        .status_code
        == 302
    )
    assert Client().get("/en/appeal/forged-token/").status_code == 404


def test_an_upheld_appeal_keeps_the_content_hidden(reported, moderator_client):
    owner, profile = reported
    _report(profile)
    _act(moderator_client, profile, "hide")
    Client().post(_appeal_link(), {"text": "Mistake"})
    # The appeal is the author's: in their data export, never the moderator's name.
    exported = personal_data["moderation"].export(owner)["appeals"]
    assert [(a["decision"], a["text"]) for a in exported] == [("hide", "Mistake")]
    assert moderator_client.user.email not in str(exported)
    moderator_client.post(
        f"/en/moderation/appeals/{Appeal.objects.get().pk}/", {"decision": "uphold"}
    )
    assert Appeal.objects.get().status == "upheld"
    assert Profile.objects.get(pk=profile.pk).hidden_by_moderation


def test_every_moderator_page_opens_in_arabic_right_to_left(reported, moderator_client):
    _owner, profile = reported
    _report(profile)
    _act(moderator_client, profile, "warn")
    for path in MODERATOR_PAGES:
        response = moderator_client.get(path.replace("/en/", "/ar/"))
        assert response.status_code == 200, path
        assert 'dir="rtl"' in response.content.decode()
