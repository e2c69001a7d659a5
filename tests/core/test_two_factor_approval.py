"""Administrators approve a staff member's two-factor set-up, instead of the e-mailed link.

Staff without a usable verified address cannot receive the link. An administrator (who holds
`core.change_user` and gave a second factor in this session) gets a one-time code for one member
and tells it to them; it works once, for that member, in their own signed-in session, and the
approval is logged.
"""

from __future__ import annotations

import logging
import re

import pytest

from django.core.cache import cache
from django.test import Client

from tests.core.test_two_factor import password_login, set_up_authenticator
from tests.core.test_two_factor_confirmation import (
    ACTIVATE,
    confirmation,
    member_with_own_app,
    promote,
)
from tests.factories import (
    UserFactory,
    accept_current_policies,
    give_totp,
    sign_in_with_second_factor,
    totp_code,
)

pytestmark = pytest.mark.django_db

APPROVALS = "/en/accounts/2fa/approvals/"
REDEEM = "/en/accounts/2fa/enrol/code/"
CODE = re.compile(r"\b[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}\b")


def administrator_session() -> tuple[Client, object]:
    admin = UserFactory(role="Administrator")
    accept_current_policies(admin)
    session = Client()
    sign_in_with_second_factor(session, admin)
    return session, admin


def approve(session: Client, member) -> str:
    page = session.get(APPROVALS)
    assert page.status_code == 200
    assert member.email in page.content.decode()
    response = session.post(APPROVALS, {"member": member.pk})
    assert response.status_code == 200
    return CODE.search(response.content.decode()).group(0)


def test_an_administrators_code_unlocks_set_up_for_that_member_only(client, caplog):
    admin_session, admin = administrator_session()
    editor = UserFactory(role="Editor")
    accept_current_policies(editor)
    bystander = UserFactory(role="Editor")
    accept_current_policies(bystander)

    with caplog.at_level(logging.INFO, logger="core.audit"):
        code = approve(admin_session, editor)
    assert any(
        editor.email in record.getMessage() and admin.email in record.getMessage()
        for record in caplog.records
    ), "who approved whom is in the log"

    other = Client()
    password_login(other, bystander)
    response = other.post(REDEEM, {"code": code}, follow=True)
    assert "This code is wrong" in response.content.decode()
    assert "Confirm it is you" in other.get(ACTIVATE).content.decode()

    password_login(client, editor)
    assert "Confirm it is you" in client.get(ACTIVATE).content.decode()
    response = client.post(REDEEM, {"code": code.lower(), "next": "/admin/"})
    assert response.status_code == 302
    assert response.headers["Location"].startswith(ACTIVATE)
    set_up_authenticator(client, editor)
    assert client.get("/admin/").status_code == 200
    assert confirmation(editor)["via"] == "administrator"
    assert confirmation(editor)["by"] == admin.pk

    replay = Client()
    password_login(replay, bystander)
    assert "This code is wrong" in replay.post(REDEEM, {"code": code}, follow=True).content.decode()


def test_staff_without_a_verified_address_set_up_with_an_administrators_code(client):
    admin_session, _admin = administrator_session()
    editor = UserFactory(role="Editor", verified=False)
    accept_current_policies(editor)
    client.force_login(editor)
    page = client.get(ACTIVATE).content.decode()
    assert "no verified e-mail address" in page
    assert "Code from an administrator" in page

    code = approve(admin_session, editor)
    client.post(REDEEM, {"code": code})
    set_up_authenticator(client, editor)
    assert client.get("/admin/").status_code == 200


def test_an_administrators_code_works_once(client):
    admin_session, _admin = administrator_session()
    editor = UserFactory(role="Editor")
    accept_current_policies(editor)
    code = approve(admin_session, editor)
    password_login(client, editor)
    assert client.post(REDEEM, {"code": code}).headers["Location"].startswith(ACTIVATE)

    second = Client()
    password_login(second, editor)
    response = second.post(REDEEM, {"code": code}, follow=True)
    assert "This code is wrong" in response.content.decode()
    assert "Confirm it is you" in second.get(ACTIVATE).content.decode()


def test_an_administrators_code_confirms_an_app_set_up_before_promotion(client):
    member = member_with_own_app(client)
    promote(member, "Editor")
    staff = Client()
    sign_in_with_second_factor(staff, member)
    assert staff.get("/admin/").status_code == 302

    admin_session, admin = administrator_session()
    code = approve(admin_session, member)
    response = staff.post(REDEEM, {"code": code, "next": "/admin/"})
    assert response.headers["Location"] == "/admin/"
    assert staff.get("/admin/").status_code == 200
    assert confirmation(member)["by"] == admin.pk


@pytest.mark.parametrize("role", ["Member", "Editor", "Moderator"])
def test_only_administrators_can_approve(client, role):
    editor = UserFactory(role="Editor")
    user = UserFactory(role=role)
    accept_current_policies(user)
    sign_in_with_second_factor(client, user)
    assert client.get(APPROVALS).status_code == 403
    assert client.post(APPROVALS, {"member": editor.pk}).status_code == 403
    assert cache.get(f"core:totp-approval:{editor.pk}") is None


def test_an_administrator_without_a_second_factor_in_this_session_is_sent_to_give_it(client):
    admin = UserFactory(role="Administrator")
    accept_current_policies(admin)
    password_login(client, admin)
    give_totp(admin)  # enabled elsewhere, after this session logged in
    editor = UserFactory(role="Editor")

    for response in (client.get(APPROVALS), client.post(APPROVALS, {"member": editor.pk})):
        assert response.status_code == 302
        assert "/accounts/2fa/reauthenticate/" in response.headers["Location"]
        assert editor.email not in response.content.decode()
    assert cache.get(f"core:totp-approval:{editor.pk}") is None

    # After a code from the administrator's own app, the approval they asked for goes through.
    answer = client.post(response.headers["Location"], {"code": totp_code(admin)})
    assert answer.status_code == 200
    assert CODE.search(answer.content.decode())
    assert cache.get(f"core:totp-approval:{editor.pk}") is not None
    assert client.get(APPROVALS).status_code == 200


def test_an_administrator_cannot_approve_a_superusers_set_up(client):
    admin_session, _admin = administrator_session()
    root = UserFactory(role="Member", verified=False)
    promote(root, "superuser")
    assert root.email not in admin_session.get(APPROVALS).content.decode()
    response = admin_session.post(APPROVALS, {"member": root.pk}, follow=True)
    assert "This account is not waiting for two-factor set-up" in response.content.decode()
    assert not CODE.search(response.content.decode())
    assert cache.get(f"core:totp-approval:{root.pk}") is None


def test_wrong_codes_are_limited_per_member(client):
    from core import approvals

    admin_session, _admin = administrator_session()
    editor = UserFactory(role="Editor")
    accept_current_policies(editor)
    code = approve(admin_session, editor)
    password_login(client, editor)
    for _attempt in range(approvals.ATTEMPTS_PER_WINDOW):
        client.post(REDEEM, {"code": "AAAA-AAAA-AAAA"})
    response = client.post(REDEEM, {"code": code}, follow=True)
    assert "Too many wrong codes" in response.content.decode()
    assert "Confirm it is you" in client.get(ACTIVATE).content.decode()


def test_the_admin_menu_links_administrators_to_the_approvals(client):
    admin_session, _admin = administrator_session()
    assert "/accounts/2fa/approvals/" in admin_session.get("/admin/").content.decode()

    editor = UserFactory(role="Editor")
    accept_current_policies(editor)
    sign_in_with_second_factor(client, editor)
    assert "/accounts/2fa/approvals/" not in client.get("/admin/").content.decode()
