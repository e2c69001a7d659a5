"""The resource library as readers use it: filters and counts, each resource once in the
reader's language, untranslated resources with a notice, cacheable addresses, bounded queries."""

from __future__ import annotations

import re
from datetime import date

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import UserFactory, accept_current_policies

from .conftest import make_resource, translate

pytestmark = pytest.mark.django_db


def facet(response, name: str) -> dict[str, int]:
    for family in response.context["facets"]:
        if family["name"] == name:
            return {option["value"]: option["count"] for option in family["options"]}
    return {}


@pytest.fixture
def three(libraries):
    en, es = libraries["en"], libraries["es"]
    make_resource(en, "Remittance toolkit", kind="toolkit", countries=("FR",),
                  regions=("europe_central_asia",), topics=("remittances",),
                  published=date(2020, 5, 1))  # fmt: skip
    make_resource(en, "Youth report", kind="report", countries=("FR", "SN"),
                  regions=("west_central_africa",), topics=("youth",),
                  published=date(2021, 3, 1))  # fmt: skip
    make_resource(es, "Informe consular", kind="report", countries=("SN",),
                  regions=("west_central_africa",), topics=("youth", "remittances"),
                  published=date(2021, 7, 1))  # fmt: skip
    return libraries


def titles(response) -> list[str]:
    return [card.page.title for card in response.context["cards"]]


def test_each_filter_narrows_the_list_and_counts_follow(client, three):
    everything = client.get("/en/library/")
    assert everything.context["page_obj"].paginator.count == 3
    assert facet(everything, "type") == {"toolkit": 1, "report": 2}
    assert facet(everything, "country") == {"FR": 2, "SN": 2}
    assert facet(everything, "topic") == {"remittances": 2, "youth": 2}
    assert facet(everything, "language") == {"en": 2, "es": 1}
    assert facet(everything, "year") == {"2020": 1, "2021": 2}
    assert facet(everything, "region") == {"europe_central_asia": 1, "west_central_africa": 2}

    reports = client.get("/en/library/?type=report")
    assert sorted(titles(reports)) == ["Informe consular", "Youth report"]
    # A family's own filter does not narrow its options; the other families' do.
    assert facet(reports, "type") == {"toolkit": 1, "report": 2}
    assert facet(reports, "country") == {"FR": 1, "SN": 2}
    assert "Remittance toolkit" not in reports.content.decode()

    combined = client.get("/en/library/?type=report&topic=remittances&country=SN")
    assert titles(combined) == ["Informe consular"]
    assert titles(client.get("/en/library/?region=europe_central_asia")) == ["Remittance toolkit"]
    assert titles(client.get("/en/library/?language=es")) == ["Informe consular"]
    assert titles(client.get("/en/library/?year=2020")) == ["Remittance toolkit"]


def test_counts_and_links_are_shown_beside_each_option(client, three):
    page = client.get("/en/library/?type=report").content.decode()
    option = '<a href="?type=report&amp;country=SN" rel="nofollow">Senegal <span class="count">(2)'
    assert option in page
    # The chosen option links to the list without it.
    assert '<a href="?" aria-current="true" class="selected">Report' in page


def test_sorting_by_title_and_newest(client, three):
    assert titles(client.get("/en/library/")) == [
        "Informe consular", "Youth report", "Remittance toolkit"]  # fmt: skip
    assert titles(client.get("/en/library/?sort=title")) == [
        "Informe consular", "Remittance toolkit", "Youth report"]  # fmt: skip


def test_empty_result_says_so_and_offers_to_clear_filters(client, three):
    page = client.get("/en/library/?type=video").content.decode()
    assert "No resource matches these filters." in page
    assert '<a href="/en/library/">Clear filters</a>' in page


def test_pages_of_results(client, libraries, settings):
    for number in range(22):
        make_resource(libraries["en"], f"Item {number:02d}", published=date(2000 + number, 1, 1))
    first = client.get("/en/library/")
    assert len(first.context["cards"]) == 20
    second = client.get("/en/library/?page=2").content.decode()
    assert "Item 01" in second and "Item 00" in second and "Item 21" not in second
    assert client.get("/en/library/?page=9").status_code == 404


