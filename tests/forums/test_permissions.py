"""Who may read, write and moderate what, view by view: anonymous, member, organisation member
(private forums), author vs another member, moderator with and without a second factor."""

from __future__ import annotations

import pytest

from community.forums import posting
from community.forums.models import Forum, Post, Reaction, Thread

pytestmark = pytest.mark.django_db


def test_a_private_forum_exists_only_for_its_organisations_members(forums):
    private, secret = forums["private"], forums["secret"]
    urls = [
        f"/en/forums/{private.slug}/",
        f"/en/forums/threads/{secret.pk}/",
        f"/en/forums/{private.slug}/new/",
        f"/en/forums/threads/{secret.pk}/reply/",
    ]
    for viewer in ("member", "other_admin"):
        for url in urls:
            assert forums[viewer].get(url).status_code == 404, (viewer, url)
    for url in urls[:2]:
        assert forums["anonymous"].get(url).status_code == 404, url
    index = forums["anonymous"].get("/en/forums/").content.decode()
    assert private.name not in index and forums["public"].name in index
    for viewer in ("org_member", "admin"):
        assert forums[viewer].get(urls[1]).status_code == 200
        assert private.name in forums[viewer].get("/en/forums/").content.decode()
    response = forums["admin"].post(urls[3], {"body": "Count me in for March."})
    assert response.status_code == 302
    assert secret.posts.filter(body="Count me in for March.").exists()
    # Not even a report can confirm that the thread exists.
    report = forums["member"].get(f"/en/report/forums.thread/{secret.pk}/")
    assert report.status_code == 404


def test_anonymous_readers_read_public_threads_but_must_log_in_to_write(forums):
    anonymous, thread = forums["anonymous"], forums["thread"]
    page = anonymous.get(f"/en/forums/threads/{thread.pk}/")
    assert page.status_code == 200
    assert "Ask the consulate <strong>in writing</strong>." in page.content.decode()
    assert "Log in to reply." in page.content.decode()
    writes = [
        f"/en/forums/{forums['public'].slug}/new/",
        f"/en/forums/threads/{thread.pk}/reply/",
        f"/en/forums/posts/{forums['reply'].pk}/edit/",
    ]
    for url in writes:
        response = anonymous.post(url, {"body": "x", "title": "x"})
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    response = anonymous.post(f"/en/forums/posts/{forums['reply'].pk}/react/", {"kind": "like"})
    assert "/accounts/login/" in response["Location"]
    assert Thread.objects.filter(title="x").count() == 0
    assert (
        not Reaction.objects.exists() or not Reaction.objects.filter(post=forums["reply"]).exists()
    )


def test_members_start_threads_reply_with_a_quote_and_react(forums):
    member = forums["member"]
    response = member.post(
        f"/en/forums/{forums['public'].slug}/new/",
        {"title": "¿Cómo enviar dinero a México?", "body": "¿Qué servicio usáis para enviar?",
         "tags": "remesas, méxico"},
    )  # fmt: skip
    assert response.status_code == 302
    thread = Thread.objects.get(title="¿Cómo enviar dinero a México?")
    assert thread.language == "es" and sorted(thread.tags.names()) == ["méxico", "remesas"]
    reply = forums["reply"]
    response = forums["org_member"].post(
        f"/en/forums/threads/{forums['thread'].pk}/reply/",
        {"body": "Agreed with this.", "quoted": reply.pk},
    )
    assert response.status_code == 302
    quoting = Post.objects.get(body="Agreed with this.")
    assert quoting.quoted_id == reply.pk
    page = member.get(f"/en/forums/threads/{forums['thread'].pk}/").content.decode()
    assert "Org Admin wrote:" in page
    member.post(f"/en/forums/posts/{reply.pk}/react/", {"kind": "thanks"})
    assert Reaction.objects.filter(post=reply, kind="thanks").count() == 1
    member.post(f"/en/forums/posts/{reply.pk}/react/", {"kind": "thanks"})  # takes it back
    assert Reaction.objects.filter(post=reply, kind="thanks").count() == 0
    assert member.post(f"/en/forums/posts/{reply.pk}/react/", {"kind": "angry"}).status_code == 403


