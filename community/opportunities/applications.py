"""Expressions of interest: applying, the poster's decision, withdrawing, and dropping CVs.

The views parse and authorise; these functions do the work and tell the other side through
`core.notify` (the notification centre, and e-mail in the recipient's language as they chose).
Who may apply is decided only in `refusal()`; repeated applying is slowed by
`core.ratelimit`. When an opportunity is archived its CVs are deleted (`drop_cvs`), while the
applications stay so both sides keep their history.
"""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from community.members.models import Profile
from community.members.visibility import display_name_for
from community.organisations.models import Role
from core.models import User
from core.notify import notify
from core.private_files import delete_private_file, private_storage
from core.ratelimit import hit

from . import permissions
from .models import Application, ApplicationStatus, Opportunity

PER_HOUR, PER_DAY = 10, 30
DECISIONS = (ApplicationStatus.SHORTLISTED, ApplicationStatus.DECLINED)


class Refused(Exception):
    """Why an application may not be sent or changed; `message` is translated for the member."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def refusal(user, opportunity: Opportunity) -> str | None:
    """Why `user` may not express interest in `opportunity` (translated), or None."""
    if not opportunity.takes_applications:
        return _("This opportunity takes applications on the poster's site.")
    if permissions.can_edit(user, opportunity):
        return _("You cannot apply to an opportunity you manage.")
    if not opportunity.is_public or opportunity.is_closed:
        return _("This opportunity no longer accepts applications.")
    if Application.objects.filter(opportunity=opportunity, applicant_id=user.pk).exists():
        return _("You have already expressed interest in this opportunity.")
    return None


def applicant_name(application: Application, viewer) -> str:
    """The applicant's name through the members' API: a protected applicant is still named to
    the poster, who is signed in; the application is theirs to see."""
    user = application.applicant
    try:
        profile = user.profile  # select_related("applicant__profile") by lists
    except Profile.DoesNotExist:
        return user.get_full_name() or user.get_short_name()
    return display_name_for(profile, viewer)


def apply(opportunity: Opportunity, applicant: User, form) -> Application:
    """Store a valid ApplicationForm (its CV privately), or raise Refused; tell the managers."""
    reason = refusal(applicant, opportunity)
    if reason is None and not (
        hit("apply-hour", str(applicant.pk), PER_HOUR, 3600)
        and hit("apply-day", str(applicant.pk), PER_DAY, 86400)
    ):
        reason = _("You have sent many expressions of interest recently: try again later.")
    if reason:
        raise Refused(reason)
    application = form.save(commit=False)
    application.opportunity = opportunity
    application.applicant = applicant
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:
        # Two submissions at once: the first one won. The CV was written before the refused
        # row, so it goes too: nothing of the second one stays.
        if application.cv:
            private_storage().delete(application.cv.name)
        raise Refused(_("You have already expressed interest in this opportunity.")) from None
    _tell_managers(application)
    return application


def decide(application: Application, status: str) -> None:
    """Shortlist or decline (the managers' decision); the applicant is told (`core.notify`)."""
    if status not in DECISIONS:
        raise Refused(_("Choose to shortlist or to decline."))
    if application.status == ApplicationStatus.WITHDRAWN:
        raise Refused(_("This member has withdrawn their expression of interest."))
    if application.status == status:
        return
    application.status = status
    application.save(update_fields=["status", "updated_at"])
    _tell_applicant(application)


def withdraw(application: Application) -> None:
    """The applicant takes their expression of interest back; their CV goes with it."""
    with transaction.atomic():
        delete_private_file(application.cv)
        application.cv = ""
        application.status = ApplicationStatus.WITHDRAWN
        application.save(update_fields=["cv", "status", "updated_at"])


def drop_cvs(opportunities: QuerySet[Opportunity]) -> int:
    """Delete the CV files of these opportunities' applications and clear the field."""
    holding = Application.objects.filter(opportunity__in=opportunities).exclude(cv="")
    with transaction.atomic():
        dropped = list(holding.select_for_update().only("pk", "cv"))
        for application in dropped:
            delete_private_file(application.cv)  # once the cleared field is committed
        Application.objects.filter(pk__in=[a.pk for a in dropped]).update(cv="")
    return len(dropped)


def managers(opportunity: Opportunity) -> list[User]:
    """Who receives the news of an application: the poster, else the organisation's admins."""
    if opportunity.poster is not None and opportunity.poster.is_active:
        return [opportunity.poster]
    if opportunity.organisation_id is None:
        return []
    return list(
        User.objects.filter(
            org_memberships__organisation_id=opportunity.organisation_id,
            org_memberships__role=Role.ADMIN,
            is_active=True,
        )
    )


def _tell_managers(application: Application) -> None:
    opportunity = application.opportunity
    for manager in managers(opportunity):
        # The name as this manager may see it (a protected member's stays hidden).
        notify(
            INTEREST_KIND,
            manager,
            target=opportunity,
            actor=application.applicant,
            name=applicant_name(application, manager),
            title=opportunity.title,
        )


def _tell_applicant(application: Application) -> None:
    # No actor: the poster's decision reaches the applicant whoever blocked whom.
    notify(
        DECISION_KIND,
        application.applicant,
        target=application.opportunity,
        status=application.status,
        title=application.opportunity.title,
    )


# --- Notification kinds (declared in declarations.py) -------------------------------------------

INTEREST_KIND = "opportunities.interest_received"
DECISION_KIND = "opportunities.interest_decision"


def describe_interest(notification) -> str:
    return (_(APPLIED_SUBJECT) % notification.data).replace("\n", " ")


def interest_url(notification) -> str:
    if notification.target_id is None:
        return reverse("members:dashboard")
    return reverse("opportunities:applicants", args=[notification.target_id])


def interest_details(notification) -> str:
    values = {**notification.data, "url": settings.SITE_URL + interest_url(notification)}
    return _(APPLIED_BODY) % values


def describe_decision(notification) -> str:
    subject = (
        SHORTLISTED_SUBJECT
        if notification.data.get("status") == ApplicationStatus.SHORTLISTED
        else DECLINED_SUBJECT
    )
    return (_(subject) % notification.data).replace("\n", " ")


def decision_url(notification) -> str:
    return reverse("members:dashboard")


def decision_details(notification) -> str:
    body = (
        SHORTLISTED_BODY
        if notification.data.get("status") == ApplicationStatus.SHORTLISTED
        else DECLINED_BODY
    )
    values = {**notification.data, "url": settings.SITE_URL + decision_url(notification)}
    return _(body) % values


# Literal msgids, translated in each recipient's language when the e-mail is sent.
APPLIED_SUBJECT = gettext_noop("%(name)s expressed interest in %(title)s")
APPLIED_BODY = gettext_noop(
    "%(name)s expressed interest in your opportunity %(title)s on Diaspora Hub. Read their "
    "message and shortlist or decline them here: %(url)s"
)
SHORTLISTED_SUBJECT = gettext_noop("You are shortlisted for %(title)s")
SHORTLISTED_BODY = gettext_noop(
    "Good news: the poster of %(title)s shortlisted your expression of interest. They may "
    "contact you. Follow your applications here: %(url)s"
)
DECLINED_SUBJECT = gettext_noop("Your expression of interest in %(title)s")
DECLINED_BODY = gettext_noop(
    "The poster of %(title)s has decided not to take your expression of interest further. "
    "Thank you for your interest. Follow your applications here: %(url)s"
)
