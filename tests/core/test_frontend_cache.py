"""Behind Varnish or a CDN: pages may be kept there only because every change purges them.

A small real HTTP server stands in for Varnish: it records the PURGE requests the site sends
(what Varnish would act on), with the Host header that selects the cached page.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from django.core.cache import caches
from django.utils.cache import get_max_age

from wagtail.models import Page, PageViewRestriction, Site

from core.frontend_cache import backends_from_urls

pytestmark = pytest.mark.django_db


@dataclass
class PurgeRecorder:
    url: str
    purged: list[str] = field(default_factory=list)

    def clear(self) -> None:
        self.purged.clear()


@pytest.fixture
def varnish(settings) -> Iterator[PurgeRecorder]:
    recorder = PurgeRecorder(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_PURGE(self) -> None:  # called for the PURGE method
            recorder.purged.append(f"http://{self.headers['Host']}{self.path}")
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    recorder.url = f"http://127.0.0.1:{server.server_address[1]}"
    settings.WAGTAILFRONTENDCACHE = backends_from_urls(recorder.url)
    settings.FRONTEND_CACHE_SECONDS = 900
    caches["pages"].clear()
    try:
        yield recorder
    finally:
        server.shutdown()
        server.server_close()


def _shared_caches_may_keep(response) -> bool:
    cache_control = response.headers.get("Cache-Control", "")
    return "s-maxage" in cache_control or (get_max_age(response) or 0) > 0


def _policy(kind: str, language: str = "en") -> Page:
    from knowledge.models import PolicyPage

    return PolicyPage.objects.get(kind=kind, locale__language_code=language)


def test_with_a_purgeable_cache_pages_may_be_kept_there_but_not_in_browsers(client, varnish):
    for response in (client.get("/en/privacy/"), client.get("/en/privacy/")):
        cache_control = response.headers["Cache-Control"]
        assert "s-maxage=900" in cache_control
        assert "max-age=0" in cache_control.replace("s-maxage", "")


def test_what_a_purge_cannot_reach_is_never_kept_by_a_shared_cache(client, varnish):
    # A query string, a non-page view and a 404 are not among the addresses a purge names.
    for url in ("/en/privacy/?utm_source=mail", "/sitemap.xml", "/en/no-such-page/"):
        assert not _shared_caches_may_keep(client.get(url)), url


def test_without_a_purgeable_cache_shared_caches_may_not_keep_pages(client, settings):
    settings.WAGTAILFRONTENDCACHE = {}
    caches["pages"].clear()
    assert not _shared_caches_may_keep(client.get("/en/privacy/"))


def _restrict(page: Page) -> None:
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)


def _lift(page: Page) -> None:
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    PageViewRestriction.objects.filter(page=page).delete()


def _publish(page: Page) -> None:
    page.title = "Privacy, revised"
    page.save_revision().publish()


def _unpublish(page: Page) -> None:
    page.unpublish()


def _delete(page: Page) -> None:
    page.delete()


def _move(page: Page) -> None:
    page.move(_policy("terms"), pos="last-child")


def _save_settings(page: Page) -> None:
    from knowledge.models import SiteSettings

    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.organisation_name = "Ministry of Diaspora Affairs"
    site_settings.save()


def _restrict_to_a_group(page: Page) -> None:
    from django.contrib.auth.models import Group

    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.create(name="Country office"))


def _restrict_documents(page: Page) -> None:
    from wagtail.models import Collection, CollectionViewRestriction

    CollectionViewRestriction.objects.create(
        collection=Collection.get_first_root_node(),
        restriction_type=CollectionViewRestriction.LOGIN,
    )


def _add_redirect(page: Page) -> None:
    from wagtail.contrib.redirects.models import Redirect

    Redirect.objects.create(old_path="/old-privacy", redirect_page=page)


def _rename_site(page: Page) -> None:
    site = Site.objects.get(is_default_site=True)
    site.site_name = "Diaspora Hub, Ministry edition"
    site.save()


@pytest.mark.parametrize(
    "change",
    [
        _publish,
        _unpublish,
        _delete,
        _restrict,
        _lift,
        _restrict_to_a_group,
        _restrict_documents,
        _move,
        _save_settings,
        _add_redirect,
        _rename_site,
    ],
)
def test_every_change_a_reader_would_see_purges_the_shared_cache(
    client, varnish, django_capture_on_commit_callbacks, change
):
    page = _policy("privacy")
    address = page.get_full_url()
    home = Page.objects.get(pk=page.get_parent().pk).get_full_url()
    client.get("/en/privacy/")
    varnish.clear()

    with django_capture_on_commit_callbacks(execute=True):
        change(page)

    # The page itself (at its old address, if it has gone or moved) and the pages that list it.
    assert address in varnish.purged
    assert home in varnish.purged


def test_a_moved_page_is_purged_at_its_new_address_too(
    client, varnish, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _move(_policy("privacy"))
    assert _policy("privacy").get_full_url() in varnish.purged
    assert _policy("privacy").get_full_url().endswith("/en/terms/privacy/")


def test_a_purge_names_each_translation_at_its_own_address(
    client, varnish, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _restrict(_policy("privacy", "es"))
    assert _policy("privacy", "es").get_full_url() in varnish.purged
    assert _policy("privacy", "fr").get_full_url() in varnish.purged


def test_frontend_cache_url_names_varnish_or_cloudflare():
    from wagtail.contrib.frontend_cache.backends import CloudflareBackend, HTTPBackend
    from wagtail.contrib.frontend_cache.utils import get_backends

    config = backends_from_urls(
        "http://varnish.internal:6081, cloudflare://secret-token@zone123", ["hub.example.org"]
    )
    backends = list(get_backends(config).values())
    assert isinstance(backends[0], HTTPBackend)
    assert isinstance(backends[1], CloudflareBackend)
    assert backends[1].cloudflare_token == "secret-token"
    assert backends[1].cloudflare_zoneid == "zone123"
    assert backends[0].invalidates_hostname("hub.example.org")
    assert not backends[0].invalidates_hostname("other.example.org")
    with pytest.raises(ValueError, match="unsupported scheme"):
        backends_from_urls("ftp://cache")


def test_a_renamed_page_is_purged_at_its_old_address(
    client, varnish, django_capture_on_commit_callbacks
):
    page = _policy("privacy")
    old_address = page.get_full_url()
    with django_capture_on_commit_callbacks(execute=True):
        page.slug = "privacy-notice"
        page.save_revision().publish()
    assert old_address in varnish.purged
    assert _policy("privacy").get_full_url().endswith("/en/privacy-notice/")
    assert _policy("privacy").get_full_url() in varnish.purged
