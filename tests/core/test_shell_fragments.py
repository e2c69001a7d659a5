"""The site shell's fragments kept per process (`{% kept %}` in base.html: the main menu, the
language switcher, the footer): each reader still sees their own page's menu entry marked, the
menu and switcher in the page's language pointing at the page's own translations, and what is
theirs alone (their name, unread count, CSRF token) drawn for them on every view."""

from __future__ import annotations

import re

import pytest

from django.template import TemplateSyntaxError, engines

from tests.factories import UserFactory, accept_current_policies

pytestmark = pytest.mark.django_db


def signed_in(client, first_name: str = "Amara"):
    user = UserFactory(first_name=first_name)
    accept_current_policies(user)
    client.force_login(user)
    return user


def menu(page: str) -> str:
    return re.search(r'<ul class="main-nav">(.*?)</ul>', page, re.S).group(1)


def switcher(page: str) -> str:
    return re.search(r'<nav class="languages".*?</nav>', page, re.S).group(0)


def test_each_page_marks_its_own_menu_entry_though_the_menu_is_kept(client):
    signed_in(client)
    library = menu(client.get("/en/library/").content.decode())
    forums = menu(client.get("/en/forums/").content.decode())
    again = menu(client.get("/en/library/").content.decode())
    assert re.search(r'href="/en/library/" aria-current="page"', library)
    assert "aria-current" not in library.replace('href="/en/library/" aria-current', "")
    assert re.search(r'href="/en/forums/" aria-current="page"', forums)
    assert 'href="/en/library/" aria-current' not in forums
    assert again == library
    privacy = menu(client.get("/en/privacy/").content.decode())
    assert "aria-current" not in privacy


def test_the_menu_and_switcher_follow_the_pages_language_and_address(client):
    signed_in(client)
    english = client.get("/en/library/").content.decode()
    french = client.get("/fr/library/").content.decode()
    assert 'href="/fr/library/"' in menu(french) and 'href="/en/library/"' not in menu(french)
    assert menu(english) != menu(french)
    # The switcher names the page's own address in each language, marking the current one.
    assert re.search(r'href="/fr/library/" lang="fr" hreflang="fr" aria-current="true"',
                     switcher(french))  # fmt: skip
    assert re.search(r'href="/en/library/" lang="en" hreflang="en">', switcher(french))
    forums = switcher(client.get("/en/forums/").content.decode())
    assert 'href="/fr/forums/"' in forums and "library" not in forums


def test_what_is_the_readers_own_is_drawn_for_each_reader(client):
    first = signed_in(client, "Amara")
    page = client.get("/en/library/").content.decode()
    assert "Signed in as Amara" in page
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    # The badge reads the count kept on the user row (community.notifications.centre).
    type(first).objects.filter(pk=first.pk).update(unread_notifications=1)
    page = client.get("/en/library/").content.decode()
    assert re.search(r"data-unread-number>1<", page)
    client.logout()
    signed_in(client, "Bilal")
    other = client.get("/en/library/").content.decode()
    assert "Signed in as Bilal" in other and "Amara" not in other
    assert re.search(r"data-unread-number>0<", other)
    assert token not in other


@pytest.mark.parametrize("inside", ["{% block b %}{% endblock %}", "{% csrf_token %}"])
def test_a_kept_fragment_may_not_hold_a_block_or_a_csrf_token(inside):
    with pytest.raises(TemplateSyntaxError):
        engines["django"].from_string(
            '{% load site_tags %}{% kept "bad" %}' + inside + "{% endkept %}"
        )
