"""Forum notifications as members notice them: who hears of a post (once, for the strongest
reason), who never does (the author, a blocker, a muter, an outsider of a private forum), in
which language, that a post hidden later leaks through neither the centre nor an e-mail, and the
follow / mute buttons of threads, forums and tags."""

from __future__ import annotations

import pytest

from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from community.forums import notices, posting
from community.members.models import Block
from community.notifications.delivery import set_frequency
from community.notifications.digests import send_digests
from community.notifications.models import Notification
from community.organisations.models import Membership
from core import follows
from tests.members.conftest import make_member
from tests.notifications.conftest import committed

from .conftest import client_for

pytestmark = pytest.mark.django_db


def _heard(post) -> dict[int, list[str]]:
    """Who was told about `post`, and of which kinds."""
    told: dict[int, list[str]] = {}
    for recipient, kind in Notification.objects.filter(
        target_id=post.pk, target_type__model="post"
    ).values_list("recipient_id", "kind"):
        told.setdefault(recipient, []).append(kind)
    return told


def _mention(user) -> str:
    return f"@{user.profile.name}#{user.profile.pk}"


def test_a_reply_tells_each_member_once_for_the_strongest_reason_and_never_the_wrong_ones(forums):
    users = forums["users"]
    thread, reply = forums["thread"], forums["reply"]
    member, admin, org_member = users["member"], users["admin"], users["org_member"]
    follower, _ = make_member(display_name="Faithful Follower")
    blocker, _ = make_member(display_name="Blocker Person")
    muter, _ = make_member(display_name="Muting Person")
    for user in (follower, blocker, muter):
        follows.follow(user, thread)
    follows.mute(muter, thread.forum)  # muting the forum silences its threads
    Block.objects.create(blocker=blocker, blocked=org_member)
    # Starting and replying followed the thread for its author and the admin.
    assert follows.is_following(member, thread) and follows.is_following(admin, thread)
    member.preferred_language = "fr"
    member.save()
    mail.outbox.clear()
    with committed():
        post = posting.reply(
            thread, org_member,
            f"{_mention(member)} and {_mention(blocker)}, see the consulate's page.",
            quoted=reply,
        )  # fmt: skip
    assert _heard(post) == {
        member.pk: [notices.MENTION],  # mentioned and following: told once, as a mention
        admin.pk: [notices.REPLY_TO_YOU],  # quoted and following: once, as a reply to them
        follower.pk: [notices.REPLY],
    }  # neither the author, nor the member who blocked them, nor the one who muted the forum
    assert follows.is_following(org_member, thread)  # replying follows the thread
    # The mention leaves at once, in French, and leads to the post; replies wait for the digest.
    (message,) = mail.outbox
    assert message.to == [member.email]
    assert "Org Member" in message.subject and "Dual nationality question" in message.subject
    assert f"/fr/forums/threads/{thread.pk}/?after={post.pk - 1}#post-{post.pk}" in message.body
    # Once the author erased their account, the line says "a former member" in French and Arabic.
    notification = Notification.objects.get(recipient=member, target_id=post.pk)
    Notification.objects.filter(pk=notification.pk).update(actor=None)
    page = client_for(member).get("/fr/notifications/").content.decode()
    assert "un ancien membre" in page
    assert "Org Member" not in page
    assert "عضو سابق" in client_for(member).get("/ar/notifications/").content.decode()


def test_new_threads_reach_forum_and_tag_followers_but_never_outsiders_of_a_private_forum(forums):
    users = forums["users"]
    public, private = forums["public"], forums["private"]
    member, admin, org_member = users["member"], users["admin"], users["org_member"]
    follows.follow(member, public)
    with committed():
        thread = posting.start_thread(public, admin, "Visa for spouses", "Rules?", tags=["visas"])
    tag = thread.tags.get()
    follows.follow(org_member, tag)
    with committed():
        tagged = posting.start_thread(public, admin, "Visa fees", "How much?", tags=["visas"])
    first, tagged_first = thread.posts.get(), tagged.posts.get()
    assert _heard(first) == {member.pk: [notices.NEW_THREAD]}
    # Following the forum and the tag: still one notification each.
    assert _heard(tagged_first) == {member.pk: [notices.NEW_THREAD], org_member.pk: [
        notices.NEW_THREAD]}  # fmt: skip
    # A private forum: the outsider who somehow follows it hears nothing, its member does.
    follows.follow(member, private)
    follows.follow(org_member, private)
    with committed():
        secret = posting.start_thread(private, admin, "Board minutes", "For members only.")
    post = secret.posts.get()
    assert _heard(post) == {org_member.pk: [notices.NEW_THREAD]}
    centre = client_for(org_member)
    assert "Board minutes" in centre.get("/en/notifications/").content.decode()
    # Leaving the organisation: the notification is no longer listed.
    Membership.objects.filter(user=org_member, organisation=private.organisation).delete()
    assert "Board minutes" not in centre.get("/en/notifications/").content.decode()


