"""Who reaches the Wagtail admin: editors, moderators and administrators, with two factors."""

from __future__ import annotations

import pytest

from django.contrib.auth.models import Group

from tests.factories import (
    UserFactory,
    accept_current_policies,
    give_totp,
    sign_in_with_second_factor,
)

pytestmark = pytest.mark.django_db


def test_the_four_roles_exist_as_groups():
    names = set(Group.objects.values_list("name", flat=True))
    assert {"Member", "Editor", "Moderator", "Administrator"} <= names
    assert not names & {"Editors", "Moderators"}  # Wagtail's defaults became our roles


@pytest.mark.parametrize("role", ["Editor", "Moderator", "Administrator"])
def test_staff_with_a_second_factor_reach_the_admin(client, role):
    user = UserFactory(role=role)
    accept_current_policies(user)
    sign_in_with_second_factor(client, user)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "wagtail" in response.content.decode().lower()


@pytest.mark.parametrize("role", ["Editor", "Moderator", "Administrator"])
def test_staff_without_a_second_factor_are_sent_to_set_one_up(client, role):
    user = UserFactory(role=role)
    accept_current_policies(user)
    client.force_login(user)
    response = client.get("/admin/pages/")
    assert response.status_code == 302
    assert "/accounts/2fa/totp/activate/" in response.headers["Location"]


def test_a_member_cannot_open_the_admin(client):
    user = UserFactory(role="Member")
    accept_current_policies(user)
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 403
    assert "Access denied" in response.content.decode()


def test_an_anonymous_visitor_is_sent_to_the_site_login_page_for_the_admin(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/accounts/login/" in response.headers["Location"]


def test_editor_can_edit_pages_but_moderator_approval_publishes(client):
    from wagtail.models import Page

    from knowledge.models import HomePage

    home = HomePage.objects.get(locale__language_code="en")
    editor = UserFactory(role="Editor")
    moderator = UserFactory(role="Moderator")
    edit_perms = home.permissions_for_user(editor)
    publish_perms = home.permissions_for_user(moderator)
    assert edit_perms.can_edit() and not edit_perms.can_publish()
    assert publish_perms.can_publish()
    workflow = Page.objects.get(pk=home.pk).get_workflow()
    assert workflow is not None
    task_groups = {g.name for t in workflow.tasks.specific() for g in t.groups.all()}
    assert "Moderator" in task_groups


@pytest.mark.parametrize("login_path", ["/admin/login/", "/django-admin/login/"])
def test_the_admins_own_login_forms_cannot_skip_the_second_factor(client, login_path):
    user = UserFactory(email="staff@example.net", role="Administrator")
    user.is_staff = True
    user.save()
    accept_current_policies(user)
    give_totp(user)
    form = client.get(f"{login_path}?next=/admin/pages/")
    assert form.status_code == 302
    assert form.headers["Location"].startswith("/en/accounts/login/")
    assert "next=/admin/pages/" in form.headers["Location"].replace("%2F", "/")
    attempt = client.post(
        login_path, {"username": "staff@example.net", "password": "correct horse battery"}
    )
    assert attempt.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_only_login_on_the_site_asks_staff_for_their_code(client):
    user = UserFactory(email="coded@example.net", role="Editor")
    accept_current_policies(user)
    give_totp(user)
    response = client.post(
        "/en/accounts/login/", {"login": "coded@example.net", "password": "correct horse battery"}
    )
    assert response.status_code == 302
    assert "/accounts/2fa/authenticate/" in response.headers["Location"]
    assert "_auth_user_id" not in client.session


def test_the_admin_account_page_leaves_email_and_password_to_the_site(client):
    user = UserFactory(role="Editor")
    accept_current_policies(user)
    sign_in_with_second_factor(client, user)
    page = client.get("/admin/account/").content.decode()
    assert 'name="email-email"' not in page
    assert 'name="password-new_password1"' not in page
