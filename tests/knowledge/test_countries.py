"""Country profiles as readers use them: a country's own resources and community panels, the
index with its counts fetched in bulk, one profile per country and language, drafts hidden,
cached pages that follow the community's changes, bounded queries."""

from __future__ import annotations

import time
from datetime import timedelta
from unittest import mock

import pytest

from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import format_html

from wagtail.models import Locale

from community.opportunities.models import Opportunity
from community.organisations.models import Organisation
from core.registries import PagePanel, page_panels
from knowledge.models import CountriesIndexPage, CountryPage
from tests.factories import UserFactory, accept_current_policies
from tests.members.conftest import make_member
from tests.opportunities.conftest import make_opportunity
from tests.organisations.conftest import client_for, make_organisation

from .conftest import delete_pages_quietly, make_resource, translate

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexes(libraries) -> dict[str, CountriesIndexPage]:
    """The demo's country profiles indexes, emptied, with no organisation or opportunity left."""
    # One statement for the demo's 40 profile pages (treebeard keeps the tree consistent).
    delete_pages_quietly(CountryPage)
    Opportunity.objects.all().delete()
    Organisation.objects.all().delete()
    caches["pages"].clear()
    pages = CountriesIndexPage.objects.select_related("locale")
    return {page.locale.language_code: page for page in pages}


def make_country(index: CountriesIndexPage, code: str, slug: str, *, publish: bool = True,
                 **fields) -> CountryPage:  # fmt: skip
    page = CountryPage(title=slug.title(), slug=slug, country=code, live=publish, **fields)
    index.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
    return CountryPage.objects.get(pk=page.pk)


def signed_in_member() -> Client:
    member = UserFactory()
    accept_current_policies(member)
    reader = Client()
    reader.force_login(member)
    return reader


def test_a_country_page_lists_that_countrys_resources_only_each_once(client, indexes, libraries):
    make_country(indexes["en"], "SN", "senegal", intro="West African profile.")
    en, es = libraries["en"], libraries["es"]
    toolkit = make_resource(en, "Senegal toolkit", countries=("SN", "ML"))
    translate(toolkit, "fr", "Boîte à outils Sénégal")
    make_resource(es, "Informe Senegal", slug="informe", countries=("SN",))
    make_resource(en, "Mali only", countries=("ML",))
    make_resource(en, "Senegal draft", countries=("SN",), publish=False)

    response = client.get("/en/countries/senegal/")
    assert response.status_code == 200
    page = response.content.decode()
    titles = sorted(card.page.title for card in response.context["resources"])
    assert titles == ["Informe Senegal", "Senegal toolkit"]
    assert "Mali only" not in page and "Senegal draft" not in page
    assert "Boîte à outils Sénégal" not in page
    # The Spanish-only resource is reached under the English library, with a badge.
    assert 'href="/en/library/informe/"' in page and '<span lang="es">ES</span>' in page
    assert 'href="/en/library/?country=SN"' in page
    assert '<h1 id="country-title">Senegal</h1>' in page and "West African profile." in page


def test_the_page_names_its_country_in_the_readers_language(client, indexes):
    english = make_country(indexes["en"], "DE", "germany")
    french = english.copy_for_translation(Locale.objects.get(language_code="fr"))
    french.save_revision().publish()
    page = client.get("/fr/countries/germany/").content.decode()
    assert "Allemagne</h1>" in page and "Germany" not in page


def test_the_readers_translation_of_a_resource_replaces_the_original(client, indexes, libraries):
    english = make_country(indexes["en"], "GH", "ghana")
    english.copy_for_translation(Locale.objects.get(language_code="fr")).save_revision().publish()
    original = make_resource(libraries["en"], "Ghana toolkit", slug="ghana-toolkit",
                             countries=("GH",))  # fmt: skip
    translate(original, "fr", "Boîte à outils Ghana")
    response = client.get("/fr/countries/ghana/")
    assert [card.page.title for card in response.context["resources"]] == ["Boîte à outils Ghana"]
    assert ">Ghana toolkit</a>" not in response.content.decode()


