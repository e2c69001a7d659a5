"""The dashboard, /me/: built only from the panels apps declare, each member's own data only."""

from __future__ import annotations

import re

import pytest

from django.test import Client

from core.registries import DashboardPanel, dashboard_panels
from tests.factories import UserFactory, accept_current_policies

from .conftest import make_member
from .test_editing import form_data

pytestmark = pytest.mark.django_db
ME = "/en/me/"


@pytest.fixture
def member():
    user, profile = make_member(display_name="Dashboard Owner")
    client = Client()
    client.force_login(user)
    client.user, client.profile = user, profile
    return client


@pytest.fixture
def declared():
    """Panels a test declares, taken out of the registry again afterwards."""
    keys: list[str] = []

    def declare(panel: DashboardPanel) -> None:
        dashboard_panels.register(panel.key, panel)
        keys.append(panel.key)

    yield declare
    for key in keys:
        dashboard_panels.unregister(key)


def test_anonymous_visitors_are_sent_to_log_in():
    response = Client().get(ME)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/en/accounts/login/?next=/en/me/")


def test_a_member_sees_their_profile_and_privacy_panels_and_nobody_elses_data(member):
    make_member(display_name="Someone Else", headline="Secret agent of elsewhere", protected=True)
    page = member.get(ME).content.decode()
    assert "<h1>Your dashboard</h1>" in page
    assert '<h2 id="panel-members_profile">Your profile</h2>' in page
    assert '<h2 id="panel-members_privacy">Your privacy</h2>' in page
    assert page.index("Your profile</h2>") < page.index("Your privacy</h2>")
    assert "Someone Else" not in page and "Secret agent" not in page
    profiles = set(re.findall(r'href="/en/members/(\d+)/"', page))
    assert profiles == {str(member.profile.pk)}  # a link to their own profile, no one else's


def test_the_header_links_to_the_dashboard_and_marks_it_current(member):
    page = member.get(ME).content.decode()
    assert '<a href="/en/me/" aria-current="page">Your dashboard</a>' in page
    other = member.get("/fr/members/").content.decode()
    assert '<a href="/fr/me/">' in other


def test_completeness_shows_what_is_filled_and_moves_when_the_profile_is_edited(member):
    page = member.get(ME).content.decode()
    # The name alone is filled: 1 part of 10.
    assert "Your profile is 10% complete (1 of 10 parts)." in page
    assert '<progress id="profile-completeness" max="10" value="1">10%</progress>' in page
    assert '<label for="profile-completeness">' in page
    assert 'href="/en/members/me/edit/#id_headline">Add a headline</a>' in page

    member.post(
        "/en/members/me/edit/",
        form_data(member.profile, headline="Epidemiologist", skills_text="statistics"),
    )
    page = member.get(ME).content.decode()
    assert "Your profile is 30% complete (3 of 10 parts)." in page
    assert 'href="/en/members/me/edit/#id_avatar">Add a photo</a>' in page


def test_the_privacy_panel_says_what_is_listed_protected_and_public_with_links_to_change(member):
    page = member.get(ME).content.decode()
    assert "Not listed." in page and "Off." in page
    assert 'href="/en/members/me/edit/#id_in_directory"' in page
    assert 'href="/en/members/me/edit/#id_protected"' in page
    # The safe defaults: what a member is found for is for everyone; the time zone private.
    assert "<dt>Everyone</dt><dd>Headline, Skills, Languages spoken, Sectors, Topics</dd>" in page
    assert "<dt>Only me</dt><dd>Time zone</dd>" in page

    member.profile.protected = True
    member.profile.in_directory = True
    member.profile.city_visibility = "public"
    member.profile.save()
    page = member.get(ME).content.decode()
    assert "Not listed: protected mode keeps you out of it." in page
    assert "On: only you and the moderators can see your profile" in page
    assert (
        "<dt>Everyone</dt><dd>Headline, Skills, Languages spoken, City, Sectors, Topics</dd>"
        in page
    )


def test_a_member_without_a_profile_sees_an_empty_one_and_none_is_created():
    from community.members.models import Profile

    user = UserFactory(first_name="", last_name="")
    accept_current_policies(user)
    client = Client()
    client.force_login(user)
    page = client.get(ME).content.decode()
    assert "Your profile is 0% complete (0 of 10 parts)." in page
    assert not Profile.objects.filter(user=user).exists()


def test_a_panel_another_app_declares_shows_and_an_empty_or_hidden_one_does_not(member, declared):
    declared(DashboardPanel("saved", "Saved items", lambda request: "<p>Three saved.</p>", 30))
    declared(DashboardPanel("empty", "Your applications", lambda request: None, 40))
    declared(DashboardPanel("blank", "Your threads", lambda request: "", 50))
    declared(
        DashboardPanel(
            "staff", "Moderation queue", lambda request: "<p>5</p>", 5, lambda user: False
        )
    )
    page = member.get(ME).content.decode()
    assert '<h2 id="panel-saved">Saved items</h2>' in page and "<p>Three saved.</p>" in page
    assert page.index("Your privacy</h2>") < page.index("Saved items</h2>")
    assert "Your applications" not in page and "Your threads" not in page
    assert "Moderation queue" not in page


def test_the_dashboard_costs_at_most_twelve_queries(member, django_assert_max_num_queries):
    member.profile.skills.set(["epidemiology"])
    member.get(ME)  # the first view after signing in may record what it checked
    with django_assert_max_num_queries(12):
        response = member.get(ME)
    assert response.status_code == 200


def test_every_panels_read_is_compiled_once_per_process(member):
    # `core.compiled_queries` keeps a read only when the values a panel passes match the ORM's:
    # one that stopped matching would silently fall back to compiling on every view.
    from community.forums import declarations as forums
    from community.members import panels as members
    from community.opportunities import panels as opportunities
    from knowledge import submission_declarations as submissions

    compiled = [members._compiled, opportunities._compiled, forums._compiled, submissions._compiled]
    for registry in compiled:
        registry.clear()
    member.get(ME)
    assert member.get(ME).status_code == 200
    for registry in compiled:
        assert registry._plans and all(registry._plans.values()), registry.name
