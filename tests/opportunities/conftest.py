"""Opportunities, their posters and every kind of viewer, for these tests."""

from __future__ import annotations

from datetime import timedelta

import pytest

from django.test import Client
from django.utils import timezone

from community.opportunities.models import Opportunity, Review, Status
from community.organisations.models import Verification
from tests.factories import sign_in_with_second_factor
from tests.members.conftest import make_member
from tests.organisations.conftest import client_for, make_organisation


def make_opportunity(poster, organisation=None, days: float = 30, **fields) -> Opportunity:
    fields.setdefault("title", "Community health coordinator")
    fields.setdefault("type", "job")
    fields.setdefault("description", "<p>Join us.</p>")
    fields.setdefault("apply_url", "https://example.org/apply")
    fields.setdefault("status", Status.PUBLISHED)
    fields.setdefault("review", Review.APPROVED)
    return Opportunity.objects.create(
        poster=poster,
        organisation=organisation,
        deadline=fields.pop("deadline", timezone.now() + timedelta(days=days)),
        **fields,
    )


def opportunity_form(**overrides) -> dict:
    """What the posting form sends for a valid opportunity, with `overrides`."""
    data = {
        "type": "job",
        "title": "Data analyst",
        "description": "<p>Analyse remittance data.</p>",
        "work_mode": "remote",
        "deadline_local": (timezone.now() + timedelta(days=20)).strftime("%Y-%m-%dT%H:%M"),
        "time_zone": "Africa/Dakar",
        "apply_method": "link",
        "apply_url": "https://example.org/apply",
        "publish": "1",
    }
    data.update(overrides)
    return data


@pytest.fixture
def world():
    # The template database holds the demo's opportunities; these tests count their own.
    Opportunity.objects.all().delete()
    admin, _ = make_member(display_name="Org Admin")
    member, _ = make_member(display_name="Plain Member")
    moderator, _ = make_member(role="Moderator", display_name="Mod Erator")
    verified = make_organisation(admin, name="Verified Network", verification=Verification.VERIFIED)
    unverified = make_organisation(admin, name="New Collective")
    strong = Client()
    sign_in_with_second_factor(strong, moderator)
    return {
        "verified": verified,
        "unverified": unverified,
        "users": {"admin": admin, "member": member, "moderator": moderator},
        "anonymous": client_for(None),
        "member": client_for(member),
        "admin": client_for(admin),
        "moderator_password_only": client_for(moderator),
        "moderator": strong,
    }
