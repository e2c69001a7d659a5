"""Forum posts under the moderation rules: word lists and new members' posts held for review
(never dropped), seen by their author and moderators only, published and notified on approval;
trust limits (links, images, posts per hour) refusing with the text kept; moderators' decisions
reaching authors as notifications and e-mails; forum search honouring private forums and
hidden, held posts."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from community.forums import posting
from community.forums.models import Post, Thread
from community.moderation.actions import act
from community.moderation.models import ModerationAction, WordList
from community.moderation.screening_lists import clear
from community.notifications.models import Notification
from core import trust
from core.registries import personal_data, reportable_models
from tests.members.conftest import make_member

from .conftest import client_for

pytestmark = pytest.mark.django_db

WORD = "Quetzalcoatlus"


@pytest.fixture
def word_lists():
    for language, terms in {"en": "guaranteed visa", "ar": "تأشيرة مضمونة"}.items():
        WordList.objects.update_or_create(language=language, defaults={"terms": terms})
    clear()
    yield
    clear()


def _png() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "teal").save(out, "PNG")
    return SimpleUploadedFile("photo.png", out.getvalue(), content_type="image/png")


def test_word_lists_hold_posts_for_review_seen_by_author_and_moderators_then_approval_publishes(
    forums, word_lists, django_capture_on_commit_callbacks
):
    users, thread = forums["users"], forums["thread"]
    # A trusted writer's new thread matching the English list (in its title) is held, not lost.
    response = forums["admin"].post(
        "/en/forums/test-public-forum/new/",
        {"title": "Guaranteed VISA in a week", "body": "Write to me.", "language": "en"},
    )
    held_thread = Thread.objects.get(title="Guaranteed VISA in a week")
    assert response.status_code == 302 and held_thread.held
    assert held_thread.posts.get().held
    # An Arabic reply with harakat and tatweel still matches the Arabic list.
    with django_capture_on_commit_callbacks(execute=True):
        response = forums["admin"].post(
            f"/en/forums/threads/{thread.pk}/reply/", {"body": "تأشِيـرة مَضمونة هنا"}
        )
    reply = Post.objects.get(body="تأشِيـرة مَضمونة هنا")
    assert response.status_code == 302 and reply.held
    told = Notification.objects.filter(recipient=users["member"], kind="forums.reply_to_you")
    assert not told.exists()  # nobody hears of a held post
    # Author: sees both, marked as waiting. Others: neither the thread nor the reply.
    page = forums["admin"].get(f"/en/forums/threads/{held_thread.pk}/").content.decode()
    assert "Waiting for a moderator" in page
    assert (
        "Waiting for a moderator"
        in forums["admin"].get(f"/en/forums/threads/{thread.pk}/").content.decode()
    )
    for reader in ("member", "anonymous", "org_member"):
        assert forums[reader].get(f"/en/forums/threads/{held_thread.pk}/").status_code == 404
        assert "هنا" not in forums[reader].get(f"/en/forums/threads/{thread.pk}/").content.decode()
        listing = forums[reader].get("/en/forums/test-public-forum/").content.decode()
        assert "Guaranteed VISA" not in listing
    assert (
        "Guaranteed VISA" in forums["admin"].get("/en/forums/test-public-forum/").content.decode()
    )
    # Moderators (with a second factor) see the review list; nobody else does.
    assert "/accounts/login/" in forums["anonymous"].get("/en/forums/review/").headers["Location"]
    assert forums["member"].get("/en/forums/review/").status_code == 403
    assert (
        forums["member"].post(f"/en/forums/review/{reply.pk}/", {"decision": "approve"}).status_code
        == 403
    )
    review = forums["moderator"].get("/en/forums/review/").content.decode()
    assert "Guaranteed VISA in a week" in review and "هنا" in review
    assert "هنا" in forums["moderator"].get(f"/en/forums/threads/{thread.pk}/").content.decode()
    # Approval publishes the reply and only then tells the thread's author.
    with django_capture_on_commit_callbacks(execute=True):
        response = forums["moderator"].post(
            f"/en/forums/review/{reply.pk}/", {"decision": "approve"}
        )
    assert response.status_code == 302
    assert told.count() == 1
    assert ModerationAction.objects.filter(kind="approve", object_id=reply.pk).exists()
    assert "هنا" in forums["member"].get(f"/en/forums/threads/{thread.pk}/").content.decode()
    forums["moderator"].post(
        f"/en/forums/review/{held_thread.posts.get().pk}/", {"decision": "approve"}
    )
    assert forums["member"].get(f"/en/forums/threads/{held_thread.pk}/").status_code == 200
    assert trust.approved_items(users["admin"]) >= 3  # visible posts earn trust


def test_a_new_members_limits_refuse_with_the_text_kept_and_their_first_post_waits(forums):
    newcomer, _ = make_member(display_name="New Comer")
    client = client_for(newcomer)
    url = f"/en/forums/threads/{forums['thread'].pk}/reply/"
    links = "See https://one.example and https://two.example"
    refused = client.post(url, {"body": links})
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "New members may add at most 1 link here" in page and "https://two.example" in page
    refused = client.post(url, {"body": "My photo", "image": _png()})
    page = refused.content.decode()
    assert refused.status_code == 400 and "New members cannot add images yet" in page
    assert "My photo" in page
    assert not Post.objects.filter(author=newcomer).exists()
    # Within the limits: posted, and held as a new member's first post (not dropped).
    allowed = trust.limits_for(newcomer).posts_per_hour
    for number in range(allowed):
        assert client.post(url, {"body": f"Hello number {number}"}).status_code == 302
    assert Post.objects.filter(author=newcomer, held=True).count() == allowed
    thread_page = client.get(f"/en/forums/threads/{forums['thread'].pk}/?page=last")
    assert "Waiting for a moderator" in thread_page.content.decode()
    refused = client.post(url, {"body": "One too many"})
    page = refused.content.decode()
    assert refused.status_code == 429
    assert "You have posted a lot in the last hour" in page and "One too many" in page
    assert not Post.objects.filter(body="One too many").exists()
    # A moderator rejects one: hidden (not deleted), logged, and its author told.
    rejected = Post.objects.filter(author=newcomer).first()
    forums["moderator"].post(f"/en/forums/review/{rejected.pk}/", {"decision": "reject"})
    rejected.refresh_from_db()
    assert rejected.hidden and not rejected.held and rejected.body == "Hello number 0"
    assert ModerationAction.objects.filter(kind="hide", author=newcomer).exists()
    assert Notification.objects.filter(recipient=newcomer, kind="moderation.decision").exists()


def test_moderators_decisions_arrive_as_a_notification_and_an_email_with_the_appeal_link(
    forums, django_capture_on_commit_callbacks
):
    users = forums["users"]
    declaration = reportable_models["forums.Post"]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        act("hide", moderator=users["moderator"], declaration=declaration, target=forums["reply"])
    centre = forums["admin"].get("/en/notifications/").content.decode()
    assert "Your content was hidden by the moderators" in centre
    (hidden,) = mail.outbox
    assert hidden.to == [users["admin"].email]
    assert hidden.subject == "Your content was hidden by the moderators"
    assert "only you and they can see it now" in hidden.body
    # A ban: the member cannot sign in any more, yet the e-mail (with the appeal) reaches them.
    with django_capture_on_commit_callbacks(execute=True):
        act("ban", moderator=users["moderator"], declaration=declaration, target=forums["first"])
    banned = mail.outbox[-1]
    assert banned.to == [users["member"].email] and banned.subject == "Your account is banned"
    appeal = re.search(r"https?://\S+/en/appeal/\S+/", banned.body).group(0)
    assert forums["anonymous"].get(appeal[appeal.index("/en/") :]).status_code == 200


def test_forum_search_respects_private_forums_held_and_hidden_posts(
    forums, django_capture_on_commit_callbacks
):
    users = forums["users"]
    with django_capture_on_commit_callbacks(execute=True):
        public = posting.start_thread(
            forums["public"], users["member"], f"{WORD} remittances", "Fees compared."
        )
        posting.reply(public, users["admin"], "Hiddenword Ankylosaurus reply")
        private = posting.start_thread(
            forums["private"], users["org_member"], f"{WORD} mission budget", "Internal."
        )
        posting.start_thread(
            forums["public"], users["member"], f"{WORD} waiting thread", "Held.", hold=True
        )

    def found(reader, query=WORD) -> str:
        return forums[reader].get("/en/search/", {"q": query}).content.decode()

    for reader in ("anonymous", "member", "org_member"):
        page = found(reader)
        assert "remittances<" in page and "waiting thread" not in page
        assert ("mission budget" in page) == (reader == "org_member")
    assert "remittances<" in found("anonymous", "Ankylosaurus")
    hidden = Post.objects.get(body="Hiddenword Ankylosaurus reply")
    with django_capture_on_commit_callbacks(execute=True):
        act("hide", moderator=users["moderator"], declaration=reportable_models["forums.Post"],
            target=hidden)  # fmt: skip
    assert "remittances<" not in found("anonymous", "Ankylosaurus")
    # The forum turns public: its thread is found by everyone.
    with django_capture_on_commit_callbacks(execute=True):
        forums["private"].members_only = False
        forums["private"].save()
    assert "mission budget" in found("anonymous")
    # Its author erases their account's forum data: the thread leaves search with it.
    with django_capture_on_commit_callbacks(execute=True):
        personal_data["forums"].erase(users["org_member"])
    assert "mission budget" not in found("anonymous")
    assert not Thread.objects.filter(pk=private.pk).exists()


def test_an_edit_matching_the_word_lists_goes_back_to_the_moderators_and_returns_once_approved(
    forums, word_lists
):
    thread, reply = forums["thread"], forums["reply"]
    forums["public"].refresh_from_db()
    counts = (Thread.objects.get(pk=thread.pk).post_count, forums["public"].thread_count)
    edited = forums["admin"].post(
        f"/en/forums/posts/{reply.pk}/edit/", {"body": "Now a guaranteed visa offer"}
    )
    assert edited.status_code == 302
    reply.refresh_from_db()
    assert reply.held and reply.body == "Now a guaranteed visa offer"
    assert (
        "guaranteed visa offer"
        not in forums["member"].get(f"/en/forums/threads/{thread.pk}/").content.decode()
    )
    forums["member"].post(
        f"/en/forums/threads/{thread.pk}/edit/",
        {"title": "Guaranteed visa here", "language": "en", "tags": ""},
    )
    assert forums["anonymous"].get(f"/en/forums/threads/{thread.pk}/").status_code == 404
    assert forums["member"].get(f"/en/forums/threads/{thread.pk}/").status_code == 200
    for post in Post.objects.filter(thread=thread, held=True):
        forums["moderator"].post(f"/en/forums/review/{post.pk}/", {"decision": "approve"})
    page = forums["anonymous"].get(f"/en/forums/threads/{thread.pk}/").content.decode()
    assert "Guaranteed visa here" in page and "guaranteed visa offer" in page
    forums["public"].refresh_from_db()
    # Shown again, not counted twice.
    assert (Thread.objects.get(pk=thread.pk).post_count, forums["public"].thread_count) == counts
