"""The directory lists opted-in members, filters only on what the viewer may see, pages, and is
cheap: its queries and the profile page's are pinned."""

from __future__ import annotations

import re

import pytest

from django.core.management import call_command
from django.test import Client

from community.members.models import DEFAULT_VISIBILITY, Profile

from .conftest import make_member

pytestmark = pytest.mark.django_db


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_navigation_links_to_the_directory():
    assert 'href="/en/members/"' in Client().get("/en/").content.decode()


def test_only_members_who_opted_in_are_listed():
    make_member(display_name="Listed Person", in_directory=True)
    make_member(display_name="Unlisted Person", in_directory=False)
    page = Client().get("/en/members/").content.decode()
    assert "Listed Person" in page
    assert "Unlisted Person" not in page


def test_filters_by_skill_origin_and_residence():
    make_member(
        display_name="Filter Match",
        in_directory=True,
        skills=["Hydrology"],
        countries_of_origin=["UG"],
        country_of_residence="NO",
        countries_of_origin_visibility="public",
        country_of_residence_visibility="public",
    )
    make_member(display_name="Filter Other", in_directory=True, skills=["Law"])
    client = Client()
    for query in ({"skill": "hydrology"}, {"origin": "UG"}, {"residence": "NO"}):
        page = client.get("/en/members/", query).content.decode()
        assert "Filter Match" in page, query
        assert "Filter Other" not in page, query
        assert "1 member" in page


def test_a_filter_never_matches_on_a_field_the_viewer_may_not_see():
    # Origin is members-only by default: filtering by it must not reveal it to visitors.
    make_member(display_name="Origin Hidden", in_directory=True, countries_of_origin=["ER"])
    assert "Origin Hidden" not in Client().get("/en/members/", {"origin": "ER"}).content.decode()
    member = _signed_in(make_member()[0])
    assert "Origin Hidden" in member.get("/en/members/", {"origin": "ER"}).content.decode()
    make_member(display_name="Skill Private", in_directory=True, skills=["Beekeeping"],
                skills_visibility="private")  # fmt: skip
    assert (
        "Skill Private" not in member.get("/en/members/", {"skill": "Beekeeping"}).content.decode()
    )


def test_filters_by_sector_and_by_topic_in_any_interface_language():
    make_member(
        display_name="Sector Match",
        in_directory=True,
        sectors=["energy", "research"],
        topics=["diaspora-bonds"],
    )
    make_member(display_name="Sector Other", in_directory=True, sectors=["law"], topics=["youth"])
    client = Client()
    for query in ({"sector": "energy"}, {"topic": "diaspora-bonds"}):
        page = client.get("/en/members/", query).content.decode()
        assert "Sector Match" in page, query
        assert "Sector Other" not in page, query
    # The same concept chosen in French finds the member tagged in English.
    french = client.get("/fr/members/", {"topic": "diaspora-bonds"}).content.decode()
    assert "Sector Match" in french and "Sector Other" not in french
    assert "Obligations de la diaspora" in french  # the filter names topics in French


def test_an_unknown_sector_or_topic_filters_nothing_and_the_page_still_shows():
    make_member(display_name="Any Sector Person", in_directory=True, sectors=["health"])
    for query in ({"sector": "astrology"}, {"topic": "no-such-topic"}):
        response = Client().get("/en/members/", query)
        assert response.status_code == 200
        assert "Any Sector Person" in response.content.decode()


@pytest.mark.parametrize("field", ["sectors", "topics"])
def test_sector_and_topic_filters_never_match_a_field_hidden_from_the_viewer(field):
    query = {"sector": "media"} if field == "sectors" else {"topic": "youth"}
    owner, _profile = make_member(
        display_name="Hidden Interest",
        in_directory=True,
        sectors=["media"],
        topics=["youth"],
        **{f"{field}_visibility": "members"},
    )
    assert "Hidden Interest" not in Client().get("/en/members/", query).content.decode()
    member = _signed_in(make_member()[0])
    assert "Hidden Interest" in member.get("/en/members/", query).content.decode()
    make_member(
        display_name="Private Interest",
        in_directory=True,
        sectors=["media"],
        topics=["youth"],
        **{f"{field}_visibility": "private"},
    )
    assert "Private Interest" not in member.get("/en/members/", query).content.decode()
    # The member always finds themselves: the filter hides nothing from its owner.
    assert "Hidden Interest" in _signed_in(owner).get("/en/members/", query).content.decode()


@pytest.mark.parametrize("field", ["sectors", "city", "skills", "open_to"])
def test_a_card_drawn_for_a_member_never_reaches_a_visitor_who_may_see_less(field):
    values = {
        "sectors": ["health"],
        "city": "Tangier",
        "skills": ["midwifery"],
        "open_to": ["mentoring"],
    }
    shown = {"sectors": "Health", "city": "Tangier", "skills": "midwifery", "open_to": "Mentoring"}
    # Everything else on the card public, so only `field` differs between the two readers.
    public = {f"{name}_visibility": "public" for name in DEFAULT_VISIBILITY}
    make_member(
        display_name="Card Person",
        in_directory=True,
        country_of_residence="MA",
        **{**public, f"{field}_visibility": "members"},
        **{name: value for name, value in values.items() if name != "skills"},
        skills=values["skills"],
    )
    reader, _ = make_member(display_name="Reader")

    def card(page: str) -> str:
        match = re.search(r'<li class="member-card">(?:(?!</li>).)*Card Person.*?</li>', page, re.S)
        assert match, "the card is listed"
        return match.group(0)

    # The member's view first: its card (with the field) is what a memo would keep.
    assert shown[field] in card(_signed_in(reader).get("/en/members/").content.decode())
    assert shown[field] not in card(Client().get("/en/members/").content.decode())


