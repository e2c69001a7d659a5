"""Anonymous readers get cached pages; members never do; publishing empties the cache."""

from __future__ import annotations

import pytest

from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import UserFactory, accept_current_policies

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_page_cache():
    caches["pages"].clear()


def test_second_anonymous_visit_is_served_from_the_cache(client):
    first = client.get("/fr/")
    with CaptureQueriesContext(connection) as queries:
        second = client.get("/fr/")
    assert second.content == first.content
    # One query reads the cached page; rendering the page would take many more.
    assert len(queries) <= 2
    assert "max-age" in second.headers["Cache-Control"]
    assert "Cookie" in second.headers["Vary"]


def test_cached_pages_differ_by_language(client):
    assert '<html lang="en"' in client.get("/en/").content.decode()
    client.get("/ar/")
    assert '<html lang="ar" dir="rtl">' in client.get("/ar/").content.decode()


def test_signed_in_members_never_get_or_fill_the_anonymous_cache(client):
    client.get("/en/")  # fills the cache for anonymous readers
    user = UserFactory(first_name="Zainab")
    accept_current_policies(user)
    client.force_login(user)
    page = client.get("/en/").content.decode()
    assert "Signed in as Zainab" in page
    client.logout()
    assert "Zainab" not in client.get("/en/").content.decode()


def test_publishing_a_change_empties_the_cache(client):
    from knowledge.models import HomePage

    assert "A brand new introduction" not in client.get("/en/").content.decode()
    home = HomePage.objects.get(locale__language_code="en")
    home.intro = "<p>A brand new introduction</p>"
    home.save_revision().publish()
    assert "A brand new introduction" in client.get("/en/").content.decode()


def test_forms_and_account_pages_are_not_cached(client):
    client.get("/en/accounts/login/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/en/accounts/login/")
    assert len(queries) > 2


def test_an_uncached_home_page_needs_only_a_handful_of_queries(
    client, settings, django_assert_max_num_queries
):
    # Wagtail's routing takes five (site, locale, page, ancestors, view restrictions); the
    # language links, site root paths, site settings and policies one each.
    settings.PAGE_CACHE_SECONDS = 0
    client.get("/en/")
    with django_assert_max_num_queries(9):
        assert client.get("/en/").status_code == 200