def test_only_the_author_edits_or_deletes_a_post_and_only_the_thread_author_marks_the_answer(
    forums,
):
    reply, thread = forums["reply"], forums["thread"]
    edit = f"/en/forums/posts/{reply.pk}/edit/"
    for viewer in ("member", "org_member", "moderator"):
        assert forums[viewer].get(edit).status_code == 403, viewer
        assert forums[viewer].post(f"/en/forums/posts/{reply.pk}/delete/").status_code == 403
    assert (
        forums["admin"].post(edit, {"body": "Ask the consulate, and keep a copy."}).status_code
        == 302
    )
    reply.refresh_from_db()
    assert reply.body == "Ask the consulate, and keep a copy." and reply.edited_at
    assert reply.revisions.get().body == "Ask the consulate **in writing**."
    # The answer: the thread's author only.
    answer = f"/en/forums/posts/{reply.pk}/answer/"
    assert forums["admin"].post(answer).status_code == 403
    assert forums["member"].post(answer).status_code == 302
    thread.refresh_from_db()
    assert thread.answer_id == reply.pk
    assert (
        forums["member"]
        .post(
            f"/en/forums/threads/{thread.pk}/edit/",
            {"title": "Dual nationality: the rules", "language": "en", "tags": ""},
        )
        .status_code
        == 302
    )
    assert forums["admin"].get(f"/en/forums/threads/{thread.pk}/edit/").status_code == 403
    # Deleting leaves a placeholder so the conversation keeps its shape.
    assert forums["admin"].post(f"/en/forums/posts/{reply.pk}/delete/").status_code == 302
    page = forums["anonymous"].get(f"/en/forums/threads/{thread.pk}/").content.decode()
    assert "This post was deleted by its author." in page and "keep a copy" not in page


def test_an_author_deleting_their_lone_thread_takes_it_out_of_the_forums_counts(forums):
    public = forums["public"]
    lone = posting.start_thread(public, forums["users"]["admin"], "Posted by mistake", "Oops")
    first = lone.posts.get()
    assert Forum.objects.get(pk=public.pk).thread_count == 2
    assert forums["admin"].post(f"/en/forums/posts/{first.pk}/delete/").status_code == 302
    lone.refresh_from_db()
    assert lone.deleted
    public.refresh_from_db()
    # What the index says is what the forum lists: the other thread and its two posts.
    assert (public.thread_count, public.post_count) == (1, 2)
    listing = forums["anonymous"].get(f"/en/forums/{public.slug}/").content.decode()
    assert "Posted by mistake" not in listing and "Dual nationality question" in listing


def test_moderators_need_a_second_factor_to_pin_lock_hide_and_read_the_history(forums):
    thread, reply = forums["thread"], forums["reply"]
    act = f"/en/forums/threads/{thread.pk}/moderate/"
    assert forums["member"].post(act, {"action": "pin"}).status_code == 403
    response = forums["moderator_password_only"].post(act, {"action": "pin"})
    assert response.status_code == 302 and "/accounts/" in response["Location"]
    history = f"/en/forums/posts/{reply.pk}/history/"
    assert forums["member"].get(history).status_code == 403
    assert forums["moderator_password_only"].get(history).status_code == 302
    thread.refresh_from_db()
    assert not thread.pinned
    moderator = forums["moderator"]
    for action in ("pin", "lock"):
        assert moderator.post(act, {"action": action}).status_code == 302
    thread.refresh_from_db()
    assert thread.pinned and thread.locked
    # Locked: members can no longer reply, and are told why.
    assert (
        forums["org_member"]
        .post(f"/en/forums/threads/{thread.pk}/reply/", {"body": "Late"})
        .status_code
        == 403
    )
    page = forums["org_member"].get(f"/en/forums/threads/{thread.pk}/").content.decode()
    assert "This thread is locked: no new replies." in page
    assert moderator.get(history).status_code == 200
    moderator.post(f"/en/forums/posts/{reply.pk}/moderate/", {"action": "hide"})
    page = forums["anonymous"].get(f"/en/forums/threads/{thread.pk}/").content.decode()
    assert "This post was hidden by a moderator." in page and "in writing" not in page
    moderator.post(act, {"action": "move", "forum": forums["private"].pk})
    thread.refresh_from_db()
    assert thread.forum_id == forums["private"].pk
    assert forums["member"].get(f"/en/forums/threads/{thread.pk}/").status_code == 404
    moderator.post(act, {"action": "hide"})
    assert forums["org_member"].get(f"/en/forums/threads/{thread.pk}/").status_code == 404
    assert moderator.get(f"/en/forums/threads/{thread.pk}/").status_code == 200


