"""The index (filters, paging, query counts), the page cache, Your data, moderation, panels."""

from __future__ import annotations

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from community.organisations.declarations import _home_panel
from community.organisations.models import Membership, Organisation, Role, Verification
from core.models import Topic
from core.registries import personal_data, reportable_models
from core.yourdata import deletion_blockers
from tests.members.conftest import make_member

from .conftest import client_for, make_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def many():
    Organisation.objects.all().delete()  # the demo's, so the counts below are these alone
    health = Topic.objects.filter(slug="health")
    for n in range(32):
        organisation = make_organisation(
            name=f"Organisation {n:02d}",
            type="ngo" if n % 2 else "company",
            countries=["SN"] if n % 3 == 0 else ["FR"],
            verification=Verification.VERIFIED if n % 4 == 0 else Verification.NONE,
        )
        if n % 5 == 0:
            organisation.topics.set(health)


def test_the_index_filters_by_type_country_topic_and_verified(client, many):
    def names(**query) -> set[str]:
        page = client.get("/en/organisations/", {**query, "page": 1}).content.decode()
        return {f"Organisation {n:02d}" for n in range(32) if f"Organisation {n:02d}<" in page}

    assert names(type="ngo") <= {f"Organisation {n:02d}" for n in range(1, 32, 2)}
    assert names(country="SN") == {f"Organisation {n:02d}" for n in range(0, 32, 3)}
    assert names(topic="health") == {f"Organisation {n:02d}" for n in range(0, 32, 5)}
    assert names(verified="1") == {f"Organisation {n:02d}" for n in range(0, 32, 4)}


def test_the_index_pages_through_every_organisation(client, many):
    first = client.get("/en/organisations/").content.decode()
    second = client.get("/en/organisations/", {"page": 2}).content.decode()
    assert "32 organisations" in first and "Page 1 of 2" in first
    assert "Organisation 00<" in first and "Organisation 31<" in second


def test_the_landing_index_is_compiled_once_and_shows_topics_and_pages_as_before(client, many):
    # The unfiltered index reads its page, topics and total in one query whose SQL is compiled
    # once per process (`core.compiled_queries`); past the last page, the last page is shown.
    from community.organisations import views

    views._compiled.clear()
    member = client_for(make_member()[0])
    first = member.get("/en/organisations/").content.decode()
    assert "32 organisations" in first and "Page 1 of 2" in first
    assert first.count("Health") >= 4  # organisations 00, 05, 10, 15 on the first page
    beyond = member.get("/en/organisations/", {"page": 9}).content.decode()
    assert "Page 2 of 2" in beyond and "Organisation 31<" in beyond
    assert views._compiled._plans and all(views._compiled._plans.values())
    Organisation.objects.filter(name="Organisation 01").update(hidden=True)
    assert "31 organisations" in member.get("/en/organisations/").content.decode()


def test_the_index_of_30_organisations_takes_at_most_12_queries(many):
    client = client_for(make_member()[0])
    client.get("/en/organisations/?page=2")  # warm the process memos (topics)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/en/organisations/")
    assert response.status_code == 200
    assert response.content.decode().count('class="member-card organisation-card"') == 20
    assert len(queries) <= 12, [q["sql"] for q in queries]


def test_anonymous_readers_get_the_index_from_the_page_cache(many):
    client = client_for(None)
    client.get("/en/organisations/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/en/organisations/")
    assert response.status_code == 200 and "32 organisations" in response.content.decode()
    assert len(queries) <= 2, [q["sql"] for q in queries]


def test_an_organisation_page_takes_at_most_12_queries(world):
    for _ in range(10):
        Membership.objects.create(organisation=world["organisation"], user=make_member()[0])
    client = world["member"]
    client.get("/en/organisations/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/en/organisations/dakar-health-network/")
    assert response.status_code == 200
    assert len(queries) <= 12, [q["sql"] for q in queries]


def test_a_change_reaches_anonymous_readers_of_a_cached_page(world):
    anonymous = world["anonymous"]
    assert "New Name" not in anonymous.get("/en/organisations/").content.decode()
    world["admin"].post(
        "/en/organisations/dakar-health-network/edit/", {"name": "New Name", "type": "ngo"}
    )
    assert "New Name" in anonymous.get("/en/organisations/").content.decode()
    assert "New Name" in anonymous.get("/en/organisations/dakar-health-network/").content.decode()


def test_the_only_admin_cannot_delete_their_account_until_they_hand_over(world):
    admin = world["users"]["admin"]
    assert deletion_blockers(admin) == [
        "You are the only administrator of Dakar Health Network: hand it over first."
    ]
    row = Membership.objects.get(
        organisation=world["organisation"], user=world["users"]["org_member"]
    )
    row.role = Role.ADMIN
    row.save()
    assert deletion_blockers(admin) == []


def test_memberships_are_exported_and_erased(world):
    declaration = personal_data["organisations"]
    user = world["users"]["org_member"]
    exported = declaration.export(user)
    assert exported["memberships"][0]["organisation"] == "Dakar Health Network"
    assert exported["memberships"][0]["role"] == "member"
    declaration.erase(user)
    assert not Membership.objects.filter(user=user).exists()


def test_moderation_hides_and_restores_an_organisation(world):
    declaration = reportable_models["organisations.Organisation"]
    organisation = world["organisation"]
    declaration.hide(organisation, world["users"]["moderator"])
    assert declaration.is_hidden(organisation)
    assert world["anonymous"].get("/en/organisations/dakar-health-network/").status_code == 404
    declaration.restore(organisation, world["users"]["moderator"])
    assert world["anonymous"].get("/en/organisations/dakar-health-network/").status_code == 200
    assert declaration.author(organisation) == world["users"]["admin"]


def test_the_home_panel_lists_recently_verified_organisations_only(world, rf):
    from django.utils import timezone

    Organisation.objects.filter(pk=world["organisation"].pk).update(
        verification=Verification.VERIFIED, verified_at=timezone.now()
    )
    html = _home_panel(rf.get("/"), None)
    assert "Dakar Health Network" in html and "Other Organisation" not in html


def test_the_demo_loads_twelve_organisations_twice_without_duplicates():
    from community.members.demo import load as load_members
    from community.organisations.demo import load

    load_members(lambda _line: None)
    load(lambda _line: None)
    summary = load(lambda _line: None)
    assert summary.startswith("12 organisations (0 new")
    assert Organisation.objects.filter(verification=Verification.PENDING).count() == 1
    assert (
        Organisation.objects.get(slug="ghana-diaspora-affairs")
        .memberships.filter(role=Role.ADMIN)
        .exists()
    )


def test_an_organisations_page_reads_it_with_topics_and_role_compiled_once(world):
    # One statement reads the organisation, its topic ids and the reader's role in it, compiled
    # once per process (`core.compiled_queries`); a role given or taken shows at once.
    from community.organisations import views

    organisation = world["organisation"]
    url = f"/en/organisations/{organisation.slug}/"
    views._compiled.clear()
    for viewer in ("anonymous", "member", "admin"):
        assert world[viewer].get(url).status_code == 200
    assert views._compiled._plans and all(views._compiled._plans.values())
    edit = reverse("organisations:edit", args=[organisation.slug])
    assert edit in world["admin"].get(url).content.decode()
    assert edit not in world["member"].get(url).content.decode()
    Membership.objects.create(
        organisation=organisation, user=world["users"]["member"], role=Role.ADMIN
    )
    assert edit in world["member"].get(url).content.decode()
