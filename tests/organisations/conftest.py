"""Organisations, their admins and members, and every kind of viewer, for these tests."""

from __future__ import annotations

import pytest

from django.test import Client

from community.organisations.models import Membership, Organisation, Role
from tests.factories import sign_in_with_second_factor
from tests.members.conftest import make_member


def make_organisation(admin=None, **fields) -> Organisation:
    fields.setdefault("name", "Test Diaspora Association")
    fields.setdefault("type", "diaspora")
    fields.setdefault("slug", fields["name"].lower().replace(" ", "-"))
    organisation = Organisation.objects.create(**fields)
    if admin is not None:
        Membership.objects.create(organisation=organisation, user=admin, role=Role.ADMIN)
    return organisation


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def world():
    """An organisation with an admin and a member, another organisation's admin, a plain member,
    and a moderator (signed in with and without a second factor)."""
    admin, _ = make_member(display_name="Org Admin")
    org_member, _ = make_member(display_name="Org Member")
    other_admin, _ = make_member(display_name="Other Admin")
    member, _ = make_member(display_name="Plain Member")
    moderator, _ = make_member(role="Moderator", display_name="Mod Erator")
    organisation = make_organisation(admin, name="Dakar Health Network")
    Membership.objects.create(organisation=organisation, user=org_member, role=Role.MEMBER)
    make_organisation(other_admin, name="Other Organisation")
    strong = Client()
    sign_in_with_second_factor(strong, moderator)
    return {
        "organisation": organisation,
        "users": {
            "admin": admin,
            "org_member": org_member,
            "other_admin": other_admin,
            "member": member,
            "moderator": moderator,
        },
        "anonymous": client_for(None),
        "member": client_for(member),
        "org_member": client_for(org_member),
        "admin": client_for(admin),
        "other_admin": client_for(other_admin),
        "moderator_password_only": client_for(moderator),
        "moderator": strong,
    }
