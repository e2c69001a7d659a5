"""Expressions of interest: applying with a private CV, the poster's private list and decisions,
what the applicant sees on /me/, who may see none of it, bad input, archiving, and erasure."""

from __future__ import annotations

import io
import json
import os
import zipfile
from datetime import timedelta

import pytest

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from community.opportunities.lifecycle import archive_closed
from community.opportunities.models import (
    CV_MAX_BYTES,
    Application,
    ApplicationStatus,
    ApplyMethod,
    Opportunity,
)
from community.organisations.models import Membership, Role
from core.private_files import private_file_url, private_storage
from core.yourdata import delete_account, export_zip
from tests.members.conftest import make_member
from tests.organisations.conftest import client_for, make_organisation

from .conftest import make_opportunity, opportunity_form

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MESSAGE = "I coordinated health workers in Dakar for six years."


@pytest.fixture
def eoi(world):
    """An on-site opportunity of a verified organisation (posted by its admin), an applicant, a
    non-admin member of that organisation and another organisation's admin."""
    users = world["users"]
    applicant, _ = make_member(display_name="Awa Applicant")
    org_member, _ = make_member(display_name="Org Member")
    other_admin, _ = make_member(display_name="Other Admin")
    Membership.objects.create(organisation=world["verified"], user=org_member, role=Role.MEMBER)
    make_organisation(other_admin, name="Other Organisation")
    opportunity = make_opportunity(
        users["admin"], world["verified"], apply_method=ApplyMethod.ON_SITE, apply_url=""
    )
    world["users"].update(applicant=applicant, org_member=org_member, other_admin=other_admin)
    world.update(
        opportunity=opportunity,
        applicant=client_for(applicant),
        org_member=client_for(org_member),
        other_admin=client_for(other_admin),
    )
    return world


def _apply(world, client_key: str = "applicant", **overrides):
    data = {"message": MESSAGE, "cv": SimpleUploadedFile("awa-cv.pdf", PDF)}
    data.update(overrides)
    data = {key: value for key, value in data.items() if value is not None}
    return world[client_key].post(f"/en/opportunities/{world['opportunity'].pk}/apply/", data)


def _applied(world) -> Application:
    response = _apply(world)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Application.objects.get(opportunity=world["opportunity"])


def _cv_files() -> set[str]:
    storage = private_storage()
    if not storage.exists("opportunity_cv"):
        return set()
    keys, _files = storage.listdir("opportunity_cv")
    # A deleted file leaves its empty key folder behind: count the files.
    return {f"{key}/{name}" for key in keys for name in storage.listdir(f"opportunity_cv/{key}")[1]}


# --- Applying and following it -----------------------------------------------------------------


def test_a_member_expresses_interest_and_follows_it_on_their_dashboard(
    eoi, django_capture_on_commit_callbacks
):
    page = eoi["applicant"].get(f"/en/opportunities/{eoi['opportunity'].pk}/").content.decode()
    assert "Send my expression of interest" in page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # the notification's e-mail
        application = _applied(eoi)
    assert application.message == MESSAGE
    assert application.status == ApplicationStatus.SUBMITTED
    # The poster is told, with the link to the private list.
    assert [message.to for message in mail.outbox] == [[eoi["users"]["admin"].email]]
    assert "Awa Applicant" in mail.outbox[0].subject
    assert f"/opportunities/{eoi['opportunity'].pk}/applicants/" in mail.outbox[0].body
    dashboard = eoi["applicant"].get("/en/me/").content.decode()
    assert "Your expressions of interest" in dashboard
    assert "Community health coordinator" in dashboard and "Sent" in dashboard
    page = eoi["applicant"].get(f"/en/opportunities/{eoi['opportunity'].pk}/").content.decode()
    assert "You expressed interest on" in page
    assert "Send my expression of interest" not in page
    # Both of the page's reads are compiled once per process (`core.compiled_queries`): a shape
    # whose values stopped matching the ORM's would silently compile on every view.
    from community.opportunities import views

    assert set(views._compiled._plans) >= {"opportunity", "my application"}
    assert all(views._compiled._plans.values())


