"""The site shell as a reader meets it: languages, direction, navigation, errors and SEO."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def test_first_visit_goes_to_the_browsers_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="es-ES,es;q=0.9,en;q=0.5")
    assert response.status_code == 302
    assert response.headers["Location"] == "/es/"


@pytest.mark.parametrize(
    ("lang", "direction", "title"),
    [("en", "ltr", "Diaspora Hub"), ("fr", "ltr", "Diaspora Hub"), ("ar", "rtl", "مركز المغتربين")],
)
def test_home_page_speaks_each_language_in_its_direction(client, lang, direction, title):
    page = client.get(f"/{lang}/").content.decode()
    assert f'<html lang="{lang}" dir="{direction}">' in page
    assert f"<h1>{title}</h1>" in page


def test_language_switcher_links_to_the_same_page_in_each_language(client):
    page = client.get("/fr/privacy/").content.decode()
    switcher = page.split('class="languages"', 1)[1].split("</nav>", 1)[0]
    assert 'href="/en/privacy/"' in switcher
    assert 'href="/es/privacy/"' in switcher
    assert 'href="/ar/privacy/"' in switcher
    assert 'aria-current="true">français' in switcher


def test_the_language_switcher_follows_a_translation_renamed_a_moment_ago(client):
    """Each process keeps the switcher's addresses; renaming a page must not leave them stale."""
    from knowledge.models import PolicyPage
    from tests.factories import UserFactory, accept_current_policies

    user = UserFactory()
    accept_current_policies(user)
    client.force_login(user)  # members are never served from the page cache

    def switcher() -> str:
        page = client.get("/en/privacy/").content.decode()
        return page.split('class="languages"', 1)[1].split("</nav>", 1)[0]

    assert 'href="/fr/privacy/"' in switcher()
    french = PolicyPage.objects.get(kind="privacy", locale__language_code="fr")
    french.slug = "confidentialite"
    french.save_revision().publish()
    assert 'href="/fr/confidentialite/"' in switcher()
    french.unpublish()
    # No French translation any more: the same path under the French prefix.
    assert 'href="/fr/privacy/"' in switcher()


def test_base_layout_has_skip_link_landmarks_and_main_navigation(client):
    page = client.get("/en/").content.decode()
    assert '<a class="skip-link" href="#main">' in page
    assert '<main id="main"' in page and "<header" in page and "<footer" in page
    for label in ["Library", "Handbook", "Opportunities", "Organisations", "Members", "Forums",
                  "Search"]:  # fmt: skip
        assert label in page


