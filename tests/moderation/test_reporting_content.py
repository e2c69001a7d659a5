"""Members report an opportunity or a forum thread by the plain form: the report reaches the
moderators' queue, a second report of the same thing by the same member updates the first, and
whoever cannot see the object gets the same 404 its own page gives."""

from __future__ import annotations

import pytest

from community.forums import posting
from community.forums.models import Thread
from community.moderation.models import Report
from community.opportunities.models import Opportunity, Review
from tests.forums.conftest import make_forum
from tests.members.conftest import make_member
from tests.opportunities.conftest import make_opportunity
from tests.organisations.conftest import make_organisation

from .conftest import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def opportunity() -> Opportunity:
    poster, _ = make_member(display_name="Opportunity Poster")
    return make_opportunity(poster, title="Guaranteed visa job abroad")


@pytest.fixture
def thread() -> Thread:
    author, _ = make_member(display_name="Thread Author")
    forum = make_forum("reporting-public-forum")
    return posting.start_thread(forum, author, "Cheap residence permits", "Send me money first.")


def _targets(opportunity: Opportunity, thread: Thread) -> dict:
    return {
        "opportunity": (
            f"/en/report/opportunities.opportunity/{opportunity.pk}/",
            opportunity,
            f"/en/opportunities/{opportunity.pk}/",
            "Guaranteed visa job abroad",
        ),
        "thread": (
            f"/en/report/forums.thread/{thread.pk}/",
            thread,
            f"/en/forums/threads/{thread.pk}/",
            "Cheap residence permits",
        ),
    }


@pytest.mark.parametrize("kind", ["opportunity", "thread"])
def test_a_member_reports_it_and_it_reaches_the_queue(kind, opportunity, thread, moderator_client):
    url, target, page, title = _targets(opportunity, thread)[kind]
    reporter, _ = make_member()
    client = signed_in(reporter)
    form = client.get(url)
    assert form.status_code == 200 and title in form.content.decode()
    response = client.post(url, {"reason": "scam", "text": "Asks for a fee up front"})
    assert response.status_code == 302 and response["Location"] == page
    saved = Report.objects.get()
    assert (saved.target, saved.reporter, saved.reason, saved.status) == (
        target,
        reporter,
        "scam",
        Report.Status.OPEN,
    )
    queue = moderator_client.get("/en/moderation/").content.decode()
    assert title in queue and "Asks for a fee up front" in queue and "Scam or fraud" in queue


@pytest.mark.parametrize("kind", ["opportunity", "thread"])
def test_reporting_the_same_thing_twice_does_not_duplicate_the_report(
    kind, opportunity, thread, moderator_client
):
    url, target, _page, title = _targets(opportunity, thread)[kind]
    client = signed_in(make_member()[0])
    client.post(url, {"reason": "spam", "text": "First"})
    assert "sending this form updates your report" in client.get(url).content.decode()
    client.post(url, {"reason": "scam", "text": "Second thoughts"})
    saved = Report.objects.get()  # one row, updated
    assert (saved.target, saved.reason, saved.text) == (target, "scam", "Second thoughts")
    queue = moderator_client.get("/en/moderation/").content.decode()
    assert queue.count(title) == 1 and "1 report" in queue and "2 reports" not in queue


def test_a_member_who_cannot_see_an_opportunity_gets_a_404_and_nothing_is_saved():
    poster, _ = make_member()
    held = make_opportunity(poster, title="Held for review", review=Review.HELD)
    hidden = make_opportunity(poster, title="Hidden by moderators", hidden=True)
    member = signed_in(make_member()[0])
    for item in (held, hidden):
        url = f"/en/report/opportunities.opportunity/{item.pk}/"
        assert member.get(url).status_code == 404
        assert member.post(url, {"reason": "spam"}).status_code == 404
    assert not Report.objects.exists()
    # Its poster still sees it, so could report it: the 404 is about who asks, not a rule.
    assert (
        signed_in(poster).get(f"/en/report/opportunities.opportunity/{held.pk}/").status_code == 200
    )


def test_a_member_who_cannot_see_a_thread_gets_a_404_and_nothing_is_saved():
    admin, _ = make_member(display_name="Org Admin")
    organisation = make_organisation(admin, name="Private Circle")
    secret = posting.start_thread(
        make_forum("reporting-private-forum", organisation), admin, "Roster", "Internal."
    )
    url = f"/en/report/forums.thread/{secret.pk}/"
    outsider = signed_in(make_member()[0])
    assert outsider.get(url).status_code == 404
    assert outsider.post(url, {"reason": "spam"}).status_code == 404
    assert not Report.objects.exists()
    assert signed_in(admin).get(url).status_code == 200
