"""The home page's own content: the mission, the search box, the latest resources, the handbook
and featured country profiles, within the query budget and still served from the page cache."""

from __future__ import annotations

import re
from datetime import date

import pytest

from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import include, path
from django.utils.safestring import SafeString

from wagtail.models import PageViewRestriction

from idiaspora import urls as site_urls
from knowledge import home
from knowledge.declarations import home_memo
from knowledge.handbook_models import HandbookPage
from knowledge.models import CountryPage, ResourcePage
from tests.factories import UserFactory, accept_current_policies

from .conftest import make_resource, translate

pytestmark = pytest.mark.django_db


def _search_stub(request):
    return HttpResponse("results")


# The site's addresses plus a `search:index`, as the search app will provide it.
urlpatterns = [
    path("search/", include(([path("", _search_stub, name="index")], "search"))),
    *site_urls.urlpatterns,
]


@pytest.fixture(autouse=True)
def empty_page_cache():
    caches["pages"].clear()


def _section(response, name: str) -> str:
    """The HTML of the home page's section `name` ("" when the page has none)."""
    page = response.content.decode()
    start = page.find(f'<section class="panel {name}"')
    return page[start : page.index("</section>", start)] if start >= 0 else ""


def _links(section: str, tag: str = "h3") -> list[str]:
    return re.findall(
        rf'<{tag}><a href="[^"]*" lang="[^"]*" dir="auto">([^<]*)</a></{tag}>', section
    )


def _latest(response) -> list[str]:
    return _links(_section(response, "home-resources"))


def test_the_demo_home_page_shows_its_mission_in_each_language(client):
    assert "brings together governments" in client.get("/en/").content.decode()
    assert "réunit gouvernements" in client.get("/fr/").content.decode()
    assert "reúne a gobiernos" in client.get("/es/").content.decode()
    assert "يجمع مركز المغتربين" in client.get("/ar/").content.decode()


def test_the_five_newest_resources_each_once_in_the_readers_language(client, libraries):
    en, fr = libraries["en"], libraries["fr"]
    for year in range(2015, 2021):
        make_resource(en, f"Report {year}", published=date(year, 1, 1))
    newest = make_resource(en, "Diaspora bonds guide", published=date(2024, 6, 1))
    translate(newest, "fr", "Guide des obligations de la diaspora")
    make_resource(fr, "Étude sur les transferts", slug="etude", published=date(2023, 1, 1))

    english = client.get("/en/")
    assert _latest(english) == [
        "Diaspora bonds guide", "Étude sur les transferts", "Report 2020", "Report 2019",
        "Report 2018",
    ]  # fmt: skip
    page = english.content.decode()
    assert "Latest resources" in page and "Report 2015" not in page
    # The French original keeps its language and is reached under the reader's own library.
    assert 'href="/en/library/etude/"' in page
    assert '<span lang="fr">FR</span>' in page

    french = client.get("/fr/")
    assert _latest(french)[:2] == ["Guide des obligations de la diaspora",
                                   "Étude sur les transferts"]  # fmt: skip
    assert ">Diaspora bonds guide</a>" not in french.content.decode()


def test_drafts_and_restricted_resources_are_not_on_the_home_page(client, libraries):
    en = libraries["en"]
    make_resource(en, "Public toolkit", published=date(2020, 1, 1))
    make_resource(en, "Unpublished draft", published=date(2025, 1, 1), publish=False)
    secret = make_resource(en, "Members only brief", published=date(2025, 2, 1))
    PageViewRestriction.objects.create(page=secret, restriction_type=PageViewRestriction.LOGIN)

    for reader in (client, _member_client()):
        assert _latest(reader.get("/en/")) == ["Public toolkit"]


def test_an_empty_library_hides_the_block(client, libraries):
    page = client.get("/en/").content.decode()
    assert "Latest resources" not in page
    assert "library.css" not in page  # nothing to style


@pytest.mark.urls(__name__)
def test_the_search_box_sends_a_query_to_the_search_page(client):
    page = client.get("/en/").content.decode()
    assert '<form class="home-search" role="search" method="get" action="/search/">' in page
    assert '<label for="home-search-query">' in page and 'name="q"' in page


def test_the_search_box_sends_a_query_to_the_real_search_page_in_the_readers_language(client):
    page = client.get("/fr/").content.decode()
    assert 'role="search" method="get" action="/fr/search/"' in page
    assert client.get("/fr/search/", {"q": "diaspora"}).status_code == 200