def test_anonymous_readers_are_asked_to_log_in_to_express_interest(eoi):
    page = eoi["anonymous"].get(f"/en/opportunities/{eoi['opportunity'].pk}/").content.decode()
    assert "Log in to express interest" in page
    assert "Send my expression of interest" not in page
    response = _apply(eoi, "anonymous")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Application.objects.exists()


def test_the_poster_sees_the_applicants_message_and_cv(eoi):
    application = _applied(eoi)
    listing = eoi["admin"].get(f"/en/opportunities/{eoi['opportunity'].pk}/applicants/")
    html = listing.content.decode()
    assert listing.status_code == 200
    assert "Awa Applicant" in html and MESSAGE in html
    cv_url = private_file_url(application.cv)
    assert cv_url in html
    download = eoi["admin"].get(cv_url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    # The detail page counts them, for the poster only.
    detail = eoi["admin"].get(f"/en/opportunities/{eoi['opportunity'].pk}/").content.decode()
    assert "1 member has expressed interest." in detail


def test_the_organisations_other_admins_see_the_applicants_too(eoi):
    second_admin, _ = make_member(display_name="Second Admin")
    Membership.objects.create(organisation=eoi["verified"], user=second_admin, role=Role.ADMIN)
    application = _applied(eoi)
    client = client_for(second_admin)
    listing = client.get(f"/en/opportunities/{eoi['opportunity'].pk}/applicants/")
    assert "Awa Applicant" in listing.content.decode()
    assert client.get(private_file_url(application.cv)).status_code == 200


def test_shortlisting_and_declining_reach_the_applicant_in_their_language(
    eoi, django_capture_on_commit_callbacks
):
    applicant = eoi["users"]["applicant"]
    applicant.preferred_language = "fr"
    applicant.save()
    application = _applied(eoi)
    mail.outbox.clear()
    status_url = f"/en/opportunities/applications/{application.pk}/status/"
    with django_capture_on_commit_callbacks(execute=True):
        eoi["admin"].post(status_url, {"status": "shortlisted"})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SHORTLISTED
    assert [message.to for message in mail.outbox] == [[applicant.email]]
    assert "Community health coordinator" in mail.outbox[0].subject
    assert "/fr/me/" in mail.outbox[0].body  # their dashboard, in their language
    assert "Shortlisted" in eoi["applicant"].get("/en/me/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        eoi["admin"].post(status_url, {"status": "declined"})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DECLINED
    assert "Declined" in eoi["applicant"].get("/en/me/").content.decode()
    assert len(mail.outbox) == 2


def test_a_status_that_is_neither_shortlist_nor_decline_changes_nothing(eoi):
    application = _applied(eoi)
    eoi["admin"].post(
        f"/en/opportunities/applications/{application.pk}/status/", {"status": "withdrawn"}
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_the_applicant_withdraws_and_their_cv_goes(eoi, django_capture_on_commit_callbacks):
    application = _applied(eoi)
    path = private_storage().path(application.cv.name)
    with django_capture_on_commit_callbacks(execute=True):
        response = eoi["applicant"].post(
            f"/en/opportunities/applications/{application.pk}/withdraw/"
        )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    assert not application.cv and not os.path.exists(path)
    assert "Withdrawn" in eoi["applicant"].get("/en/me/").content.decode()


def test_the_poster_is_told_of_waiting_applicants_on_their_dashboard(eoi):
    _applied(eoi)
    dashboard = eoi["admin"].get("/en/me/").content.decode()
    assert "Applicants waiting for an answer" in dashboard
    assert "1 applicant waiting" in dashboard
    other = eoi["member"].get("/en/me/").content.decode()
    assert "Applicants waiting for an answer" not in other


def test_a_protected_applicant_is_still_named_to_the_poster(eoi):
    profile = eoi["users"]["applicant"].profile
    profile.protected = True
    profile.save()
    _applied(eoi)
    listing = eoi["admin"].get(f"/en/opportunities/{eoi['opportunity'].pk}/applicants/")
    assert "Awa Applicant" in listing.content.decode()


# --- Nobody else sees who applied ----------------------------------------------------------------


@pytest.mark.parametrize(
    "viewer", ["anonymous", "member", "org_member", "other_admin", "moderator"]
)
def test_nobody_else_sees_the_applicants_or_their_cv(eoi, viewer):
    application = _applied(eoi)
    pk = eoi["opportunity"].pk
    listing = eoi[viewer].get(f"/en/opportunities/{pk}/applicants/")
    if viewer == "anonymous":
        assert listing.status_code == 302 and "/accounts/login/" in listing["Location"]
    else:
        assert listing.status_code in (403, 404)
    assert "Awa Applicant" not in listing.content.decode()
    assert eoi[viewer].get(private_file_url(application.cv)).status_code == 404
    detail = eoi[viewer].get(f"/en/opportunities/{pk}/").content.decode()
    assert "Awa Applicant" not in detail and "expressed interest" not in detail


@pytest.mark.parametrize("viewer", ["member", "org_member", "other_admin", "moderator"])
def test_nobody_else_decides_or_withdraws(eoi, viewer):
    application = _applied(eoi)
    decided = eoi[viewer].post(
        f"/en/opportunities/applications/{application.pk}/status/", {"status": "declined"}
    )
    withdrawn = eoi[viewer].post(f"/en/opportunities/applications/{application.pk}/withdraw/")
    assert decided.status_code == 404 and withdrawn.status_code == 404
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED and application.cv


def test_the_cv_address_is_not_guessable_and_has_no_public_url(eoi, settings):
    application = _applied(eoi)
    kind, key, name = application.cv.name.split("/", 2)
    assert kind == "opportunity_cv" and len(key) >= 43 and name == "awa-cv.pdf"
    assert str(settings.MEDIA_ROOT) not in private_storage().path(application.cv.name)
    with pytest.raises(ValueError):
        application.cv.url  # noqa: B018 - private files refuse to give a public address
    guessed = private_file_url(application.cv).replace(key, "A" * len(key))
    assert eoi["admin"].get(guessed).status_code == 404


# --- Refusals and bad input ----------------------------------------------------------------------


def test_a_cv_of_the_wrong_type_is_refused_and_nothing_is_saved(eoi):
    before = _cv_files()
    page_as_pdf = SimpleUploadedFile("cv.pdf", b"<html><script>alert(1)</script></html>")
    response = _apply(eoi, cv=page_as_pdf)
    assert response.status_code == 400
    assert "content does not match its name" in response.content.decode()
    assert "Nothing was sent" in response.content.decode()
    response = _apply(eoi, cv=SimpleUploadedFile("cv.exe", b"MZ..."))
    assert "Files of this type are not accepted" in response.content.decode()
    assert not Application.objects.exists()
    assert _cv_files() == before


def test_an_oversized_cv_is_refused_and_the_message_is_kept(eoi):
    before = _cv_files()
    big = SimpleUploadedFile("cv.pdf", PDF + b"0" * CV_MAX_BYTES)
    response = _apply(eoi, cv=big)
    html = response.content.decode()
    assert response.status_code == 400 and "This file is too large" in html
    assert MESSAGE in html  # what the member typed is still in the form
    assert not Application.objects.exists()
    assert _cv_files() == before


def test_markup_in_the_message_is_refused(eoi):
    response = _apply(eoi, message="Hire me <script>alert(1)</script>")
    assert response.status_code == 400
    assert "Only plain text is accepted here" in response.content.decode()
    assert not Application.objects.exists()


def test_the_cv_is_optional(eoi):
    response = _apply(eoi, cv=None)
    assert response.status_code == 302
    assert not Application.objects.get().cv


def test_a_closed_opportunity_refuses_applications(eoi):
    Opportunity.objects.filter(pk=eoi["opportunity"].pk).update(
        deadline=timezone.now() - timedelta(hours=1)
    )
    page = eoi["applicant"].get(f"/en/opportunities/{eoi['opportunity'].pk}/").content.decode()
    assert "Send my expression of interest" not in page
    response = _apply(eoi)
    assert response.status_code == 302
    assert not Application.objects.exists()
    follow = eoi["applicant"].get(response["Location"]).content.decode()
    assert "no longer accepts applications" in follow


def test_a_second_application_to_the_same_opportunity_is_refused(eoi):
    _applied(eoi)
    _apply(eoi, message="Again")
    assert Application.objects.filter(opportunity=eoi["opportunity"]).count() == 1
    assert Application.objects.get().message == MESSAGE


def test_two_applications_at_once_keep_one_and_leave_no_stray_cv(eoi, monkeypatch):
    from community.opportunities import applications

    _applied(eoi)
    before = _cv_files()
    # The second request passed the check before the first one was stored.
    monkeypatch.setattr(applications, "refusal", lambda user, opportunity: None)
    response = _apply(eoi, message="Again")
    assert response.status_code == 302
    assert Application.objects.filter(opportunity=eoi["opportunity"]).count() == 1
    assert _cv_files() == before
    follow = eoi["applicant"].get(response["Location"]).content.decode()
    assert "already expressed interest" in follow


def test_applying_too_often_is_slowed_down(eoi, monkeypatch):
    from community.opportunities import applications

    monkeypatch.setattr(applications, "PER_HOUR", 1)
    _applied(eoi)
    second = make_opportunity(
        eoi["users"]["admin"], eoi["verified"], title="Second call", apply_method="on_site"
    )
    response = eoi["applicant"].post(f"/en/opportunities/{second.pk}/apply/", {"message": MESSAGE})
    follow = eoi["applicant"].get(response["Location"]).content.decode()
    assert "You have sent many expressions of interest recently" in follow
    assert not Application.objects.filter(opportunity=second).exists()


def test_nobody_applies_to_their_own_opportunity_or_one_that_takes_a_link(eoi):
    _apply(eoi, "admin")
    assert not Application.objects.exists()
    linked = make_opportunity(eoi["users"]["admin"], eoi["verified"], title="Linked call")
    eoi["applicant"].post(f"/en/opportunities/{linked.pk}/apply/", {"message": MESSAGE})
    assert not Application.objects.exists()


def test_a_draft_opportunity_is_a_404_to_applicants(eoi):
    Opportunity.objects.filter(pk=eoi["opportunity"].pk).update(status="draft")
    assert _apply(eoi).status_code == 404
    assert not Application.objects.exists()


# --- Archiving and erasure -----------------------------------------------------------------------


def test_archiving_deletes_the_cv_file_and_keeps_the_application(
    eoi, django_capture_on_commit_callbacks
):
    application = _applied(eoi)
    path = private_storage().path(application.cv.name)
    assert os.path.exists(path)
    Opportunity.objects.filter(pk=eoi["opportunity"].pk).update(
        deadline=timezone.now() - timedelta(days=100)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert archive_closed() == 1
    application.refresh_from_db()
    assert not application.cv
    assert not os.path.exists(path)
    assert application.status == ApplicationStatus.SUBMITTED
    listing = eoi["admin"].get(f"/en/opportunities/{eoi['opportunity'].pk}/applicants/")
    assert "Awa Applicant" in listing.content.decode()
    assert "Download the CV" not in listing.content.decode()


def test_your_data_holds_the_application_and_its_cv(eoi):
    application = _applied(eoi)
    archive = zipfile.ZipFile(io.BytesIO(export_zip(eoi["users"]["applicant"]).read()))
    data = json.loads(archive.read("data.json"))
    assert json.dumps(data).count(MESSAGE) == 1
    name = f"files/opportunity_applications/cv-{application.pk}-awa-cv.pdf"
    assert archive.read(name) == PDF


def test_deleting_the_account_erases_applications_and_cvs(
    eoi, rf, django_capture_on_commit_callbacks
):
    application = _applied(eoi)
    path = private_storage().path(application.cv.name)
    with django_capture_on_commit_callbacks(execute=True):
        delete_account(eoi["users"]["applicant"], rf.get("/en/accounts/delete/"))
    assert not Application.objects.exists()
    assert not os.path.exists(path)


# --- Choosing how people apply -------------------------------------------------------------------


def _form(**overrides) -> dict:
    return opportunity_form(**{"apply_url": "", **overrides})


def test_a_link_is_required_only_when_people_apply_on_the_posters_site(eoi):
    response = eoi["member"].post("/en/opportunities/new/", _form())
    assert "Give the link where people apply" in response.content.decode()
    assert not Opportunity.objects.filter(title="Data analyst").exists()
    response = eoi["member"].post("/en/opportunities/new/", _form(apply_method="on_site"))
    assert response.status_code == 302
    created = Opportunity.objects.get(title="Data analyst")
    assert created.apply_method == ApplyMethod.ON_SITE and created.apply_url == ""
