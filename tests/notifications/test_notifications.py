"""Notifications as members notice them: the centre and its badge, who may notify whom, the
e-mails (immediately, in digests, never) in the member's language, unsubscribing without
logging in, follows, and hidden content that never leaks through a notification."""

from __future__ import annotations

from datetime import timedelta

import pytest

from django.core import mail
from django.core.signing import Signer
from django.test import Client
from django.utils import timezone

from community.members.models import Block
from community.notifications.digests import send_digests
from community.notifications.models import EmailPreference, EmailState, Notification
from community.notifications.tokens import unsubscribe_token
from community.opportunities import lifecycle
from community.opportunities.models import Review, Status
from core import follows
from core.notify import notify
from core.registries import personal_data
from tests.opportunities.conftest import make_opportunity
from tests.organisations.conftest import client_for

from .conftest import committed

VERIFIED = "organisations.verification"
NEW_OPPORTUNITY = "opportunities.followed_organisation"

pytestmark = pytest.mark.django_db


def _verified(world, recipient=None, **data):
    data.setdefault("decision", "approved")
    data.setdefault("organisation", world["organisation"].name)
    with committed():
        return notify(VERIFIED, recipient or world["member"], target=world["organisation"], **data)


def test_a_member_reads_opens_and_marks_their_notifications_and_nobody_else_can(world):
    first = _verified(world)
    _verified(world, decision="rejected", reason="No registration number.")
    client = world["clients"]["member"]
    page = client.get("/en/notifications/").content.decode()
    assert "Lagos Diaspora Forum is now verified" in page
    assert "Lagos Diaspora Forum could not be verified" in page
    assert page.count('class="unread"') == 2
    assert "data-unread-number>2<" in page  # the header's badge
    # Another member, or a visitor, cannot open (nor learn of) someone else's notification.
    assert world["clients"]["other"].post(f"/en/notifications/{first.pk}/open/").status_code == 404
    anonymous = Client().post(f"/en/notifications/{first.pk}/open/")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert Client().get("/en/notifications/").status_code == 302
    assert (
        "Lagos Diaspora Forum"
        not in world["clients"]["other"].get("/en/notifications/").content.decode()
    )
    first.refresh_from_db()
    assert first.read_at is None
    # Opening one marks it read and leads to what it is about.
    opened = client.post(f"/en/notifications/{first.pk}/open/")
    assert opened.status_code == 302
    assert opened["Location"] == "/en/organisations/lagos-diaspora-forum/"
    first.refresh_from_db()
    assert first.read_at is not None
    assert "data-unread-number>1<" in client.get("/en/notifications/").content.decode()
    # The dashboard shows the latest unread one.
    assert "could not be verified" in client.get("/en/me/").content.decode()
    client.post("/en/notifications/read-all/")
    page = client.get("/en/notifications/").content.decode()
    assert 'class="unread"' not in page and "data-unread-count hidden" in page


def test_blocked_members_and_oneself_cannot_notify(world):
    member, other = world["member"], world["other"]
    Block.objects.create(blocker=member, blocked=other)
    opportunity = make_opportunity(other, world["organisation"])
    with committed():
        assert notify(NEW_OPPORTUNITY, member, target=opportunity, actor=other, title="x") is None
        assert notify(NEW_OPPORTUNITY, other, target=opportunity, actor=other, title="x") is None
        # The block is one-way: the blocked member still hears from the one who blocked them.
        assert notify(NEW_OPPORTUNITY, other, target=opportunity, actor=member, title="x")
    assert not Notification.objects.filter(recipient=member).exists()
    assert Notification.objects.filter(recipient=other).count() == 1


def test_the_immediate_email_is_in_the_members_language_with_one_click_unsubscribe(world):
    for language, subject in (
        ("fr", "Lagos Diaspora Forum est désormais vérifiée"),
        ("ar", "تم التحقق من Lagos Diaspora Forum"),
    ):
        member = world["member"]
        member.preferred_language = language
        member.save()
        mail.outbox.clear()
        notification = _verified(world)
        (message,) = mail.outbox
        assert message.to == [member.email] and message.subject == subject
        assert f"/{language}/organisations/lagos-diaspora-forum/" in message.body
        html = message.alternatives[0][0]
        assert f'lang="{language}"' in html and subject in html
        assert ('dir="rtl"' in html) == (language == "ar")
        unsubscribe = message.extra_headers["List-Unsubscribe"].strip("<>")
        assert f"/{language}/notifications/unsubscribe/" in unsubscribe
        assert unsubscribe in message.body
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        notification.refresh_from_db()
        assert notification.email_state == EmailState.SENT
    # Sending the same notification again (a retried task) sends nothing.
    from community.notifications.delivery import email_now

    mail.outbox.clear()
    assert email_now(notification.pk) is False and mail.outbox == []


