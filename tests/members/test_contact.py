"""Contacting a member: relayed by e-mail in their language, no address revealed, refusals,
blocks that are never revealed, and rate limits."""

from __future__ import annotations

import pytest

from django.test import Client

from community.members.models import Block, ContactLog

from .conftest import make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def recipient():
    user, profile = make_member(display_name="Amina Recipient", open_to=["mentoring", "speaking"])
    user.preferred_language = "fr"
    user.save()
    return user, profile


@pytest.fixture
def sender_client():
    user, profile = make_member(display_name="Sam Sender")
    client = Client()
    client.force_login(user)
    client.user, client.profile = user, profile
    return client


def _send(client, profile, **data):
    payload = {"subject": "mentoring", "message": "Could we talk about mentoring?"}
    payload.update(data)
    return client.post(f"/en/members/{profile.pk}/contact/", payload)


def test_the_profile_offers_the_contact_page_which_works_without_javascript(
    sender_client, recipient
):
    _user, profile = recipient
    page = sender_client.get(f"/en/members/{profile.pk}/").content.decode()
    assert f"/en/members/{profile.pk}/contact/" in page
    form = sender_client.get(f"/en/members/{profile.pk}/contact/").content.decode()
    assert 'value="mentoring"' in form and 'value="speaking"' in form
    assert 'value="investing"' not in form  # only what they are open to


def test_the_contact_form_speaks_the_readers_language(sender_client, recipient):
    _user, profile = recipient
    form = sender_client.get(f"/fr/members/{profile.pk}/contact/").content.decode()
    assert "Texte brut uniquement, jusqu’à 2000 caractères." in form
    assert "Plain text only" not in form


def test_the_message_is_relayed_in_the_recipients_language_without_any_address(
    sender_client, recipient, mailoutbox
):
    user, profile = recipient
    response = _send(sender_client, profile)
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [user.email]
    assert mail.reply_to == []
    everything = mail.message().as_string()
    assert sender_client.user.email not in everything
    assert "Could we talk about mentoring?" in mail.body
    assert "Sam Sender" in mail.body
    assert f"/members/{sender_client.profile.pk}/" in mail.body
    assert f"/members/{sender_client.profile.pk}/block/" in mail.body
    # In French, the recipient's language, not the sender's English.
    assert "Mentorat" in mail.body and "mentorat" in mail.subject
    assert f"/fr/members/{sender_client.profile.pk}/" in mail.body
    log = ContactLog.objects.get()
    assert (log.sender, log.recipient, log.subject) == (sender_client.user, user, "mentoring")
    # The sender's page never shows the recipient's address either.
    page = sender_client.get(f"/en/members/{profile.pk}/contact/").content.decode()
    assert user.email not in page


def test_sharing_the_address_sets_reply_to_the_sender_only_then(
    sender_client, recipient, mailoutbox
):
    _user, profile = recipient
    _send(sender_client, profile, share_email="on")
    assert mailoutbox[0].reply_to == [sender_client.user.email]


def test_html_is_refused_with_nothing_sent_and_nothing_lost(sender_client, recipient, mailoutbox):
    _user, profile = recipient
    response = _send(sender_client, profile, message="Hi <b>there</b> friend")
    assert response.status_code == 200
    page = response.content.decode()
    assert "HTML tags are not allowed" in page
    assert "Hi &lt;b&gt;there&lt;/b&gt; friend" in page  # what they wrote is still there
    assert mailoutbox == [] and not ContactLog.objects.exists()


def test_a_too_long_message_is_refused(sender_client, recipient, mailoutbox):
    _user, profile = recipient
    response = _send(sender_client, profile, message="x" * 2001)
    assert response.status_code == 200 and mailoutbox == []


