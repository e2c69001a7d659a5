"""One account per e-mail address, whatever way it is written, and none for its lookalikes.

A member's address written with the dotless ı, the long s (ſ), the Kelvin sign (K), fullwidth
letters or other capitals must never become a second account, never open the member's account
with another password, never break the member's log-in, and share the member's rate limits.
"""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress

from django.core import mail
from django.db import IntegrityError, transaction

from core.models import User
from tests.factories import UserFactory, accept_current_policies

pytestmark = pytest.mark.django_db

OWNER = "kofi.victim@mission.org"
PASSWORD = "correct horse battery"
IMPOSTOR_PASSWORD = "the impostor's own passphrase 9"

# Written differently, the same mailbox: these reach the owner's account.
SAME_ADDRESS = {
    "capitals": "Kofi.VICTIM@Mission.ORG",
    "kelvin sign": "\u212aofi.victim@mission.org",
    "long s": "kofi.victim@miſſion.org",
    "fullwidth domain": "kofi.victim@ｍｉｓｓｉｏｎ.org",
}
# Another mailbox that reads the same: never an account of its own.
LOOKALIKES = {
    "dotless i in the domain": "kofi.victim@mıssıon.org",
    "dotless i in the name": "kofi.vıctım@mission.org",
    "cyrillic i and o": "kofi.victim@mіssiоn.org",
}
ALL_VARIANTS = {**SAME_ADDRESS, **LOOKALIKES}


def signup(client, email: str, password: str = IMPOSTOR_PASSWORD, **extra):
    return client.post(
        "/en/accounts/signup/",
        {
            "email": email,
            "name": "Someone",
            "password1": password,
            "password2": password,
            "accept_policies": "on",
        },
        **extra,
    )


def login(client, email: str, password: str, **extra):
    return client.post("/en/accounts/login/", {"login": email, "password": password}, **extra)


@pytest.fixture
def owner():
    user = UserFactory(email=OWNER)
    accept_current_policies(user)
    return user


def test_the_canonical_form_folds_case_compatibility_letters_and_the_domain():
    from core.emails import canonical_email, email_skeleton

    assert canonical_email("Kofi.VICTIM@Mission.ORG") == OWNER
    assert canonical_email("\u212aofi.victim@ｍｉｓｓｉｏｎ.org") == OWNER
    assert canonical_email("kofi.victim@miſſion.org") == OWNER
    assert canonical_email("a@مثال.com") == "a@xn--mgbh0fb.com"
    assert canonical_email("kofi.victim@mıssıon.org") != OWNER  # a different domain...
    assert email_skeleton("kofi.victim@mıssıon.org") == email_skeleton(OWNER)  # ...that reads alike


@pytest.mark.parametrize("variant", ALL_VARIANTS.values(), ids=ALL_VARIANTS.keys())
def test_signing_up_with_a_variant_creates_no_account_and_tells_the_owner(client, owner, variant):
    accounts = User.objects.count()
    response = signup(client, variant)
    assert User.objects.count() == accounts
    fresh = signup(client, "someone.new@example.org")
    assert User.objects.count() == accounts + 1

    assert response.status_code == fresh.status_code == 302
    assert response.headers["Location"] == fresh.headers["Location"]
    to_owner = [m for m in mail.outbox if m.to == [OWNER]]
    assert len(to_owner) == 1
    assert "already" in to_owner[0].body.lower()
    assert not [m for m in mail.outbox if m.to == [variant]]


