"""Two-factor login for everyone who can reach privileged pages, checked per session.

Who: anyone holding the admin permission (through any group or directly), staff and
superusers, not only the groups named Editor, Moderator and Administrator. When: the second
factor must have been given in *this* session. How a staff member gets one: only after opening a
single-use link e-mailed to their verified address, so a password alone cannot enrol an
attacker's authenticator.
"""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator

from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.cache import cache
from django.test import Client

from tests.factories import (
    PASSWORD,
    UserFactory,
    accept_current_policies,
    give_totp,
    sign_in_with_second_factor,
    totp_code,
)

pytestmark = pytest.mark.django_db

ADMIN_PATHS = ["/admin/", "/admin/api/main/pages/"]
LINK = re.compile(r"http://\S+?(/[a-z]{2}/accounts/2fa/enrol/[\w-]+/)")


def password_login(client: Client, user, language: str = "en") -> None:
    """A session that gave the password only (the account has no authenticator yet)."""
    response = client.post(
        f"/{language}/accounts/login/", {"login": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(user.pk)


def admin_permission() -> Permission:
    return Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")


def translator(how: str):
    """A member who reaches the admin through a group not named like a role, or directly."""
    user = UserFactory(role="Member")
    if how == "group":
        group = Group.objects.create(name="Translators")
        group.permissions.add(admin_permission())
        user.groups.add(group)
    else:
        user.user_permissions.add(admin_permission())
    accept_current_policies(user)
    return user


def request_link(client: Client, user) -> str:
    """Ask for the set-up link from the set-up page; returns its path, read from the e-mail."""
    mail.outbox.clear()
    response = client.post("/en/accounts/2fa/enrol/send/", {"next": "/admin/"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    return LINK.search(mail.outbox[0].body).group(1)


def set_up_authenticator(client: Client, user) -> Authenticator:
    """Fill allauth's set-up form with a code from the secret it shows."""
    import pyotp

    page = client.get("/en/accounts/2fa/totp/activate/")
    if page.status_code == 302 and "/reauthenticate/" in page.headers["Location"]:
        client.post(page.headers["Location"], {"password": PASSWORD})
        page = client.get("/en/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = re.search(r'value="([A-Z2-7]{32})"', page.content.decode()).group(1)
    response = client.post("/en/accounts/2fa/totp/activate/", {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302, response.content.decode()[:2000]
    return Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)


# --- Item 4: permissions, not group names ---


@pytest.mark.parametrize("path", ADMIN_PATHS)
@pytest.mark.parametrize("how", ["group", "direct"])
def test_the_admin_permission_without_a_second_factor_leads_to_its_set_up(client, how, path):
    user = translator(how)
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 302
    assert "/accounts/2fa/totp/activate/" in response.headers["Location"]


@pytest.mark.parametrize("path", ADMIN_PATHS)
@pytest.mark.parametrize("how", ["group", "direct"])
def test_the_admin_permission_with_an_authenticator_asks_this_session_for_a_code(client, how, path):
    user = translator(how)
    give_totp(user)
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 302
    assert "/accounts/2fa/reauthenticate/" in response.headers["Location"]


@pytest.mark.parametrize("path", ADMIN_PATHS)
@pytest.mark.parametrize("how", ["group", "direct"])
def test_the_admin_permission_opens_the_admin_after_the_second_factor(client, how, path):
    user = translator(how)
    sign_in_with_second_factor(client, user)
    response = client.get(path)
    assert response.status_code == 200


def test_staff_status_alone_also_needs_the_e_mailed_link_to_set_up(client):
    user = UserFactory(role="Member")
    user.is_staff = True
    user.save()
    accept_current_policies(user)
    password_login(client, user)
    page = client.get("/en/accounts/2fa/totp/activate/")
    assert "E-mail me the link" in page.content.decode()


# --- Item 5a: the second factor belongs to the session ---


@pytest.mark.parametrize("path", ADMIN_PATHS)
def test_a_session_from_before_the_authenticator_was_enabled_must_give_a_code(client, path):
    user = UserFactory(role="Editor")
    accept_current_policies(user)
    password_login(client, user)
    give_totp(user)  # enabled in another session, after this one logged in

    response = client.get(path)
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/en/accounts/2fa/reauthenticate/")
    assert f"next={path}" in location.replace("%2F", "/")

    page = client.get(location)
    assert "enter a code from your authenticator app" in page.content.decode()
    answer = client.post(location, {"code": totp_code(user)})
    assert answer.status_code == 302
    assert answer.headers["Location"] == path
    assert client.get(path).status_code == 200


def test_a_wrong_code_keeps_the_admin_closed(client):
    user = UserFactory(role="Editor")
    accept_current_policies(user)
    password_login(client, user)
    give_totp(user)
    location = client.get("/admin/").headers["Location"]
    client.post(location, {"code": "000000" if totp_code(user) != "000000" else "111111"})
    assert client.get("/admin/").status_code == 302


@pytest.mark.parametrize(
    "path", ["/en/accounts/2fa/recovery-codes/", "/en/accounts/2fa/recovery-codes/download/"]
)
def test_a_password_only_session_cannot_read_the_recovery_codes(client, path):
    """Else it would read a code, give it as its "second factor" and open the admin."""
    user = UserFactory(role="Member")
    accept_current_policies(user)
    password_login(client, user)
    give_totp(user)
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    codes = RecoveryCodes.activate(user).get_unused_codes()
    # allauth would accept the password again as "reauthentication" for these pages.
    client.post("/en/accounts/reauthenticate/", {"password": PASSWORD})
    response = client.get(path)
    assert response.status_code == 302
    assert "/accounts/2fa/reauthenticate/" in response.headers["Location"]
    assert not any(code in response.content.decode() for code in codes)


def test_a_password_only_session_cannot_turn_the_authenticator_off(client):
    user = UserFactory(role="Editor")
    accept_current_policies(user)
    password_login(client, user)
    give_totp(user)
    client.post("/en/accounts/reauthenticate/", {"password": PASSWORD})
    response = client.post("/en/accounts/2fa/totp/deactivate/", {})
    assert "/accounts/2fa/reauthenticate/" in response.headers["Location"]
    assert Authenticator.objects.filter(user=user, type="totp").exists()


# --- Item 5b: a staff member's first set-up is confirmed by e-mail ---


def test_a_password_alone_cannot_set_up_a_staff_authenticator(client):
    user = UserFactory(role="Editor")
    accept_current_policies(user)
    password_login(client, user)
    client.post("/en/accounts/reauthenticate/", {"password": PASSWORD})

    page = client.get("/en/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    content = page.content.decode()
    assert "Confirm it is you" in content
    assert user.email in content
    assert not re.search(r"[A-Z2-7]{32}", content), "no secret to scan before the e-mail"
    client.post("/en/accounts/2fa/totp/activate/", {"code": "123456"})
    assert not Authenticator.objects.filter(user=user).exists()
    assert len(mail.outbox) == 0, "a page load sends no mail"


def test_the_e_mailed_link_unlocks_set_up_and_the_admin_for_that_session(client):
    from core import enrolment

    user = UserFactory(role="Editor", preferred_language="fr")
    accept_current_policies(user)
    password_login(client, user)

    link = request_link(client, user)
    message = mail.outbox[0]
    assert message.to == [user.email]
    assert link.startswith("/fr/"), "the link opens in the member's language"

    landing = client.get(link)
    assert landing.status_code == 200
    assert "Continue" in landing.content.decode()
    assert cache.get(enrolment.pending_link_key(user)), "visiting does not use the link up"
    response = client.post(link)
    assert response.status_code == 302
    assert "/accounts/2fa/totp/activate/" in response.headers["Location"]
    assert "next=/admin/" in response.headers["Location"].replace("%2F", "/")

    set_up_authenticator(client, user)
    assert client.get("/admin/").status_code == 200  # setting the app up was this session's code


def test_a_used_link_does_not_unlock_another_session(client):
    user = UserFactory(role="Editor")
    accept_current_policies(user)
    password_login(client, user)
    link = request_link(client, user)
    assert client.post(link).status_code == 302

    other = Client()
    password_login(other, user)
    replay = other.post(link)
    assert replay.status_code == 400
    assert "expired, was already used" in replay.content.decode()
    assert "Confirm it is you" in other.get("/en/accounts/2fa/totp/activate/").content.decode()


def test_an_expired_link_does_not_unlock_set_up(client):
    from core import enrolment

    user = UserFactory(role="Editor")
    accept_current_policies(user)
    password_login(client, user)
    link = request_link(client, user)
    key = enrolment.pending_link_key(user)
    cache.set(key, {**cache.get(key), "expires": 0})  # as if its half hour had passed

    assert client.post(link).status_code == 400
    assert "Confirm it is you" in client.get("/en/accounts/2fa/totp/activate/").content.decode()


def test_a_new_link_replaces_the_previous_one(client):
    user = UserFactory(role="Editor")
    accept_current_policies(user)
    password_login(client, user)
    first = request_link(client, user)
    second = request_link(client, user)
    assert client.post(first).status_code == 400
    assert client.post(second).status_code == 302


def test_the_link_of_another_account_does_nothing(client):
    owner = UserFactory(role="Editor")
    accept_current_policies(owner)
    password_login(client, owner)
    link = request_link(client, owner)

    other = Client()
    intruder = UserFactory(role="Editor")
    accept_current_policies(intruder)
    password_login(other, intruder)
    assert other.post(link).status_code == 400
    assert client.post(link).status_code == 302, "and the owner's link still works"


def test_the_link_goes_only_to_the_verified_primary_address(client):
    user = UserFactory(role="Editor", email="owner@example.net")
    EmailAddress.objects.create(user=user, email="pending@example.net", verified=False)
    accept_current_policies(user)
    password_login(client, user)
    request_link(client, user)
    assert mail.outbox[0].to == ["owner@example.net"]


def test_staff_without_a_verified_address_are_told_to_ask_an_administrator(client):
    user = UserFactory(role="Editor", verified=False)
    accept_current_policies(user)
    client.force_login(user)
    page = client.get("/en/accounts/2fa/totp/activate/").content.decode()
    assert "no verified e-mail address" in page
    assert "E-mail me the link" not in page
    client.post("/en/accounts/2fa/enrol/send/")
    assert len(mail.outbox) == 0


def test_with_staff_require_2fa_off_the_admin_needs_only_the_permission(client, settings):
    settings.STAFF_REQUIRE_2FA = False
    user = UserFactory(role="Editor")
    accept_current_policies(user)
    client.force_login(user)
    assert client.get("/admin/").status_code == 200


def test_staff_waiting_for_their_second_factor_cannot_change_their_address(client):
    """Else a password alone could move the account to an inbox that then gets the link."""
    user = UserFactory(role="Editor")
    accept_current_policies(user)
    password_login(client, user)
    response = client.post(
        "/en/accounts/email/", {"email": "attacker@example.com", "action_add": ""}
    )
    assert "Set up two-factor login before you change the e-mail address" in (
        response.content.decode()
    )
    assert not EmailAddress.objects.filter(email="attacker@example.com").exists()
    assert not any("attacker@example.com" in m.to for m in mail.outbox)


def test_a_member_still_changes_their_address_freely(client):
    user = UserFactory(role="Member")
    accept_current_policies(user)
    password_login(client, user)
    client.post("/en/accounts/email/", {"email": "new-home@example.com", "action_add": ""})
    assert EmailAddress.objects.filter(user=user, email="new-home@example.com").exists()


def test_links_are_limited_per_member(client):
    from core import enrolment

    user = UserFactory(role="Editor")
    accept_current_policies(user)
    password_login(client, user)
    for _attempt in range(enrolment.LINKS_PER_WINDOW + 2):
        client.post("/en/accounts/2fa/enrol/send/")
    assert len(mail.outbox) == enrolment.LINKS_PER_WINDOW


def test_a_member_without_admin_access_sets_up_an_authenticator_freely(client):
    user = UserFactory(role="Member")
    accept_current_policies(user)
    password_login(client, user)
    set_up_authenticator(client, user)
    assert Authenticator.objects.filter(user=user, type="totp").exists()
    assert not any("/2fa/enrol/" in message.body for message in mail.outbox)


# --- One guard for every privileged view, on the public site too ---

GUARDED = ["/guarded/function/", "/guarded/class/"]


def holder_of_the_guarded_permission():
    from tests.core.guarded_urls import PERMISSION

    app_label, codename = PERMISSION.split(".")
    user = UserFactory(role="Member")
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
    )
    accept_current_policies(user)
    return user


@pytest.mark.urls("tests.core.guarded_urls")
@pytest.mark.parametrize("path", GUARDED)
def test_a_guarded_view_sends_visitors_to_log_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert "/accounts/login/" in response.headers["Location"]


@pytest.mark.urls("tests.core.guarded_urls")
@pytest.mark.parametrize("path", GUARDED)
def test_a_guarded_view_refuses_members_without_the_permission(client, path):
    member = UserFactory(role="Member")
    accept_current_policies(member)
    sign_in_with_second_factor(client, member)
    assert client.get(path).status_code == 403


@pytest.mark.urls("tests.core.guarded_urls")
@pytest.mark.parametrize("path", GUARDED)
def test_a_guarded_view_asks_holders_for_a_second_factor_in_this_session(client, path):
    user = holder_of_the_guarded_permission()
    password_login(client, user)
    response = client.get(path)
    assert "/accounts/2fa/totp/activate/" in response.headers["Location"]
    # Holding a guarded permission also makes the first set-up go through the e-mailed link.
    page = client.get(response.headers["Location"])
    assert "E-mail me the link" in page.content.decode()

    give_totp(user)
    response = client.get(path)
    assert "/accounts/2fa/reauthenticate/" in response.headers["Location"]


@pytest.mark.urls("tests.core.guarded_urls")
@pytest.mark.parametrize("path", GUARDED)
def test_a_guarded_view_opens_with_the_permission_and_a_second_factor(client, path):
    user = holder_of_the_guarded_permission()
    sign_in_with_second_factor(client, user)
    response = client.get(path)
    assert response.status_code == 200
    assert response.content.decode() in {"Ban form", "Verification queue"}