def test_a_post_hidden_after_the_notification_is_neither_listed_nor_emailed(forums):
    users = forums["users"]
    thread, member = forums["thread"], users["member"]
    set_frequency(member, notices.MENTION, "daily")
    with committed():
        hidden = posting.reply(thread, users["admin"], f"{_mention(member)} urgent scam offer")
        posting.reply(thread, users["org_member"], f"{_mention(member)} the consulate answered")
    client = client_for(member)
    assert "Org Admin mentioned you" in client.get("/en/notifications/").content.decode()
    hidden.hidden = True
    hidden.save(update_fields=["hidden"])
    mail.outbox.clear()
    send_digests()
    (digest,) = [m for m in mail.outbox if member.email in m.to]
    assert "Org Member mentioned you" in digest.body and "Org Admin" not in digest.body
    page = client.get("/en/notifications/").content.decode()
    assert "Org Member mentioned you" in page and "Org Admin mentioned you" not in page


def test_rolled_back_posts_tell_nobody_edits_tell_only_new_mentions_and_answers_are_told(forums):
    users = forums["users"]
    thread = forums["thread"]
    member, admin, org_member = users["member"], users["admin"], users["org_member"]
    before = Notification.objects.count()
    with committed():
        try:
            with transaction.atomic():
                posting.reply(thread, admin, f"{_mention(org_member)} never mind")
                raise RuntimeError("the request failed")
        except RuntimeError:
            pass
    assert Notification.objects.count() == before
    # An edit tells the newly mentioned member only.
    with committed():
        post = posting.reply(thread, admin, f"Ask {_mention(org_member)}")
    with committed():
        posting.edit_post(post, admin, f"Ask {_mention(org_member)} or {_mention(member)}")
    told = _heard(post)
    assert told[org_member.pk] == [notices.MENTION]
    assert told[member.pk].count(notices.MENTION) == 1
    # A member who muted the thread does not follow it back by replying, nor hears of replies.
    follows.mute(org_member, thread)
    follows.unfollow(member, thread)  # the thread's author stops following it
    with committed():
        posting.reply(thread, org_member, "One more thing.")
        later = posting.reply(thread, admin, "Noted.")
    assert follows.is_muted(org_member, thread) and org_member.pk not in _heard(later)
    # The thread's author still hears of replies in their thread, as replies to them.
    assert _heard(later)[member.pk] == [notices.REPLY_TO_YOU]
    # The thread's author picks the admin's reply: the admin hears of it.
    with committed():
        posting.mark_answer(thread, forums["reply"])
    assert _heard(forums["reply"]) == {admin.pk: [notices.ANSWER]}


def test_follow_mute_buttons_work_without_javascript_and_only_on_what_one_may_read(forums):
    users = forums["users"]
    thread, secret, public = forums["thread"], forums["secret"], forums["public"]
    posting.edit_thread(thread, thread.title, "en", ["consulates"])
    member, other = forums["member"], forums["other_admin"]
    url = f"/en/forums/threads/{thread.pk}/"
    # The author follows their thread; someone else sees Follow and Mute, and for the tag too.
    assert 'value="unfollow"' in member.get(url).content.decode()
    page = other.get(url).content.decode()
    assert page.count('value="follow"') == 2 and 'value="mute"' in page
    assert "#consulates" in page
    assert 'value="follow"' not in forums["anonymous"].get(url).content.decode()
    # Follow the tag and mute the thread with plain forms, back to the page.
    tag = thread.tags.get()
    for model, pk, action in (("taggit.tag", tag.pk, "follow"), ("forums.thread", thread.pk,
                                                                  "mute")):  # fmt: skip
        response = other.post(
            "/en/notifications/follow/",
            {"model": model, "pk": pk, "action": action, "next": url},
        )
        assert response.status_code == 302 and response["Location"] == url
    outsider = users["other_admin"]
    assert follows.is_following(outsider, tag) and follows.is_muted(outsider, thread)
    assert 'value="unfollow"' in other.get(url).content.decode()  # Unmute
    # The preferences page lists the muted thread, with a link to it.
    assert f'href="{url}"' in other.get("/en/notifications/preferences/").content.decode()
    # A private forum's thread and the forum itself are a 404 to an outsider, open to a member.
    for model, pk in (("forums.thread", secret.pk), ("forums.forum", secret.forum_id)):
        data = {"model": model, "pk": pk, "action": "follow"}
        assert other.post("/en/notifications/follow/", data).status_code == 404
        assert forums["org_member"].post("/en/notifications/follow/", data).status_code == 302
    assert follows.is_following(users["org_member"], secret.forum)
    forum_page = other.get(f"/en/forums/{public.slug}/").content.decode()
    assert 'name="model" value="forums.forum"' in forum_page and 'value="mute"' in forum_page
    # The buttons cost the thread page one query, whatever the number of posts and tags.
    for n in range(5):
        posting.reply(thread, users["admin"], f"Reply {n}")
    other.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert other.get(url).status_code == 200
    assert len(captured.captured_queries) <= 12