def test_the_directory_pages_through_many_members():
    for number in range(30):
        make_member(display_name=f"Paged Member {number:02d}", in_directory=True)
    first = Client().get("/en/members/").content.decode()
    second = Client().get("/en/members/", {"page": 2}).content.decode()
    assert "Page 1 of" in first and 'rel="next"' in first
    assert "Page 2 of" in second
    shown = [n for n in range(30) if f"Paged Member {n:02d}" in first + second]
    assert len(shown) == 30


def _many_members(count: int = 32) -> Profile:
    last = None
    for number in range(count):
        _user, last = make_member(
            display_name=f"Counted {number}",
            in_directory=True,
            headline="Engineer",
            skills=[f"skill {number}", "shared"],
            countries_of_origin=["SN", "GH"],
            country_of_residence="FR",
            city="Paris",
            open_to=["mentoring"],
            languages=[{"code": "fr", "level": "native"}],
            sectors=["engineering", "energy"],
            topics=["diaspora-investment", "skills-transfer"],
            countries_of_origin_visibility="public",
        )
    return last


def test_the_directory_with_30_members_takes_at_most_12_queries(django_assert_max_num_queries):
    _many_members()
    member = _signed_in(make_member()[0])
    member.get("/en/members/")  # the session's first page records the accepted policies
    with django_assert_max_num_queries(12):
        assert member.get("/en/members/").status_code == 200
    with django_assert_max_num_queries(12):
        assert member.get("/en/members/", {"skill": "shared", "origin": "SN"}).status_code == 200
    with django_assert_max_num_queries(12):
        query = {"sector": "energy", "topic": "skills-transfer"}
        assert member.get("/en/members/", query).status_code == 200
    anonymous = Client()
    anonymous.get("/en/members/", {"page": 2})
    with django_assert_max_num_queries(2):  # then served from the page cache
        assert anonymous.get("/en/members/", {"page": 2}).status_code == 200


def test_a_profile_page_takes_at_most_8_queries(django_assert_max_num_queries):
    profile = _many_members(1)
    member = _signed_in(make_member()[0])
    member.get("/en/members/")
    with django_assert_max_num_queries(8):
        assert member.get(f"/en/members/{profile.pk}/").status_code == 200
    anonymous = Client()
    anonymous.get(f"/en/members/{profile.pk}/")
    with django_assert_max_num_queries(2):  # then served from the page cache
        assert anonymous.get(f"/en/members/{profile.pk}/").status_code == 200


def test_an_edit_shows_at_once_to_anonymous_readers_of_a_cached_profile():
    _owner, profile = make_member(display_name="Cached Person", headline="First headline")
    reader = Client()
    assert "First headline" in reader.get(f"/en/members/{profile.pk}/").content.decode()
    # The page is cached: a change that bypasses the profile's own write path is not seen...
    Profile.objects.filter(pk=profile.pk).update(headline="Sneaky headline")
    assert "First headline" in reader.get(f"/en/members/{profile.pk}/").content.decode()
    # ...while saving the profile (the form, the admin, an import) empties the cache.
    profile.refresh_from_db()
    profile.headline = "Second headline"
    profile.save()
    assert "Second headline" in reader.get(f"/en/members/{profile.pk}/").content.decode()


def test_the_demo_has_members_from_many_countries_and_two_protected_and_loads_twice():
    listed = Profile.objects.filter(user__email__endswith="@members.example.org")
    assert listed.count() >= 40
    origins = {c.code for p in listed for c in p.countries_of_origin}
    assert len(origins) >= 15
    assert listed.filter(protected=True).count() == 2
    assert len({p.city_visibility for p in listed} | {p.bio_visibility for p in listed}) >= 2
    call_command("load_demo", verbosity=0)
    assert Profile.objects.filter(user__email__endswith="@members.example.org").count() == (
        listed.count()
    )


def test_the_landing_directory_reads_skills_and_topics_with_its_page_compiled_once():
    # The unfiltered directory reads its page with each member's skills, topics and the total in
    # one query, compiled once per process (`core.compiled_queries`); cards show the same.
    from community.members import views

    last = _many_members(3)
    views._compiled.clear()
    member = _signed_in(make_member()[0])
    for _ in range(2):
        page = member.get("/en/members/").content.decode()
        assert "Counted 2" in page and "skill 2" in page and "shared" in page
    assert views._compiled._plans and all(views._compiled._plans.values())
    last.skills.add("newly added skill")
    assert "newly added skill" in member.get("/en/members/").content.decode()
