"""Protected mode: only the member, and moderators with a second factor, see the profile."""

from __future__ import annotations

import pytest

from django.test import Client

from tests.factories import sign_in_with_second_factor

from .conftest import make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def protected():
    return make_member(display_name="Protected Person", in_directory=True, protected=True)


def test_a_protected_profile_is_not_found_by_anonymous_readers_or_other_members(protected):
    _owner, profile = protected
    member = Client()
    member.force_login(make_member()[0])
    for client in (Client(), member):
        response = client.get(f"/en/members/{profile.pk}/")
        assert response.status_code == 404
        assert "Protected Person" not in response.content.decode()


def test_a_protected_member_sees_their_own_profile_and_that_it_is_protected(protected):
    owner, profile = protected
    client = Client()
    client.force_login(owner)
    page = client.get(f"/en/members/{profile.pk}/").content.decode()
    assert "Protected Person" in page
    assert "Protected mode is on" in page


def test_a_moderator_sees_a_protected_profile_only_after_a_second_factor(protected):
    _owner, profile = protected
    moderator, _ = make_member(role="Moderator")
    password_only = Client()
    password_only.force_login(moderator)
    response = password_only.get(f"/en/members/{profile.pk}/")
    assert response.status_code == 302
    assert "Protected Person" not in response.content.decode()

    client = Client()
    sign_in_with_second_factor(client, moderator)
    response = client.get(f"/en/members/{profile.pk}/")
    assert response.status_code == 200
    assert "Protected Person" in response.content.decode()


def test_a_protected_member_is_absent_from_the_directory_for_everyone(protected):
    owner, _profile = protected
    member = Client()
    member.force_login(make_member()[0])
    own = Client()
    own.force_login(owner)
    for client in (Client(), member, own):
        assert "Protected Person" not in client.get("/en/members/").content.decode()
        found = client.get("/en/members/", {"skill": "", "origin": ""}).content.decode()
        assert "Protected Person" not in found


def test_turning_protected_mode_on_removes_a_cached_public_profile_at_once():
    owner, profile = make_member(display_name="Soon Protected", in_directory=True)
    anonymous = Client()
    assert anonymous.get(f"/en/members/{profile.pk}/").status_code == 200  # now cached
    assert "Soon Protected" in anonymous.get("/en/members/").content.decode()
    editor = Client()
    editor.force_login(owner)
    data = {
        "display_name": "Soon Protected",
        "in_directory": "on",
        "protected": "on",
        **{f"{f}_visibility": getattr(profile, f"{f}_visibility") for f in _fields()},
    }
    assert editor.post("/en/members/me/edit/", data).status_code == 302
    assert Client().get(f"/en/members/{profile.pk}/").status_code == 404
    assert "Soon Protected" not in Client().get("/en/members/").content.decode()


def _fields():
    from community.members.models import VISIBLE_FIELDS

    return VISIBLE_FIELDS
