"""A moderator's pin, lock, close and move of a thread land in the moderation log: who did it,
to which thread, when, where it moved and why, as the log page shows them; the log stays
append-only, a member cannot act, and a reason too long is refused with a clear message."""

from __future__ import annotations

import pytest

from community.moderation.models import ModerationAction

pytestmark = pytest.mark.django_db

Kind = ModerationAction.Kind


def last_row() -> int:
    """The log's newest row so far (the demo content brings some)."""
    return ModerationAction.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def test_pin_lock_close_and_move_are_logged_with_who_what_when_and_why(forums):
    thread, moderator = forums["thread"], forums["moderator"]
    act = f"/en/forums/threads/{thread.pk}/moderate/"
    before = last_row()
    steps = [
        {"action": "pin", "note": "Answers a question asked every week"},
        {"action": "lock", "note": "Heated: cooling off"},
        {"action": "close", "note": ""},
        {"action": "reopen", "note": "Answer corrected"},
        {"action": "move", "forum": forums["private"].pk, "note": "Belongs to the network"},
    ]
    for step in steps:
        assert moderator.post(act, step).status_code == 302
    # Pinning again changes nothing and logs nothing.
    moderator.post(act, {"action": "pin"})

    rows = list(ModerationAction.objects.filter(pk__gt=before).order_by("pk"))
    assert [row.kind for row in rows] == [Kind.PIN, Kind.LOCK, Kind.CLOSE, Kind.REOPEN, Kind.MOVE]
    moderator_user = forums["users"]["moderator"]
    assert {row.moderator for row in rows} == {moderator_user}
    assert {row.object_id for row in rows} == {thread.pk}
    assert rows[0].note == "Answers a question asked every week"
    assert rows[0].author == forums["users"]["member"]
    assert rows[-1].detail == f"{forums['public'].name} → {forums['private'].name}"
    with pytest.raises(ValueError):
        rows[0].delete()

    page = moderator.get("/en/moderation/log/").content.decode()
    page = page[page.index("<table") :]  # the filter's choices name every kind too
    for text in (
        "Pinned the thread",
        "Locked the thread",
        "Closed the thread",
        "Reopened the thread",
        "Moved the thread",
        "Dual nationality question",
        "Heated: cooling off",
        f"{forums['public'].name} → {forums['private'].name}",
        moderator_user.email,
    ):
        assert text in page, text
    only_moves = moderator.get("/en/moderation/log/?kind=move").content.decode()
    table = only_moves[only_moves.index("<table") :]
    assert "<td>Moved the thread" in table and "<td>Pinned the thread" not in table


def test_a_member_cannot_pin_and_a_reason_too_long_is_refused_and_nothing_logged(forums):
    thread = forums["thread"]
    act = f"/en/forums/threads/{thread.pk}/moderate/"
    before = last_row()
    assert forums["member"].post(act, {"action": "pin"}).status_code == 403
    response = forums["moderator"].post(act, {"action": "lock", "note": "x" * 501}, follow=True)
    assert "The reason is too long: shorten it and try again." in response.content.decode()
    thread.refresh_from_db()
    assert not thread.pinned and not thread.locked
    assert last_row() == before
    assert forums["member"].get("/en/moderation/log/").status_code == 403


def test_hiding_a_thread_from_its_page_is_logged_closes_its_reports_and_tells_the_author(
    forums, django_capture_on_commit_callbacks
):
    from django.contrib.contenttypes.models import ContentType
    from django.core import mail

    from community.moderation.models import Report
    from community.notifications.models import Notification

    thread, moderator = forums["thread"], forums["moderator"]
    author = forums["users"]["member"]
    act = f"/en/forums/threads/{thread.pk}/moderate/"
    report = Report.objects.create(
        content_type=ContentType.objects.get_for_model(thread),
        object_id=thread.pk,
        reason="spam",
        reporter=forums["users"]["admin"],
    )
    before = last_row()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = moderator.post(act, {"action": "hide", "note": "Selling fake visas"})
    assert response.status_code == 302
    # Sent twice (a double click): nothing more changes or is logged.
    moderator.post(act, {"action": "hide", "note": "again"})
    thread.refresh_from_db()
    report.refresh_from_db()
    assert thread.hidden
    assert report.status == Report.Status.HIDDEN
    (hidden,) = ModerationAction.objects.filter(pk__gt=before)
    assert (hidden.kind, hidden.note, hidden.author, hidden.object_id) == (
        Kind.HIDE,
        "Selling fake visas",
        author,
        thread.pk,
    )
    assert hidden.reason == "spam"
    assert Notification.objects.filter(recipient=author, kind="moderation.decision").exists()
    assert [message.to for message in mail.outbox] == [[author.email]]
    assert forums["anonymous"].get(f"/en/forums/threads/{thread.pk}/").status_code == 404

    moderator.post(act, {"action": "unhide", "note": "Checked: a real employer"})
    thread.refresh_from_db()
    report.refresh_from_db()
    assert not thread.hidden
    assert report.status == Report.Status.DISMISSED
    rows = ModerationAction.objects.filter(pk__gt=before).order_by("pk")
    kinds = list(rows.values_list("kind", "note"))
    assert kinds == [(Kind.HIDE, "Selling fake visas"), (Kind.RESTORE, "Checked: a real employer")]
    assert forums["anonymous"].get(f"/en/forums/threads/{thread.pk}/").status_code == 200
    page = moderator.get("/en/moderation/log/?kind=hide").content.decode()
    assert "Selling fake visas" in page[page.index("<table") :]


def test_a_member_cannot_hide_a_thread_and_a_reason_too_long_hides_nothing(forums):
    thread = forums["thread"]
    act = f"/en/forums/threads/{thread.pk}/moderate/"
    before = last_row()
    assert forums["member"].post(act, {"action": "hide"}).status_code == 403
    response = forums["moderator"].post(act, {"action": "hide", "note": "x" * 501}, follow=True)
    assert "The reason is too long: shorten it and try again." in response.content.decode()
    thread.refresh_from_db()
    assert not thread.hidden
    assert last_row() == before
