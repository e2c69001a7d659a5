"""An authenticator counts for privileged pages only once its set-up was confirmed out of band.

A member whose password was stolen can have the attacker's authenticator added while still a
plain member (members set one up freely). If that member is later promoted, the attacker's app
must not pass the admin's second factor: the guard asks once for the e-mailed link (or an
administrator's code, see test_two_factor_approval), and only a session that also gave a code
from the app can confirm it.
"""

from __future__ import annotations

import re

import pytest
from allauth.mfa.models import Authenticator

from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.test import Client

from tests.core.test_two_factor import (
    admin_permission,
    password_login,
    request_link,
    set_up_authenticator,
)
from tests.factories import (
    PASSWORD,
    UserFactory,
    accept_current_policies,
    give_totp,
    sign_in_with_second_factor,
)

pytestmark = pytest.mark.django_db

ACTIVATE = "/en/accounts/2fa/totp/activate/"


def promote(user, how: str) -> None:
    """Give a member admin access, in one of the ways that makes a second factor compulsory."""
    if how == "Editor":
        user.groups.add(Group.objects.get(name="Editor"))
    elif how == "Translators":
        group = Group.objects.create(name="Translators")
        group.permissions.add(admin_permission())
        user.groups.add(group)
    elif how == "superuser":
        user.is_superuser = True
        user.save()
    elif how == "staff":
        user.is_staff = True
        user.save()


def member_with_own_app(client: Client):
    """A member who set up an authenticator freely (an attacker with the password could)."""
    member = UserFactory(role="Member")
    accept_current_policies(member)
    password_login(client, member)
    set_up_authenticator(client, member)
    return member


def confirmation(user) -> dict | None:
    """How the account's app was confirmed (None: never), as stored on the authenticator."""
    from core.guards import CONFIRMATION_KEY

    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    return authenticator.data.get(CONFIRMATION_KEY)


# --- A: an app set up as a member does not open the admin after a promotion ---


@pytest.mark.parametrize("how", ["Editor", "Translators", "superuser"])
def test_an_app_set_up_as_a_member_opens_the_admin_only_after_the_e_mailed_link(client, how):
    member = member_with_own_app(client)
    promote(member, how)

    staff = Client()
    sign_in_with_second_factor(staff, member)  # password and a code from that app
    response = staff.get("/admin/")
    assert response.status_code == 302, "an unconfirmed app must not open the admin"
    assert response.headers["Location"].startswith(ACTIVATE)
    page = staff.get(response.headers["Location"]).content.decode()
    assert "An authenticator app was added to your account on" in page
    assert "E-mail me the link" in page
    assert not re.search(r"[A-Z2-7]{32}", page), "no new secret: the existing app is confirmed"

    link = request_link(staff, member)
    assert "Confirm your authenticator app" in mail.outbox[0].subject
    assert "set up on it before then" in mail.outbox[0].body
    assert staff.get("/admin/").status_code == 302, "asking for the link is not enough"
    response = staff.post(link)
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/"
    assert staff.get("/admin/").status_code == 200
    assert confirmation(member)["via"] == "email"

    later = Client()
    sign_in_with_second_factor(later, member)
    assert later.get("/admin/").status_code == 200, "asked once, not at every log-in"


def test_staff_status_alone_also_asks_to_confirm_an_app_set_up_before(client):
    member = member_with_own_app(client)
    promote(member, "staff")
    staff = Client()
    sign_in_with_second_factor(staff, member)
    page = staff.get(ACTIVATE).content.decode()
    assert "An authenticator app was added to your account on" in page


@pytest.mark.urls("tests.core.guarded_urls")
def test_a_guarded_view_also_needs_the_app_confirmed_after_the_permission_is_given(client):
    from tests.core.guarded_urls import PERMISSION

    member = member_with_own_app(client)
    app_label, codename = PERMISSION.split(".")
    member.user_permissions.add(
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
    )
    holder = Client()
    sign_in_with_second_factor(holder, member)
    response = holder.get("/guarded/function/")
    assert response.status_code == 302
    assert "/accounts/2fa/totp/activate/" in response.headers["Location"]


def test_an_app_set_up_through_the_e_mailed_link_keeps_working(client):
    editor = UserFactory(role="Editor")
    accept_current_policies(editor)
    password_login(client, editor)
    client.post(request_link(client, editor))
    set_up_authenticator(client, editor)
    assert confirmation(editor)["via"] == "email"
    mail.outbox.clear()

    later = Client()
    sign_in_with_second_factor(later, editor)
    assert later.get("/admin/").status_code == 200
    assert later.get("/admin/api/main/pages/").status_code == 200
    assert len(mail.outbox) == 0


def test_the_owners_password_only_session_cannot_confirm_an_app_it_never_used(client):
    """The attacker asks for the link; the owner, in an old session, opens the e-mail."""
    owner = UserFactory(role="Member")
    accept_current_policies(owner)
    password_login(client, owner)  # the owner's session, from before any app

    attacker = Client()
    password_login(attacker, owner)
    set_up_authenticator(attacker, owner)
    promote(owner, "Editor")
    attacker_session = Client()
    sign_in_with_second_factor(attacker_session, owner)
    link = request_link(attacker_session, owner)

    response = client.post(link)
    assert response.status_code == 302
    assert "/accounts/2fa/reauthenticate/" in response.headers["Location"]
    assert confirmation(owner) is None
    assert attacker_session.get("/admin/").status_code == 302, "still closed to the attacker"


def test_removing_the_app_and_adding_another_needs_the_link_again(client):
    editor = UserFactory(role="Editor")
    accept_current_policies(editor)
    give_totp(editor)
    sign_in_with_second_factor(client, editor)
    assert client.get("/admin/").status_code == 200

    client.post("/en/accounts/reauthenticate/", {"password": PASSWORD})
    client.post("/en/accounts/2fa/totp/deactivate/", {})
    assert not Authenticator.objects.filter(user=editor, type="totp").exists()
    response = client.get("/admin/")
    assert response.status_code == 302, "the code given for the removed app no longer counts"
    page = client.get(ACTIVATE).content.decode()
    assert "E-mail me the link" in page
    assert not re.search(r"[A-Z2-7]{32}", page)
