"""Anonymous readers get cached pages; members never do; every change they would see reaches them.

Wagtail content empties the whole cache; a community write refreshes only the pages that show
its content group, and an unrelated cached page stays a hit (`Age` marks a page served from
the cache).

Browsers are told to ask again every time; a shared cache (Varnish, a CDN) may keep pages only
when it can be purged, and then it is purged on each of those changes (the purges go to a small
real HTTP server here, as they would to Varnish).
"""

from __future__ import annotations

import pytest

from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.cache import get_max_age

from wagtail.models import Page, PageViewRestriction

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
    # The cached page is read; rendering the page would take many more queries.
    assert len(queries) <= 2
    assert "Age" in second.headers and "Age" not in first.headers
    assert "Cookie" in second.headers["Vary"]
    # Once this process has read the headers the address varies on, one round trip reads the
    # page with them and the content groups' tokens.
    with CaptureQueriesContext(connection) as queries:
        third = client.get("/fr/")
    assert third.content == first.content and "Age" in third.headers
    assert len(queries) == 1, [q["sql"] for q in queries.captured_queries]


def test_the_remembered_headers_are_a_guess_checked_against_those_read(client):
    from django.utils.cache import _generate_cache_header_key

    from core.middleware import PAGE_KEY_PREFIX, _header_lists

    first = client.get("/fr/")
    client.get("/fr/")
    header_key = _generate_cache_header_key(PAGE_KEY_PREFIX, first.wsgi_request)
    assert header_key in _header_lists
    _header_lists[header_key] = ["HTTP_X_SOMETHING_ELSE"]  # as if the page had varied on it
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/fr/")
    assert "Age" in again.headers and again.content == first.content
    assert len(queries) == 2  # the page asked for again under the headers read
    assert _header_lists[header_key] != ["HTTP_X_SOMETHING_ELSE"]


def test_browsers_are_told_to_ask_again_for_every_page(client):
    # A page made private or changed must reach the next view: no browser or proxy may keep
    # it (our own cache makes asking again cheap).
    for response in (client.get("/es/privacy/"), client.get("/es/privacy/")):
        assert response.status_code == 200
        assert get_max_age(response) in (None, 0)
        assert "no-cache" in response.headers["Cache-Control"]
        assert "s-maxage" not in response.headers["Cache-Control"]
        assert "Expires" not in response.headers


def test_a_members_page_tells_proxies_not_to_keep_it(client):
    user = UserFactory()
    accept_current_policies(user)
    client.force_login(user)
    response = client.get("/en/")
    assert "private" in response.headers["Cache-Control"]


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
    first = client.get("/en/accounts/login/")
    second = client.get("/en/accounts/login/")
    # Each rendering masks the CSRF token afresh; Django marks a page served from cache with Age.
    assert "csrfmiddlewaretoken" in second.content.decode()
    assert second.content != first.content
    assert "Age" not in second.headers


def test_an_uncached_home_page_needs_only_a_handful_of_queries(
    client, settings, django_assert_max_num_queries
):
    # Wagtail's routing takes five (site, locale, page, ancestors, view restrictions); the
    # language links, site root paths, site settings and policies one each; each community
    # panel (opportunities, organisations) one.
    settings.PAGE_CACHE_SECONDS = 0
    client.get("/en/")
    with django_assert_max_num_queries(10):
        assert client.get("/en/").status_code == 200


def _privacy(language: str = "es") -> Page:
    from knowledge.models import PolicyPage

    return PolicyPage.objects.get(kind="privacy", locale__language_code=language)


def test_restricting_a_cached_page_sends_the_next_anonymous_visitor_to_log_in(client):
    assert client.get("/es/privacy/").status_code == 200
    assert client.get("/es/privacy/").status_code == 200  # now served from the cache

    PageViewRestriction.objects.create(page=_privacy(), restriction_type=PageViewRestriction.LOGIN)

    response = client.get("/es/privacy/")
    assert response.status_code == 302
    assert "/accounts/login/" in response.headers["Location"]


def test_lifting_a_restriction_puts_the_page_back_in_the_sitemap(client):
    restriction = PageViewRestriction.objects.create(
        page=_privacy("en"), restriction_type=PageViewRestriction.LOGIN
    )
    assert "/en/privacy/" not in client.get("/sitemap.xml").content.decode()

    restriction.delete()

    assert "/en/privacy/" in client.get("/sitemap.xml").content.decode()
    assert client.get("/en/privacy/").status_code == 200


