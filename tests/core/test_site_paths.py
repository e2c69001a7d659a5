"""Wagtail's site root paths are kept per process: no cache read per page, no stale address."""

from __future__ import annotations

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import UserFactory, accept_current_policies

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_client(client):
    user = UserFactory()
    accept_current_policies(user)
    client.force_login(user)  # members are never served from the page cache
    client.get("/en/privacy/")
    return client


def test_a_wagtail_page_reads_no_site_root_paths_from_the_cache_table(member_client):
    with CaptureQueriesContext(connection) as captured:
        response = member_client.get("/en/privacy/")
    assert response.status_code == 200
    reads = [q["sql"] for q in captured.captured_queries if "wagtail_site_root_paths" in q["sql"]]
    assert reads == []


def test_a_new_site_address_is_used_at_once_for_page_urls(member_client):
    from wagtail.models import Page, Site

    privacy = Page.objects.get(url_path__endswith="/privacy/", locale__language_code="en")
    before = {root.root_url for root in Site.get_site_root_paths()}
    site = Site.objects.get(is_default_site=True)
    site.hostname = "hub.example.org"
    site.save()
    after = {root.root_url for root in Site.get_site_root_paths()}
    assert after != before and "http://hub.example.org:8000" in after
    assert privacy.get_full_url() == "http://hub.example.org:8000/en/privacy/"