def test_a_resource_only_in_spanish_appears_once_in_english_with_a_badge(client, libraries):
    make_resource(libraries["es"], "Bonos de la diáspora", slug="bonos")
    response = client.get("/en/library/")
    assert titles(response) == ["Bonos de la diáspora"]
    page = response.content.decode()
    assert page.count(">Bonos de la diáspora</a>") == 1
    assert '<span lang="es">ES</span>' in page
    # Reached under the English library: the interface stays English, with a notice.
    assert 'href="/en/library/bonos/"' in page
    resource = client.get("/en/library/bonos/")
    assert resource.status_code == 200
    text = resource.content.decode()
    assert '<html lang="en"' in text
    assert "This resource is not yet available in your language" in text
    assert '<link rel="canonical" href="http://' in text and "/es/library/bonos/" in text


def test_the_readers_translation_replaces_the_original(client, libraries):
    original = make_resource(libraries["en"], "Mapping toolkit", slug="mapping")
    translate(original, "fr", "Boîte à outils de cartographie")
    french = client.get("/fr/library/")
    assert titles(french) == ["Boîte à outils de cartographie"]
    assert ">Mapping toolkit</a>" not in french.content.decode()
    assert facet(french, "language") == {"en": 1, "fr": 1}
    assert titles(client.get("/es/library/")) == ["Mapping toolkit"]
    # No notice on the reader's own translation, and links to the other language.
    own = client.get("/fr/library/mapping/").content.decode()
    assert "pas encore disponible" not in own and "not yet available" not in own
    assert 'href="/en/library/mapping/"' in own


def test_unknown_or_reordered_parameters_are_served_but_never_cached(client, three):
    canonical = client.get("/en/library/?type=report&country=SN")
    assert "private" not in canonical.headers.get("Cache-Control", "")
    for address in (
        "/en/library/?country=SN&type=report",  # out of order
        "/en/library/?type=report&type=toolkit",  # repeated
        "/en/library/?q=anything",  # free text
        "/en/library/?type=",  # empty
        "/en/library/?type=nonsense",
        "/en/library/?page=1",
    ):
        response = client.get(address)
        assert response.status_code == 200, address
        assert "private" in response.headers["Cache-Control"], address
    resource = client.get("/en/library/youth-report/?utm_source=x")
    assert "private" in resource.headers["Cache-Control"]


def test_drafts_and_unpublished_changes_stay_hidden(client, libraries):
    make_resource(libraries["en"], "Secret draft", slug="secret", publish=False)
    live = make_resource(libraries["en"], "Public title", slug="public")
    live.title = "Unpublished new title"
    live.save_revision()
    member = UserFactory()
    accept_current_policies(member)
    for reader in (client, _signed_in(member)):
        assert reader.get("/en/library/secret/").status_code == 404
        assert reader.get("/fr/library/secret/").status_code == 404
        listing = reader.get("/en/library/").content.decode()
        assert "Secret draft" not in listing and "Unpublished new title" not in listing
        page = reader.get("/en/library/public/").content.decode()
        assert "Public title" in page and "Unpublished new title" not in page


def _signed_in(user):
    from django.test import Client

    reader = Client()
    reader.force_login(user)
    return reader


def test_a_view_restricted_resource_is_not_listed(client, libraries):
    from wagtail.models import PageViewRestriction

    hidden = make_resource(libraries["en"], "Members only", slug="members-only")
    PageViewRestriction.objects.create(page=hidden, restriction_type="login")
    assert "Members only" not in client.get("/en/library/").content.decode()


def test_related_resources_share_a_topic_or_country(client, libraries):
    en = libraries["en"]
    main = make_resource(en, "Main", topics=("youth",), countries=("GH",))
    make_resource(en, "Same topic", topics=("youth",))
    make_resource(en, "Same country", countries=("GH",))
    make_resource(en, "Unrelated", countries=("PE",), topics=("health",))
    response = client.get(main.url)
    related = [card.page.title for card in response.context["related"]]
    assert sorted(related) == ["Same country", "Same topic"]
    page = response.content.decode()
    assert "Ghana" in page and "Youth" in page
    assert "Main. " in response.context["citation"] or "Main." in response.context["citation"]


def test_resource_page_shows_metadata_in_the_readers_language(client, libraries):
    make_resource(libraries["en"], "Bonds", slug="bonds", countries=("DE",),
                  topics=("diaspora-bonds",), publisher="Ministry X")  # fmt: skip
    page = client.get("/fr/library/bonds/").content.decode()
    assert "Allemagne" in page and "Ministry X" in page
    assert "Ministry X (2024). Bonds." in page


