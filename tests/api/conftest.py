"""The open-data API's test world: every kind of caller, and one of each thing the site hides.

Built on the forums' world (an organisation with its admin and member, a plain member, a
moderator with a second factor, a public forum and the organisation's members-only forum).
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from django.core.files.base import ContentFile
from django.utils import timezone

from community.forums import posting
from community.forums.models import Post
from community.opportunities.models import Application, Opportunity, Review, Status
from community.organisations.models import Verification, VerificationRequest
from tests.forums.conftest import forums  # noqa: F401  (fixture)
from tests.members.conftest import make_member
from tests.opportunities.conftest import make_opportunity
from tests.organisations.conftest import client_for, make_organisation, world  # noqa: F401

ROLES = ("anonymous", "member", "admin", "moderator")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def problem_of(response, status: int) -> dict:
    """The problem details document of `response`, checked for its RFC 9457 shape."""
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/problem+json")
    data = response.json()
    assert data["status"] == status
    assert data["type"].startswith("tag:") and data["title"] and data["detail"]
    assert "Traceback" not in response.content.decode()
    return data


@pytest.fixture
def wsgi_app(db, settings):
    """The site as a WSGI app, for tools that speak HTTP (schemathesis, a generated client),
    inside the test's transaction; no throttling of their many requests from one address."""
    from django.core.signals import request_finished, request_started
    from django.core.wsgi import get_wsgi_application
    from django.db import close_old_connections

    settings.API_THROTTLE_RATES = {}
    # As Django's test client does: the app must not close the test's connection between
    # requests (its transaction holds the test database's state).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def hidden_world(forums):  # noqa: F811
    """One of each thing the site hides from the public, beside public twins."""
    users = forums["users"]
    admin = users["admin"]
    organisation = forums["organisation"]
    organisation.verification = Verification.VERIFIED
    organisation.save()
    hidden_org = make_organisation(make_member()[0], name="Hidden Collective", hidden=True)
    now = timezone.now()
    opportunities = {
        "open": make_opportunity(admin, organisation, title="Open public call"),
        "closed": make_opportunity(
            admin, organisation, title="Closed public call", deadline=now - timedelta(days=2)
        ),
        "draft": make_opportunity(admin, organisation, title="Draft call", status=Status.DRAFT),
        "held": make_opportunity(admin, organisation, title="Held call", review=Review.HELD),
        "hidden": make_opportunity(admin, organisation, title="Hidden call", hidden=True),
        "hidden_org": make_opportunity(admin, hidden_org, title="Call of a hidden org"),
    }
    public_member, _ = make_member(
        display_name="Public Person",
        headline="Remittance researcher",
        bio="Members-only biography",
        city="Secretcity",
        in_directory=True,
    )
    protected, _ = make_member(
        display_name="Protected Person", headline="At risk", in_directory=True, protected=True
    )
    hidden_thread = posting.start_thread(
        forums["public"], users["member"], "Hidden thread title", "Hidden thread body"
    )
    hidden_thread.hidden = True
    hidden_thread.save()
    hidden_post = posting.reply(forums["thread"], users["member"], "Hidden post body")
    Post.objects.filter(pk=hidden_post.pk).update(hidden=True)
    held_post = posting.reply(forums["thread"], users["member"], "Held post body")
    Post.objects.filter(pk=held_post.pk).update(held=True)
    # An expression of interest (its CV and cover note are for the poster's eyes only), and a
    # verification request with its evidence (for the moderators only).
    applicant, _ = make_member(display_name="Aminata Applicant", in_directory=False)
    application = Application.objects.create(
        opportunity=opportunities["open"],
        applicant=applicant,
        message="Cover note: I ran the diaspora bond study",
        cv=ContentFile(PDF, name="aminata-cv.pdf"),
    )
    verification = VerificationRequest.objects.create(
        organisation=organisation,
        requested_by=admin,
        registration_number="REG-SECRET-4471",
        document=ContentFile(PDF, name="registration-certificate.pdf"),
    )
    # The protected member takes part in a public forum: the posts are public, the name is not.
    protected_thread = posting.start_thread(
        forums["public"],
        protected,
        "Question asked under protection",
        "Body of the protected member's question",
    )
    protected_reply = posting.reply(forums["thread"], protected, "Reply written under protection")
    return {
        **forums,
        "hidden_org": hidden_org,
        "opportunities": opportunities,
        "public_member": public_member.profile,
        "protected": protected.profile,
        "hidden_thread": hidden_thread,
        "hidden_post": hidden_post,
        "held_post": held_post,
        "application": application,
        "verification": verification,
        "protected_thread": protected_thread,
        "protected_reply": protected_reply,
    }


__all__ = ["ROLES", "Opportunity", "client_for", "problem_of"]