def test_an_untranslated_profile_is_served_in_the_readers_language_with_a_notice(
    client, indexes, libraries
):
    make_country(indexes["en"], "KE", "kenya", intro="East African profile.")
    original = make_resource(libraries["en"], "Kenya toolkit", slug="kenya-toolkit",
                             countries=("KE",))  # fmt: skip
    translate(original, "fr", "Boîte à outils Kenya")
    response = client.get("/fr/countries/kenya/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="fr"' in page  # the interface stays in French
    assert "Ce profil pays n’est pas encore disponible dans votre langue" in page
    assert "dans sa langue d’origine, English." in page
    assert "Kenya</h1>" in page and "East African profile." in page  # the English text
    assert 'href="/fr/countries/"' in page  # back to the reader's own index
    assert [card.page.title for card in response.context["resources"]] == ["Boîte à outils Kenya"]
    index = client.get("/fr/countries/").content.decode()
    assert 'href="/fr/countries/kenya/"' in index and "/en/countries/kenya/" not in index
    # Its own language shows no notice; a slug no language has is still a 404.
    assert "not yet available" not in client.get("/en/countries/kenya/").content.decode()
    assert client.get("/fr/countries/atlantis/").status_code == 404


def test_a_country_page_without_resources_says_so(client, indexes):
    make_country(indexes["en"], "EC", "ecuador")
    page = client.get("/en/countries/ecuador/").content.decode()
    assert "The library has no resource about this country yet." in page
    assert "?country=EC" not in page


@pytest.fixture
def echo_panel():
    def render(request, page):
        return format_html('<p class="echo">panel for {}</p>', page.country.code)

    def count(request, codes):
        return {code: len(code) * 10 for code in codes if code != "MX"}

    page_panels.register(
        "echo",
        PagePanel("echo", "country", render, order=1, count=count, count_label="Echoes"),
    )
    page_panels.register(
        "home_only", PagePanel("home_only", "home", lambda r, p: '<p class="echo">home</p>')
    )
    yield
    page_panels.unregister("echo")
    page_panels.unregister("home_only")


def test_country_panels_are_rendered_with_the_pages_country_code(client, indexes, echo_panel):
    make_country(indexes["en"], "MX", "mexico")
    page = client.get("/en/countries/mexico/").content.decode()
    assert '<p class="echo">panel for MX</p>' in page
    assert '<p class="echo">home</p>' not in page


def test_organisations_and_open_opportunities_of_the_country_are_shown(client, indexes):
    make_country(indexes["en"], "SN", "senegal")
    poster = UserFactory()
    dakar = make_organisation(name="Dakar Diaspora Network", countries=["SN", "FR"])
    make_organisation(name="Lima Association", countries=["PE"])
    make_organisation(name="Hidden Senegal Group", countries=["SN"], hidden=True)
    make_opportunity(poster, dakar, title="Open in Senegal", countries=["SN"])
    make_opportunity(poster, dakar, title="Closed in Senegal", countries=["SN"], days=-1)
    make_opportunity(poster, None, title="Open in Peru", countries=["PE"])

    page = client.get("/en/countries/senegal/").content.decode()
    assert "Dakar Diaspora Network" in page
    assert "Lima Association" not in page and "Hidden Senegal Group" not in page
    assert "Open in Senegal" in page
    assert "Closed in Senegal" not in page and "Open in Peru" not in page
    assert 'href="/en/opportunities/?country=SN"' in page
    assert 'href="/en/organisations/?country=SN"' in page


def _counts(response) -> dict[str, dict[str, int]]:
    return {entry.code: dict(entry.counts) for entry in response.context["countries"]}


def test_the_index_lists_each_country_once_with_its_counts(client, indexes, libraries):
    en_index = indexes["en"]
    senegal = make_country(en_index, "SN", "senegal", intro="Senegal in short.")
    senegal.copy_for_translation(Locale.objects.get(language_code="fr")).save_revision().publish()
    make_country(indexes["es"], "CO", "colombia", intro="Colombia en breve.")
    make_country(en_index, "MX", "mexico")
    make_country(en_index, "PE", "peru", publish=False)
    original = make_resource(libraries["en"], "About Senegal", countries=("SN", "CO"))
    translate(original, "fr", "Sur le Sénégal")
    make_resource(libraries["es"], "Sobre Colombia", slug="sobre", countries=("CO",))
    poster = UserFactory()
    network = make_organisation(name="Senegal network", countries=["SN"])
    make_organisation(name="Both countries", countries=["SN", "CO"])
    make_organisation(name="Hidden one", countries=["SN"], hidden=True)
    make_opportunity(poster, network, title="Open", countries=["SN", "MX"])
    make_opportunity(poster, network, title="Closed", countries=["SN"], days=-2)

    response = client.get("/en/countries/")
    assert response.status_code == 200
    assert _counts(response) == {
        "CO": {"Resources": 2, "Organisations": 1, "Open opportunities": 0, "Upcoming events": 0},
        "MX": {"Resources": 0, "Organisations": 0, "Open opportunities": 1, "Upcoming events": 0},
        "SN": {"Resources": 1, "Organisations": 2, "Open opportunities": 1, "Upcoming events": 0},
    }
    page = response.content.decode()
    # Sorted by name in the reader's language; the Spanish-only profile carries a badge.
    assert page.index("Colombia") < page.index("Mexico") < page.index("Senegal")
    assert "Peru" not in page
    # The Spanish-only profile is linked in this index, where it is served with a notice.
    assert 'href="/en/countries/colombia/"' in page and '<span lang="es">ES</span>' in page
    assert 'href="/es/countries/colombia/"' not in page
    assert 'href="/en/countries/senegal/"' in page

    french = client.get("/fr/countries/").content.decode()
    assert 'href="/fr/countries/senegal/"' in french
    assert 'href="/en/countries/senegal/"' not in french
    assert french.index("Colombie") < french.index("Mexique") < french.index("Sénégal")


def test_index_queries_do_not_grow_with_the_number_of_countries(indexes, echo_panel, settings):
    settings.PAGE_CACHE_SECONDS = 0
    reader = signed_in_member()
    codes = ["SN", "MX", "GH", "NG", "IN", "PH", "MA", "LB", "CO", "ET"]

    def count() -> tuple[int, str]:
        reader.get("/en/countries/")  # fills the per-process memos
        with CaptureQueriesContext(connection) as queries:
            response = reader.get("/en/countries/")
        assert response.status_code == 200
        return len(queries), "\n".join(q["sql"][-250:] for q in queries.captured_queries)

    for code in codes[:2]:
        make_country(indexes["en"], code, code.lower())
    few, _sql = count()
    for code in codes[2:]:
        make_country(indexes["en"], code, code.lower())
    many, sql = count()
    assert many == few, sql
    # Wagtail's routing and the signed-in shell cost six; the page's own: the profiles, the
    # resource counts, then one count query per panel kind (opportunities, organisations).
    assert many <= 11, sql
    # The test panel's counts reach the index, "nothing" shown as zero.
    response = reader.get("/en/countries/")
    counts = _counts(response)
    assert counts["SN"]["Echoes"] == 20 and counts["MX"]["Echoes"] == 0


def test_country_page_queries_are_bounded(indexes, libraries, settings):
    settings.PAGE_CACHE_SECONDS = 0
    from .conftest import make_image

    make_country(indexes["en"], "SN", "senegal")
    cover = make_image()
    for number in range(12):
        make_resource(libraries["en"], f"Resource {number}", countries=("SN",),
                      topics=("youth",), cover_image=cover)  # fmt: skip
    make_organisation(name="Dakar network", countries=["SN"])
    reader = signed_in_member()
    reader.get("/en/countries/senegal/")
    with CaptureQueriesContext(connection) as queries:
        response = reader.get("/en/countries/senegal/")
    assert response.status_code == 200
    assert len(response.context["resources"]) == 8
    # Routing to the country page and the signed-in shell cost six; the page's own: resources,
    # their covers' renditions, opportunities (with the reader's time zone), organisations.
    assert len(queries) <= 11, "\n".join(q["sql"][-250:] for q in queries.captured_queries)


def test_an_unknown_country_is_not_found(client, indexes):
    make_country(indexes["en"], "SN", "senegal")
    assert client.get("/en/countries/atlantis/").status_code == 404
    assert client.get("/en/countries/senegal/nothing/").status_code == 404


def test_drafts_and_unpublished_changes_stay_hidden(client, indexes):
    make_country(indexes["en"], "PE", "peru", publish=False)
    live = make_country(indexes["en"], "SN", "senegal", intro="Published intro.")
    live.intro = "Unpublished intro."
    live.save_revision()
    for reader in (client, signed_in_member()):
        assert reader.get("/en/countries/peru/").status_code == 404
        index = reader.get("/en/countries/").content.decode()
        assert "Peru" not in index and "Unpublished intro." not in index
        page = reader.get("/en/countries/senegal/").content.decode()
        assert "Published intro." in page and "Unpublished intro." not in page


def test_a_view_restricted_profile_is_not_listed(client, indexes):
    from wagtail.models import PageViewRestriction

    hidden = make_country(indexes["en"], "PE", "peru")
    PageViewRestriction.objects.create(page=hidden, restriction_type="login")
    assert "Peru" not in client.get("/en/countries/").content.decode()


def test_one_profile_per_country_in_each_language(indexes):
    make_country(indexes["en"], "SN", "senegal")
    with pytest.raises(ValidationError) as error:
        make_country(indexes["en"], "SN", "senegal-again")
    assert "already has a profile in this language" in str(error.value)
    # Another language's tree may have its own.
    assert make_country(indexes["fr"], "SN", "senegal").locale.language_code == "fr"


def test_the_cached_anonymous_pages_follow_the_countrys_organisations_and_opportunities(
    client, indexes
):
    make_country(indexes["en"], "SN", "senegal")
    for address in ("/en/countries/senegal/", "/en/countries/"):
        client.get(address)
        assert "Age" in client.get(address).headers, address  # served from the page cache

    organisation = make_organisation(name="New Dakar Network", countries=["SN"])
    page = client.get("/en/countries/senegal/")
    assert "Age" not in page.headers and "New Dakar Network" in page.content.decode()
    assert _counts(client.get("/en/countries/"))["SN"]["Organisations"] == 1

    make_opportunity(UserFactory(), organisation, title="Fresh call", countries=["SN"])
    page = client.get("/en/countries/senegal/")
    assert "Age" not in page.headers and "Fresh call" in page.content.decode()
    assert _counts(client.get("/en/countries/"))["SN"]["Open opportunities"] == 1
    # Another address for the same page is served, never stored beside it.
    tracked = client.get("/en/countries/senegal/?utm_source=x")
    assert tracked.status_code == 200 and "private" in tracked.headers["Cache-Control"]


def test_named_address_reaches_the_index_in_the_readers_language(client, indexes):
    assert reverse("countries:index") == "/en/countries/"
    assert client.get("/ar/countries/").status_code == 200
    assert 'href="/ar/countries/"' in client.get("/ar/").content.decode()
    assert 'href="/fr/countries/"' in client.get("/fr/library/").content.decode()


def test_editors_can_add_a_country_profile_in_the_admin(indexes):
    from tests.factories import sign_in_with_second_factor

    editor = UserFactory(role="Editor")
    accept_current_policies(editor)
    admin = Client()
    sign_in_with_second_factor(admin, editor)
    form = admin.get(f"/admin/pages/add/knowledge/countrypage/{indexes['en'].pk}/")
    assert form.status_code == 200
    assert 'name="country"' in form.content.decode()


# --- Panels kept per process for signed-in readers (core.panel_cache) -------------------------


def test_a_signed_in_reader_sees_the_countrys_new_organisations_and_opportunities_at_once(
    indexes, libraries
):
    make_country(indexes["en"], "SN", "senegal")
    reader = signed_in_member()
    reader.get("/en/countries/senegal/")  # the panels are now remembered
    organisation = make_organisation(name="New Dakar Network", countries=["SN"])
    assert "New Dakar Network" in reader.get("/en/countries/senegal/").content.decode()
    call = make_opportunity(UserFactory(), organisation, title="Fresh call", countries=["SN"])
    assert "Fresh call" in reader.get("/en/countries/senegal/").content.decode()
    call.hidden = True
    call.save()
    assert "Fresh call" not in reader.get("/en/countries/senegal/").content.decode()
    make_resource(libraries["en"], "A report on Senegal just out", countries=("SN",))
    assert "A report on Senegal just out" in reader.get("/en/countries/senegal/").content.decode()


def test_each_signed_in_reader_sees_deadlines_in_their_own_time_zone(indexes):
    make_country(indexes["en"], "SN", "senegal")
    make_opportunity(UserFactory(), None, title="Call in Senegal", countries=["SN"],
                     time_zone="Africa/Dakar")  # fmt: skip
    tokyo, _profile = make_member(time_zone="Asia/Tokyo")
    lima, _profile = make_member(time_zone="America/Lima")
    first = client_for(tokyo).get("/en/countries/senegal/").content.decode()
    assert "Call in Senegal" in first and "(Asia/Tokyo)" in first
    second = client_for(lima).get("/en/countries/senegal/").content.decode()
    assert "(America/Lima)" in second and "Asia/Tokyo" not in second
    anonymous = Client().get("/en/countries/senegal/").content.decode()
    assert "Call in Senegal" in anonymous
    assert "Asia/Tokyo" not in anonymous and "America/Lima" not in anonymous


def test_a_remembered_panel_drops_an_opportunity_once_its_deadline_passes(indexes):
    make_country(indexes["en"], "SN", "senegal")
    call = make_opportunity(UserFactory(), None, title="Closing call", countries=["SN"])
    reader = signed_in_member()
    assert "Closing call" in reader.get("/en/countries/senegal/").content.decode()
    # The deadline passes without any write the content groups hear of (no signal): only the
    # moment the panel said its HTML holds until makes it drawn again.
    Opportunity.objects.filter(pk=call.pk).update(deadline=call.deadline - timedelta(days=60))
    assert "Closing call" in reader.get("/en/countries/senegal/").content.decode()  # kept
    later = time.time() + 31 * 24 * 3600
    with mock.patch("core.panel_cache._now", return_value=later):
        page = reader.get("/en/countries/senegal/").content.decode()
    assert "Closing call" not in page


def test_signed_in_country_pages_read_the_panels_once_per_process(indexes, settings):
    settings.PAGE_CACHE_SECONDS = 0
    make_country(indexes["en"], "SN", "senegal")
    make_organisation(name="Dakar network", countries=["SN"])
    reader = signed_in_member()
    reader.get("/en/countries/senegal/")
    with CaptureQueriesContext(connection) as queries:
        reader.get("/en/countries/senegal/")
    tables = " ".join(q["sql"] for q in queries.captured_queries)
    for table in ("organisations_organisation", "opportunities_opportunity", "events_event"):
        assert table not in tables


def _first_view_bytes(client: Client, path: str) -> int:
    """What a first visit downloads without images: the page and the styles and scripts it
    links (the handbook's tests measure the same way)."""
    import re

    from django.contrib.staticfiles import finders

    response = client.get(path)
    assert response.status_code == 200, path
    html = response.content.decode()
    linked = re.findall(r'(?:href|src)="/static/([^"]+\.(?:css|js))"', html)
    return len(html.encode()) + sum(len(open(finders.find(name), "rb").read()) for name in linked)


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_demo_countries_index_first_view_stays_under_60_kb_without_images(client, language):
    # The demo's profiles as a newcomer finds them: every country with its counts.
    index = CountriesIndexPage.objects.live().get(locale__language_code=language)
    page = client.get(index.url).content.decode()
    assert page.count('href="' + index.url) >= 10  # the ten demo profiles are listed
    size = _first_view_bytes(client, index.url)
    assert size <= 60_000, size


@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_demo_country_profiles_first_view_stays_under_60_kb_without_images(client, language):
    profile = CountryPage.objects.live().filter(locale__language_code=language).order_by("pk")[0]
    size = _first_view_bytes(client, profile.url)
    assert size <= 60_000, size
