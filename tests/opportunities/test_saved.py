"""Saved opportunities, saved searches and their e-mail alerts, as members notice them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from django.test import TestCase
from django.utils import timezone

from community.opportunities import lifecycle
from community.opportunities.alerts import send_alerts as run_alerts
from community.opportunities.declarations import _erase_saved, _export_saved
from community.opportunities.models import (
    Review,
    SavedOpportunity,
    SavedSearch,
    Status,
)
from core.saved_searches import MAX_SAVED as MAX_SAVED_SEARCHES
from tests.organisations.conftest import client_for

from .conftest import make_opportunity


def send_alerts(now=None) -> int:
    """Run the job as the worker does: its notifications' e-mails leave once it commits."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return run_alerts(now)


pytestmark = pytest.mark.django_db

SAVED = "/en/opportunities/saved/"
SEARCHES = "/en/opportunities/searches/"


def _save(client, item, **extra):
    return client.post(f"/en/opportunities/{item.pk}/save/", extra)


# --- Saved opportunities ---------------------------------------------------------------------


def test_member_saves_and_unsaves_an_opportunity_without_javascript(world):
    item = make_opportunity(world["users"]["admin"], world["verified"], title="Radio producer")
    page = world["member"].get(f"/en/opportunities/{item.pk}/").content.decode()
    assert f'action="/en/opportunities/{item.pk}/save/"' in page
    response = _save(world["member"], item, next="/en/opportunities/?type=job")
    assert response.status_code == 302 and response["Location"] == "/en/opportunities/?type=job"
    assert "Radio producer" in world["member"].get(SAVED).content.decode()
    # The card in the listing now offers to remove it.
    assert "Remove from saved" in world["member"].get("/en/opportunities/").content.decode()
    _save(world["member"], item, unsave="1")
    assert "Radio producer" not in world["member"].get(SAVED).content.decode()


def test_saving_twice_keeps_one_row_and_an_outside_next_is_not_followed(world):
    item = make_opportunity(world["users"]["admin"], world["verified"])
    _save(world["member"], item)
    response = _save(world["member"], item, next="https://evil.example/")
    assert response["Location"] == f"/en/opportunities/{item.pk}/"
    assert SavedOpportunity.objects.filter(member=world["users"]["member"]).count() == 1


@pytest.mark.parametrize(
    "fields",
    [{"status": Status.DRAFT}, {"review": Review.HELD}, {"hidden": True}],
)
def test_saving_a_non_public_opportunity_is_a_404(world, fields):
    # Even its own poster (who can open it) cannot save it while nobody else may see it.
    item = make_opportunity(world["users"]["admin"], world["verified"], **fields)
    assert _save(world["member"], item).status_code == 404
    assert _save(world["admin"], item).status_code == 404
    assert not SavedOpportunity.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in_and_see_no_save_button(world):
    item = make_opportunity(world["users"]["admin"], world["verified"])
    response = _save(world["anonymous"], item)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert "/save/" not in world["anonymous"].get("/en/opportunities/").content.decode()
    assert world["anonymous"].get(SAVED).status_code == 302
    assert not SavedOpportunity.objects.exists()


def test_a_saved_opportunity_hidden_later_vanishes_from_the_list_and_returns_when_restored(world):
    item = make_opportunity(world["users"]["admin"], world["verified"], title="Fragile call")
    _save(world["member"], item)
    item.hidden = True
    item.save()
    assert "Fragile call" not in world["member"].get(SAVED).content.decode()
    assert "Fragile call" not in world["member"].get("/en/me/").content.decode()
    item.hidden = False
    item.save()
    assert "Fragile call" in world["member"].get(SAVED).content.decode()


def test_another_members_saved_list_stays_theirs(world):
    item = make_opportunity(world["users"]["admin"], world["verified"], title="Private pick")
    _save(world["member"], item)
    assert "Private pick" not in world["admin"].get(SAVED).content.decode()


# --- Saved searches --------------------------------------------------------------------------


def test_member_saves_the_listings_search_in_its_canonical_form(world):
    page = world["member"].get("/en/opportunities/?type=job&country=MA").content.decode()
    assert "Save this search" in page and "Jobs in Morocco" in page
    response = world["member"].post(
        "/en/opportunities/searches/new/",
        {"query": "country=MA&type=job&bogus=1", "name": "", "frequency": "daily"},
    )
    assert response.status_code == 302 and response["Location"] == SEARCHES
    search = SavedSearch.objects.get(member=world["users"]["member"])
    assert search.query == "type=job&country=MA" and search.frequency == "daily"
    listing = world["member"].get(SEARCHES).content.decode()
    assert "Jobs in Morocco" in listing and "Daily" in listing