def test_no_handbook_or_country_block_before_one_is_published(client):
    for page in [*HandbookPage.objects.all(), *CountryPage.objects.all()]:
        page.unpublish()
    page = client.get("/en/").content.decode()
    assert "Featured country profiles" not in page and "home-handbook" not in page


def test_the_handbook_teaser_in_the_readers_language_with_its_first_chapters(client):
    # On the demo's handbook: five chapters, translated into French.
    french = HandbookPage.objects.get(locale__language_code="fr")
    section = _section(client.get("/fr/"), "home-handbook")
    assert _links(section) == [french.title] and f'href="{french.url}"' in section
    chapters = re.findall(r'<li><a href="[^"]*" dir="auto">([^<]*)</a></li>', section)
    shown = [chapter.title for chapter in french.get_children().live().order_by("path")]
    assert chapters == shown[: home.HANDBOOK_CHAPTERS] and len(chapters) >= 3
    assert "Read the handbook" in _section(client.get("/en/"), "home-handbook")

    PageViewRestriction.objects.create(page=french, restriction_type=PageViewRestriction.LOGIN)
    home_memo.clear()
    caches["pages"].clear()
    # A handbook only members may read is not advertised: the default language's is.
    english = HandbookPage.objects.get(locale__language_code="en")
    assert _links(_section(client.get("/fr/"), "home-handbook")) == [english.title]


def test_featured_countries_each_once_in_the_readers_language(client):
    # On the demo's ten profiles, translated into French: six, each once, in title order.
    section = _section(client.get("/fr/"), "home-countries")
    shown = re.findall(r'lang="([^"]*)" dir="auto">([^<]*)</a></li>', section)
    assert len(shown) == home.FEATURED_COUNTRIES
    assert {language for language, _title in shown} == {"fr"}
    titles = [title for _language, title in shown]
    assert titles == sorted(titles) and len(set(titles)) == len(titles)

    hidden = CountryPage.objects.get(locale__language_code="fr", title=titles[0])
    PageViewRestriction.objects.create(page=hidden, restriction_type=PageViewRestriction.LOGIN)
    home_memo.clear()
    caches["pages"].clear()
    # Restricted in French: its English profile takes its place, or another country does.
    again = _section(client.get("/fr/"), "home-countries")
    assert f'lang="fr" dir="auto">{titles[0]}<' not in again


def _member_client() -> Client:
    member = UserFactory()
    accept_current_policies(member)
    reader = Client()
    reader.force_login(member)
    reader.get("/en/")  # the session's first view records the accepted policies once
    return reader


def _counted(reader: Client, url: str) -> list[str]:
    reader.get(url)  # steady state: per-process memos (taxonomy, policies, the blocks)
    with CaptureQueriesContext(connection) as queries:
        response = reader.get(url)
    assert response.status_code == 200
    return [q["sql"][:200] for q in queries.captured_queries]


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_blocks_cost_a_signed_in_reader_no_query(monkeypatch, language):
    # On the demo's library (60+ resources, covers). The page as a whole is pinned at 12 by
    # tests/test_query_budgets.py; the blocks must add nothing to it.
    reader = _member_client()
    url = f"/{language}/"
    assert len(_latest(reader.get(url))) == home.LATEST_COUNT
    with_blocks = _counted(reader, url)
    monkeypatch.setattr(home, "render_blocks", lambda *args: home.Blocks(SafeString(""), False))
    home_memo.clear()
    assert _latest(reader.get(url)) == []
    without_blocks = _counted(reader, url)
    assert len(with_blocks) == len(without_blocks), "\n".join(with_blocks)


def test_a_publish_shows_at_once_to_signed_in_readers(libraries):
    reader = _member_client()
    make_resource(libraries["en"], "First toolkit", published=date(2020, 1, 1))
    assert _latest(reader.get("/en/")) == ["First toolkit"]
    make_resource(libraries["en"], "Second toolkit", published=date(2021, 1, 1))
    assert _latest(reader.get("/en/")) == ["Second toolkit", "First toolkit"]
    ResourcePage.objects.get(title="Second toolkit").unpublish()
    assert _latest(reader.get("/en/")) == ["First toolkit"]


def test_anonymous_readers_get_the_home_page_from_the_cache(client):
    first = client.get("/es/")
    assert len(_latest(first)) == home.LATEST_COUNT
    with CaptureQueriesContext(connection) as queries:
        second = client.get("/es/")
    assert second.content == first.content
    assert "Age" in second.headers and len(queries) <= 2
