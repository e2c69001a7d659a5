"""Panels kept per process (`core.panel_cache`): one drawing shared only by readers who would
see the same thing, drawn again at once after a write to what it shows, and never kept past the
moment it said it holds until."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.test import RequestFactory

from core.page_cache import expire_within, invalidate_groups
from core.panel_cache import render_panels
from core.registries import PagePanel
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PAGE = SimpleNamespace(pk=4242)


@pytest.fixture(autouse=True)
def empty_page_cache():
    caches["pages"].clear()


def reader(user=None, zone: str = ""):
    request = RequestFactory().get("/en/countries/somewhere/")
    request.user = user or AnonymousUser()
    request.zone = zone
    return request


def member(*permissions: str):
    user = UserFactory()
    user._perm_cache = set(permissions)  # as core.permissions_backend reads them with the user
    return user


@pytest.fixture
def drawn():
    """A panel kept per zone that shows how many times it was drawn and for whom."""
    calls: list[str] = []

    def render(request, page):
        calls.append(request.zone)
        expire_within(request, 3600)
        return f"<p>drawing {len(calls)} for {request.zone or 'anyone'}</p>"

    panel = PagePanel("kept", "country", render, groups=("test-group",),
                      varies_on=lambda request: request.zone)  # fmt: skip
    return panel, calls


def test_readers_sharing_audience_zone_and_language_share_one_drawing(drawn):
    panel, calls = drawn
    first = member()
    assert render_panels(reader(first, "Asia/Tokyo"), PAGE, [panel]) == [
        "<p>drawing 1 for Asia/Tokyo</p>"
    ]
    assert render_panels(reader(member(), "Asia/Tokyo"), PAGE, [panel]) == [
        "<p>drawing 1 for Asia/Tokyo</p>"
    ]
    assert len(calls) == 1


def test_another_zone_permissions_or_anonymity_never_get_anothers_drawing(drawn):
    panel, _calls = drawn
    render_panels(reader(member(), "Asia/Tokyo"), PAGE, [panel])
    lima = render_panels(reader(member(), "America/Lima"), PAGE, [panel])
    moderator = render_panels(reader(member("moderation.moderate"), "Asia/Tokyo"), PAGE, [panel])
    anonymous = render_panels(reader(), PAGE, [panel])
    assert lima == ["<p>drawing 2 for America/Lima</p>"]
    assert moderator == ["<p>drawing 3 for Asia/Tokyo</p>"]
    assert anonymous == ["<p>drawing 4 for anyone</p>"]


def test_a_write_to_its_group_draws_it_again_at_once(drawn):
    panel, _calls = drawn
    user = member()
    render_panels(reader(user), PAGE, [panel])
    invalidate_groups("test-group")
    assert render_panels(reader(user), PAGE, [panel]) == ["<p>drawing 2 for anyone</p>"]


def test_the_limit_it_set_reaches_every_page_drawn_with_the_kept_copy(drawn):
    panel, _calls = drawn
    render_panels(reader(member()), PAGE, [panel])
    again = reader(member())
    render_panels(again, PAGE, [panel])
    assert 0 < again._page_cache_max_age <= 3600


def test_a_panel_that_declares_nothing_is_drawn_every_time():
    calls = []
    panel = PagePanel("plain", "country", lambda request, page: calls.append(1) or "<p>x</p>")
    for _ in range(2):
        render_panels(reader(member()), PAGE, [panel])
    assert len(calls) == 2
