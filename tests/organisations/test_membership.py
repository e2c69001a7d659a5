"""Membership: the creator is admin, invitations without enumeration, the last-admin rule."""

from __future__ import annotations

import pytest

from django.core import mail

from community.organisations.models import Invitation, Membership, Organisation, Role
from tests.members.conftest import make_member

pytestmark = pytest.mark.django_db
MEMBERS = "/en/organisations/dakar-health-network/members/"


def test_the_creator_of_an_organisation_becomes_its_admin(world):
    response = world["member"].post(
        "/en/organisations/new/",
        {"name": "Lagos Tech Diaspora", "type": "company", "website": "https://example.org"},
    )
    organisation = Organisation.objects.get(name="Lagos Tech Diaspora")
    assert response.headers["Location"] == f"/en/organisations/{organisation.slug}/"
    membership = Membership.objects.get(organisation=organisation)
    assert membership.user == world["users"]["member"] and membership.role == Role.ADMIN
    page = world["member"].get(response.headers["Location"]).content.decode()
    assert "Not verified" in page


def test_inviting_an_address_says_the_same_whether_or_not_it_has_an_account(world):
    invitee, _ = make_member(display_name="Invited Person")
    known = world["admin"].post(MEMBERS, {"action": "invite", "email": invitee.email}, follow=True)
    unknown = world["admin"].post(
        MEMBERS, {"action": "invite", "email": "nobody-here@example.net"}, follow=True
    )
    assert known.status_code == unknown.status_code == 200
    sentence = "If this address belongs to a member, they will find the invitation"
    assert sentence in known.content.decode() and sentence in unknown.content.decode()
    assert Invitation.objects.filter(user=invitee).count() == 1
    assert [message.to for message in mail.outbox] == [[invitee.email]]


def test_an_invitee_accepts_and_becomes_a_member(world):
    invitee, _ = make_member(display_name="Invited Person")
    world["admin"].post(MEMBERS, {"action": "invite", "email": invitee.email.upper()})
    invitation = Invitation.objects.get(user=invitee)
    from .conftest import client_for

    client = client_for(invitee)
    assert "Dakar Health Network" in client.get("/en/organisations/invitations/").content.decode()
    # Someone else cannot accept it for them.
    other = world["member"].post(
        "/en/organisations/invitations/", {"invitation": invitation.pk, "action": "accept"}
    )
    assert other.status_code == 404
    client.post("/en/organisations/invitations/", {"invitation": invitation.pk, "action": "accept"})
    membership = Membership.objects.get(user=invitee, organisation=world["organisation"])
    assert membership.role == Role.MEMBER
    assert not Invitation.objects.filter(pk=invitation.pk).exists()


def test_the_last_admin_cannot_be_removed_or_demoted(world):
    admin_membership = Membership.objects.get(
        organisation=world["organisation"], user=world["users"]["admin"]
    )
    page = world["admin"].post(
        MEMBERS,
        {"action": "role", "membership": admin_membership.pk, "role": "member"},
        follow=True,
    )
    assert "must keep at least one administrator" in page.content.decode()
    page = world["admin"].post(
        MEMBERS, {"action": "remove", "membership": admin_membership.pk}, follow=True
    )
    assert "must keep at least one administrator" in page.content.decode()
    admin_membership.refresh_from_db()
    assert admin_membership.role == Role.ADMIN


def test_an_admin_promotes_a_member_and_may_then_step_down(world):
    organisation = world["organisation"]
    member_row = Membership.objects.get(
        organisation=organisation, user=world["users"]["org_member"]
    )
    admin_row = Membership.objects.get(organisation=organisation, user=world["users"]["admin"])
    world["admin"].post(MEMBERS, {"action": "role", "membership": member_row.pk, "role": "admin"})
    world["admin"].post(MEMBERS, {"action": "role", "membership": admin_row.pk, "role": "member"})
    member_row.refresh_from_db()
    admin_row.refresh_from_db()
    assert (member_row.role, admin_row.role) == (Role.ADMIN, Role.MEMBER)


def test_an_admin_removes_a_member(world):
    organisation = world["organisation"]
    row = Membership.objects.get(organisation=organisation, user=world["users"]["org_member"])
    world["admin"].post(MEMBERS, {"action": "remove", "membership": row.pk})
    assert not Membership.objects.filter(pk=row.pk).exists()


def test_an_admin_cannot_act_on_another_organisations_membership(world):
    other = Organisation.objects.get(name="Other Organisation")
    row = Membership.objects.get(organisation=other)
    response = world["admin"].post(MEMBERS, {"action": "remove", "membership": row.pk})
    assert response.status_code == 404
    assert Membership.objects.filter(pk=row.pk).exists()


def test_protected_members_are_absent_from_the_public_member_list(world):
    protected, _ = make_member(display_name="Hidden Person", protected=True)
    Membership.objects.create(organisation=world["organisation"], user=protected)
    path = "/en/organisations/dakar-health-network/"
    for viewer in ("anonymous", "member", "org_member", "other_admin", "moderator_password_only"):
        page = world[viewer].get(path).content.decode()
        assert "Org Member" in page
        assert "Hidden Person" not in page, viewer
    for viewer in ("admin", "moderator"):
        assert "Hidden Person" in world[viewer].get(path).content.decode(), viewer


def test_the_contact_address_is_for_signed_in_members_only(world):
    organisation = world["organisation"]
    organisation.contact_email = "hello@dakar-health.example.org"
    organisation.save()
    path = "/en/organisations/dakar-health-network/"
    assert "hello@dakar-health.example.org" not in world["anonymous"].get(path).content.decode()
    assert "hello@dakar-health.example.org" in world["member"].get(path).content.decode()


@pytest.mark.parametrize("name", ["New", "Verification", "Invitations"])
def test_an_organisation_named_like_one_of_the_apps_pages_still_gets_its_own_page(world, name):
    response = world["member"].post("/en/organisations/new/", {"name": name, "type": "ngo"})
    page = world["member"].get(response.headers["Location"])
    assert page.status_code == 200
    assert f">{name}</h1>" in page.content.decode()
