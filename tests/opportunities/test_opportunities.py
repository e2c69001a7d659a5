"""Opportunities: lifecycle from the deadline, archiving, listing, posting rights, review
before publication, bad input, and the listing's query count."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from community.members.models import Profile
from community.opportunities.declarations import _erase
from community.opportunities.lifecycle import archive_closed
from community.opportunities.models import Opportunity, Phase, Review, Status

from .conftest import make_opportunity, opportunity_form

pytestmark = pytest.mark.django_db

INDEX = "/en/opportunities/"


def _form(**overrides) -> dict:
    return opportunity_form(**overrides)


# --- Lifecycle ---------------------------------------------------------------------------------


def test_phase_is_computed_from_the_deadline_at_the_moment_it_is_read(world):
    item = make_opportunity(world["users"]["admin"], world["verified"], days=30)
    start = timezone.now()
    assert item.phase(start) == Phase.OPEN
    assert item.phase(start + timedelta(days=24)) == Phase.CLOSING_SOON
    assert item.phase(start + timedelta(days=31)) == Phase.CLOSED
    # The archiving job never ran, yet 200 days later it reads as closed, never as open.
    assert item.phase(start + timedelta(days=200)) == Phase.CLOSED
    item.status = Status.DRAFT
    assert item.phase(start) == Phase.DRAFT


def test_archive_job_is_safe_to_run_late_and_twice(world):
    admin = world["users"]["admin"]
    old = make_opportunity(admin, world["verified"], days=-100, title="Old call")
    recent = make_opportunity(admin, world["verified"], days=-10, title="Recent call")
    # Running late (as if 95 days after the recent one closed) archives both; twice changes nothing.
    later = timezone.now() + timedelta(days=85)
    assert archive_closed(later) == 2
    assert archive_closed(later) == 0
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.status == recent.status == Status.ARCHIVED
    assert old.phase() == Phase.ARCHIVED


def test_archive_job_leaves_recently_closed_ones(world):
    item = make_opportunity(world["users"]["admin"], world["verified"], days=-10)
    assert archive_closed() == 0
    item.refresh_from_db()
    assert item.status == Status.PUBLISHED


def test_listing_hides_closed_ones_unless_asked(world):
    admin = world["users"]["admin"]
    make_opportunity(admin, world["verified"], days=10, title="Open call")
    make_opportunity(admin, world["verified"], days=-1, title="Past call")
    listing = world["anonymous"].get(INDEX).content.decode()
    assert "Open call" in listing and "Past call" not in listing
    closed = world["anonymous"].get(INDEX + "?status=closed").content.decode()
    assert "Past call" in closed and "Open call" not in closed


def test_closed_page_says_closed_and_is_not_indexed(world):
    item = make_opportunity(world["users"]["admin"], world["verified"], days=-1)
    page = world["anonymous"].get(f"/en/opportunities/{item.pk}/").content.decode()
    assert "Closed" in page
    assert '<meta name="robots" content="noindex">' in page
    assert "https://example.org/apply" not in page


def test_poster_closes_early_and_extends(world):
    item = make_opportunity(world["users"]["admin"], world["verified"], days=30)
    world["admin"].post(f"/en/opportunities/{item.pk}/close/")
    item.refresh_from_db()
    assert item.phase() == Phase.CLOSED
    later = (timezone.now() + timedelta(days=40)).strftime("%Y-%m-%dT%H:%M")
    world["admin"].post(f"/en/opportunities/{item.pk}/extend/", {"deadline_local": later})
    item.refresh_from_db()
    assert item.phase() == Phase.OPEN
    # Someone else may not.
    assert world["member"].post(f"/en/opportunities/{item.pk}/close/").status_code == 403


def test_listing_shows_deadline_in_the_posters_time_zone(world):
    deadline = timezone.now().replace(microsecond=0) + timedelta(days=20)
    make_opportunity(
        world["users"]["admin"], world["verified"], deadline=deadline, time_zone="Asia/Kolkata"
    )
    assert "Asia/Kolkata, UTC+0530" in world["anonymous"].get(INDEX).content.decode()


def test_a_member_also_sees_the_deadline_in_the_time_zone_of_their_profile(world):
    deadline = datetime(2031, 3, 1, 12, 0, tzinfo=UTC)
    item = make_opportunity(
        world["users"]["admin"], world["verified"], deadline=deadline, time_zone="Asia/Kolkata"
    )
    Profile.objects.filter(user=world["users"]["member"]).update(time_zone="America/Lima")
    for url in ("/en/opportunities/", f"/en/opportunities/{item.pk}/"):
        page = world["member"].get(url).content.decode()
        assert "March 1, 2031, 5:30 p.m." in page and "UTC+0530" in page  # the organiser's
        assert "Your time: March 1, 2031, 7 a.m." in page and "(America/Lima)" in page
        # Anonymous readers (a page cached for everyone) get the organiser's zone only; the
        # script adds the browser's.
        anonymous = world["anonymous"].get(url).content.decode()
        assert "Your time: March" not in anonymous
        assert 'data-your-time="Your time: {when}"' in anonymous


# --- Posting and review ------------------------------------------------------------------------


def test_posting_for_an_organisation_one_does_not_administer_is_refused(world):
    response = world["member"].post(
        "/en/opportunities/new/", _form(organisation=str(world["verified"].pk))
    )
    assert response.status_code in (403, 404)
    assert not Opportunity.objects.exists()


def test_first_posting_of_a_member_is_held_until_a_moderator_approves(world):
    world["member"].post("/en/opportunities/new/", _form(title="My first call"))
    item = Opportunity.objects.get()
    assert item.review == Review.HELD and item.status == Status.PUBLISHED
    url = f"/en/opportunities/{item.pk}/"
    assert world["anonymous"].get(url).status_code == 404
    assert "My first call" not in world["anonymous"].get(INDEX).content.decode()
    poster_page = world["member"].get(url)
    assert poster_page.status_code == 200 and "Held for review" in poster_page.content.decode()
    # A password alone is not enough to approve; the permission and a second factor are.
    world["moderator_password_only"].post(
        f"/en/opportunities/review/{item.pk}/", {"decision": "approve"}
    )
    item.refresh_from_db()
    assert item.review == Review.HELD
    assert world["member"].post(
        f"/en/opportunities/review/{item.pk}/", {"decision": "approve"}
    ).status_code in (302, 403)
    item.refresh_from_db()
    assert item.review == Review.HELD
    world["moderator"].post(f"/en/opportunities/review/{item.pk}/", {"decision": "approve"})
    item.refresh_from_db()
    assert item.review == Review.APPROVED
    assert world["anonymous"].get(url).status_code == 200
    assert "My first call" in world["anonymous"].get(INDEX).content.decode()


def test_unverified_organisation_is_held_and_marked(world):
    make_opportunity(world["users"]["admin"], world["verified"], title="Earlier one")
    world["admin"].post(
        "/en/opportunities/new/", _form(organisation=str(world["unverified"].pk), title="Unv")
    )
    assert Opportunity.objects.get(title="Unv").review == Review.HELD
    world["admin"].post(
        "/en/opportunities/new/", _form(organisation=str(world["verified"].pk), title="Ver")
    )
    assert Opportunity.objects.get(title="Ver").review == Review.NOT_NEEDED
    make_opportunity(world["users"]["member"], title="By a member")
    listing = world["anonymous"].get(INDEX).content.decode()
    assert "Posted by a member" in listing


# --- Bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "overrides",
    [
        {"deadline_local": (timezone.now() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")},
        {"title": "<b>Bold</b> title"},
        {"apply_url": "javascript:alert(1)"},
        {"apply_url": "http://example.org/plain"},
    ],
)
def test_bad_input_saves_nothing(world, overrides):
    response = world["member"].post("/en/opportunities/new/", _form(**overrides))
    assert response.status_code == 200
    assert "Nothing was saved" in response.content.decode()
    assert not Opportunity.objects.exists()


def test_markup_typed_in_the_description_is_stored_as_text_and_never_runs(world):
    world["member"].post(
        "/en/opportunities/new/",
        _form(description="<p>Hi</p><script>alert(1)</script><a href='javascript:x'>x</a>"),
    )
    item = Opportunity.objects.get()
    assert item.description == (
        "<p>&lt;p&gt;Hi&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;"
        "&lt;a href='javascript:x'&gt;x&lt;/a&gt;</p>"
    )
    page = world["member"].get(f"/en/opportunities/{item.pk}/").content.decode()
    assert "<script>alert(1)" not in page and "<a href='javascript" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# --- Your data ---------------------------------------------------------------------------------


def test_erasure_deletes_own_postings_and_keeps_the_organisations(world):
    admin = world["users"]["admin"]
    own = make_opportunity(admin, title="Own")
    org = make_opportunity(admin, world["verified"], title="Org")
    _erase(admin)
    assert not Opportunity.objects.filter(pk=own.pk).exists()
    org.refresh_from_db()
    assert org.poster is None


# --- Cost --------------------------------------------------------------------------------------


def test_listing_query_count_with_many_items(world):
    admin = world["users"]["admin"]
    for number in range(32):
        make_opportunity(admin, world["verified"], days=10 + number, title=f"Call {number}")
    world["member"].get(INDEX + "?page=2")  # warm the process memos (topics) and the session
    with CaptureQueriesContext(connection) as queries:
        response = world["member"].get(INDEX)
    assert response.status_code == 200 and "32 opportunities" in response.content.decode()
    assert len(queries) <= 12, "\n".join(q["sql"][:150] for q in queries.captured_queries)


def test_poster_edits_an_organisations_opportunity_and_others_cannot(world):
    item = make_opportunity(world["users"]["admin"], world["verified"], days=30)
    assert world["admin"].get("/en/opportunities/new/").status_code == 200
    form_page = world["admin"].get(f"/en/opportunities/{item.pk}/edit/")
    assert form_page.status_code == 200
    data = _form(title="Renamed call", organisation=str(world["verified"].pk))
    data.pop("publish")
    response = world["admin"].post(f"/en/opportunities/{item.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    item.refresh_from_db()
    assert item.title == "Renamed call" and item.organisation == world["verified"]
    assert world["member"].get(f"/en/opportunities/{item.pk}/edit/").status_code == 403


def test_archive_job_is_declared_to_the_worker():
    from django.utils.module_loading import import_string

    from core.registries import periodic_jobs

    job = next(job for job in periodic_jobs if job.key == "archive_closed_opportunities")
    assert import_string(job.task_path).func.__name__ == "archive_closed_opportunities"


def test_verified_only_filter(world):
    admin = world["users"]["admin"]
    make_opportunity(admin, world["verified"], title="From verified")
    make_opportunity(admin, world["unverified"], title="From unverified")
    listing = world["anonymous"].get(INDEX + "?verified=1").content.decode()
    assert "From verified" in listing and "From unverified" not in listing
