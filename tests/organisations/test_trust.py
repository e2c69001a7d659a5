"""Organisation pages follow the trust levels (`core.trust`) as forum posts and opportunities do:
a new member's links and new organisations an hour are limited (a clear message, the form kept),
their first organisation waits for a moderator, a word-list match is held (never dropped), and a
trusted member meets none of it."""

from __future__ import annotations

import pytest

from django.core.cache import cache

from community.moderation.models import ModerationAction, WordList
from community.moderation.screening_lists import clear as clear_word_lists
from community.organisations.models import Organisation
from core import trust
from tests.members.conftest import make_member

from .conftest import client_for

pytestmark = pytest.mark.django_db

NEW = "/en/organisations/new/"
EDIT = "/en/organisations/dakar-health-network/edit/"
TWO_LINKS = "See https://example.org/a and www.example.org/b for our work."


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def word_lists():
    WordList.objects.update_or_create(language="en", defaults={"terms": "guaranteed visa"})
    clear_word_lists()
    yield
    clear_word_lists()


def _trusted(user):
    user.trust_level = trust.TRUSTED
    user.save(update_fields=["trust_level"])
    return user


def _new_member():
    member, _ = make_member(display_name="Newcomer")
    assert trust.level_for(member) == trust.NEW
    return member


def test_a_new_members_links_are_limited_and_what_they_typed_stays(world):
    client = client_for(_new_member())
    response = client.post(NEW, {"name": "Linky Group", "type": "ngo", "description": TWO_LINKS})
    assert response.status_code == 200
    page = response.content.decode()
    assert "New members may add at most 1 link here." in page
    assert "Linky Group" in page and "www.example.org/b" in page  # the form keeps it
    assert not Organisation.objects.filter(name="Linky Group").exists()
    # On an edit too, in the editor's language, and nothing is changed.
    response = world["admin"].post(
        "/fr/organisations/dakar-health-network/edit/",
        {"name": "Dakar Health Network", "type": "diaspora", "description": TWO_LINKS},
    )
    assert "Les nouveaux membres peuvent ajouter au plus 1 lien ici." in response.content.decode()
    assert Organisation.objects.get(pk=world["organisation"].pk).description == ""


def test_a_trusted_members_links_are_not_held_back(world):
    client = client_for(_trusted(_new_member()))
    response = client.post(NEW, {"name": "Linky Group", "type": "ngo", "description": TWO_LINKS})
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Linky Group")
    assert not organisation.held and not organisation.hidden
    assert world["anonymous"].get(f"/en/organisations/{organisation.slug}/").status_code == 200


def test_a_new_members_organisation_waits_for_a_moderator(world):
    creator = _new_member()
    response = client_for(creator).post(NEW, {"name": "Fresh Circle", "type": "ngo"}, follow=True)
    page = response.content.decode()
    assert "It is held for review" in page and "Held for review" in page  # its admin sees it
    organisation = Organisation.objects.get(name="Fresh Circle")
    assert organisation.held and organisation.hidden
    path = f"/en/organisations/{organisation.slug}/"
    assert world["anonymous"].get(path).status_code == 404
    assert world["member"].get(path).status_code == 404
    assert "Fresh Circle" not in world["anonymous"].get("/en/organisations/").content.decode()

    queue = world["moderator"].get("/en/organisations/verification/held/")
    assert queue.status_code == 200 and "Fresh Circle" in queue.content.decode()
    assert "/en/organisations/verification/held/" in (
        world["moderator"].get("/en/moderation/").content.decode()
    )
    assert world["member"].get("/en/organisations/verification/held/").status_code == 403
    decide = f"/en/organisations/verification/held/{organisation.pk}/"
    assert world["member"].post(decide, {"decision": "approve"}).status_code == 403
    assert world["moderator"].post(decide, {"decision": "approve"}).status_code == 302
    organisation.refresh_from_db()
    assert not organisation.held and not organisation.hidden
    assert world["anonymous"].get(path).status_code == 200
    entry = ModerationAction.objects.get(kind="approve", object_id=organisation.pk)
    assert entry.moderator == world["users"]["moderator"] and entry.author == creator


def test_a_trusted_members_organisation_is_seen_at_once(world):
    client = client_for(_trusted(_new_member()))
    client.post(NEW, {"name": "Known Circle", "type": "ngo"})
    organisation = Organisation.objects.get(name="Known Circle")
    assert not organisation.held
    assert "Known Circle" in world["anonymous"].get("/en/organisations/").content.decode()


def test_a_new_member_reaches_the_hourly_limit_and_a_trusted_one_does_not(world):
    newcomer, trusted = client_for(_new_member()), client_for(_trusted(_new_member()))
    for number in range(trust.LIMITS[trust.NEW].posts_per_hour):
        assert newcomer.post(NEW, {"name": f"Group {number}", "type": "ngo"}).status_code == 302
        assert trusted.post(NEW, {"name": f"Known {number}", "type": "ngo"}).status_code == 302
    refused = newcomer.post(NEW, {"name": "One Group Too Many", "type": "ngo"})
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "You have posted a lot in the last hour. Nothing was lost" in page
    assert "One Group Too Many" in page  # the form keeps it
    assert not Organisation.objects.filter(name="One Group Too Many").exists()
    assert trusted.post(NEW, {"name": "Known, once more", "type": "ngo"}).status_code == 302
    # Editing is not counted: the newcomer's own organisation can still be corrected.
    mine = Organisation.objects.get(name="Group 0")
    response = newcomer.post(
        f"/en/organisations/{mine.slug}/edit/", {"name": "Group 0", "type": "diaspora"}
    )
    assert response.status_code == 302


def test_a_word_list_match_is_held_for_review_not_dropped(world, word_lists):
    admin = _trusted(world["users"]["admin"])  # trust never lets a match through
    client = client_for(admin)
    path = "/en/organisations/dakar-health-network/"
    assert world["anonymous"].get(path).status_code == 200
    response = client.post(
        EDIT,
        {"name": "Dakar Health Network", "type": "diaspora", "description": "Guaranteed visa!"},
        follow=True,
    )
    assert "It is held for review" in response.content.decode()
    organisation = Organisation.objects.get(pk=world["organisation"].pk)
    assert organisation.held and organisation.hidden
    assert "Guaranteed visa!" in organisation.description  # kept, not dropped
    assert world["anonymous"].get(path).status_code == 404
    assert client.get(path).status_code == 200  # its admin still sees it

    # A moderator keeps it hidden: logged, and its admin may appeal once.
    decide = f"/en/organisations/verification/held/{organisation.pk}/"
    world["moderator"].post(decide, {"decision": "hide", "note": "Visa scam"})
    organisation.refresh_from_db()
    assert organisation.hidden and not organisation.held
    assert ModerationAction.objects.filter(kind="hide", object_id=organisation.pk).exists()
