"""What pinning and closing a thread change for readers and repliers."""

from __future__ import annotations

import pytest

from community.forums import moderating

pytestmark = pytest.mark.django_db


def _thread_url(thread) -> str:
    return f"/en/forums/threads/{thread.pk}/"


# --- Pin and close ------------------------------------------------------------------------------


def test_a_closed_thread_refuses_replies_with_a_clear_message_and_offers_no_form(forums):
    thread = forums["thread"]
    moderating.set_flag(thread, forums["users"]["moderator"], "closed", True, "Answered")
    reply_url = f"/en/forums/threads/{thread.pk}/reply/"
    page = forums["org_member"].get(_thread_url(thread)).content.decode()
    assert "This thread is closed: no new replies." in page
    assert f'action="{reply_url}"' not in page and 'name="body"' not in page

    posts = thread.posts.count()
    response = forums["org_member"].post(reply_url, {"body": "One more thing"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "This thread is closed: no new replies." in page and 'name="body"' not in page
    assert forums["org_member"].get(reply_url).status_code == 403
    assert thread.posts.count() == posts
    # In French too, and a locked thread says it is locked.
    page = forums["org_member"].get(f"/fr/forums/threads/{thread.pk}/reply/").content.decode()
    assert "Cette discussion est close : plus de nouvelles réponses." in page
    moderating.set_flag(thread, forums["users"]["moderator"], "locked", True)
    page = forums["org_member"].post(reply_url, {"body": "Still?"}).content.decode()
    assert "This thread is locked: no new replies." in page
    assert thread.posts.count() == posts