def test_choices_are_respected_and_a_digest_groups_and_never_sends_twice(world):
    client = world["clients"]["member"]
    refused = client.post("/en/notifications/preferences/", {f"kind-{VERIFIED}": "hourly"})
    assert "Choose how often" in refused.content.decode()
    assert not EmailPreference.objects.filter(user=world["member"]).exists()
    client.post(
        "/en/notifications/preferences/",
        {f"kind-{VERIFIED}": "never", f"kind-{NEW_OPPORTUNITY}": "daily"},
    )
    mail.outbox.clear()
    skipped = _verified(world)
    assert mail.outbox == []
    skipped.refresh_from_db()
    assert skipped.email_state == EmailState.SKIPPED
    client.post(
        "/en/notifications/preferences/",
        {f"kind-{VERIFIED}": "daily", f"kind-{NEW_OPPORTUNITY}": "daily"},
    )
    page = client.get("/en/notifications/preferences/").content.decode()
    assert '<option value="daily" selected>' in page
    _verified(world)
    _verified(world, decision="rejected", reason="Missing papers.")
    for title in ("Nurse in Accra", "Data analyst"):
        opportunity = make_opportunity(world["admin"], world["organisation"], title=title)
        with committed():
            notify(NEW_OPPORTUNITY, world["member"], target=opportunity, title=title,
                   organisation=world["organisation"].name)  # fmt: skip
    assert mail.outbox == []  # nothing at once: they wait for the digest
    assert send_digests() == 1
    (digest,) = mail.outbox
    assert "4 notifications" in digest.subject
    body = digest.body
    assert body.index("Verification decisions") < body.index("is now verified")
    assert body.index("New opportunities from organisations you follow") < body.index(
        "Data analyst"
    )
    assert "Nurse in Accra" in body and "could not be verified" in body
    assert body.count("/notifications/unsubscribe/") == 2  # one per group
    assert "List-Unsubscribe" in digest.extra_headers
    # Nothing twice: neither at once nor later in the day.
    assert send_digests() == 0
    assert send_digests(timezone.now() + timedelta(hours=3)) == 0
    assert len(mail.outbox) == 1
    # Tomorrow's digest holds only what came since.
    _verified(world)
    assert send_digests(timezone.now() + timedelta(hours=3)) == 0  # not a day yet
    assert send_digests(timezone.now() + timedelta(days=1)) == 1
    assert "1 notification" in mail.outbox[1].subject


def test_an_unsubscribe_link_works_without_logging_in_and_only_as_signed(world):
    member, other = world["member"], world["other"]
    token = unsubscribe_token(member, [VERIFIED])
    anonymous = Client(enforce_csrf_checks=True)
    shown = anonymous.get(f"/en/notifications/unsubscribe/{token}/")
    assert shown.status_code == 200 and "Verification decisions" in shown.content.decode()
    assert not EmailPreference.objects.exists()  # a link checker's GET changes nothing
    tampered = token.replace(":", "x:", 1)
    assert anonymous.post(f"/en/notifications/unsubscribe/{tampered}/").status_code == 400
    forged = Signer(salt="something else").sign_object({"u": other.pk, "k": [VERIFIED]})
    assert anonymous.post(f"/en/notifications/unsubscribe/{forged}/").status_code == 400
    assert not EmailPreference.objects.exists()
    # The member's own token, even opened by another member, only ever changes the member's.
    done = client_for(other).post(f"/en/notifications/unsubscribe/{token}/")
    assert done.status_code == 200 and "no longer receive" in done.content.decode()
    # One click from the mail client (RFC 8058): a POST without cookies or CSRF token.
    assert anonymous.post(f"/en/notifications/unsubscribe/{token}/").status_code == 200
    assert list(EmailPreference.objects.values_list("user", "kind", "frequency")) == [
        (member.pk, VERIFIED, "never")
    ]
    mail.outbox.clear()
    _verified(world)
    _verified(world, recipient=other)
    assert [message.to for message in mail.outbox] == [[other.email]]


