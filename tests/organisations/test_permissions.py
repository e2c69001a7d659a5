"""Who may open each organisations view: every kind of viewer against every view."""

from __future__ import annotations

import pytest

from community.organisations import permissions
from community.organisations.models import Organisation

pytestmark = pytest.mark.django_db

VIEWERS = [
    "anonymous",
    "member",
    "org_member",
    "admin",
    "other_admin",
    "moderator_password_only",
    "moderator",
]


def _status(client, path: str) -> int:
    return client.get(path).status_code


@pytest.mark.parametrize("viewer", VIEWERS)
def test_everyone_sees_the_index_and_a_visible_organisations_page(world, viewer):
    client = world[viewer]
    assert _status(client, "/en/organisations/") == 200
    assert _status(client, "/en/organisations/dakar-health-network/") == 200


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [
        ("anonymous", 302),  # to the log-in page
        ("member", 403),
        ("org_member", 403),
        ("admin", 200),
        ("other_admin", 403),
        ("moderator_password_only", 403),
        ("moderator", 403),
    ],
)
@pytest.mark.parametrize("page", ["edit", "members", "verification"])
def test_only_the_organisations_admins_open_its_edit_members_and_verification_pages(
    world, viewer, expected, page
):
    assert _status(world[viewer], f"/en/organisations/dakar-health-network/{page}/") == expected


@pytest.mark.parametrize("viewer", ["anonymous", "member", "admin", "other_admin"])
def test_the_verification_queue_is_closed_to_everyone_but_moderators(world, viewer):
    assert _status(world[viewer], "/en/organisations/verification/") in (302, 403)


def test_a_moderator_needs_a_second_factor_for_the_verification_queue(world):
    response = world["moderator_password_only"].get("/en/organisations/verification/")
    assert response.status_code == 302
    assert "/accounts/" in response.headers["Location"]
    assert world["moderator"].get("/en/organisations/verification/").status_code == 200


def test_only_signed_in_members_can_add_an_organisation(world):
    response = world["anonymous"].get("/en/organisations/new/")
    assert response.status_code == 302 and "/accounts/login/" in response.headers["Location"]
    assert world["member"].get("/en/organisations/new/").status_code == 200


def test_another_organisations_admin_cannot_change_it_by_posting(world):
    response = world["other_admin"].post(
        "/en/organisations/dakar-health-network/edit/", {"name": "Taken Over", "type": "ngo"}
    )
    assert response.status_code == 403
    assert Organisation.objects.get(slug="dakar-health-network").name == "Dakar Health Network"


@pytest.mark.parametrize("viewer", VIEWERS)
def test_a_hidden_organisation_is_a_404_to_all_but_its_admins_and_moderators(world, viewer):
    organisation = world["organisation"]
    organisation.hidden = True
    organisation.save()
    status = _status(world[viewer], "/en/organisations/dakar-health-network/")
    # A moderator's password alone reads as a member (`core.privilege`).
    allowed = viewer in ("admin", "moderator")
    assert status == (200 if allowed else 404)
    assert "Dakar Health Network" not in world[viewer].get("/en/organisations/").content.decode()


def test_permission_functions_answer_for_each_kind_of_viewer(world):
    from django.contrib.auth.models import AnonymousUser

    organisation, users = world["organisation"], world["users"]
    assert not permissions.can_edit(AnonymousUser(), organisation)
    assert not permissions.can_edit(users["member"], organisation)
    assert not permissions.can_edit(users["org_member"], organisation)
    assert permissions.can_edit(users["admin"], organisation)
    assert not permissions.can_edit(users["other_admin"], organisation)
    assert not permissions.can_edit(users["moderator"], organisation)
    assert permissions.is_moderator(users["moderator"])
    assert not permissions.is_moderator(users["admin"])
