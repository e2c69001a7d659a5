"""A moderator's "delete" of a forum post or thread from the moderation queue goes through the
forums' own delete (the `delete` hook of its `reportable_models` declarations), not a bare row
delete: a post keeps its place as "deleted by a moderator" and its text leaves the cached
anonymous thread page and search at once; a thread leaves its forum's cached listing, the
index's counts and search. Both land in the moderation log and the audit logger. What other
models' deletes do is unchanged (tests/moderation/test_actions.py)."""

from __future__ import annotations

import logging
import re

import pytest

from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches

from community.forums import posting
from community.forums.models import Forum, Post, Thread
from community.moderation.models import ModerationAction, Report
from tests.forums.conftest import forums, world  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db

WORD = "Quetzalcoatlus"


def _report(client, key: str, pk: int) -> None:
    response = client.post(f"/en/report/{key}/{pk}/", {"reason": "scam"})
    assert response.status_code == 302, response.content.decode()


def _delete(client, target) -> None:
    response = client.post(
        "/en/moderation/decide/",
        {
            "action": "delete",
            "content_type": ContentType.objects.get_for_model(target).pk,
            "object_id": target.pk,
            "note": "Scam phone number",
        },
        follow=True,
    )
    assert "Deleted. The author was told and may appeal once." in response.content.decode()


def _is_hit(response) -> bool:
    return "Age" in response.headers


def _warm(client, *urls: str) -> None:
    for url in urls:
        client.get(url)
        assert _is_hit(client.get(url)), url


def _found(client, query: str = WORD) -> str:
    """The search results page (a result links to its thread; titles may carry highlights)."""
    return client.get("/en/search/", {"q": query}).content.decode()


def _post_places(page: str) -> int:
    return len(re.findall(r'<article class="post[^"]*" id="post-\d+"', page))


@pytest.fixture
def reply(forums, django_capture_on_commit_callbacks):  # noqa: F811
    """A reply by the organisation's admin, indexed for search (its commit work run)."""
    with django_capture_on_commit_callbacks(execute=True):
        return posting.reply(
            forums["thread"], forums["users"]["admin"], f"Call this number: {WORD} visas"
        )


def test_deleting_a_reported_post_from_the_queue_keeps_its_place_and_removes_its_text(
    forums,  # noqa: F811
    reply,
    caplog,
    django_capture_on_commit_callbacks,
):
    anonymous, thread, public = forums["anonymous"], forums["thread"], forums["public"]
    thread_url = f"/en/forums/threads/{thread.pk}/"
    listing_url = f"/en/forums/{public.slug}/"
    caches["pages"].clear()
    _warm(anonymous, thread_url, listing_url)
    assert WORD in anonymous.get(thread_url).content.decode()
    assert thread_url in _found(anonymous)
    _report(forums["member"], "forums.post", reply.pk)

    with caplog.at_level(logging.INFO, logger="core.audit"):
        with django_capture_on_commit_callbacks(execute=True):
            _delete(forums["moderator"], reply)

    # Soft: the row stays for the log and the appeal, marked as a moderator's delete.
    reply = Post.objects.get(pk=reply.pk)
    assert reply.deleted and reply.deleted_by_moderator
    # The next anonymous load shows it, not the cached copy: the text is gone, its place says why.
    fresh = anonymous.get(thread_url)
    page = fresh.content.decode()
    assert not _is_hit(fresh)
    assert WORD not in page and "This post was deleted by a moderator." in page
    assert "Ask the consulate" in page  # the other reply stays
    # The counts still match the places the thread shows, in its page and its forum's listing.
    thread.refresh_from_db()
    public.refresh_from_db()
    assert thread.post_count == _post_places(page) == 3
    assert public.post_count == 3
    listing = anonymous.get(listing_url)
    assert not _is_hit(listing) and "3 posts" in listing.content.decode()
    # Search no longer finds its text; the thread itself is still found by its title.
    assert thread_url not in _found(anonymous)
    assert thread_url in _found(anonymous, "nationality")
    # Logged, for the moderators and the audit logger.
    (row,) = ModerationAction.objects.all()
    assert (row.kind, row.note, row.author, row.object_id) == (
        ModerationAction.Kind.DELETE,
        "Scam phone number",
        forums["users"]["admin"],
        reply.pk,
    )
    assert Report.objects.get().status == Report.Status.HIDDEN
    assert f"moderation delete: forums.Post #{reply.pk}" in caplog.text
    log = forums["moderator"].get("/en/moderation/log/?kind=delete").content.decode()
    assert "Scam phone number" in log[log.index("<table") :]


def test_deleting_a_reported_thread_from_the_queue_takes_it_out_of_its_forum_and_search(
    forums,  # noqa: F811
    reply,
    caplog,
    django_capture_on_commit_callbacks,
):
    anonymous, thread, public = forums["anonymous"], forums["thread"], forums["public"]
    other = posting.start_thread(public, forums["users"]["admin"], "Quiet thread", "Hello")
    listing_url = f"/en/forums/{public.slug}/"
    thread_url = f"/en/forums/threads/{thread.pk}/"
    assert thread_url in _found(anonymous, "nationality")
    caches["pages"].clear()
    _warm(anonymous, listing_url, "/en/forums/")
    assert "Dual nationality question" in anonymous.get(listing_url).content.decode()
    before = Forum.objects.get(pk=public.pk)
    assert (before.thread_count, before.post_count) == (2, 4)
    _report(forums["member"], "forums.thread", thread.pk)

    with caplog.at_level(logging.INFO, logger="core.audit"):
        with django_capture_on_commit_callbacks(execute=True):
            _delete(forums["moderator"], thread)

    assert Thread.objects.get(pk=thread.pk).deleted  # kept for the log
    listing = anonymous.get(listing_url)
    page = listing.content.decode()
    assert not _is_hit(listing)
    assert "Dual nationality question" not in page and "Quiet thread" in page
    # The index counts what is left: one thread, its one post.
    after = Forum.objects.get(pk=public.pk)
    assert (after.thread_count, after.post_count) == (1, other.post_count) == (1, 1)
    index = anonymous.get("/en/forums/")
    assert not _is_hit(index)
    row = re.search(rf"{public.name}</a>.*?</tr>", index.content.decode(), re.S).group(0)
    assert re.findall(r"<td>(\d+)</td>", row) == ["1", "1"]
    assert anonymous.get(thread_url).status_code == 404
    assert thread_url not in _found(anonymous)
    assert thread_url not in _found(anonymous, "nationality")
    (action,) = ModerationAction.objects.all()
    assert (action.kind, action.object_repr) == (
        ModerationAction.Kind.DELETE,
        "Dual nationality question",
    )
    assert f"moderation delete: forums.Thread #{thread.pk}" in caplog.text
