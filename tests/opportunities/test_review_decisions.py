"""A moderator's decisions on held opportunities, from the review queue: approve, send back to
the poster as a draft with a note, or hide. Each lands in the moderation log with who decided
and why; a poster whose opportunity is sent back is told (notification and e-mail, no appeal),
sees the note on their pages, and may change it and publish it again under the same review
rules. Nobody but a moderator with a second factor, and never on their own opportunity, may
decide; the note is shown as text, never as markup."""

from __future__ import annotations

import pytest

from django.contrib.contenttypes.models import ContentType

from community.moderation.models import ModerationAction
from community.notifications.models import Notification
from community.opportunities.models import Opportunity, Review, Status

from .conftest import make_opportunity, opportunity_form

pytestmark = pytest.mark.django_db

Kind = ModerationAction.Kind
QUEUE = "/en/opportunities/review/"
INDEX = "/en/opportunities/"
NOTE = "Say which city the job is in, and add the salary range."


def decide_url(item: Opportunity) -> str:
    return f"/en/opportunities/review/{item.pk}/"


def log_rows(item: Opportunity) -> list[tuple[str, object, str]]:
    kind = ContentType.objects.get_for_model(Opportunity)
    rows = ModerationAction.objects.filter(content_type=kind, object_id=item.pk)
    return list(rows.order_by("pk").values_list("kind", "moderator", "note"))


@pytest.fixture
def held(world):
    """A member's first opportunity, posted through the form: held for review."""
    world["member"].post("/en/opportunities/new/", opportunity_form(title="Remittance analyst"))
    item = Opportunity.objects.get(title="Remittance analyst")
    assert (item.review, item.status) == (Review.HELD, Status.PUBLISHED)
    return item


def test_the_queue_offers_a_labelled_note_and_the_three_decisions(world, held):
    page = world["moderator"].get(QUEUE).content.decode()
    assert f'<label for="id_note_{held.pk}">Note to the poster</label>' in page
    assert f'aria-describedby="id_note_{held.pk}_helptext"' in page
    for value, label in (("approve", "Approve"), ("send_back", "Send back to its poster")):
        assert f'name="decision" value="{value}">{label}</button>' in page


def test_a_held_opportunity_sent_back_is_logged_private_and_its_poster_told_why(
    world, held, mailoutbox, django_capture_on_commit_callbacks
):
    poster, moderator = world["users"]["member"], world["users"]["moderator"]
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = world["moderator"].post(
            decide_url(held), {"decision": "send_back", "note": NOTE}
        )
    assert response.status_code == 302
    held.refresh_from_db()
    assert (held.status, held.review, held.review_note) == (Status.DRAFT, Review.SENT_BACK, NOTE)
    assert log_rows(held) == [(Kind.SEND_BACK, moderator.pk, NOTE)]
    (row,) = ModerationAction.objects.filter(kind=Kind.SEND_BACK)
    assert row.author == poster and not row.appealable

    # Told in the notification centre, which leads to the opportunity, and by e-mail: why,
    # and no appeal (nothing was taken away).
    (notification,) = Notification.objects.filter(recipient=poster, kind="moderation.decision")
    assert "appeal" not in notification.data
    centre = world["member"].get("/en/notifications/").content.decode()
    assert "The moderators sent your content back to you" in centre
    opened = world["member"].post(f"/en/notifications/{notification.pk}/open/")
    assert opened["Location"] == f"/en/opportunities/{held.pk}/"
    (mail,) = mailoutbox
    assert mail.to == [poster.email] and NOTE in mail.body and "/appeal/" not in mail.body

    # Nobody else sees it; its poster sees the note on the opportunity and on their list.
    assert world["anonymous"].get(f"/en/opportunities/{held.pk}/").status_code == 404
    assert "Remittance analyst" not in world["anonymous"].get(INDEX).content.decode()
    assert world["admin"].get(f"/en/opportunities/{held.pk}/").status_code == 404
    assert NOTE in world["member"].get(f"/en/opportunities/{held.pk}/").content.decode()
    mine = world["member"].get("/en/opportunities/mine/").content.decode()
    assert "sent back to you by a moderator" in mine and NOTE in mine
    assert "Remittance analyst" not in world["moderator"].get(QUEUE).content.decode()


def test_a_sent_back_opportunity_changed_and_published_again_is_held_by_the_same_rules(world, held):
    lifecycle_note = "Add the city."
    world["moderator"].post(decide_url(held), {"decision": "send_back", "note": lifecycle_note})
    assert (
        lifecycle_note in world["member"].get(f"/en/opportunities/{held.pk}/edit/").content.decode()
    )
    response = world["member"].post(
        f"/en/opportunities/{held.pk}/edit/",
        opportunity_form(title="Remittance analyst (Dakar)", publish="1"),
    )
    assert response.status_code == 302
    held.refresh_from_db()
    # Still the member's first opportunity with nothing approved: held again, note answered.
    assert (held.status, held.review, held.review_note) == (Status.PUBLISHED, Review.HELD, "")
    assert world["anonymous"].get(f"/en/opportunities/{held.pk}/").status_code == 404
    assert "Remittance analyst (Dakar)" in world["moderator"].get(QUEUE).content.decode()

    world["moderator"].post(decide_url(held), {"decision": "approve"})
    held.refresh_from_db()
    assert held.review == Review.APPROVED
    moderator = world["users"]["moderator"].pk
    assert log_rows(held) == [
        (Kind.SEND_BACK, moderator, lifecycle_note),
        (Kind.APPROVE, moderator, ""),
    ]
    assert world["anonymous"].get(f"/en/opportunities/{held.pk}/").status_code == 200


