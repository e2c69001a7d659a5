"""Free tags as readers meet them: shown on the resource page, each a link to the library
filtered by that tag (combinable with the other filters, in the reader's language), cached only
for tags live resources carry, and read without a query per tag."""

from __future__ import annotations

from datetime import date

import pytest

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from knowledge.models import ResourcePage
from tests.factories import UserFactory, accept_current_policies

from .conftest import make_resource, translate

pytestmark = pytest.mark.django_db


def tag(page: ResourcePage, *names: str) -> ResourcePage:
    """Tag `page` as an editor does: in a revision, then published."""
    page = ResourcePage.objects.get(pk=page.pk)
    page.tags.add(*names)
    page.save_revision().publish()
    return ResourcePage.objects.get(pk=page.pk)


def slug(name: str) -> str:
    """The tag's slug: taggit's tags are shared site-wide, so a name's slug may be taken."""
    from taggit.models import Tag

    return Tag.objects.get(name=name).slug


def titles(response) -> list[str]:
    return [card.page.title for card in response.context["cards"]]


@pytest.fixture
def tagged(libraries):
    en = libraries["en"]
    bonds = make_resource(en, "Diaspora bonds guide", slug="bonds", kind="toolkit",
                          topics=("remittances",), published=date(2023, 1, 1))  # fmt: skip
    tag(bonds, "Diaspora bonds", "Finance")
    report = make_resource(en, "Bond market report", slug="bond-report", kind="report",
                           published=date(2022, 1, 1))  # fmt: skip
    tag(report, "Diaspora bonds")
    make_resource(en, "Untagged report", slug="untagged", kind="report")
    return libraries


def test_the_resource_page_shows_its_tags_each_linking_to_the_filtered_library(client, tagged):
    page = client.get("/en/library/bonds/").content.decode()
    assert "<dt>Tags</dt>" in page
    bonds, finance = slug("Diaspora bonds"), slug("Finance")
    assert (
        f'<li><a href="/en/library/?tag={bonds}" rel="tag" dir="auto">Diaspora bonds</a></li>'
        f'<li><a href="/en/library/?tag={finance}" rel="tag" dir="auto">Finance</a></li>'
    ) in page
    # An untagged resource shows no empty "Tags" line.
    assert "<dt>Tags</dt>" not in client.get("/en/library/untagged/").content.decode()


def test_following_a_tag_lists_its_resources_with_the_tag_shown_as_a_removable_filter(
    client, tagged
):
    response = client.get(f"/en/library/?tag={slug('Diaspora bonds')}")
    assert titles(response) == ["Diaspora bonds guide", "Bond market report"]
    page = response.content.decode()
    assert "Untagged report" not in page
    assert '<h3 id="facet-tag">Tag</h3>' in page
    assert '<a href="?" aria-current="true" class="selected">Diaspora bonds' in page
    assert '<span class="count">(2)</span>' in page
    # Counts of the other families follow the tag; their links keep it.
    bonds = slug("Diaspora bonds")
    assert f'<a href="?type=toolkit&amp;tag={bonds}" rel="nofollow">Toolkit' in page
    assert "Clear filters" in page


def test_the_tag_combines_with_the_other_filters(client, tagged):
    bonds = slug("Diaspora bonds")
    assert titles(client.get(f"/en/library/?type=report&tag={bonds}")) == ["Bond market report"]
    assert titles(client.get(f"/en/library/?topic=remittances&tag={bonds}")) == [
        "Diaspora bonds guide"
    ]
    assert titles(client.get(f"/en/library/?year=2022&tag={slug('Finance')}")) == []


def test_a_translation_is_listed_for_its_originals_tag(client, tagged):
    translate(ResourcePage.objects.get(slug="bonds"), "fr", "Guide des obligations diaspora")
    bonds = slug("Diaspora bonds")
    french = client.get(f"/fr/library/?tag={bonds}")
    assert titles(french) == ["Guide des obligations diaspora", "Bond market report"]
    # The French reader follows the tag to the French library.
    english_only = client.get("/fr/library/bond-report/").content.decode()
    assert f'href="/fr/library/?tag={bonds}"' in english_only


