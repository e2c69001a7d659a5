"""The listing's page, count and organisation choices, now read together and remembered: the
count and pages a reader sees stay right (searches through a topic included), the organisation
filter follows every change and every deadline at once, and a member's saved stars are theirs."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from community.opportunities.models import Opportunity
from community.opportunities.saving import save_opportunity
from core.models import Topic
from tests.members.conftest import make_member
from tests.organisations.conftest import client_for, make_organisation

from .conftest import make_opportunity

pytestmark = pytest.mark.django_db

INDEX = "/en/opportunities/"


def _page(client, query: str = "") -> str:
    response = client.get(f"{INDEX}?{query}" if query else INDEX)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _titles(page: str) -> list[str]:
    return re.findall(r'<h2><a href="/en/opportunities/\d+/" dir="auto">([^<]+)</a></h2>', page)


def _organisation_choices(page: str) -> list[str]:
    select = re.search(r'<select id="filter-org" name="org">(.*?)</select>', page, re.S)
    assert select is not None
    return re.findall(r'<option value="[^"]+">([^<]+)</option>', select.group(1))


def test_the_count_and_every_page_show_what_is_listed(world):
    admin = world["users"]["admin"]
    for n in range(23):
        make_opportunity(admin, world["verified"], days=10 + n, title=f"Call {n:02d}")
    client = world["member"]
    first = _page(client)
    assert "23 opportunities" in first
    assert _titles(first) == [f"Call {n:02d}" for n in range(20)]
    second = _page(client, "page=2")
    assert "23 opportunities" in second
    assert _titles(second) == ["Call 20", "Call 21", "Call 22"]
    # A page past the end shows the last one, as before.
    assert _titles(_page(client, "page=9")) == ["Call 20", "Call 21", "Call 22"]


def test_a_search_through_topics_counts_each_opportunity_once(world):
    admin = world["users"]["admin"]
    health = Topic.objects.get(slug="health", locale__language_code="en")
    # The same concept in two languages: a join on topics would meet this one twice.
    same_concept = Topic.objects.filter(translation_key=health.translation_key)
    other_health = same_concept.exclude(pk=health.pk)
    for n in range(3):
        item = make_opportunity(admin, world["verified"], days=10 + n, title=f"Clinic {n}")
        item.topics.set([health, *other_health])
    make_opportunity(admin, world["verified"], title="Unrelated call")
    page = _page(world["member"], "topic=health")
    assert "3 opportunities" in page
    assert _titles(page) == ["Clinic 0", "Clinic 1", "Clinic 2"]


def test_cards_name_their_topics_in_the_readers_language(world):
    admin = world["users"]["admin"]
    item = make_opportunity(admin, world["verified"], title="Remittance study")
    item.topics.set(Topic.objects.filter(slug__in=["remittances", "health"]))
    page = _page(world["member"])
    assert "<dt>Topics</dt><dd>Health, Remittances</dd>" in page


def test_the_organisation_filter_follows_a_new_opening_and_a_hidden_organisation(world):
    admin = world["users"]["admin"]
    make_opportunity(admin, world["verified"], title="First call")
    client = world["member"]
    assert _organisation_choices(_page(client)) == ["Verified Network"]
    later = make_organisation(admin, name="Another Association")
    make_opportunity(admin, later, title="Second call")
    assert _organisation_choices(_page(client)) == ["Another Association", "Verified Network"]
    later.hidden = True
    later.save()
    assert _organisation_choices(_page(client)) == ["Verified Network"]


def test_an_organisation_leaves_the_filter_when_its_last_opening_closes(world, monkeypatch):
    admin = world["users"]["admin"]
    make_opportunity(admin, world["verified"], days=30, title="Long call")
    make_opportunity(admin, world["unverified"], days=1, title="Short call")
    client = world["member"]
    assert _organisation_choices(_page(client)) == ["New Collective", "Verified Network"]
    two_days_on = timezone.now() + timedelta(days=2)
    monkeypatch.setattr(timezone, "now", lambda: two_days_on)
    page = _page(client)
    assert _titles(page) == ["Long call"]
    assert _organisation_choices(page) == ["Verified Network"]


def test_each_member_sees_only_their_own_saved_opportunities_marked(world):
    admin = world["users"]["admin"]
    kept = make_opportunity(admin, world["verified"], title="Kept call")
    make_opportunity(admin, world["verified"], days=40, title="Other call")
    saver = world["users"]["member"]
    save_opportunity(saver, kept)
    other, _profile = make_member(display_name="Other Reader")
    mine = _page(client_for(saver))
    theirs = _page(client_for(other))
    assert mine.count('name="unsave"') == 1
    assert theirs.count('name="unsave"') == 0


def test_the_signed_in_listing_reads_the_same_few_queries_however_many_are_listed(world):
    admin = world["users"]["admin"]
    client = world["member"]
    topics = list(Topic.objects.filter(locale__language_code="en")[:3])
    counts = []
    for start, count in ((0, 3), (3, 30)):
        for n in range(start, start + count):
            item = make_opportunity(admin, world["verified"], days=10 + n, title=f"Call {n:02d}")
            item.topics.set(topics)
            save_opportunity(world["users"]["member"], item)
        client.get(INDEX)
        with CaptureQueriesContext(connection) as captured:
            page = _page(client)
        assert f"{start + count} opportunities" in page
        counts.append(len(captured))
    # The session, the member (with their time zone), the page with its count, topics and saved
    # stars, and the page-cache tokens the organisation choices are remembered under.
    assert counts == [4, 4], counts
    # The unfiltered listing's SQL is compiled once per process (`core.compiled_queries`).
    from community.opportunities import views

    kept = {key: plan for key, plan in views._compiled._plans.items() if key[0] == "listing"}
    assert kept and all(kept.values())
    assert Opportunity.objects.count() == 33
