"""A change to an opportunity shows at once on the cached pages anonymous readers see, and only
there: the policy pages and other organisations' pages stay served from the page cache.

A response served from the page cache carries `Age` (`core.middleware`): that is the hit
marker these tests read.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.db import connection
from django.utils import timezone

from community.opportunities.models import Opportunity
from tests.opportunities.conftest import make_opportunity
from tests.organisations.conftest import make_organisation

pytestmark = pytest.mark.django_db

INDEX = "/en/opportunities/"
HOME = "/en/"
POLICY = "/en/privacy/"


@pytest.fixture(autouse=True)
def empty_page_cache():
    caches["pages"].clear()


def _is_hit(response) -> bool:
    return "Age" in response.headers


def _warm(client, *addresses: str) -> None:
    """Visit each address twice: the second visit must already come from the cache."""
    for address in addresses:
        client.get(address)
        assert _is_hit(client.get(address)), address


@pytest.fixture
def elsewhere(world):
    # An organisation with no opportunity: its page shows nothing that changes here.
    return f"/en/organisations/{make_organisation(name='Unrelated Federation').slug}/"


def test_a_posted_opportunity_shows_at_once_while_unrelated_pages_stay_cached(world, elsewhere):
    anonymous = world["anonymous"]
    make_opportunity(world["users"]["admin"], world["verified"], title="Older posting")
    _warm(anonymous, INDEX, HOME, POLICY, elsewhere)

    make_opportunity(world["users"]["admin"], world["verified"], title="Brand new fellowship")

    listing = anonymous.get(INDEX)
    assert not _is_hit(listing) and "Brand new fellowship" in listing.content.decode()
    home = anonymous.get(HOME)
    assert not _is_hit(home) and "Brand new fellowship" in home.content.decode()
    assert _is_hit(anonymous.get(POLICY))
    assert _is_hit(anonymous.get(elsewhere))


def test_closing_an_opportunity_takes_it_off_the_cached_listing_and_home_panel(world, elsewhere):
    anonymous = world["anonymous"]
    item = make_opportunity(world["users"]["admin"], world["verified"], title="Closing today")
    _warm(anonymous, INDEX, HOME, POLICY, elsewhere)

    response = world["admin"].post(f"/en/opportunities/{item.pk}/close/")
    assert response.status_code == 302

    assert "Closing today" not in anonymous.get(INDEX).content.decode()
    assert "Closing today" not in anonymous.get(HOME).content.decode()
    assert "Closing today" in anonymous.get(f"{INDEX}?status=closed").content.decode()
    assert _is_hit(anonymous.get(POLICY))
    assert _is_hit(anonymous.get(elsewhere))


def test_an_opportunity_hidden_by_a_moderator_leaves_the_cached_pages_at_once(world, elsewhere):
    anonymous = world["anonymous"]
    item = make_opportunity(world["users"]["admin"], world["verified"], title="Suspicious offer")
    page = f"{INDEX}{item.pk}/"
    _warm(anonymous, INDEX, HOME, page, POLICY, elsewhere)

    decision = {
        "action": "hide",
        "content_type": ContentType.objects.get_for_model(Opportunity).pk,
        "object_id": item.pk,
    }
    assert world["moderator"].post("/en/moderation/decide/", decision).status_code == 302

    assert "Suspicious offer" not in anonymous.get(INDEX).content.decode()
    assert "Suspicious offer" not in anonymous.get(HOME).content.decode()
    assert anonymous.get(page).status_code == 404
    assert _is_hit(anonymous.get(POLICY))
    assert _is_hit(anonymous.get(elsewhere))

    decision["action"] = "restore"
    assert world["moderator"].post("/en/moderation/decide/", decision).status_code == 302
    assert "Suspicious offer" in anonymous.get(INDEX).content.decode()


def _stored_for(address: str) -> float:
    """Seconds the `pages` cache will keep the page stored for `address` (its own row, not
    the stamp stored beside it for the same time)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT expires FROM core_page_cache WHERE cache_key LIKE %s AND cache_key NOT LIKE %s",
            ["%cache_page.%", "%:stamp"],
        )
        rows = cursor.fetchall()
    assert len(rows) == 1, "exactly the one page visited is stored"
    return (rows[0][0] - timezone.now()).total_seconds()


def test_a_listing_whose_first_deadline_is_in_90_seconds_is_kept_at_most_90_seconds(world):
    anonymous = world["anonymous"]
    make_opportunity(
        world["users"]["admin"],
        world["verified"],
        title="Last call",
        deadline=timezone.now() + timedelta(seconds=90),
    )
    first = anonymous.get(INDEX)
    assert "Last call" in first.content.decode()
    assert 0 < _stored_for(INDEX) <= 90
    # Kept, though: the second reader within those seconds is served from the cache.
    assert _is_hit(anonymous.get(INDEX))


def test_a_listing_is_kept_until_an_opportunity_turns_closing_soon(world):
    anonymous = world["anonymous"]
    # Shown as open now, "closing soon" in 5 minutes: the stored copy must be gone by then.
    make_opportunity(
        world["users"]["admin"],
        world["verified"],
        deadline=timezone.now() + timedelta(days=7, minutes=5),
    )
    anonymous.get(INDEX)
    assert 0 < _stored_for(INDEX) <= 300


def test_a_listing_whose_deadlines_are_far_off_is_kept_for_the_usual_time(world, settings):
    make_opportunity(world["users"]["admin"], world["verified"], days=60)
    world["anonymous"].get(INDEX)
    assert settings.PAGE_CACHE_SECONDS - 5 <= _stored_for(INDEX) <= settings.PAGE_CACHE_SECONDS
