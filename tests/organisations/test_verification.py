"""Verification: private evidence, a moderator's decision, the e-mail, the badges."""

from __future__ import annotations

import pytest

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from community.organisations.models import (
    Organisation,
    RequestStatus,
    Verification,
    VerificationRequest,
)
from core.private_files import private_file_url

pytestmark = pytest.mark.django_db
VERIFY = "/en/organisations/dakar-health-network/verification/"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _ask(world) -> VerificationRequest:
    response = world["admin"].post(
        VERIFY,
        {
            "registration_number": "SN-2019-4411",
            "email_domain": "@Dakar-Health.example.org",
            "document": SimpleUploadedFile("certificate.pdf", PDF),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return VerificationRequest.objects.get(organisation=world["organisation"])


def test_an_admin_asks_to_be_verified_with_evidence(world):
    request = _ask(world)
    assert request.email_domain == "dakar-health.example.org"
    assert request.status == RequestStatus.PENDING
    world["organisation"].refresh_from_db()
    assert world["organisation"].verification == Verification.PENDING
    page = world["anonymous"].get("/en/organisations/dakar-health-network/").content.decode()
    assert "Not verified" in page


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [
        ("anonymous", 404),
        ("member", 404),
        ("org_member", 404),
        ("other_admin", 404),
        ("admin", 200),
        ("moderator", 200),
    ],
)
def test_the_evidence_file_is_a_404_to_strangers(world, viewer, expected):
    url = private_file_url(_ask(world).document)
    response = world[viewer].get(url)
    assert response.status_code == expected
    if expected == 200:
        assert b"".join(response.streaming_content) == PDF


def test_a_verifier_without_a_second_factor_in_this_session_is_asked_for_one_first(world):
    url = private_file_url(_ask(world).document)
    response = world["moderator_password_only"].get(url)
    assert response.status_code == 302
    assert "/accounts/" in response.headers["Location"]
    assert not hasattr(response, "streaming_content")


def test_a_moderator_approves_and_the_admin_is_told_in_their_language(
    world, django_capture_on_commit_callbacks
):
    admin = world["users"]["admin"]
    admin.preferred_language = "fr"
    admin.save()
    request = _ask(world)
    queue = world["moderator"].get("/en/organisations/verification/").content.decode()
    assert "Dakar Health Network" in queue and "SN-2019-4411" in queue
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # the notification's e-mail
        world["moderator"].post(
            f"/en/organisations/verification/{request.pk}/", {"decision": "approve"}
        )
    organisation = Organisation.objects.get(pk=world["organisation"].pk)
    assert organisation.verification == Verification.VERIFIED
    assert [message.to for message in mail.outbox] == [[admin.email]]
    assert "/fr/organisations/dakar-health-network/" in mail.outbox[0].body
    page = world["anonymous"].get("/en/organisations/dakar-health-network/").content.decode()
    assert "badge-verified" in page and "Not verified" not in page
    index = world["anonymous"].get("/en/organisations/").content.decode()
    assert "badge-verified" in index


def test_a_rejection_needs_a_reason_which_the_admins_receive(
    world, django_capture_on_commit_callbacks
):
    request = _ask(world)
    path = f"/en/organisations/verification/{request.pk}/"
    world["moderator"].post(path, {"decision": "reject", "reason": ""})
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        world["moderator"].post(
            path, {"decision": "reject", "reason": "The number is not on file."}
        )
    request.refresh_from_db()
    assert request.status == RequestStatus.REJECTED
    assert "The number is not on file." in mail.outbox[0].body
    world["organisation"].refresh_from_db()
    assert world["organisation"].verification == Verification.REJECTED


def test_a_decision_needs_the_permission_and_a_second_factor(world):
    request = _ask(world)
    path = f"/en/organisations/verification/{request.pk}/"
    for viewer in ("admin", "member", "moderator_password_only"):
        world[viewer].post(path, {"decision": "approve"})
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING


@pytest.mark.parametrize(
    ("kind", "badge"),
    [
        ("government", "Verified government body"),
        ("international", "Verified international organisation"),
        ("ngo", "Verified"),
    ],
)
def test_government_and_international_badges_differ_from_the_plain_one(world, kind, badge):
    organisation = world["organisation"]
    organisation.type = kind
    organisation.verification = Verification.VERIFIED
    organisation.save()
    page = world["anonymous"].get("/en/organisations/dakar-health-network/").content.decode()
    assert f">{badge}</span>" in page


def test_renaming_a_verified_organisation_sends_it_back_to_pending(world):
    request = _ask(world)
    world["moderator"].post(
        f"/en/organisations/verification/{request.pk}/", {"decision": "approve"}
    )
    world["admin"].post(
        "/en/organisations/dakar-health-network/edit/",
        {"name": "Ministry of Health", "type": "government"},
    )
    organisation = Organisation.objects.get(pk=world["organisation"].pk)
    assert organisation.name == "Ministry of Health"
    assert organisation.verification == Verification.PENDING
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING
    page = world["anonymous"].get("/en/organisations/dakar-health-network/").content.decode()
    assert "Verified government body" not in page and "Not verified" in page


def test_a_description_edit_keeps_the_badge(world):
    request = _ask(world)
    world["moderator"].post(
        f"/en/organisations/verification/{request.pk}/", {"decision": "approve"}
    )
    world["admin"].post(
        "/en/organisations/dakar-health-network/edit/",
        {"name": "Dakar Health Network", "type": "diaspora", "description": "<p>New words</p>"},
    )
    assert Organisation.objects.get(pk=world["organisation"].pk).is_verified