@pytest.mark.parametrize("variant", ALL_VARIANTS.values(), ids=ALL_VARIANTS.keys())
def test_after_a_variant_sign_up_the_owner_still_logs_in_and_the_impostor_does_not(
    client, owner, variant
):
    signup(client, variant)
    for attempt in (variant, OWNER):
        refused = login(client, attempt, IMPOSTOR_PASSWORD)
        assert refused.status_code == 200
        assert "_auth_user_id" not in client.session

    response = login(client, OWNER, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(owner.pk)


@pytest.mark.parametrize("variant", SAME_ADDRESS.values(), ids=SAME_ADDRESS.keys())
def test_the_owner_logs_in_with_any_way_of_writing_their_address(client, owner, variant):
    response = login(client, variant, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(owner.pk)
    # allauth's own table was not given a second spelling of the address
    assert list(EmailAddress.objects.filter(user=owner).values_list("email", flat=True)) == [OWNER]


@pytest.mark.parametrize("variant", LOOKALIKES.values(), ids=LOOKALIKES.keys())
def test_a_lookalike_address_does_not_log_in_to_the_owners_account(client, owner, variant):
    response = login(client, variant, PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("variant", ALL_VARIANTS.values(), ids=ALL_VARIANTS.keys())
def test_the_database_refuses_a_second_account_for_a_variant(owner, variant):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(email=variant, password="x")


def test_an_address_is_stored_in_one_written_form_in_both_tables(client):
    signup(client, "New.Person@ＥＸＡＭＰＬＥ.net", password="a-long enough passphrase 42")
    user = User.objects.get(email__startswith="new.person@")
    assert user.email == "new.person@example.net"
    assert list(EmailAddress.objects.filter(user=user).values_list("email", flat=True)) == [
        "new.person@example.net"
    ]
    assert mail.outbox[-1].to == ["new.person@example.net"]


def test_failed_passwords_count_together_across_ways_of_writing_the_address(client, owner):
    # Five failures, each written differently and from a different client address, slow the
    # account down as five failures of one spelling would.
    for number, variant in enumerate([OWNER, *SAME_ADDRESS.values()]):
        login(client, variant, "wrong guess", REMOTE_ADDR=f"198.51.100.{number + 1}")
    blocked = login(client, OWNER, PASSWORD, REMOTE_ADDR="203.0.113.9")
    assert "Too many failed attempts" in blocked.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_reset_requests_count_together_across_ways_of_writing_the_address(client, owner):
    # settings: "5/h/key" on password reset requests
    statuses = [
        client.post("/en/accounts/password/reset/", {"email": variant}).status_code
        for variant in [OWNER, *SAME_ADDRESS.values(), OWNER]
    ]
    assert statuses[:5] == [302] * 5
    assert statuses[5] == 429


def test_login_code_requests_count_together_across_ways_of_writing_the_address(client, owner):
    # allauth: "3/m/key" on sign-in code requests
    for variant in list(SAME_ADDRESS.values())[:3]:
        client.post("/en/accounts/login/code/", {"email": variant})
        client.cookies.clear()
    refused = client.post("/en/accounts/login/code/", {"email": OWNER})
    assert refused.status_code == 200
    assert "Too many sign-in codes" in refused.content.decode()


def _change_email(client, user: User, new: str):
    client.force_login(user)
    return client.post("/en/accounts/email/", {"action_add": "", "email": new})


@pytest.mark.parametrize("variant", ALL_VARIANTS.values(), ids=ALL_VARIANTS.keys())
def test_changing_to_a_members_address_or_its_lookalike_changes_nothing_and_tells_the_member(
    client, owner, variant
):
    other = UserFactory(email="other@example.org")
    accept_current_policies(other)
    mail.outbox.clear()
    response = _change_email(client, other, variant)
    assert response.status_code == 302

    assert [m.to for m in mail.outbox] == [[OWNER]]
    links = re.findall(r"http://testserver(/en/accounts/confirm-email/\S+/)", mail.outbox[0].body)
    for link in links:  # the owner, confused, follows the link
        client.post(link)
    other.refresh_from_db()
    owner.refresh_from_db()
    assert other.email == "other@example.org"
    assert owner.email == OWNER


def test_changing_to_a_free_address_still_works_in_its_written_form(client):
    user = UserFactory(email="mover@example.org")
    accept_current_policies(user)
    _change_email(client, user, "Mover@ＮＥＷ.example.org")
    link = re.search(r"http://testserver(/en/accounts/confirm-email/\S+/)", mail.outbox[-1].body)
    client.post(link.group(1))
    user.refresh_from_db()
    assert user.email == "mover@new.example.org"
    assert EmailAddress.objects.get(user=user).email == "mover@new.example.org"


@pytest.mark.parametrize("variant", SAME_ADDRESS.values(), ids=SAME_ADDRESS.keys())
def test_a_sign_in_code_asked_for_any_way_of_writing_the_address_reaches_the_owner(
    client, owner, variant
):
    client.post("/en/accounts/login/code/", {"email": variant})
    assert mail.outbox[-1].to == [OWNER]
    code = re.search(r"^\s*([A-Z0-9-]{6,})\s*$", mail.outbox[-1].body, re.M).group(1)
    response = client.post("/en/accounts/login/code/confirm/", {"code": code})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(owner.pk)


@pytest.mark.parametrize("variant", SAME_ADDRESS.values(), ids=SAME_ADDRESS.keys())
def test_a_password_reset_asked_for_any_way_of_writing_the_address_reaches_the_owner(
    client, owner, variant
):
    client.post("/en/accounts/password/reset/", {"email": variant})
    assert mail.outbox[-1].to == [OWNER]
    assert "/en/accounts/password/reset/key/" in mail.outbox[-1].body
