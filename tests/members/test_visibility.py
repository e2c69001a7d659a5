"""Each profile field is shown exactly to the audience its member chose, on every page."""

from __future__ import annotations

import pytest

from django.contrib.auth.models import AnonymousUser
from django.test import Client

from community.members.models import VISIBLE_FIELDS, Profile
from community.members.visibility import (
    can_view_profile,
    display_name_for,
    field_audiences,
    visible_fields,
)

from .conftest import make_member

pytestmark = pytest.mark.django_db

# What each field's value looks like on the page, with the value that puts it there.
FILLED = {
    "avatar": "members/avatars/marker-avatar.png",
    "headline": "Headline-marker",
    "bio": "<p>Bio-marker</p>",
    "skills": ["skill-marker"],
    "languages": [{"code": "wo", "level": "native"}],
    "countries_of_origin": ["KE"],
    "country_of_residence": "NZ",
    "city": "City-marker",
    "time_zone": "Pacific/Auckland",
    "links": ["https://links.example/marker"],
    "open_to": ["speaking"],
    "sectors": ["tourism"],
    "topics": ["diaspora-bonds"],
}
SHOWN_AS = {
    "avatar": "marker-avatar.png",
    "headline": "Headline-marker",
    "bio": "Bio-marker",
    "skills": "skill-marker",
    "languages": "Wolof",
    "countries_of_origin": "Kenya",
    "country_of_residence": "New Zealand",
    "city": "City-marker",
    "time_zone": "Pacific/Auckland",
    "links": "https://links.example/marker",
    "open_to": "Speaking",
    "sectors": "Tourism and hospitality",
    "topics": "Diaspora bonds",
}
WHO_SEES = {
    "public": {"anonymous", "member", "self", "moderator"},
    "members": {"member", "self", "moderator"},
    "private": {"self"},
}


def card_of(html: str, name: str) -> str:
    """The directory card that shows `name` (not the filter form, which names every country)."""
    cards = html.split('<li class="member-card">')[1:]
    return next(card.split("</li>\n", 1)[0] for card in cards if name in card)


def _clients(owner) -> dict[str, Client]:
    anonymous, member, own, moderator = Client(), Client(), Client(), Client()
    member.force_login(make_member()[0])
    own.force_login(owner)
    moderator.force_login(make_member(role="Moderator")[0])
    return {"anonymous": anonymous, "member": member, "self": own, "moderator": moderator}


@pytest.mark.parametrize("audience", ["public", "members", "private"])
@pytest.mark.parametrize("field", VISIBLE_FIELDS)
def test_each_field_is_shown_only_to_the_audience_its_member_chose(field, audience):
    owner, profile = make_member(
        display_name="Owner Name", in_directory=True, **FILLED, **{f"{field}_visibility": audience}
    )
    # Every other field private, so the marker can only come from the field under test.
    for other in VISIBLE_FIELDS:
        if other != field:
            setattr(profile, f"{other}_visibility", "private")
    profile.save()
    for viewer, client in _clients(owner).items():
        page = client.get(f"/en/members/{profile.pk}/").content.decode()
        listing = card_of(client.get("/en/members/").content.decode(), "Owner Name")
        expected = viewer in WHO_SEES[audience]
        assert (SHOWN_AS[field] in page) is expected, (viewer, "profile page")
        if field in ("avatar", "headline", "skills", "countries_of_origin", "open_to", "sectors"):
            # The directory card shows these (residence and city only together, below).
            assert (SHOWN_AS[field] in listing) is expected, (viewer, "directory")


def test_the_name_is_always_shown_and_private_fields_never_leak_through_the_api():
    owner, profile = make_member(display_name="Visible Name", city="Secret-city")
    assert profile.city_visibility == "members"  # the safe default the issue asks for
    assert profile.links_visibility == "members"
    shown = visible_fields(profile, AnonymousUser())
    assert shown["name"] == "Visible Name"
    assert "city" not in shown
    assert visible_fields(profile, owner)["city"] == "Secret-city"


def test_audiences_per_field_for_search_follow_the_settings_and_protected_mode_hides_all():
    _owner, profile = make_member(headline="x", city_visibility="public", bio_visibility="private")
    audiences = field_audiences(profile)
    assert audiences["name"] == "public"
    assert audiences["city"] == "public"
    assert audiences["bio"] == "private"
    assert audiences["links"] == "members"
    profile.protected = True
    assert set(field_audiences(profile).values()) == {"private"}


def test_a_protected_member_is_a_member_to_anonymous_readers_and_named_to_members():
    owner, profile = make_member(display_name="Hidden Person", protected=True)
    other, _ = make_member()
    assert display_name_for(profile, AnonymousUser()) == "a member"
    assert display_name_for(profile, other) == "Hidden Person"
    assert not can_view_profile(AnonymousUser(), profile)
    assert not can_view_profile(other, profile)
    assert can_view_profile(owner, profile)


def test_a_deactivated_members_profile_is_gone():
    owner, profile = make_member(display_name="Gone Person")
    owner.is_active = False
    owner.save()
    assert Client().get(f"/en/members/{profile.pk}/").status_code == 404


def test_profiles_and_the_directory_are_never_indexed_by_search_engines():
    _owner, profile = make_member()
    for url in (f"/en/members/{profile.pk}/", "/en/members/"):
        page = Client().get(url).content.decode()
        assert '<meta name="robots" content="noindex">' in page, url
    sitemap = Client().get("/sitemap.xml").content.decode()
    assert "/members/" not in sitemap


def test_profiles_are_created_on_demand():
    _owner, profile = make_member()
    assert Profile.objects.filter(pk=profile.pk).exists()
