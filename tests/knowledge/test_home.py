"""The home page renders the panels other apps declare, in their order, without importing them."""

import pytest

from django.utils.html import format_html

from core.registries import PagePanel, page_panels

pytestmark = pytest.mark.django_db


@pytest.fixture
def declared_panels():
    page_panels.register(
        "later",
        PagePanel("later", "home", lambda request, page: format_html("<p>{}</p>", "Second"), 20),
    )
    page_panels.register(
        "first",
        PagePanel("first", "home", lambda request, page: format_html("<p>{}</p>", "First"), 10),
    )
    page_panels.register(
        "elsewhere", PagePanel("elsewhere", "country", lambda r, p: format_html("<p>{}</p>", "No"))
    )
    yield
    for key in ("later", "first", "elsewhere"):
        page_panels.unregister(key)


def test_home_page_shows_declared_panels_in_order(client, declared_panels):
    page = client.get("/en/").content.decode()
    assert page.index("<p>First</p>") < page.index("<p>Second</p>")
    assert "<p>No</p>" not in page
