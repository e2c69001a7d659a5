"""The listing's filters: each narrows the list (a non-matching item is always present), the
canonical query and its redirect, the summary, and bad parameters that are simply ignored."""

from __future__ import annotations

import pytest

from django.http import QueryDict
from django.utils import translation

from community.opportunities.filters import OpportunityFilters
from core.models import Topic

from .conftest import make_opportunity

pytestmark = pytest.mark.django_db

INDEX = "/en/opportunities/"


def _listing(world, query: str) -> str:
    response = world["anonymous"].get(f"{INDEX}?{query}")
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _pair(world, wanted: dict, other: dict) -> None:
    admin = world["users"]["admin"]
    make_opportunity(admin, world["verified"], title="Wanted call", **wanted)
    make_opportunity(admin, world["verified"], title="Other call", **other)


def _shows_only_wanted(page: str) -> None:
    assert "Wanted call" in page
    assert "Other call" not in page


def test_type_filter(world):
    _pair(world, {"type": "job"}, {"type": "volunteering"})
    _shows_only_wanted(_listing(world, "type=job"))


def test_country_filter(world):
    _pair(world, {"countries": ["MA"]}, {"countries": ["SN"]})
    _shows_only_wanted(_listing(world, "country=MA"))


def test_topic_filter(world):
    admin = world["users"]["admin"]
    wanted = make_opportunity(admin, world["verified"], title="Wanted call")
    wanted.topics.add(Topic.objects.filter(slug="health").first())
    make_opportunity(admin, world["verified"], title="Other call")
    _shows_only_wanted(_listing(world, "topic=health"))


def test_skill_filter_ignores_case_and_spacing(world):
    admin = world["users"]["admin"]
    wanted = make_opportunity(admin, world["verified"], title="Wanted call")
    wanted.skills.set(["Data analysis"])
    other = make_opportunity(admin, world["verified"], title="Other call")
    other.skills.set(["Translation"])
    _shows_only_wanted(_listing(world, "skill=data+analysis"))


def test_language_filter_ignores_case(world):
    _pair(world, {"languages": ["English", "French"]}, {"languages": ["English"]})
    _shows_only_wanted(_listing(world, "language=french"))


def test_work_mode_filter(world):
    _pair(world, {"work_mode": "remote"}, {"work_mode": "on_site"})
    _shows_only_wanted(_listing(world, "mode=remote"))


def test_deadline_window_filter(world):
    _pair(world, {"days": 20}, {"days": 60})
    _shows_only_wanted(_listing(world, "within=30"))


def test_closing_soon_filter(world):
    _pair(world, {"days": 3}, {"days": 20})
    _shows_only_wanted(_listing(world, "closing=1"))


def test_organisation_filter(world):
    admin = world["users"]["admin"]
    make_opportunity(admin, world["verified"], title="Wanted call")
    make_opportunity(admin, world["unverified"], title="Other call")
    _shows_only_wanted(_listing(world, f"org={world['verified'].slug}"))


def test_verified_filter(world):
    admin = world["users"]["admin"]
    make_opportunity(admin, world["verified"], title="Wanted call")
    make_opportunity(admin, world["unverified"], title="Other call")
    _shows_only_wanted(_listing(world, "verified=1"))


def test_closed_filter_shows_only_closed_ones(world):
    _pair(world, {"days": -2}, {"days": 10})
    _shows_only_wanted(_listing(world, "status=closed"))


def test_a_hidden_organisation_is_not_a_filter(world):
    world["verified"].hidden = True
    world["verified"].save()
    assert OpportunityFilters.from_string(f"org={world['verified'].slug}").org == ""


def test_canonical_query_has_a_fixed_order_and_no_empty_or_unknown_params():
    filters = OpportunityFilters.from_query(
        QueryDict("verified=1&mode=remote&utm=x&type=job&country=ma&skill=&within=30&status=closed")
    )
    assert (
        filters.canonical_query()
        == "type=job&country=MA&mode=remote&within=30&verified=1&status=closed"
    )
    # The same search however it is written.
    again = OpportunityFilters.from_string(
        "status=closed&within=30&verified=1&type=job&country=MA&mode=remote"
    )
    assert again.canonical_query() == filters.canonical_query()


def test_listing_redirects_other_spellings_to_the_canonical_address(world):
    response = world["anonymous"].get(f"{INDEX}?verified=1&type=job&country=&topic=&page=1")
    assert response.status_code == 302
    assert response["Location"] == f"{INDEX}?type=job&verified=1"
    assert world["anonymous"].get(f"{INDEX}?type=job&verified=1&page=2").status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "type=spaceship",
        "country=M%C3%A9",
        "country=12",
        "topic=no-such-topic",
        "within=5",
        "within=-1",
        "org=does-not-exist",
        "page=abc",
        "page=99999",
        "skill=%00%01",
        "language=%00",
        "mode=moon&status=open&verified=yes",
    ],
)
def test_bad_query_params_are_ignored(world, query):
    make_opportunity(world["users"]["admin"], world["verified"], title="Open call")
    response = world["anonymous"].get(f"{INDEX}?{query}", follow=True)
    assert response.status_code == 200
    assert "Open call" in response.content.decode()


def test_an_overlong_skill_is_cut_not_refused(world):
    response = world["anonymous"].get(f"{INDEX}?skill={'x' * 500}", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == f"{INDEX}?skill={'x' * 60}"


def test_summary_says_what_the_search_is_about(world):
    filters = OpportunityFilters.from_string("type=job&country=MA&topic=health&within=30")
    with translation.override("en"):
        summary = filters.summary()
    assert summary.startswith("Jobs in Morocco about ")
    assert summary.endswith("closing within 30 days")
    assert OpportunityFilters().summary() == "All opportunities"


def test_summary_joins_its_parts_with_the_readers_comma(world):
    filters = OpportunityFilters.from_string("type=job&within=30&verified=1")
    with translation.override("ar"):
        summary = filters.summary()
    assert summary.count("، ") == 2 and ", " not in summary
    with translation.override("fr"):
        assert filters.summary().count(", ") == 2


def test_the_filter_form_shows_the_new_controls_with_labels(world):
    page = _listing(world, "")
    for control in ("filter-skill", "filter-language", "filter-org", "filter-within"):
        assert f'<label for="{control}">' in page