def test_saving_the_same_search_twice_says_so(world):
    for _ in range(2):
        world["member"].post("/en/opportunities/searches/new/", {"query": "type=job"})
    assert SavedSearch.objects.filter(member=world["users"]["member"]).count() == 1
    page = world["member"].get(SEARCHES).content.decode()
    assert "You have already saved this search." in page


def test_saved_searches_are_capped_with_a_clear_message(world):
    member = world["users"]["member"]
    for days in range(MAX_SAVED_SEARCHES):
        SavedSearch.objects.create(member=member, query=f"skill=skill{days}")
    response = world["member"].post(
        "/en/opportunities/searches/new/", {"query": "type=job"}, follow=True
    )
    assert "the most one can keep" in response.content.decode()
    assert SavedSearch.objects.filter(member=member).count() == MAX_SAVED_SEARCHES


def test_another_member_can_neither_see_nor_delete_my_saved_search(world):
    search = SavedSearch.objects.create(
        member=world["users"]["member"], query="type=job", name="Mine"
    )
    assert "Mine" not in world["admin"].get(SEARCHES).content.decode()
    assert world["admin"].post(f"/en/opportunities/searches/{search.pk}/delete/").status_code == 404
    assert (
        world["anonymous"].post(f"/en/opportunities/searches/{search.pk}/delete/").status_code
        == 302
    )
    assert SavedSearch.objects.filter(pk=search.pk).exists()
    assert (
        world["member"].post(f"/en/opportunities/searches/{search.pk}/delete/").status_code == 302
    )
    assert not SavedSearch.objects.filter(pk=search.pk).exists()


def test_deleting_needs_a_post(world):
    search = SavedSearch.objects.create(member=world["users"]["member"], query="type=job")
    assert world["member"].get(f"/en/opportunities/searches/{search.pk}/delete/").status_code == 405
    assert SavedSearch.objects.filter(pk=search.pk).exists()


def test_dashboard_shows_saved_items_panels(world):
    item = make_opportunity(world["users"]["admin"], world["verified"], title="Panel call")
    _save(world["member"], item)
    SavedSearch.objects.create(member=world["users"]["member"], query="type=job")
    page = world["member"].get("/en/me/").content.decode()
    assert "Saved opportunities" in page and "Panel call" in page
    assert "Saved searches" in page and "Jobs" in page
    # Someone who saved nothing sees neither panel.
    assert "Saved searches" not in world["admin"].get("/en/me/").content.decode()


def test_your_data_exports_and_erases_saved_items(world):
    member = world["users"]["member"]
    item = make_opportunity(world["users"]["admin"], world["verified"], title="Exported call")
    _save(world["member"], item)
    SavedSearch.objects.create(member=member, query="type=job", name="Jobs please")
    data = _export_saved(member)
    assert data["saved_opportunities"][0]["title"] == "Exported call"
    assert data["saved_searches"][0]["query"] == "type=job"
    _erase_saved(member)
    assert not SavedOpportunity.objects.filter(member=member).exists()
    assert not SavedSearch.objects.filter(member=member).exists()


# --- Alerts ----------------------------------------------------------------------------------


def _search(member, query: str, days_ago: float = 2, **fields) -> SavedSearch:
    """A search last run `days_ago` days ago, daily unless said otherwise: due now."""
    fields.setdefault("frequency", "daily")
    return SavedSearch.objects.create(
        member=member,
        query=query,
        last_notified_at=timezone.now() - timedelta(days=days_ago),
        **fields,
    )


def _public(world, title: str, **fields):
    fields.setdefault("public_since", timezone.now() - timedelta(hours=1))
    return make_opportunity(world["users"]["admin"], world["verified"], title=title, **fields)


def test_alert_job_sends_one_mail_with_the_new_match_and_nothing_the_second_time(world, mailoutbox):
    member = world["users"]["member"]
    _search(member, "type=job", frequency="daily")
    _search(member, "country=MA", frequency="daily")
    _public(world, "Remittance analyst", type="job", countries=["MA"], time_zone="Asia/Kolkata")
    _public(world, "Volunteer in Senegal", type="volunteering", countries=["SN"])
    old = _public(world, "Old job", type="job", public_since=timezone.now() - timedelta(days=5))
    assert send_alerts() == 1
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [member.email]
    # Matched by both searches, listed once; what matches neither and what was already known
    # before the last alert are left out.
    assert mail.body.count("Remittance analyst") == 1
    assert "Volunteer in Senegal" not in mail.body and old.title not in mail.body
    assert "/en/opportunities/searches/" in mail.body
    assert "(Asia/Kolkata, UTC+0530)" in mail.body  # the deadline as the poster gave it
    assert send_alerts() == 0
    assert send_alerts(timezone.now() + timedelta(hours=2)) == 0
    assert len(mailoutbox) == 1


