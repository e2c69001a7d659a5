"""Sign-up, e-mail verification, log-in and their limits, as a visitor experiences them."""

from __future__ import annotations

import re

import pytest

from django.core import mail

from core.models import PolicyAcceptance, User
from tests.factories import UserFactory, accept_current_policies

pytestmark = pytest.mark.django_db

SIGNUP = "/{lang}/accounts/signup/"
LOGIN = "/{lang}/accounts/login/"


def signup_data(email: str, **extra) -> dict[str, str]:
    return {
        "email": email,
        "name": "Awa",
        "password1": "a-long enough passphrase 42",
        "password2": "a-long enough passphrase 42",
        "accept_policies": "on",
        **extra,
    }


def test_signup_asks_to_accept_terms_privacy_and_conduct_with_links(client):
    page = client.get(SIGNUP.format(lang="en")).content.decode()
    assert 'href="/en/terms/"' in page
    assert 'href="/en/privacy/"' in page
    assert 'href="/en/code-of-conduct/"' in page


def test_signup_creates_a_member_records_accepted_policies_and_sends_verification(client):
    response = client.post(SIGNUP.format(lang="en"), signup_data("New.Person@Example.net"))
    assert response.status_code == 302
    user = User.objects.get(email__iexact="new.person@example.net")
    assert list(user.groups.values_list("name", flat=True)) == ["Member"]
    assert user.first_name == "Awa"
    accepted = set(PolicyAcceptance.objects.filter(user=user).values_list("kind", "version"))
    assert accepted == {("terms", 1), ("privacy", 1), ("conduct", 1)}
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.person@example.net"]
    assert "/en/accounts/confirm-email/" in mail.outbox[0].body


def test_signup_without_accepting_policies_shows_a_french_error_and_keeps_the_email(client):
    data = signup_data("garde@example.net")
    del data["accept_policies"]
    response = client.post(SIGNUP.format(lang="fr"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Veuillez accepter" in page
    assert 'value="garde@example.net"' in page
    assert not User.objects.filter(email="garde@example.net").exists()


def test_signup_with_a_taken_email_reveals_nothing_and_warns_the_owner_by_email(client):
    # Saying "this email is registered" would tell anyone who is a member: at-risk members
    # must not be discoverable that way. The owner is told by email instead.
    UserFactory(email="taken@example.net")
    response = client.post(SIGNUP.format(lang="en"), signup_data("TAKEN@example.net"))
    assert response.status_code == 302
    assert User.objects.filter(email__iexact="taken@example.net").count() == 1
    assert mail.outbox[-1].to == ["taken@example.net"]
    assert "already" in mail.outbox[-1].body.lower()


def test_verification_email_is_written_in_the_language_of_the_signup_page(client):
    client.post(SIGNUP.format(lang="es"), signup_data("hola@example.net"))
    message = mail.outbox[-1]
    assert "/es/accounts/confirm-email/" in message.body
    assert "correo" in (message.subject + message.body).lower()


def test_member_logs_in_only_after_confirming_the_emailed_link(client):
    client.post(SIGNUP.format(lang="en"), signup_data("verify@example.net"))
    link = re.search(r"http://[^\s]+/confirm-email/[^\s]+/", mail.outbox[-1].body).group(0)
    credentials = {"login": "verify@example.net", "password": "a-long enough passphrase 42"}

    before = client.post(LOGIN.format(lang="en"), credentials)
    assert "confirm-email" in before.headers["Location"]  # sent to "verify your email"
    assert "_auth_user_id" not in client.session

    path = link.split("testserver", 1)[-1]
    client.post(path)
    after = client.post(LOGIN.format(lang="en"), credentials)
    assert after.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get(email=credentials["login"]).pk)


def test_login_accepts_the_email_in_any_case(client):
    user = UserFactory(email="mixed@example.net")
    accept_current_policies(user)
    response = client.post(
        LOGIN.format(lang="en"), {"login": "MIXED@example.NET", "password": "correct horse battery"}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_repeated_failed_logins_are_stopped_with_a_clear_message(client):
    UserFactory(email="target@example.net")
    for _attempt in range(5):
        client.post(LOGIN.format(lang="en"), {"login": "target@example.net", "password": "nope"})
    blocked = client.post(
        LOGIN.format(lang="en"),
        {"login": "target@example.net", "password": "correct horse battery"},
    )
    assert blocked.status_code in (200, 429)
    page = blocked.content.decode()
    assert "Too many failed attempts" in page
    assert "Send me a sign-in code" in page  # the way in that guessing cannot block
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_a_link_that_sets_a_new_password(client):
    user = UserFactory(email="forgot@example.net")
    client.post("/en/accounts/password/reset/", {"email": "forgot@example.net"})
    link = re.search(
        r"http://testserver(/en/accounts/password/reset/key/[^\s]+)", mail.outbox[-1].body
    )
    form = client.get(link.group(1), follow=True)
    new = "another long passphrase 7"
    client.post(form.redirect_chain[-1][0], {"password1": new, "password2": new})
    user.refresh_from_db()
    assert user.check_password(new)


def test_new_policy_version_asks_a_signed_in_member_again(client):
    from wagtail.models import Locale

    from knowledge.models import PolicyPage

    user = UserFactory()
    accept_current_policies(user)
    client.force_login(user)
    assert client.get("/en/").status_code == 200

    terms = PolicyPage.objects.get(kind="terms", locale=Locale.objects.get(language_code="en"))
    terms.version = 2
    terms.save_revision().publish()

    redirected = client.get("/en/")
    assert redirected.status_code == 302
    assert redirected.headers["Location"].startswith("/en/accounts/policies/")
    page = client.get(redirected.headers["Location"]).content.decode()
    assert 'href="/en/terms/"' in page
    assert "privacy" not in page.split("<main", 1)[1].split("</main>")[0]  # only what changed

    refused = client.post("/en/accounts/policies/", {"next": "/en/"})
    assert refused.status_code == 200
    accepted = client.post("/en/accounts/policies/", {"next": "/en/", "accept_policies": "on"})
    assert accepted.headers["Location"] == "/en/"
    assert PolicyAcceptance.objects.filter(user=user, kind="terms", version=2).exists()
    assert client.get("/en/").status_code == 200


def test_a_member_changes_their_email_after_confirming_the_new_address(client):
    from allauth.account.models import EmailAddress

    user = UserFactory(email="old@example.net")
    accept_current_policies(user)
    client.force_login(user)
    response = client.post("/en/accounts/email/", {"action_add": "", "email": "new@example.net"})
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["new@example.net"]
    user.refresh_from_db()
    assert user.email == "old@example.net"  # nothing changes until the new address is confirmed

    link = re.search(r"http://testserver(/en/accounts/confirm-email/\S+/)", mail.outbox[-1].body)
    client.post(link.group(1))
    user.refresh_from_db()
    assert user.email == "new@example.net"
    assert EmailAddress.objects.get(user=user, email="new@example.net").verified


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_logging_in_and_out_keeps_the_language_the_member_was_using(client, lang):
    user = UserFactory(email=f"{lang}-reader@example.net")
    accept_current_policies(user)
    response = client.post(
        LOGIN.format(lang=lang),
        {"login": f"{lang}-reader@example.net", "password": "correct horse battery"},
    )
    assert response.headers["Location"] == f"/{lang}/"
    response = client.post(f"/{lang}/accounts/logout/")
    assert response.headers["Location"] == f"/{lang}/"