def test_navigation_reaches_the_library_in_the_readers_language(client, libraries):
    assert reverse("library:index") == "/en/library/"
    home = client.get("/ar/").content.decode()
    assert 'href="/ar/library/"' in home
    assert client.get("/ar/library/").status_code == 200


def test_sitemap_lists_resources(client, libraries):
    make_resource(libraries["en"], "Listed", slug="listed")
    assert "/en/library/listed/" in client.get("/sitemap.xml").content.decode()


def _sitemap_queries(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        xml = client.get("/sitemap.xml").content.decode()
    return len(queries), xml


def test_the_sitemap_costs_the_same_queries_however_large_the_library(client, libraries):
    first = make_resource(libraries["en"], "First", slug="first")
    translate(first, "fr", "Premier")
    few, _xml = _sitemap_queries(client)

    for number in range(12):
        page = make_resource(libraries["en"], f"Resource {number}", slug=f"resource-{number}")
        translate(page, "ar", f"مورد {number}")
    hidden = make_resource(libraries["en"], "Hidden", slug="hidden", noindex=True)
    shown = translate(hidden, "es", "Oculto")
    shown.noindex = False  # copied with the page: only the English one is hidden
    shown.save_revision().publish()
    many, xml = _sitemap_queries(client)

    assert many == few
    # Each page with its translations as alternates, the noindex one nowhere, its translation kept.
    entry = re.search(r"<url><loc>[^<]*/en/library/resource-7/</loc>.*?</url>", xml).group()
    assert 'hreflang="en" href="http://127.0.0.1:8000/en/library/resource-7/"' in entry
    assert 'hreflang="ar" href="http://127.0.0.1:8000/ar/library/resource-7/"' in entry
    assert "/en/library/hidden/" not in xml
    assert "<loc>http://127.0.0.1:8000/es/library/hidden/</loc>" in xml


def _resources(libraries, count: int, start: int = 0) -> None:
    from .conftest import make_image

    cover = make_image()
    for number in range(start, start + count):
        library = libraries[("en", "fr", "es", "ar")[number % 4]]
        make_resource(library, f"Resource {number}", countries=("SN", "FR"),
                      topics=("youth", "remittances"), regions=("west_central_africa",),
                      cover_image=cover)  # fmt: skip


@pytest.mark.parametrize("signed_in", [False, True])
def test_listing_queries_are_bounded_and_do_not_grow(client, libraries, settings, signed_in):
    settings.PAGE_CACHE_SECONDS = 0
    reader = client
    if signed_in:
        member = UserFactory()
        accept_current_policies(member)
        reader = _signed_in(member)
        reader.get("/en/library/")  # the session's first view records the policies once

    def count() -> tuple[int, str]:
        # Steady state: the first view fills the per-process memos (taxonomy, policies...).
        reader.get("/en/library/")
        with CaptureQueriesContext(connection) as queries:
            assert reader.get("/en/library/").status_code == 200
        return len(queries), "\n".join(q["sql"][:200] for q in queries.captured_queries)

    _resources(libraries, 10)
    few, _sql = count()
    _resources(libraries, 30, start=10)
    many, sql = count()
    # Signed in: the session, the member and Wagtail's user bar permissions come on top.
    assert many <= (9 if signed_in else 6), sql
    assert many == few


def test_resource_page_queries_are_bounded(client, libraries, settings):
    settings.PAGE_CACHE_SECONDS = 0
    _resources(libraries, 12)
    client.get("/en/library/resource-0/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/en/library/resource-0/").status_code == 200
    # Routing to the resource costs two (the path, the resource with its cover), its view
    # restrictions one; its topics, other copies, related resources, renditions, attachments
    # and the handbook chapters citing it one each.
    assert len(queries) <= 9, "\n".join(q["sql"][:300] for q in queries.captured_queries)


def test_editors_can_add_resources_in_the_admin(libraries):
    from django.test import Client

    from tests.factories import sign_in_with_second_factor

    editor = UserFactory(role="Editor")
    accept_current_policies(editor)
    admin = Client()
    sign_in_with_second_factor(admin, editor)
    library = libraries["en"]
    choices = admin.get(f"/admin/pages/{library.pk}/add_subpage/")
    # The library's only child type: the admin goes straight to its form.
    assert choices.status_code in (200, 302)
    form = admin.get(f"/admin/pages/add/knowledge/resourcepage/{library.pk}/")
    assert form.status_code == 200
    text = form.content.decode()
    assert "Attached documents" in text and "About this resource" in text
    assert 'type="checkbox" name="regions" value="west_central_africa"' in text


def test_a_member_sees_at_once_what_is_published_after_the_listing_was_kept(client, three):
    user = UserFactory()
    accept_current_policies(user)
    client.force_login(user)
    client.get("/en/library/")
    with CaptureQueriesContext(connection) as kept:
        client.get("/en/library/")
    assert not any("UNION ALL" in q["sql"] for q in kept.captured_queries)  # no facet query
    youth = client.get("/en/library/youth-report/").content.decode()
    assert "Remittance toolkit" in youth  # related: it shares France
    toolkit = three["en"].get_children().get(title="Remittance toolkit")
    make_resource(three["en"], "Fresh guide", countries=("FR",))
    assert "Fresh guide" in client.get("/en/library/").content.decode()
    toolkit.specific.unpublish()
    assert "Remittance toolkit" not in client.get("/en/library/").content.decode()
    youth = client.get("/en/library/youth-report/").content.decode()
    assert "Remittance toolkit" not in youth and "Fresh guide" in youth


def test_a_resource_and_its_translation_count_once_in_every_facet(client, libraries):
    original = make_resource(libraries["en"], "Diaspora bonds guide", kind="toolkit",
                             countries=("SN", "FR"), regions=("west_central_africa",),
                             topics=("remittances",), published=date(2022, 4, 1))  # fmt: skip
    translate(original, "fr", "Guide des obligations diaspora")
    for address in ("/en/library/", "/fr/library/", "/es/library/", "/fr/library/?type=toolkit"):
        response = client.get(address)
        assert response.context["page_obj"].paginator.count == 1, address
        assert facet(response, "type") == {"toolkit": 1}, address
        assert facet(response, "topic") == {"remittances": 1}, address
        assert facet(response, "country") == {"FR": 1, "SN": 1}, address
        assert facet(response, "region") == {"west_central_africa": 1}, address
        assert facet(response, "year") == {"2022": 1}, address
        # Language counts each language the resource can be read in (a filter by either finds it).
        assert facet(response, "language") == {"en": 1, "fr": 1}, address
    page = client.get("/fr/library/").content.decode()
    assert page.count(">Guide des obligations diaspora</a>") == 1
    assert ">Diaspora bonds guide</a>" not in page


@pytest.mark.parametrize(
    "language, topic, country",
    [("fr", "Transferts de fonds", "Sénégal"), ("ar", "التحويلات المالية", "السنغال")],
)
def test_the_library_names_topics_and_countries_in_the_readers_language(
    client, libraries, language, topic, country
):
    make_resource(libraries["en"], "Remittance corridors", topics=("remittances",),
                  countries=("SN",))  # fmt: skip
    response = client.get(f"/{language}/library/")
    page = response.content.decode()
    options = {family["name"]: family["options"] for family in response.context["facets"]}
    assert [str(option["label"]) for option in options["topic"]] == [topic]
    assert [str(option["label"]) for option in options["country"]] == [country]
    for label in (topic, country):
        assert f'{label} <span class="count">(1)' in page
    card = page.split('<li class="resource-card">', 1)[1].split("</li>", 1)[0]
    assert topic in card and "Remittances" not in card  # the card's topics too
    assert "Remittances" not in page and "Senegal" not in page


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("kind", ["library", "resource"])
def test_the_demo_librarys_first_view_stays_under_60_kb_without_images(client, kind, language):
    # The demo's full library (its first page of twenty cards and every facet), and a resource.
    from django.contrib.staticfiles import finders

    from knowledge.models import LibraryPage, ResourcePage

    pages = (LibraryPage if kind == "library" else ResourcePage).objects.live()
    path = pages.filter(locale__language_code=language).order_by("pk")[0].url
    html = client.get(path).content.decode()
    if kind == "library":
        assert html.count('<li class="resource-card">') == 20  # a full first page
    linked = re.findall(r'(?:href|src)="/static/([^"]+\.(?:css|js))"', html)
    size = len(html.encode()) + sum(len(open(finders.find(name), "rb").read()) for name in linked)
    assert size <= 60_000, (path, size)