def test_only_tags_of_live_resources_are_cached_addresses(client, tagged):
    finance = slug("Finance")
    known = client.get(f"/en/library/?tag={finance}")
    assert "private" not in known.headers.get("Cache-Control", "")
    draft = make_resource(tagged["en"], "Draft", slug="draft", publish=False)
    draft.tags.add("Secret plans")
    draft.save()
    for address in (
        "/en/library/?tag=no-such-tag",
        f"/en/library/?tag={slug('Secret plans')}",  # only a draft carries it
        f"/en/library/?tag={finance}&type=toolkit",  # out of order
        f"/en/library/?tag={finance}&tag={finance}",  # repeated
    ):
        response = client.get(address)
        assert response.status_code == 200, address
        assert "private" in response.headers["Cache-Control"], address
    # An unknown tag filters nothing and is neither named nor counted.
    page = client.get(f"/en/library/?tag={slug('Secret plans')}").content.decode()
    assert "Secret plans" not in page and 'id="facet-tag"' not in page


def test_a_tag_published_later_becomes_a_cached_address_at_once(client, tagged):
    from taggit.models import Tag

    mentoring = Tag.objects.create(name="Mentoring circles").slug
    address = f"/en/library/?tag={mentoring}"
    assert "private" in client.get(address).headers["Cache-Control"]
    tag(ResourcePage.objects.get(slug="untagged"), "Mentoring circles")
    response = client.get(address)
    assert "private" not in response.headers.get("Cache-Control", "")
    assert titles(response) == ["Untagged report"]


def test_tag_names_are_escaped(client, libraries):
    page = make_resource(libraries["en"], "Hostile", slug="hostile")
    tag(page, '<script>alert("x")</script>')
    html = client.get("/en/library/hostile/").content.decode()
    assert '<script>alert("x")' not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_the_tags_read_no_query_per_tag(client, libraries, settings):
    from core.memo import clear_all

    settings.PAGE_CACHE_SECONDS = 0
    member = UserFactory()
    accept_current_policies(member)
    reader = Client()
    reader.force_login(member)
    tag(make_resource(libraries["en"], "Few tags", slug="few"), "Capacity building")
    tag(make_resource(libraries["en"], "Many tags", slug="many"), "Capacity building",
        *(f"Budget tag {n}" for n in range(20)))  # fmt: skip
    make_resource(libraries["en"], "No tags", slug="none")

    def queries(url: str, remembered: bool = True) -> list[str]:
        reader.get(url)
        if not remembered:
            clear_all()  # the first view after a publish
        with CaptureQueriesContext(connection) as captured:
            assert reader.get(url).status_code == 200
        return [query["sql"] for query in captured.captured_queries]

    # Once remembered (the budget's steady state), tags cost nothing; when not, one query.
    many, few = queries("/en/library/many/"), queries("/en/library/few/")
    assert len(many) == len(few) == len(queries("/en/library/none/")) <= 12
    cold = queries("/en/library/many/", remembered=False)
    assert len(cold) == len(queries("/en/library/few/", remembered=False))
    assert sum('"taggit_tag"' in sql for sql in cold) == 1
    listed = queries(f"/en/library/?tag={slug('Capacity building')}")
    assert len(listed) == len(queries("/en/library/")) <= 12


def test_the_download_follows_the_tag_filter(client, tagged):
    import csv
    import io

    download = client.get(f"/en/library/export.csv?tag={slug('Diaspora bonds')}")
    text = b"".join(download.streaming_content).decode().removeprefix("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert sorted(row["title"] for row in rows) == ["Bond market report", "Diaspora bonds guide"]
    refused = client.get("/en/library/export.csv?tag=no-such-tag")
    assert refused.status_code == 400
