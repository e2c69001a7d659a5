"""Posts on the thread page are drawn once per process for what they show
(`community/forums/rendering.py`): every change must still reach the next reader at once, and
no reader may be given the buttons drawn for another."""

from __future__ import annotations

import re

import pytest

from django.urls import reverse

from community.forums import posting
from community.forums.rendering import CSRF_SLOT
from tests.forums.conftest import forums  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def thread_page(client, thread) -> str:
    response = client.get(reverse("forums:thread", args=[thread.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert CSRF_SLOT not in page
    return page


def article(page: str, post) -> str:
    found = re.search(rf'<article [^>]*id="post-{post.pk}".*?</article>', page, re.DOTALL)
    assert found, f"post {post.pk} is not on the page"
    return found.group(0)


def test_an_edit_shows_at_once_to_readers_whose_page_was_already_drawn(forums):  # noqa: F811
    thread, reply = forums["thread"], forums["reply"]
    for reader in ("other_admin", "anonymous"):
        assert "in writing" in article(thread_page(forums[reader], thread), reply)
    posting.edit_post(reply, forums["users"]["admin"], "Ask the embassy by phone.")
    for reader in ("other_admin", "anonymous"):
        shown = article(thread_page(forums[reader], thread), reply)
        assert "embassy by phone" in shown and "in writing" not in shown
        assert "edited" in shown


def test_a_deletion_shows_at_once_to_other_readers(forums):  # noqa: F811
    thread, reply = forums["thread"], forums["reply"]
    assert "in writing" in article(thread_page(forums["member"], thread), reply)
    response = forums["admin"].post(reverse("forums:delete_post", args=[reply.pk]))
    assert response.status_code == 302
    shown = article(thread_page(forums["member"], thread), reply)
    assert "deleted by its author" in shown and "in writing" not in shown


def test_a_moderators_hide_shows_at_once_to_other_readers(forums):  # noqa: F811
    thread, reply = forums["thread"], forums["reply"]
    for reader in ("member", "anonymous"):
        assert "in writing" in article(thread_page(forums[reader], thread), reply)
    response = forums["moderator"].post(
        reverse("forums:moderate_post", args=[reply.pk]), {"action": "hide"}
    )
    assert response.status_code == 302
    for reader in ("member", "anonymous"):
        shown = article(thread_page(forums[reader], thread), reply)
        assert "hidden by a moderator" in shown and "in writing" not in shown


def test_a_reaction_shows_at_once_and_only_its_giver_sees_it_pressed(forums):  # noqa: F811
    thread, reply = forums["thread"], forums["reply"]
    before = article(thread_page(forums["member"], thread), reply)
    assert "Like 0" in before
    response = forums["other_admin"].post(
        reverse("forums:react", args=[reply.pk]), {"kind": "like"}
    )
    assert response.status_code == 302
    giver = article(thread_page(forums["other_admin"], thread), reply)
    assert re.search(r'class="reaction mine" aria-pressed="true">Like 1<', giver)
    other = article(thread_page(forums["member"], thread), reply)
    assert re.search(r'class="reaction" aria-pressed="false">Like 1<', other)
    assert "Like 1" in article(thread_page(forums["anonymous"], thread), reply)


def test_a_reader_never_gets_the_buttons_drawn_for_another(forums):  # noqa: F811
    thread, first, reply = forums["thread"], forums["first"], forums["reply"]
    edit = reverse("forums:edit_post", args=[reply.pk])
    delete = reverse("forums:delete_post", args=[reply.pk])
    history = reverse("forums:history", args=[reply.pk])
    # The reply's author, then a moderator, draw the reply's buttons first.
    mine = article(thread_page(forums["admin"], thread), reply)
    assert edit in mine and delete in mine and history not in mine
    moderated = article(thread_page(forums["moderator"], thread), reply)
    assert history in moderated and edit not in moderated
    # Another member and an anonymous reader get neither set.
    for reader in ("member", "anonymous"):
        shown = article(thread_page(forums[reader], thread), reply)
        assert edit not in shown and delete not in shown and history not in shown
        assert "Hide" not in shown
    # ...while the member still gets their own post's buttons.
    own = article(thread_page(forums["member"], thread), first)
    assert reverse("forums:edit_post", args=[first.pk]) in own


def test_each_reader_gets_their_own_csrf_token_in_the_remembered_buttons(forums):  # noqa: F811
    """A reaction sent from the page's own form passes the CSRF check, for each of two members
    reading the same post (whose buttons are drawn once)."""
    from django.test import Client

    thread, reply = forums["thread"], forums["reply"]
    for user in (forums["users"]["member"], forums["users"]["other_admin"]):
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        shown = article(thread_page(client, thread), reply)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', shown).group(1)
        response = client.post(
            reverse("forums:react", args=[reply.pk]),
            {"kind": "thanks", "csrfmiddlewaretoken": token},
        )
        assert response.status_code == 302
    assert "Thanks 2" in article(thread_page(forums["anonymous"], thread), reply)


def test_an_image_added_to_a_post_shows_at_once_with_its_description(forums):  # noqa: F811
    from community.forums.models import PostImage

    thread, reply = forums["thread"], forums["reply"]
    assert "post-image" not in article(thread_page(forums["member"], thread), reply)
    PostImage.objects.create(
        post=reply, image="forums/images/map.jpg", thumbnail="forums/images/map-t.jpg", alt="A map"
    )
    posting.edit_post(reply, forums["users"]["admin"], reply.body)  # an edit adding only images
    shown = article(thread_page(forums["member"], thread), reply)
    assert "forums/images/map-t.jpg" in shown and 'alt="A map"' in shown