def test_anonymous_visitors_are_sent_to_log_in(client, recipient, mailoutbox):
    _user, profile = recipient
    response = client.post(f"/en/members/{profile.pk}/contact/", {"subject": "mentoring"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert mailoutbox == []


@pytest.mark.parametrize("field", ["protected", "hidden_by_moderation"])
def test_a_protected_or_hidden_member_does_not_exist_for_the_sender(
    sender_client, recipient, mailoutbox, field
):
    _user, profile = recipient
    setattr(profile, field, True)
    profile.save()
    assert sender_client.get(f"/en/members/{profile.pk}/contact/").status_code == 404
    assert _send(sender_client, profile).status_code == 404
    assert mailoutbox == []


def test_guessing_ids_of_unknown_members_finds_nothing(sender_client, mailoutbox):
    assert sender_client.post("/en/members/999999/contact/", {}).status_code == 404


@pytest.mark.parametrize(
    "change", [{"contact_allowed": False}, {"open_to": []}], ids=["contact off", "open to nothing"]
)
def test_a_member_who_does_not_take_messages_cannot_be_contacted(
    sender_client, recipient, mailoutbox, change
):
    _user, profile = recipient
    for name, value in change.items():
        setattr(profile, name, value)
    profile.save()
    assert f"/members/{profile.pk}/contact/" not in (
        sender_client.get(f"/en/members/{profile.pk}/").content.decode()
    )
    response = _send(sender_client, profile)
    assert response.status_code == 403
    assert "This member cannot be contacted." in response.content.decode()
    assert mailoutbox == []


def test_a_member_cannot_write_to_themselves(recipient, mailoutbox):
    user, profile = recipient
    client = Client()
    client.force_login(user)
    response = _send(client, profile)
    assert "You cannot send a message to yourself." in response.content.decode()
    assert mailoutbox == []


def test_a_block_stops_messages_and_is_not_revealed(sender_client, recipient, mailoutbox):
    user, profile = recipient
    owner = Client()
    owner.force_login(user)
    # From the link in the e-mail: a confirmation page, then the block.
    assert owner.get(f"/en/members/{sender_client.profile.pk}/block/").status_code == 200
    owner.post(f"/en/members/{sender_client.profile.pk}/block/", {"block": "1"})
    assert Block.objects.filter(blocker=user, blocked=sender_client.user).exists()
    response = _send(sender_client, profile)
    page = response.content.decode()
    # The same answer as a member who turned contact off: the word "block" never appears.
    assert "This member cannot be contacted." in page
    assert "block" not in page.lower().replace("blockquote", "")
    assert mailoutbox == []
    # Blocking twice is harmless; unblocking from the profile page lets them write again.
    owner.post(f"/en/members/{sender_client.profile.pk}/block/", {"block": "1"})
    assert Block.objects.count() == 1
    dashboard = owner.get("/en/me/").content.decode()
    assert "Members you blocked" in dashboard and "Sam Sender" in dashboard
    owner.post(f"/en/members/{sender_client.profile.pk}/block/", {"unblock": "1"})
    assert _send(sender_client, profile).status_code == 302
    assert len(mailoutbox) == 1


def test_a_member_cannot_block_on_someone_elses_behalf(sender_client, recipient):
    # The block is always the signed-in member's own: there is no blocker id to change.
    _user, profile = recipient
    sender_client.post(f"/en/members/{profile.pk}/block/", {"block": "1"})
    assert list(Block.objects.values_list("blocker", flat=True)) == [sender_client.user.pk]


def test_three_messages_a_day_to_the_same_member(sender_client, recipient, mailoutbox):
    _user, profile = recipient
    for _ in range(3):
        assert _send(sender_client, profile).status_code == 302
    response = _send(sender_client, profile)
    assert response.status_code == 429
    assert "several times today" in response.content.decode()
    assert len(mailoutbox) == 3


def test_five_messages_an_hour_in_all(sender_client, mailoutbox):
    for number in range(6):
        _user, profile = make_member(display_name=f"Open {number}", open_to=["speaking"])
        response = _send(sender_client, profile, subject="speaking")
    assert response.status_code == 429
    assert "many messages this hour" in response.content.decode()
    assert len(mailoutbox) == 5


def test_your_data_exports_the_blocks_and_the_log_without_the_text(sender_client, recipient):
    from community.members.declarations import _erase_profile, _export_profile

    user, profile = recipient
    _send(sender_client, profile)
    Block.objects.create(blocker=sender_client.user, blocked=user)
    exported = _export_profile(sender_client.user)
    assert exported["messages_sent"][0]["to_member"] == profile.pk
    assert exported["messages_sent"][0]["subject"] == "mentoring"
    assert "Could we talk" not in str(exported)
    assert exported["blocked_members"][0]["member"] == profile.pk
    _erase_profile(sender_client.user)
    assert not Block.objects.exists() and not ContactLog.objects.exists()


def test_guessing_the_block_page_of_a_protected_member_reveals_nothing(sender_client, recipient):
    _user, profile = recipient
    profile.protected = True
    profile.save()
    response = sender_client.get(f"/en/members/{profile.pk}/block/")
    assert response.status_code == 404
    assert "Amina" not in response.content.decode()
    assert sender_client.post(f"/en/members/{profile.pk}/block/", {"block": "1"}).status_code == 404


def test_a_protected_sender_can_still_be_blocked_from_the_link_in_their_message(
    sender_client, recipient, mailoutbox
):
    user, profile = recipient
    _send(sender_client, profile)
    sender_client.profile.protected = True
    sender_client.profile.save()
    owner = Client()
    owner.force_login(user)
    block_url = f"/en/members/{sender_client.profile.pk}/block/"
    assert owner.get(block_url).status_code == 200
    assert owner.post(block_url, {"block": "1"}).status_code == 302
    assert Block.objects.filter(blocker=user, blocked=sender_client.user).exists()
