"""A thread's language as its author sets it, a post's edit history as moderators read it, and
what pinning and closing a thread change for readers and repliers."""

from __future__ import annotations

import pytest

from django.utils import timezone, translation
from django.utils.formats import date_format

from community.forums import moderating, posting

pytestmark = pytest.mark.django_db


def _edit_url(thread) -> str:
    return f"/en/forums/threads/{thread.pk}/edit/"


def _thread_url(thread) -> str:
    return f"/en/forums/threads/{thread.pk}/"


# --- Language ----------------------------------------------------------------------------------


def test_an_author_changes_the_threads_language_and_readers_see_it(forums):
    thread = forums["thread"]
    assert thread.language == "en"
    response = forums["member"].post(
        _edit_url(thread),
        {"title": "Dual nationality question", "language": "fr", "tags": ""},
    )
    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.language == "fr"
    page = forums["anonymous"].get(_thread_url(thread)).content.decode()
    assert '<span dir="auto" lang="fr">Dual nationality question</span>' in page
    assert "<span>Français</span>" in page
    listing = forums["anonymous"].get(f"/en/forums/{forums['public'].slug}/").content.decode()
    assert 'dir="auto" lang="fr">Dual nationality question</a>' in listing


def test_an_unknown_language_is_refused_with_a_clear_error_and_nothing_changes(forums):
    thread = forums["thread"]
    response = forums["member"].post(
        _edit_url(thread),
        {"title": "A new title", "language": "xx", "tags": ""},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Select a valid choice. xx is not one of the available choices." in page
    assert "Nothing was saved: please correct the errors below." in page
    thread.refresh_from_db()
    assert (thread.language, thread.title) == ("en", "Dual nationality question")


# --- Edit history -------------------------------------------------------------------------------


def test_the_history_shows_moderators_the_earlier_text_of_an_edited_post(forums):
    reply = forums["reply"]
    response = forums["admin"].post(
        f"/en/forums/posts/{reply.pk}/edit/", {"body": "Ask the consulate by phone."}
    )
    assert response.status_code == 302
    history = f"/en/forums/posts/{reply.pk}/history/"
    page = forums["moderator"].get(history).content.decode()
    current, earlier = page.split("Current text", 1)[1].split("</pre>", 1)
    assert "Ask the consulate by phone." in current
    assert "Ask the consulate **in writing**." in earlier
    assert "This post has never been edited." not in page
    # Nobody else reads it, the post's own author included.
    for who in ("member", "admin", "org_member"):
        assert forums[who].get(history).status_code == 403, who
    assert "/accounts/login/" in forums["anonymous"].get(history)["Location"]


def test_the_history_says_when_each_text_was_replaced_in_the_readers_language(forums):
    reply = forums["reply"]
    forums["admin"].post(f"/en/forums/posts/{reply.pk}/edit/", {"body": "By phone."})
    revision = reply.revisions.get()
    replaced = revision.created_at.astimezone(timezone.get_current_timezone())
    page = forums["moderator"].get(f"/ar/forums/posts/{reply.pk}/history/").content.decode()
    # Arabic's own order and comma (idiaspora/formats/ar), never "1 Dec 2026, 16:32".
    with translation.override("ar"):
        when = date_format(replaced, "DATETIME_FORMAT")
    assert "،" in when
    assert f'نص استُبدل في <time datetime="{replaced.isoformat()}">{when}</time>' in page


def test_the_markdown_hint_keeps_its_samples_left_to_right_in_arabic(forums):
    page = forums["member"].get(f"/ar/forums/{forums['public'].slug}/new/").content.decode()
    # Isolated, "[رابط](https://…)" is not turned around by the right-to-left text.
    assert "\u2066[رابط](https://…)\u2069" in page


# --- Pin and close ------------------------------------------------------------------------------


def test_a_pinned_thread_is_listed_first_in_its_forum(forums):
    public, older = forums["public"], forums["thread"]
    newer = posting.start_thread(public, forums["users"]["admin"], "Newest question", "Hello")
    listing_url = f"/en/forums/{public.slug}/"

    def order() -> list[str]:
        page = forums["anonymous"].get(listing_url).content.decode()
        titles = ("Dual nationality question", "Newest question")
        return sorted(titles, key=page.index)

    assert order() == ["Newest question", "Dual nationality question"]
    response = forums["moderator"].post(
        f"/en/forums/threads/{older.pk}/moderate/", {"action": "pin", "note": "FAQ"}
    )
    assert response.status_code == 302
    assert order() == ["Dual nationality question", "Newest question"]
    posting.reply(newer, forums["users"]["member"], "A newer reply does not push it down")
    assert order() == ["Dual nationality question", "Newest question"]


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
