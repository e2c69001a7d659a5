"""A session that has not given its second factor holds no privilege (`core.privilege`).

The account keeps its permissions: the code gives them back in the same session, the guarded
pages still ask for it (not a 403), and the account's row is never written with the restricted
flags. Without `STAFF_REQUIRE_2FA` nothing is restricted. The apps' own visibility (forums,
opportunities, moderation, files, the API, live streams) is tested in their folders.
"""

from __future__ import annotations

import pytest

from django.contrib.auth.models import Permission
from django.test import Client, RequestFactory

from core import privilege
from core.guards import needs_second_factor, restrict_without_second_factor
from core.middleware import SecondFactorPrivilegeMiddleware
from core.models import User
from tests.factories import (
    UserFactory,
    accept_current_policies,
    force_login_with_second_factor,
    sign_in_with_second_factor,
)

pytestmark = pytest.mark.django_db

USERBAR = "wagtail-userbar"


def _staff(role: str = "Editor", **fields) -> User:
    user = UserFactory(role=role, **fields)
    accept_current_policies(user)
    return user


def _password_only(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _home(client: Client) -> str:
    response = client.get("/en/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_password_only_editor_gets_no_user_bar_until_the_code_is_given():
    editor = _staff("Editor")
    client = _password_only(editor)
    assert USERBAR not in _home(client)
    # The admin itself still sends the same session to the code prompt, not to a 403.
    response = client.get("/admin/")
    assert response.status_code == 302 and "/accounts/2fa/" in response["Location"]
    strong = Client()
    sign_in_with_second_factor(strong, editor)
    assert USERBAR in _home(strong)


def test_a_password_only_superuser_is_no_superuser_for_that_request():
    boss = _staff("Administrator", is_staff=True, is_superuser=True)
    assert USERBAR not in _home(_password_only(boss))
    strong = Client()
    force_login_with_second_factor(strong, boss)
    assert USERBAR in _home(strong)


def test_without_staff_require_2fa_a_password_only_editor_keeps_the_user_bar(settings):
    settings.STAFF_REQUIRE_2FA = False
    assert USERBAR in _home(_password_only(_staff("Editor")))


def test_members_and_staff_who_gave_the_code_are_left_as_they_are():
    member = _staff("Member")
    client = _password_only(member)
    assert USERBAR not in _home(client)
    request = _request_for(client)
    assert not privilege.is_restricted(request.user)


def _request_for(client: Client):
    """The request a page view of `client`'s session gets, through the middleware."""
    from django.contrib.auth.middleware import AuthenticationMiddleware
    from django.contrib.sessions.middleware import SessionMiddleware

    request = RequestFactory().get("/en/")
    request.COOKIES.update({key: morsel.value for key, morsel in client.cookies.items()})
    SessionMiddleware(lambda r: None).process_request(request)
    AuthenticationMiddleware(lambda r: None).process_request(request)
    SecondFactorPrivilegeMiddleware(lambda r: None)(request)
    return request


def test_the_request_user_answers_as_a_member_and_the_account_is_unchanged():
    boss = _staff("Administrator", is_staff=True, is_superuser=True)
    user = _request_for(_password_only(boss)).user
    assert privilege.is_restricted(user)
    assert not user.is_superuser and not user.is_staff
    assert not user.has_perm("wagtailadmin.access_admin")
    assert not user.has_perm("core.change_user")
    assert user.get_all_permissions() == set()
    assert not user.has_module_perms("wagtailadmin")
    assert [group.name for group in user.groups.all()] == []  # not in the Member group
    # ... while what the account holds still decides whether it must give a code.
    assert needs_second_factor(user)
    assert privilege.unrestricted_has_perm(user, "core.change_user")
    with privilege.lifted(user):
        assert user.is_superuser and user.has_perm("core.change_user")
        assert [group.name for group in user.groups.all()] == ["Administrator"]
    assert not user.is_superuser and not user.has_perm("core.change_user")
    # Saving the restricted object writes the account's own flags, and reading it again keeps
    # the restriction.
    user.first_name = "Renamed"
    user.save()
    row = User.objects.get(pk=boss.pk)
    assert row.is_superuser and row.is_staff and row.first_name == "Renamed"
    user.refresh_from_db()
    assert not user.is_superuser and privilege.unrestricted_flag(user, "is_superuser")


def test_the_code_gives_the_privileges_back_in_that_session():
    editor = _staff("Editor")
    strong = Client()
    force_login_with_second_factor(strong, editor)
    user = _request_for(strong).user
    assert not privilege.is_restricted(user)
    assert user.has_perm("wagtailadmin.access_admin")


def test_a_member_keeps_what_the_member_role_holds(settings):
    """The rule is "what an ordinary member holds", not an empty set: a permission the Member
    role is given later stays with a restricted account that holds it."""
    from django.contrib.auth.models import Group

    from core.privilege import _member_permissions

    permission = Permission.objects.get(content_type__app_label="core", codename="view_user")
    Group.objects.get(name="Member").permissions.add(permission)
    _member_permissions.clear()
    moderator = _staff("Moderator")
    moderator.groups.add(Group.objects.get(name="Member"))
    user = User.objects.get(pk=moderator.pk)
    restrict_without_second_factor(None, user, can_give_one=False)
    assert user.get_all_permissions() == {"core.view_user"}
    _member_permissions.clear()


def test_a_page_for_a_staff_group_stays_closed_to_that_groups_password_alone():
    """Group membership counts as a privilege too: Wagtail's "these groups only" pages read
    `user.groups`, which shows only the Member role without the second factor."""
    from django.contrib.auth.models import Group

    from wagtail.models import PageViewRestriction, Site

    home = Site.objects.get(is_default_site=True).root_page
    restriction = PageViewRestriction.objects.create(
        page=home, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.get(name="Editor"))
    editor = _staff("Editor")
    response = _password_only(editor).get(home.url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    strong = Client()
    force_login_with_second_factor(strong, editor)
    assert strong.get(home.url).status_code == 200
