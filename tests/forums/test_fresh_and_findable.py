"""What moderators' changes do for anonymous readers on the next load: a moved thread leaves its
old forum's cached listing and joins its new one's; a hidden post or thread shows in its
forum's listing, not only on its own page; and search follows who may read a thread now (a
hidden thread, a thread moved into an organisation's private forum, a forum made private)."""

from __future__ import annotations

import pytest

from django.core.cache import caches

from community.forums import moderating, posting
from tests.forums.conftest import make_forum

pytestmark = pytest.mark.django_db

WORD = "Quetzalcoatlus"


def _is_hit(response) -> bool:
    return "Age" in response.headers


def _warm(client, *urls: str) -> None:
    for url in urls:
        client.get(url)
        assert _is_hit(client.get(url)), url


def _listing(forum) -> str:
    return f"/en/forums/{forum.slug}/"


def _found(client, thread, query: str = WORD) -> bool:
    """Whether the search results link to `thread` (titles may carry highlights)."""
    page = client.get("/en/search/", {"q": query}).content.decode()
    return f"/en/forums/threads/{thread.pk}/" in page


@pytest.fixture
def findable(forums, django_capture_on_commit_callbacks):
    """A public thread with a rare word in it, indexed for search (its commit work run)."""
    with django_capture_on_commit_callbacks(execute=True):
        thread = posting.start_thread(
            forums["public"],
            forums["users"]["member"],
            "Remittance corridors",
            f"Who knows {WORD}?",
        )
    return {**forums, "findable": thread}


def test_a_moved_thread_leaves_the_old_forums_cached_listing_and_joins_the_new_ones(findable):
    w = findable
    anonymous, thread = w["anonymous"], w["findable"]
    old, new = w["public"], make_forum("test-second-public-forum")
    caches["pages"].clear()
    _warm(anonymous, _listing(old), _listing(new))
    assert "Remittance corridors" in anonymous.get(_listing(old)).content.decode()
    assert "Remittance corridors" not in anonymous.get(_listing(new)).content.decode()

    response = w["moderator"].post(
        f"/en/forums/threads/{thread.pk}/moderate/",
        {"action": "move", "forum": new.pk, "note": "Belongs there"},
    )
    assert response.status_code == 302

    before, after = anonymous.get(_listing(old)), anonymous.get(_listing(new))
    assert not _is_hit(before) and not _is_hit(after)
    assert "Remittance corridors" not in before.content.decode()
    assert "Remittance corridors" in after.content.decode()
    assert "Dual nationality question" in before.content.decode()  # the rest stays


def test_a_thread_moved_into_a_private_forum_leaves_anonymous_search(
    findable, django_capture_on_commit_callbacks
):
    w = findable
    thread = w["findable"]
    assert _found(w["anonymous"], thread)
    with django_capture_on_commit_callbacks(execute=True):
        moderating.move(thread, w["users"]["moderator"], w["private"], "Members' matter")
    assert not _found(w["anonymous"], thread)
    assert not _found(w["member"], thread)  # signed in, but not of the organisation
    assert _found(w["org_member"], thread)  # still there for whoever may read it


def test_hiding_a_whole_thread_takes_it_out_of_anonymous_search(
    findable, django_capture_on_commit_callbacks
):
    w = findable
    thread = w["findable"]
    assert _found(w["anonymous"], thread)
    with django_capture_on_commit_callbacks(execute=True):
        response = w["moderator"].post(
            f"/en/forums/threads/{thread.pk}/moderate/", {"action": "hide", "note": "Spam"}
        )
    assert response.status_code == 302
    assert not _found(w["anonymous"], thread)
    assert not _found(w["anonymous"], thread, "remittance corridors")
    with django_capture_on_commit_callbacks(execute=True):
        w["moderator"].post(f"/en/forums/threads/{thread.pk}/moderate/", {"action": "unhide"})
    assert _found(w["anonymous"], thread)


def test_a_forum_made_private_takes_its_threads_out_of_anonymous_search(
    findable, django_capture_on_commit_callbacks
):
    w = findable
    forum, thread = w["public"], w["findable"]
    assert _found(w["anonymous"], thread)
    with django_capture_on_commit_callbacks(execute=True):
        forum.organisation = w["organisation"]
        forum.members_only = True
        forum.save()
    assert not _found(w["anonymous"], thread)
    assert not _found(w["anonymous"], w["thread"], "nationality")  # each of its threads
    assert _found(w["org_member"], thread)


def test_a_hidden_post_or_thread_shows_in_its_forums_listing_on_the_next_anonymous_load(
    findable,
):
    w = findable
    anonymous, forum, thread = w["anonymous"], w["public"], w["findable"]
    elsewhere = make_forum("test-elsewhere-forum")
    posting.start_thread(elsewhere, w["users"]["admin"], "Unrelated", "Quiet here")
    caches["pages"].clear()
    _warm(anonymous, _listing(forum), _listing(elsewhere), "/en/forums/")

    response = w["moderator"].post(
        f"/en/forums/posts/{w['reply'].pk}/moderate/", {"action": "hide"}
    )
    assert response.status_code == 302
    listing = anonymous.get(_listing(forum))
    assert not _is_hit(listing)  # drawn again, not the copy from before the hide
    assert _is_hit(anonymous.get(_listing(elsewhere)))  # other forums' pages stay cached
    _warm(anonymous, _listing(forum))

    response = w["moderator"].post(
        f"/en/forums/threads/{thread.pk}/moderate/", {"action": "hide", "note": "Spam"}
    )
    assert response.status_code == 302
    listing = anonymous.get(_listing(forum))
    assert not _is_hit(listing)
    assert "Remittance corridors" not in listing.content.decode()
    assert "Dual nationality question" in listing.content.decode()
    assert _is_hit(anonymous.get(_listing(elsewhere)))