def test_a_moved_page_sends_readers_of_its_old_address_to_the_new_one(client):
    from knowledge.models import PolicyPage

    assert client.get("/en/privacy/").status_code == 200
    terms = PolicyPage.objects.get(kind="terms", locale__language_code="en")

    _privacy("en").move(terms, pos="last-child")

    old_address = client.get("/en/privacy/")
    assert old_address.status_code == 301
    assert old_address.headers["Location"] == "/en/terms/privacy/"
    assert client.get("/en/terms/privacy/").status_code == 200


def test_saving_site_settings_shows_on_the_next_anonymous_visit(client):
    from wagtail.models import Site

    from knowledge.models import SiteSettings

    assert "Ministry of Diaspora Affairs" not in client.get("/en/").content.decode()
    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.organisation_name = "Ministry of Diaspora Affairs"
    settings.save()

    assert "Operated by Ministry of Diaspora Affairs" in client.get("/en/").content.decode()


# --- Content groups: a community write refreshes the pages that show it, and only those ------


def _is_hit(response) -> bool:
    # The middleware marks a page served from the cache with the age of its copy.
    return "Age" in response.headers


def _warm(client, *addresses: str) -> None:
    for address in addresses:
        client.get(address)
        assert _is_hit(client.get(address)), address


def test_a_group_write_refreshes_the_pages_declaring_it_and_no_other(client):
    from core.page_cache import invalidate_groups

    _warm(client, "/en/members/", "/en/organisations/", "/en/privacy/")

    invalidate_groups("members")

    assert not _is_hit(client.get("/en/members/"))
    assert _is_hit(client.get("/en/organisations/"))
    assert _is_hit(client.get("/en/privacy/"))


def test_a_page_that_declares_no_group_is_refreshed_by_every_community_write(client):
    from core.page_cache import invalidate_groups

    # The sitemap declares nothing: it depends on everything, so it can never go stale.
    _warm(client, "/sitemap.xml", "/en/privacy/")

    invalidate_groups("opportunities")

    assert not _is_hit(client.get("/sitemap.xml"))
    assert _is_hit(client.get("/en/privacy/"))


def test_a_copy_stored_while_a_write_is_uncommitted_is_not_served_after_the_commit(
    client, django_capture_on_commit_callbacks
):
    from django.db import transaction

    from core.page_cache import invalidate_groups

    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            invalidate_groups("members")
            # A reader renders the directory before the write commits: it stores what it saw.
            client.get("/en/members/")
            assert _is_hit(client.get("/en/members/"))
    assert not _is_hit(client.get("/en/members/"))


def test_publishing_a_wagtail_page_still_empties_every_cached_page(client):
    from knowledge.models import HomePage

    _warm(client, "/en/members/", "/en/organisations/", "/en/privacy/")

    HomePage.objects.get(locale__language_code="en").save_revision().publish()

    for address in ("/en/members/", "/en/organisations/", "/en/privacy/"):
        assert not _is_hit(client.get(address)), address


def test_protected_mode_takes_a_member_off_a_cached_organisation_page_at_once(client):
    from community.organisations.models import Membership
    from tests.members.conftest import make_member
    from tests.organisations.conftest import make_organisation

    admin, _ = make_member(display_name="Visible Admin")
    at_risk, profile = make_member(display_name="Amina At Risk")
    organisation = make_organisation(admin, name="Cached Association")
    Membership.objects.create(organisation=organisation, user=at_risk)
    page = f"/en/organisations/{organisation.slug}/"
    _warm(client, page, "/en/privacy/")
    assert "Amina At Risk" in client.get(page).content.decode()

    profile.protected = True
    profile.save()

    assert "Amina At Risk" not in client.get(page).content.decode()
    assert _is_hit(client.get("/en/privacy/"))


def test_the_home_page_offers_shared_caches_nothing_it_cannot_purge(client, settings):
    from core.frontend_cache import backends_from_urls

    settings.WAGTAILFRONTENDCACHE = backends_from_urls("http://127.0.0.1:9")
    # Its community panels change with a group, which no purge by address reaches.
    assert "s-maxage" not in client.get("/en/").headers["Cache-Control"]
    # A policy page changes only with a publish, which purges it.
    assert "s-maxage" in client.get("/en/privacy/").headers["Cache-Control"]


# --- This process's copies: a hit reads the stamp, and the page only when it changed elsewhere --


