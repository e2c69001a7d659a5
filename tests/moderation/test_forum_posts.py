"""Hiding one forum post from its thread page is a moderation action like the queue's: it lands
in the append-only log with the moderator and the reason, its author is told (and may appeal),
and the post leaves the live thread and search; showing it again is logged too. Only a
moderator with a second factor in this session may do it: anyone else changes nothing."""

from __future__ import annotations

import pytest

from django.contrib.contenttypes.models import ContentType

from community.forums import moderating, posting
from community.forums.models import Post
from community.moderation.models import ModerationAction
from community.notifications.models import Notification
from core.registries import reportable_models
from tests.forums.conftest import forums, world  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db

Kind = ModerationAction.Kind
WORD = "Quetzalcoatlus"


def moderate_url(post: Post) -> str:
    return f"/en/forums/posts/{post.pk}/moderate/"


def thread_url(post: Post) -> str:
    return f"/en/forums/threads/{post.thread_id}/"


def found(client, query: str = WORD) -> str:
    return client.get("/en/search/", {"q": query}).content.decode()


@pytest.fixture
def reply(forums, django_capture_on_commit_callbacks):  # noqa: F811
    """A reply by the organisation's admin, indexed for search (its commit work run)."""
    with django_capture_on_commit_callbacks(execute=True):
        post = posting.reply(
            forums["thread"], forums["users"]["admin"], f"Call this number: {WORD} visas"
        )
    return post


def test_the_thread_page_offers_moderators_a_labelled_reason_for_hiding_a_post(forums, reply):  # noqa: F811
    page = forums["moderator"].get(thread_url(reply)).content.decode()
    assert f'<label for="id_post_note_{reply.pk}">Why (for the moderation log)</label>' in page
    assert f'id="id_post_note_{reply.pk}"' in page
    assert (
        f'id="id_post_note_{reply.pk}"'
        not in forums["member"].get(thread_url(reply)).content.decode()
    )