@pytest.mark.parametrize(("lang", "text"), [("en", "Page not found"), ("fr", "Page introuvable")])
def test_unknown_page_shows_a_404_in_the_site_look_and_language(client, lang, text):
    response = client.get(f"/{lang}/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert text in page
    assert 'class="site-header"' in page
    assert '<meta name="robots" content="noindex">' in page


def test_error_handlers_render_400_403_and_500_pages(rf):
    from core import views

    request = rf.get("/en/")
    request.LANGUAGE_CODE = "en"
    assert views.bad_request(request).status_code == 400
    assert views.permission_denied(request).status_code == 403
    response = views.server_error(request)
    assert response.status_code == 500
    assert b"Something went wrong" in response.content


def test_sitemap_lists_pages_with_hreflang_alternates(client, settings):
    xml = client.get("/sitemap.xml").content.decode()
    assert f"<loc>{settings.SITE_URL}/en/privacy/</loc>" in xml
    assert f"<loc>{settings.SITE_URL}/ar/privacy/</loc>" in xml
    alternates = re.findall(rf'hreflang="(\w+)" href="{settings.SITE_URL}/(\w+)/privacy/"', xml)
    assert {("en", "en"), ("fr", "fr"), ("es", "es"), ("ar", "ar")} <= set(alternates)


def test_robots_txt_points_at_the_sitemap_and_keeps_private_areas_out(client):
    text = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Disallow: /admin/" in text
    assert "Disallow: /en/accounts/" in text


def test_pages_carry_canonical_hreflang_and_sharing_tags(client, settings):
    page = client.get("/es/terms/").content.decode()
    assert f'<link rel="canonical" href="{settings.SITE_URL}/es/terms/">' in page
    assert 'hreflang="ar"' in page
    assert '<meta property="og:title" content="Condiciones de uso">' in page
    assert '<meta name="twitter:card" content="summary_large_image">' in page
    image = re.search(r'<meta property="og:image" content="([^"]+)">', page).group(1)
    assert image.startswith(settings.SITE_URL) and image.endswith(".png")


def test_account_pages_are_not_indexed(client):
    page = client.get("/en/accounts/login/").content.decode()
    assert '<meta name="robots" content="noindex">' in page


def test_a_page_marked_noindex_says_so_and_leaves_the_sitemap(client):
    from knowledge.models import PolicyPage

    page = PolicyPage.objects.get(kind="conduct", locale__language_code="en")
    page.noindex = True
    page.save_revision().publish()
    assert (
        '<meta name="robots" content="noindex">'
        in client.get("/en/code-of-conduct/").content.decode()
    )
    assert "/en/code-of-conduct/" not in client.get("/sitemap.xml").content.decode()


def test_policy_acceptance_page_needs_a_signed_in_member(client):
    response = client.get("/en/accounts/policies/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/en/accounts/login/")


def test_account_settings_pages_share_one_menu(client):
    from tests.factories import UserFactory, accept_current_policies

    user = UserFactory()
    accept_current_policies(user)
    client.force_login(user)
    for path in ("/en/accounts/email/", "/en/accounts/password/change/", "/en/accounts/2fa/"):
        page = client.get(path).content.decode()
        menu = page.split('class="account-menu"', 1)[1].split("</nav>", 1)[0]
        assert 'aria-current="page"' in menu
        assert "Two-factor login" in menu


def test_the_open_data_api_publishes_its_schema(client):
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Diaspora Hub open data API"
    assert not any(path.startswith("/admin/") for path in response.json()["paths"])


def test_api_documentation_loads_its_scripts_from_this_site(client):
    page = client.get("/api/v1/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/redoc/" in page
    assert "cdn." not in page


def test_a_members_only_page_is_private_noindex_and_never_shared_from_the_cache(client):
    from wagtail.models import PageViewRestriction

    from knowledge.models import PolicyPage
    from tests.factories import UserFactory, accept_current_policies

    page = PolicyPage.objects.get(kind="conduct", locale__language_code="en")
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)

    anonymous = client.get("/en/code-of-conduct/")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous.headers["Location"]

    member = UserFactory()
    accept_current_policies(member)
    client.force_login(member)
    response = client.get("/en/code-of-conduct/")
    assert response.status_code == 200
    assert '<meta name="robots" content="noindex">' in response.content.decode()
    assert "private" in response.headers["Cache-Control"]
    assert "/en/code-of-conduct/" not in client.get("/sitemap.xml").content.decode()


def _host_a_browser_would_open(link: str, base: str) -> str:
    from urllib.parse import urljoin, urlsplit

    # Browsers drop tabs and newlines from a link, read a backslash as a slash, and take
    # whatever follows two or more leading slashes as a host name.
    link = link.replace("\t", "").replace("\n", "").replace("\r", "").replace("\\", "/")
    if link.startswith("//"):
        return link.lstrip("/").split("/", 1)[0]
    return urlsplit(urljoin(base, link)).netloc


@pytest.mark.parametrize(
    "path",
    [
        "//evil.example/",
        "///evil.example/",
        "/\\evil.example/",
        "/\\/evil.example/",
        "/\t/evil.example/",
        "/%2F%2Fevil.example/",
        "/%2F%5Cevil.example/",
    ],
)
def test_a_404_at_a_network_path_links_only_to_this_site(client, settings, path):
    from urllib.parse import urlsplit

    # The test client would read an address starting with // as a host; send the raw path.
    response = client.get(path) if "%" in path else client.get("/", PATH_INFO=path)
    assert response.status_code == 404
    page = response.content.decode()
    switcher = page.split('class="languages"', 1)[1].split("</nav>", 1)[0]
    assert switcher.count("href=") == len(settings.LANGUAGES)
    site = urlsplit(settings.SITE_URL).netloc
    links = re.findall(r'(?:href|content|src|action)="([^"]*)"', page)
    assert links
    for link in links:
        if "/" not in link:
            continue  # a word in a meta tag, not an address
        assert _host_a_browser_would_open(link, settings.SITE_URL + "/en/") == site, link


@pytest.mark.parametrize("path", ["/en/", "/ar/", "/en/no-such-page/"])
def test_a_request_for_an_unknown_host_gets_the_sites_400_page_not_a_500(client, path):
    # The 400 page is drawn for a request whose Host header Django refused; nothing it shows
    # may ask for that host again, or the refusal becomes a server error (and an alert).
    response = client.get(path, HTTP_HOST="attacker.example")
    assert response.status_code == 400
    assert "Bad request" in response.content.decode() or "طلب" in response.content.decode()