@pytest.mark.parametrize(
    "fields",
    [
        {"review": Review.HELD},
        {"hidden": True},
        {"status": Status.DRAFT},
        {"days": -1},
    ],
)
def test_alerts_never_list_held_hidden_draft_or_closed_ones(world, mailoutbox, fields):
    _search(world["users"]["member"], "type=job")
    _search(world["users"]["member"], "", days_ago=10)
    _public(world, "Not for alerts", type="job", **fields)
    assert send_alerts() == 0
    assert mailoutbox == []


def test_a_weekly_search_waits_for_its_week(world, mailoutbox):
    search = _search(world["users"]["member"], "type=job", days_ago=2, frequency="weekly")
    _public(world, "Weekly job", type="job")
    assert send_alerts() == 0
    search.refresh_from_db()
    assert timezone.now() - search.last_notified_at > timedelta(days=1)  # untouched, not due
    assert send_alerts(timezone.now() + timedelta(days=6)) == 1
    assert "Weekly job" in mailoutbox[0].body


def test_an_opportunity_approved_after_review_is_new_when_approved(world, mailoutbox):
    _search(world["users"]["member"], "type=job")
    held = make_opportunity(
        world["users"]["admin"],
        world["verified"],
        title="Approved late",
        review=Review.HELD,
        created_at=timezone.now() - timedelta(days=20),
    )
    lifecycle.approve(held)
    assert send_alerts() == 1
    assert "Approved late" in mailoutbox[0].body


def test_alert_mail_is_in_the_members_language(world, mailoutbox):
    member = world["users"]["member"]
    member.preferred_language = "fr"
    member.save()
    _search(member, "type=job")
    _public(world, "Analyste de données", type="job")
    assert send_alerts() == 1
    body = mailoutbox[0].body
    assert "Emploi" in body and "Date limite" in body
    assert "/fr/opportunities/searches/" in body and "/fr/opportunities/" in body


def test_a_stored_query_that_no_longer_parses_sends_nothing(world, mailoutbox):
    search = _search(world["users"]["member"], "type=job&topic=vanished-topic")
    _public(world, "Any job", type="job")
    assert send_alerts() == 0
    assert mailoutbox == []
    page = client_for(world["users"]["member"]).get(SEARCHES).content.decode()
    assert "no longer exists" in page
    search.refresh_from_db()
    assert timezone.now() - search.last_notified_at < timedelta(minutes=1)


def test_alerts_are_declared_to_the_worker():
    from django.utils.module_loading import import_string

    from core.registries import periodic_jobs

    job = next(job for job in periodic_jobs if job.key == "saved_search_alerts")
    assert import_string(job.task_path).func.__name__ == "send_saved_search_alerts"


def test_each_member_saves_from_the_listing_with_their_own_token(world):
    # The listing's save buttons are drawn once per process and hold nothing of the reader: each
    # submits the page's one shared form, which holds the reader's own token and the way back.
    item = make_opportunity(world["users"]["admin"], world["verified"], title="Data steward")
    for name in ("admin", "member"):
        client = client_for(world["users"][name])
        client.handler.enforce_csrf_checks = True
        page = client.get("/en/opportunities/?type=job").content.decode()
        button = page.split(f'formaction="/en/opportunities/{item.pk}/save/"', 1)[0]
        assert button.endswith('form="save-opportunity" '), button[-80:]
        shared = page.split('<form id="save-opportunity" method="post" hidden>', 1)[1]
        shared = shared.split("</form>", 1)[0]
        token = shared.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
        back = shared.split('name="next" value="', 1)[1].split('"', 1)[0]
        assert back == "/en/opportunities/?type=job"
        response = client.post(
            f"/en/opportunities/{item.pk}/save/", {"csrfmiddlewaretoken": token, "next": back}
        )
        assert response.status_code == 302, name
        assert response["Location"] == "/en/opportunities/?type=job"
        assert "Remove from saved" in client.get("/en/opportunities/").content.decode()
    assert SavedOpportunity.objects.filter(opportunity=item).count() == 2