def test_followers_hear_of_new_opportunities_and_hidden_ones_never_leak(world):
    member, other = world["member"], world["other"]
    organisation = world["organisation"]
    client = world["clients"]["member"]
    page = client.get("/en/organisations/lagos-diaspora-forum/").content.decode()
    assert 'value="follow"' in page
    client.post(
        "/en/notifications/follow/",
        {"model": "organisations.organisation", "pk": organisation.pk, "action": "follow",
         "next": "/en/organisations/lagos-diaspora-forum/"},
    )  # fmt: skip
    assert (
        'value="unfollow"' in client.get("/en/organisations/lagos-diaspora-forum/").content.decode()
    )
    follows.mute(other, organisation)
    assert list(follows.followers(organisation)) == [member]
    # A hidden organisation cannot be followed by a stranger (as if it did not exist).
    hidden = type(organisation).objects.create(
        name="Hidden", slug="hidden", type="diaspora", hidden=True
    )
    refused = client.post(
        "/en/notifications/follow/",
        {"model": "organisations.organisation", "pk": hidden.pk, "action": "follow"},
    )
    assert refused.status_code == 404
    assert (
        client.post(
            "/en/notifications/follow/", {"model": "core.user", "pk": other.pk, "action": "follow"}
        ).status_code
        == 404
    )
    draft = make_opportunity(world["admin"], organisation, title="Remittance analyst",
                             status=Status.DRAFT, review=Review.APPROVED)  # fmt: skip
    mail.outbox.clear()
    with committed():
        lifecycle.publish(draft)
    (notification,) = Notification.objects.filter(recipient=member)
    assert not Notification.objects.filter(recipient=other).exists()  # muted
    assert "Lagos Diaspora Forum, which you follow, published a new opportunity" in (
        client.get("/en/notifications/").content.decode()
    )
    # Hidden by a moderator: gone from the centre, the badge, the dashboard and the digest.
    draft.hidden = True
    draft.save()
    page = client.get("/en/notifications/").content.decode()
    assert "Remittance analyst" not in page and "data-unread-count hidden" in page
    assert "Remittance analyst" not in client.get("/en/me/").content.decode()
    assert send_digests(timezone.now() + timedelta(days=1)) == 0
    assert "Remittance analyst" not in "".join(m.body for m in mail.outbox)
    notification.refresh_from_db()
    assert notification.email_state == EmailState.SKIPPED
    # The preferences page lists the follow, and removes it.
    page = client.get("/en/notifications/preferences/").content.decode()
    assert "Lagos Diaspora Forum" in page
    client.post(
        "/en/notifications/follow/",
        {"model": "organisations.organisation", "pk": organisation.pk, "action": "unfollow"},
    )
    assert not follows.is_following(member, organisation)


def test_notifications_follows_and_choices_join_the_export_and_go_with_erasure(world):
    member = world["member"]
    _verified(world)
    follows.follow(member, world["organisation"])
    EmailPreference.objects.create(user=member, kind=VERIFIED, frequency="weekly")
    section = personal_data["notifications"].export(member)
    assert section["notifications"][0]["kind"] == VERIFIED
    assert section["email_choices"] == {VERIFIED: "weekly"}
    assert section["follows"][0]["state"] == "follow"
    personal_data["notifications"].erase(member)
    assert not Notification.objects.filter(recipient=member).exists()
    assert not follows.follows_of(member).exists()
    assert not EmailPreference.objects.filter(user=member).exists()


def test_a_new_resource_reaches_the_followers_of_its_topic_in_any_language(world):
    from knowledge.models import ResourcePage
    from knowledge.topic_notices import tell_followers

    page = ResourcePage.objects.live().filter(topics__isnull=False).first()
    topic = page.topics.first()
    world["member"].preferred_language = "fr"
    world["member"].save()
    # Ticked on the French preferences page: the French row of the concept is followed.
    client = world["clients"]["member"]
    client.post("/fr/notifications/preferences/", {"topics": [topic.slug], "save_topics": "1"})
    followed = follows.follows_of(world["member"]).get()
    assert followed.target_id != topic.pk and follows.is_following(world["member"], topic)
    form = client.get("/fr/notifications/preferences/").content.decode()
    assert f'value="{topic.slug}" checked' in form
    with committed():
        assert tell_followers(page.pk) == 1
    line = world["clients"]["member"].get("/fr/notifications/").content.decode()
    assert page.title in line
    client.post("/fr/notifications/preferences/", {"save_topics": "1"})  # none ticked
    assert not follows.is_following(world["member"], topic)