def test_mentions_suggest_members_but_never_protected_ones_and_are_stored(forums):
    from community.forums.models import Mention
    from tests.members.conftest import make_member

    shown, shown_profile = make_member(display_name="Zeinab Visible")
    make_member(display_name="Zeinab Protected", protected=True)
    assert forums["anonymous"].get("/en/forums/mentions/?q=Zei").status_code == 302
    found = forums["member"].get("/en/forums/mentions/?q=zei").json()["results"]
    assert [item["name"] for item in found] == ["Zeinab Visible"]
    forums["member"].post(
        f"/en/forums/threads/{forums['thread'].pk}/reply/",
        {"body": f"@Zeinab Visible#{shown_profile.pk} what do you think?"},
    )
    post = Post.objects.get(body__startswith="@Zeinab")
    assert "<strong>@Zeinab Visible</strong>" in post.body_html
    assert list(Mention.objects.filter(post=post).values_list("member_id", flat=True)) == [shown.pk]


def test_a_blocked_members_posts_are_collapsed_for_the_blocker_only(forums):
    from community.members.models import Block

    Block.objects.create(blocker=forums["users"]["member"], blocked=forums["users"]["admin"])
    url = f"/en/forums/threads/{forums['thread'].pk}/"
    assert "A post by a member you blocked" in forums["member"].get(url).content.decode()
    assert "A post by a member you blocked" not in forums["org_member"].get(url).content.decode()


def test_a_moderators_password_alone_reads_the_forums_as_a_member_reads_them(forums):
    """Hidden threads, held posts and the private forum exist for a moderator's session only
    once it gave the second factor (`core.privilege`); the guarded review page asks for it."""
    from community.forums import moderating, posting

    thread, users = forums["thread"], forums["users"]
    hidden = posting.start_thread(
        forums["public"], users["member"], "Sells miracle visas", "Send 500 euros first."
    )
    moderating.set_thread_hidden(hidden, users["moderator"], True)
    posting.reply(thread, users["org_member"], "Held until a moderator reads it.", hold=True)
    readers = {
        "member": forums["member"],
        "password only": forums["moderator_password_only"],
        "second factor": forums["moderator"],
    }
    seen = {}
    for name, client in readers.items():
        page = client.get(f"/en/forums/threads/{thread.pk}/").content.decode()
        index = client.get("/en/forums/").content.decode()
        seen[name] = {
            "hidden thread": client.get(f"/en/forums/threads/{hidden.pk}/").status_code,
            "private thread": client.get(f"/en/forums/threads/{forums['secret'].pk}/").status_code,
            "held post": "Held until a moderator reads it." in page,
            "review link": "Held for review" in index,
            "moderation tools": "Why (for the moderation log)" in page,
        }
    member_view = {
        "hidden thread": 404,
        "private thread": 404,
        "held post": False,
        "review link": False,
        "moderation tools": False,
    }
    assert seen["member"] == member_view
    assert seen["password only"] == member_view
    assert seen["second factor"] == {
        "hidden thread": 200,
        "private thread": 200,
        "held post": True,
        "review link": True,
        "moderation tools": True,
    }
    review = forums["moderator_password_only"].get("/en/forums/review/")
    assert review.status_code == 302 and "/accounts/2fa/" in review["Location"]
