"""The library's RSS and Atom feeds as a feed reader sees them: valid XML, each resource once in
the reader's language, per topic and per country, never a draft, found from the pages' heads,
served from the page cache and emptied by a publish."""

from __future__ import annotations

from datetime import date

import pytest
from defusedxml import ElementTree

from django.core.cache import caches

from wagtail.models import PageViewRestriction

from .conftest import make_resource, translate

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(autouse=True)
def empty_page_cache():
    caches["pages"].clear()


@pytest.fixture
def library(libraries):
    en, es = libraries["en"], libraries["es"]
    toolkit = make_resource(en, "Remittance toolkit", slug="toolkit", topics=("remittances",),
                            countries=("SN",), published=date(2024, 5, 1))  # fmt: skip
    translate(toolkit, "fr", "Boîte à outils sur les transferts")
    make_resource(es, "Informe <juventud>", slug="informe", topics=("youth",), countries=("MX",),
                  published=date(2023, 1, 1), publisher="Observatorio")  # fmt: skip
    make_resource(en, "Secret draft", slug="secret", topics=("remittances",), countries=("SN",),
                  publish=False)  # fmt: skip
    hidden = make_resource(en, "Members only", slug="members-only", topics=("remittances",))
    PageViewRestriction.objects.create(page=hidden, restriction_type="login")
    changed = make_resource(en, "Published title", slug="changed", countries=("SN",),
                            published=date(2022, 1, 1))  # fmt: skip
    changed.title = "Unpublished new title"
    changed.save_revision()
    return libraries


def rss_items(response) -> list[dict]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ElementTree.fromstring(response.content).find("channel")
    return [
        {child.tag: child.text for child in item}
        | {"categories": [c.text for c in item.findall("category")]}
        for item in channel.findall("item")
    ]


def atom_titles(response) -> list[str]:
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)
    return [entry.find(f"{ATOM}title").text for entry in feed.findall(f"{ATOM}entry")]


def test_the_rss_feed_lists_each_published_resource_once_in_the_readers_language(client, library):
    items = rss_items(client.get("/fr/library/feed.rss"))

    assert [item["title"] for item in items] == [
        "Boîte à outils sur les transferts",
        "Informe &lt;juventud&gt;",  # text stays text in readers that show titles as HTML
        "Published title",
    ]
    assert items[0]["link"] == "http://testserver/fr/library/toolkit/"
    # The Spanish-only resource is linked under the French library, which shows it with a notice.
    assert items[1]["link"] == "http://testserver/fr/library/informe/"
    assert "Remittances" in items[0]["categories"] or "Transferts de fonds" in " ".join(
        items[0]["categories"]
    )
    english = rss_items(client.get("/en/library/feed.rss"))
    assert english[0]["title"] == "Remittance toolkit"
    channel = ElementTree.fromstring(client.get("/fr/library/feed.rss").content).find("channel")
    assert channel.find("language").text == "fr"


def test_the_atom_feed_is_valid_and_lists_the_same_resources(client, library):
    response = client.get("/en/library/feed.atom")
    assert atom_titles(response) == ["Remittance toolkit", "Informe <juventud>", "Published title"]


def test_feeds_per_topic_and_per_country(client, library):
    topic = rss_items(client.get("/en/library/topics/youth/feed.rss"))
    assert [item["title"] for item in topic] == ["Informe &lt;juventud&gt;"]
    country = client.get("/en/library/countries/SN/feed.atom")
    assert atom_titles(country) == ["Remittance toolkit", "Published title"]
    title = ElementTree.fromstring(country.content).find(f"{ATOM}title").text
    assert title == "Library resources about Senegal"
    spanish_topic = ElementTree.fromstring(client.get("/es/library/topics/remittances/feed.rss")
                                           .content)  # fmt: skip
    # The topic is named in the reader's language.
    assert spanish_topic.find("channel/title").text.endswith("Remesas")


def test_unknown_topics_and_countries_are_not_found(client, library):
    assert client.get("/en/library/topics/no-such-topic/feed.rss").status_code == 404
    assert client.get("/en/library/countries/ZZ/feed.rss").status_code == 404
    assert client.get("/en/library/countries/sn/feed.rss").status_code == 404


def test_feeds_never_list_drafts_restricted_pages_or_unpublished_changes(client, library):
    for address in ("/en/library/feed.rss", "/en/library/topics/remittances/feed.rss",
                    "/en/library/countries/SN/feed.rss"):  # fmt: skip
        content = client.get(address).content.decode()
        assert "Secret draft" not in content, address
        assert "Members only" not in content, address
        assert "Unpublished new title" not in content, address


def test_library_and_resource_pages_announce_their_feeds(client, library):
    listing = client.get("/en/library/").content.decode()
    assert ('<link rel="alternate" type="application/rss+xml" title="Library resources (RSS)" '
            'href="/en/library/feed.rss">') in listing  # fmt: skip
    assert 'type="application/atom+xml" title="Library resources (ATOM)"' in listing
    filtered = client.get("/en/library/?topic=remittances&country=SN").content.decode()
    assert 'href="/en/library/topics/remittances/feed.rss"' in filtered
    assert 'href="/en/library/countries/SN/feed.atom"' in filtered
    assert 'title="Library resources about Senegal (RSS)"' in filtered
    resource = client.get("/ar/library/toolkit/").content.decode()
    assert 'rel="alternate" type="application/rss+xml"' in resource
    assert 'href="/ar/library/feed.rss"' in resource


def test_feeds_are_cached_and_a_publish_refreshes_them(client, library):
    first = client.get("/en/library/feed.rss")
    second = client.get("/en/library/feed.rss")
    assert "Age" in second.headers and "Age" not in first.headers
    assert second.content == first.content

    make_resource(library["en"], "Fresh resource", published=date(2025, 1, 1))
    fresh = client.get("/en/library/feed.rss")
    assert "Age" not in fresh.headers
    assert rss_items(fresh)[0]["title"] == "Fresh resource"
    assert "private" in client.get("/en/library/feed.rss?x=1")["Cache-Control"]


def test_a_feed_costs_a_few_queries_whatever_the_library_size(client, library):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for number in range(12):
        make_resource(library["en"], f"More {number}", countries=("SN",))
    client.get("/en/library/feed.rss")  # process memos (site root paths, topics) warm up
    caches["pages"].clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/en/library/countries/SN/feed.atom")
    assert len(atom_titles(response)) == 14
    # The feed's own reads; storing the response in the page cache costs the same as any page's.
    own = [
        q["sql"]
        for q in queries
        if "core_page_cache" not in q["sql"] and "SAVEPOINT" not in q["sql"]
    ]
    assert len(own) <= 6, own
