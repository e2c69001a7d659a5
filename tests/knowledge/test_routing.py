"""Routing by the path's `url_path`s (knowledge.routing) and the kept site, locale and home page
(core.site_lookups): the reader gets what Wagtail's own routing gave, page by page, and an edit
to the home page or a new restriction shows on the next request."""

from __future__ import annotations

import pytest

from wagtail.models import PageViewRestriction, Site

from knowledge.models import HomePage
from tests.factories import UserFactory, accept_current_policies

from .conftest import make_resource

pytestmark = pytest.mark.django_db


def test_a_resource_is_served_at_its_address_and_a_missing_one_is_a_404(client, libraries):
    make_resource(libraries["en"], "Remittance toolkit", slug="remittance-toolkit")
    page = client.get("/en/library/remittance-toolkit/")
    assert page.status_code == 200 and "Remittance toolkit" in page.content.decode()
    assert client.get("/en/library/no-such-resource/").status_code == 404
    assert client.get("/en/library/remittance-toolkit/more/").status_code == 404
    assert client.get("/en/no-such-section/remittance-toolkit/").status_code == 404


def test_a_draft_is_a_404_and_its_slug_still_finds_another_languages_copy(client, libraries):
    make_resource(libraries["en"], "Draft toolkit", slug="shared-slug", publish=False)
    assert client.get("/en/library/shared-slug/").status_code == 404
    make_resource(libraries["fr"], "Boîte à outils", slug="shared-slug")
    page = client.get("/en/library/shared-slug/")
    assert page.status_code == 200
    assert "Boîte à outils" in page.content.decode()
    assert "not yet available in your language" in page.content.decode()


def test_a_restriction_on_the_library_applies_to_its_resources_at_once(client, libraries):
    make_resource(libraries["en"], "Members toolkit", slug="members-toolkit")
    assert client.get("/en/library/members-toolkit/").status_code == 200
    PageViewRestriction.objects.create(page=libraries["en"], restriction_type="login")
    anonymous = client.get("/en/library/members-toolkit/")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous.headers["Location"]
    member = UserFactory()
    accept_current_policies(member)
    client.force_login(member)
    response = client.get("/en/library/members-toolkit/")
    assert response.status_code == 200 and "private" in response.headers["Cache-Control"]


def test_a_restriction_on_the_home_page_applies_at_once_though_it_is_kept(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    assert client.get("/en/").status_code == 200  # the home page is now kept by this process
    home = HomePage.objects.get(locale__language_code="en")
    PageViewRestriction.objects.create(page=home, restriction_type="login")
    assert client.get("/en/").status_code == 302
    assert client.get("/en/library/").status_code == 302


def test_an_edit_to_the_home_page_shows_on_the_next_request(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    member = UserFactory()
    accept_current_policies(member)
    client.force_login(member)
    client.get("/ar/")
    home = HomePage.objects.get(locale__language_code="ar")
    home.tagline = "شعار جديد للموقع"
    home.save_revision().publish()
    assert "شعار جديد للموقع" in client.get("/ar/").content.decode()


def test_a_site_moved_to_another_home_is_followed_at_once(client, settings, libraries):
    settings.PAGE_CACHE_SECONDS = 0
    assert client.get("/en/library/").status_code == 200
    site = Site.objects.get(is_default_site=True)
    site.root_page = libraries["en"]
    site.save()
    # The library is now the site's root: it is what the site's address shows.
    response = client.get("/en/")
    assert response.status_code == 200
    assert response.context["page"].pk == libraries["en"].pk


def test_an_alias_of_a_restricted_resource_is_restricted_as_its_original(client, libraries):
    original = make_resource(libraries["en"], "Guarded toolkit", slug="guarded-toolkit")
    original.create_alias(parent=libraries["fr"], update_slug="alias-toolkit")
    alias_url = f"{libraries['fr'].url}alias-toolkit/"
    assert client.get(alias_url).status_code == 200
    PageViewRestriction.objects.create(page=original, restriction_type="login")
    assert client.get(alias_url).status_code == 302


def test_a_resources_row_and_cover_are_read_by_sql_compiled_once_and_afresh_each_time(
    client, libraries
):
    from knowledge import routing
    from knowledge.models import ResourcePage

    make_resource(libraries["en"], "Remittance toolkit", slug="remittance-toolkit")
    member = UserFactory()
    accept_current_policies(member)
    client.force_login(member)  # never served from the page cache
    routing._compiled.clear()
    for _ in range(2):
        assert client.get("/en/library/remittance-toolkit/").status_code == 200
    key = ("specific", ResourcePage, routing.route_select_related(ResourcePage))
    assert routing._compiled._plans[key] is not None
    ResourcePage.objects.filter(slug="remittance-toolkit").update(summary="Costs fell by half.")
    assert "Costs fell by half." in client.get("/en/library/remittance-toolkit/").content.decode()