def _stored_page_key(response) -> str:
    from django.utils.cache import get_cache_key

    from core.middleware import PAGE_KEY_PREFIX

    return get_cache_key(response.wsgi_request, PAGE_KEY_PREFIX, "GET", cache=caches["pages"])


def _store_as_another_process(page_key: str, page, stamp: str, stamp_beside: str | None = None):
    """Write the shared cache as another server process would, leaving this one's copies be."""
    import time

    page._page_stamp = stamp
    page._page_expires = time.time() + 600
    caches["pages"].set(page_key, page, 600)
    caches["pages"].set(f"{page_key}:stamp", stamp_beside or stamp, 600)


def test_a_hit_reads_the_stamp_of_a_page_this_process_holds_not_the_page(client):
    first = client.get("/fr/")
    client.get("/fr/")
    page_key = _stored_page_key(first)
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/fr/")
    assert _is_hit(again) and again.content == first.content
    (statement,) = [query["sql"] for query in queries.captured_queries]
    assert f"{page_key}:stamp" in statement
    assert f"'{caches['pages'].make_key(page_key)}'" not in statement


def _warm_and_edit(client, marker: bytes) -> tuple[str, object]:
    """Warm /fr/ into the cache and this process's copies; its key, and the stored page with
    `marker` added, for a test to store as another process would."""
    first = client.get("/fr/")
    client.get("/fr/")
    page_key = _stored_page_key(first)
    return page_key, _edited(page_key, marker)


def _edited(page_key: str, marker: bytes):
    page = caches["pages"].get(page_key)
    page.content = page.content.replace(b"</main>", b"<p>" + marker + b"</p></main>")
    return page


def test_a_page_stored_by_another_process_is_served_not_this_processs_copy(client):
    page_key, newer = _warm_and_edit(client, b"Stored elsewhere")
    _store_as_another_process(page_key, newer, "another-process-stamp")

    with CaptureQueriesContext(connection) as queries:
        served = client.get("/fr/")
    assert _is_hit(served) and b"Stored elsewhere" in served.content
    assert len(queries) == 2  # the stamp differed: the page itself is read
    with CaptureQueriesContext(connection) as queries:
        assert b"Stored elsewhere" in client.get("/fr/").content
    assert len(queries) == 1  # and kept here from then on


def test_a_cache_emptied_by_another_process_is_a_miss_whatever_this_one_holds(client):
    client.get("/fr/")
    assert _is_hit(client.get("/fr/"))
    caches["pages"].clear()  # what another process's `invalidate_pages` does
    again = client.get("/fr/")
    assert not _is_hit(again) and again.status_code == 200


def test_a_page_is_never_paired_with_the_stamp_of_another_page(client):
    from core.page_cache import local_copies

    page_key, older = _warm_and_edit(client, b"Older copy")
    newer = _edited(page_key, b"Newer copy")
    # Caught between another process's two writes: the stamp beside is already the next
    # page's, the page is still the older one.
    _store_as_another_process(page_key, older, "older", stamp_beside="newer")
    local_copies.clear()
    assert b"Older copy" in client.get("/fr/").content  # what the shared cache holds
    _store_as_another_process(page_key, newer, "newer")
    # The copy read was filed under its own stamp ("older"), so "newer" beside it is not it.
    served = client.get("/fr/")
    assert b"Newer copy" in served.content and b"Older copy" not in served.content


def test_a_copy_is_not_served_past_the_time_the_page_was_stored_for(client):
    import time

    from core.page_cache import local_copies

    first = client.get("/fr/")
    client.get("/fr/")
    page_key = _stored_page_key(first)
    stamp, _expires, pickled = local_copies._copies[page_key]
    local_copies._copies[page_key] = (stamp, time.time() - 1, pickled)
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/fr/")
    assert again.content == first.content
    assert f"'{caches['pages'].make_key(page_key)}'" in queries.captured_queries[0]["sql"]


def test_copies_stay_within_their_memory_bound():
    import time

    from django.http import HttpResponse

    from core.page_cache import LocalCopies

    copies = LocalCopies(max_bytes=50_000)
    for number in range(10):
        page = HttpResponse(b"x" * 20_000)
        page._page_stamp, page._page_expires = f"stamp-{number}", time.time() + 60
        copies.keep(f"page-{number}", page)
    assert copies._bytes <= 50_000
    assert copies.page("page-9", "stamp-9").content == b"x" * 20_000
    assert copies.page("page-0", "stamp-0") is None  # the oldest went first
    assert copies.page("page-9", "stamp-8") is None
