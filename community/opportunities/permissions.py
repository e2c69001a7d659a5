"""Who may do what with an opportunity: the one set of answers every view asks.

Posting for an organisation needs being its admin (organisations' own answer); editing, closing
and extending belong to the poster and the organisation's admins; moderators hold
`moderation.moderate_community` and their views also pass `core.guards.privileged`; they decide
on held opportunities except those they could edit (`can_decide_review`).

Expressions of interest are private between the applicant and the opportunity's managers (its
poster and its organisation's admins): not moderators, not the organisation's other members.
"""

from __future__ import annotations

from community.moderation.models import MODERATE_PERMISSION
from community.organisations import permissions as org_permissions

from .models import Application, Opportunity


def _signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated)


def is_moderator(user) -> bool:
    return _signed_in(user) and user.has_perm(MODERATE_PERMISSION)


def can_decide_review(user, opportunity: Opportunity) -> bool:
    """Approving, sending back or hiding a held opportunity: moderators, but never on one they
    could edit themselves (their own, or their organisation's): nobody reviews their own."""
    return is_moderator(user) and not can_edit(user, opportunity)


def can_post(user) -> bool:
    return _signed_in(user)


def can_post_for(user, organisation) -> bool:
    """None means "as myself"; an organisation only by its admins."""
    if not _signed_in(user):
        return False
    return organisation is None or org_permissions.is_admin(user, organisation)


def can_edit(user, opportunity: Opportunity) -> bool:
    if not _signed_in(user):
        return False
    if opportunity.poster_id == user.pk:
        return True
    return opportunity.organisation is not None and org_permissions.is_admin(
        user, opportunity.organisation
    )


def can_view(user, opportunity: Opportunity) -> bool:
    """Drafts, held and hidden ones: only their poster, their organisation's admins and
    moderators (a 404 to anyone else)."""
    return opportunity.is_public or can_edit(user, opportunity) or is_moderator(user)


def can_manage_applications(user, opportunity: Opportunity) -> bool:
    """Who sees the applicants, their messages and CVs, and shortlists or declines them."""
    return can_edit(user, opportunity)


def can_read_cv(user, application: Application) -> bool:
    """A CV: its applicant and the opportunity's managers; a 404 to anyone else."""
    if not _signed_in(user):
        return False
    return application.applicant_id == user.pk or can_manage_applications(
        user, application.opportunity
    )