def test_sending_back_without_a_note_is_refused_and_changes_nothing(world, held):
    response = world["moderator"].post(decide_url(held), {"decision": "send_back", "note": "  "})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Say what the poster should change before sending it back." in page
    held.refresh_from_db()
    assert (held.status, held.review) == (Status.PUBLISHED, Review.HELD)
    assert not ModerationAction.objects.filter(object_id=held.pk, kind=Kind.SEND_BACK).exists()


@pytest.mark.parametrize("who", ["member", "admin", "moderator_password_only", "own_poster"])
def test_only_another_moderator_with_a_second_factor_may_send_it_back(world, held, who):
    item = held
    client = world["moderator"] if who == "own_poster" else world[who]
    if who == "own_poster":
        # A moderator's own held opportunity: another moderator decides on it.
        item = make_opportunity(
            world["users"]["moderator"], title="Mine", status=Status.PUBLISHED, review=Review.HELD
        )
    before = ModerationAction.objects.count()
    response = client.post(decide_url(item), {"decision": "send_back", "note": NOTE})
    if who == "moderator_password_only":
        assert response.status_code == 302  # the second factor's prompt
        assert not response["Location"].startswith(QUEUE)
    else:
        assert response.status_code == 403
    item.refresh_from_db()
    assert (item.status, item.review, item.review_note) == (Status.PUBLISHED, Review.HELD, "")
    assert ModerationAction.objects.count() == before
    assert not Notification.objects.filter(kind="moderation.decision").exists()
    if who == "own_poster":
        page = world["moderator"].get(QUEUE).content.decode()
        assert "another moderator decides on it" in page


def test_the_note_is_shown_as_text_not_markup(world, held):
    note = '<script>alert("owned")</script><b>bold</b> & more'
    world["moderator"].post(decide_url(held), {"decision": "send_back", "note": note})
    held.refresh_from_db()
    assert held.review == Review.SENT_BACK
    for url in (
        f"/en/opportunities/{held.pk}/",
        "/en/opportunities/mine/",
        f"/en/opportunities/{held.pk}/edit/",
    ):
        page = world["member"].get(url).content.decode()
        assert '<script>alert("owned")' not in page and "<b>bold</b>" not in page, url
        assert (
            "&lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;" in page
        )


def test_hiding_a_held_opportunity_is_logged_and_its_poster_may_appeal(world, held):
    response = world["moderator"].post(
        decide_url(held), {"decision": "hide", "note": "Asks for a fee to apply"}
    )
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.hidden
    moderator = world["users"]["moderator"].pk
    assert log_rows(held) == [(Kind.HIDE, moderator, "Asks for a fee to apply")]
    (notification,) = Notification.objects.filter(
        recipient=world["users"]["member"], kind="moderation.decision"
    )
    assert "appeal" in notification.data
    assert "Remittance analyst" not in world["moderator"].get(QUEUE).content.decode()
    assert world["anonymous"].get(f"/en/opportunities/{held.pk}/").status_code == 404


def test_the_note_sent_back_is_in_the_posters_data_export(world, held):
    from community.opportunities.declarations import _export

    world["moderator"].post(decide_url(held), {"decision": "send_back", "note": NOTE})
    posted = _export(world["users"]["member"])["posted"]
    assert [(item["title"], item["review_note"]) for item in posted] == [
        ("Remittance analyst", NOTE)
    ]


def test_a_moderators_password_alone_does_not_show_held_opportunities(world, held):
    """A held opportunity is its poster's and the moderators': a moderator's session shows it
    only once it gave the second factor (`core.privilege`), and the queue asks for the code."""
    readers = {
        "member": world["admin"],  # a member who did not post it
        "password only": world["moderator_password_only"],
        "second factor": world["moderator"],
    }
    seen = {
        name: (
            client.get(f"/en/opportunities/{held.pk}/").status_code,
            "Held for review" in client.get(INDEX).content.decode(),
        )
        for name, client in readers.items()
    }
    assert seen == {"member": (404, False), "password only": (404, False),
                    "second factor": (200, True)}  # fmt: skip
    queue = world["moderator_password_only"].get(QUEUE)
    assert queue.status_code == 302 and "/accounts/2fa/reauthenticate/" in queue["Location"]
    assert "Remittance analyst" not in queue.content.decode()