def test_hiding_a_post_from_the_thread_page_is_logged_told_and_leaves_thread_and_search(
    forums,  # noqa: F811
    reply,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    author, moderator = forums["users"]["admin"], forums["users"]["moderator"]
    anonymous = forums["anonymous"]
    assert WORD in anonymous.get(thread_url(reply)).content.decode()
    assert "Dual nationality question" in found(anonymous)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = forums["moderator"].post(
            moderate_url(reply), {"action": "hide", "note": "Scam phone number"}
        )
    assert response.status_code == 302
    # Sent twice (a double click): nothing more is logged or sent.
    forums["moderator"].post(moderate_url(reply), {"action": "hide", "note": "again"})

    reply.refresh_from_db()
    assert reply.hidden
    (row,) = ModerationAction.objects.all()
    assert (row.kind, row.moderator, row.note, row.author, row.object_id) == (
        Kind.HIDE,
        moderator,
        "Scam phone number",
        author,
        reply.pk,
    )
    assert row.content_type == ContentType.objects.get_for_model(Post)
    assert row.appealable
    assert Notification.objects.filter(recipient=author, kind="moderation.decision").count() == 1
    assert [message.to for message in mailoutbox] == [[author.email]]
    assert "Scam phone number" in mailoutbox[0].body and "/en/appeal/" in mailoutbox[0].body
    # Gone from the thread every reader sees, and from search.
    assert WORD not in anonymous.get(thread_url(reply)).content.decode()
    assert WORD not in forums["member"].get(thread_url(reply)).content.decode()
    assert "Dual nationality question" not in found(anonymous)
    log = forums["moderator"].get("/en/moderation/log/?kind=hide").content.decode()
    assert "Scam phone number" in log[log.index("<table") :]

    with django_capture_on_commit_callbacks(execute=True):
        forums["moderator"].post(
            moderate_url(reply), {"action": "show", "note": "The number is the embassy's"}
        )
    reply.refresh_from_db()
    assert not reply.hidden
    assert list(ModerationAction.objects.order_by("pk").values_list("kind", "note")) == [
        (Kind.HIDE, "Scam phone number"),
        (Kind.RESTORE, "The number is the embassy's"),
    ]
    assert WORD in anonymous.get(thread_url(reply)).content.decode()
    assert "Dual nationality question" in found(anonymous)


@pytest.mark.parametrize("who", ["member", "admin", "moderator_password_only", "anonymous"])
def test_only_a_moderator_with_a_second_factor_may_hide_a_post(forums, reply, who):  # noqa: F811
    response = forums[who].post(moderate_url(reply), {"action": "hide", "note": "Mine now"})
    if who in ("member", "admin"):
        assert response.status_code == 403
    else:
        # Signed out: the log-in page; password only: the second factor's prompt.
        assert response.status_code == 302
        assert not response["Location"].startswith(thread_url(reply))
    reply.refresh_from_db()
    assert not reply.hidden
    assert not ModerationAction.objects.exists()
    assert not Notification.objects.filter(kind="moderation.decision").exists()


def test_a_reason_too_long_or_an_unknown_action_hides_nothing(forums, reply):  # noqa: F811
    response = forums["moderator"].post(
        moderate_url(reply), {"action": "hide", "note": "x" * 501}, follow=True
    )
    assert "The reason is too long: shorten it and try again." in response.content.decode()
    response = forums["moderator"].post(moderate_url(reply), {"action": "delete"}, follow=True)
    assert "Unknown action." in response.content.decode()
    reply.refresh_from_db()
    assert not reply.hidden
    assert not ModerationAction.objects.exists()


def test_a_moderator_cannot_show_again_or_judge_the_appeal_of_their_own_hidden_post(forums):  # noqa: F811
    from community.moderation.actions import ActionRefused, decide_appeal, file_appeal
    from community.moderation.models import Appeal
    from tests.members.conftest import make_member

    moderator = forums["users"]["moderator"]
    own = posting.reply(forums["thread"], moderator, "Off-topic rant from a moderator")
    other, _ = make_member(role="Moderator", display_name="Second Moderator")
    moderating.hide_or_show_post(own, other, True, "Rant")
    (hidden,) = ModerationAction.objects.all()
    appeal = file_appeal(hidden, "It was on topic")

    response = forums["moderator"].post(
        moderate_url(own), {"action": "show", "note": "Mine is fine"}, follow=True
    )
    assert "Another moderator decides on your own content." in response.content.decode()
    own.refresh_from_db()
    assert own.hidden
    with pytest.raises(ActionRefused):
        decide_appeal(appeal, moderator=moderator, grant=True)
    appeal.refresh_from_db()
    own.refresh_from_db()
    assert appeal.status == Appeal.Status.OPEN and own.hidden
    assert ModerationAction.objects.count() == 1
    # Another moderator may grant it.
    decide_appeal(
        appeal,
        moderator=other,
        grant=True,
        declaration=reportable_models["forums.Post"],
        target=own,
    )
    own.refresh_from_db()
    assert not own.hidden


def test_a_granted_appeal_of_a_deleted_post_says_it_cannot_come_back(forums, reply):  # noqa: F811
    from community.moderation.actions import file_appeal

    decided = forums["moderator"].post(
        "/en/moderation/decide/",
        {
            "action": "delete",
            "content_type": ContentType.objects.get_for_model(Post).pk,
            "object_id": reply.pk,
            "note": "A visa scam",
        },
    )
    assert decided.status_code == 302
    reply.refresh_from_db()
    assert reply.deleted and reply.deleted_by_moderator  # deleted in place: the row stays
    appeal = file_appeal(ModerationAction.objects.get(kind=Kind.DELETE), "It was a real offer")
    granted = forums["moderator"].post(
        f"/en/moderation/appeals/{appeal.pk}/", {"decision": "reverse"}, follow=True
    )
    page = granted.content.decode()
    assert "Deleted content cannot come back" in page
    assert "the decision is reversed" not in page
    reply.refresh_from_db()
    assert reply.deleted
