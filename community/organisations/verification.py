"""Asking to be verified, a moderator's decision, and losing verification on a change of identity.

The organisation's `verification` field is what every badge reads. A moderator's decision is
stored on the request (who, when, why) and each admin is told through `core.notify` (in the
notification centre, and by e-mail in their own language as they chose).

Decision: verification goes back to pending when the name or the type changes. The badge vouches
that *this name* is *this kind of body*; keeping it across a rename would let a verified
association become "Ministry of Foreign Affairs" with a government badge. The last approved
request is reopened with its evidence, so a moderator re-checks it without the admins having to
upload anything again. Other edits (description, logo, topics) keep the badge.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core.models import User
from core.notify import notify
from core.page_cache import invalidate_groups

from .models import (
    PAGE_GROUP,
    Organisation,
    RequestStatus,
    Role,
    Verification,
    VerificationRequest,
)


def request_verification(
    organisation: Organisation, form, requested_by: User
) -> VerificationRequest:
    """Store a valid request form (its document privately) and mark the organisation pending."""
    with transaction.atomic():
        request = form.save(commit=False)
        request.organisation = organisation
        request.requested_by = requested_by
        request.save()
        organisation.verification = Verification.PENDING
        organisation.save(update_fields=["verification"])
        invalidate_groups(PAGE_GROUP)
    return request


def _tell_admins(organisation: Organisation, decision: str, reason: str = "") -> None:
    admins = User.objects.filter(
        org_memberships__organisation=organisation,
        org_memberships__role=Role.ADMIN,
        is_active=True,
    )
    for admin in admins:
        # No actor: a moderator's decision reaches the admins even if one of them blocked them.
        notify(
            VERIFICATION_KIND,
            admin,
            target=organisation,
            decision=decision,
            organisation=organisation.name,
            reason=reason,
        )


# --- The notification kind (declared in declarations.py) ----------------------------------------

VERIFICATION_KIND = "organisations.verification"


def describe_decision(notification) -> str:
    values = {"organisation": notification.data.get("organisation", "")}
    if notification.data.get("decision") == "approved":
        return _(APPROVED_SUBJECT) % values
    return _(REJECTED_SUBJECT) % values


def decision_url(notification) -> str:
    organisation = notification.target
    if organisation is None:
        return reverse("organisations:index")
    return reverse("organisations:detail", args=[organisation.slug])


def decision_details(notification) -> str:
    values = {
        "organisation": notification.data.get("organisation", ""),
        "reason": notification.data.get("reason", ""),
        "url": settings.SITE_URL + decision_url(notification),
    }
    if notification.data.get("decision") == "approved":
        return _(APPROVED_BODY) % values
    return _(REJECTED_BODY) % values


def approve(verification_request: VerificationRequest, moderator: User) -> None:
    organisation = verification_request.organisation
    with transaction.atomic():
        verification_request.status = RequestStatus.APPROVED
        verification_request.decided_by = moderator
        verification_request.decided_at = timezone.now()
        verification_request.reason = ""
        verification_request.save()
        organisation.verification = Verification.VERIFIED
        organisation.verified_at = timezone.now()
        organisation.save(update_fields=["verification", "verified_at"])
        invalidate_groups(PAGE_GROUP)
    _tell_admins(organisation, "approved")


def reject(verification_request: VerificationRequest, moderator: User, reason: str) -> None:
    organisation = verification_request.organisation
    with transaction.atomic():
        verification_request.status = RequestStatus.REJECTED
        verification_request.decided_by = moderator
        verification_request.decided_at = timezone.now()
        verification_request.reason = reason
        verification_request.save()
        organisation.verification = Verification.REJECTED
        organisation.verified_at = None
        organisation.save(update_fields=["verification", "verified_at"])
        invalidate_groups(PAGE_GROUP)
    _tell_admins(organisation, "rejected", reason)


def identity_changed(organisation: Organisation) -> None:
    """Called when a verified organisation's name or type changed: back to pending."""
    last = organisation.verification_requests.filter(status=RequestStatus.APPROVED).last()
    organisation.verification = Verification.PENDING
    organisation.verified_at = None
    if last is not None:
        last.status = RequestStatus.PENDING
        last.decided_by = None
        last.decided_at = None
        last.reason = ""
        last.save()


APPROVED_SUBJECT = gettext_noop("%(organisation)s is now verified")
APPROVED_BODY = gettext_noop(
    "A moderator checked the evidence and verified %(organisation)s. Its badge now shows on its "
    "page: %(url)s"
)
REJECTED_SUBJECT = gettext_noop("%(organisation)s could not be verified")
REJECTED_BODY = gettext_noop(
    "A moderator could not verify %(organisation)s, for this reason:\n\n%(reason)s\n\nYou may "
    "ask again with more evidence: %(url)s"
)
