"""Who may do what with an organisation: the one set of answers every view asks.

Plain functions of (user, organisation); views call them and nothing else. "Moderator" here means
a holder of `organisations.verify_organisation` (granted to the Moderator and Administrator
roles); the views that act as one also pass the `core.guards.privileged` second-factor guard.
"""

from __future__ import annotations

from community.members.visibility import can_moderate_profiles

from .models import VERIFY_PERMISSION, Organisation, Role


def _signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated)


def is_moderator(user) -> bool:
    return _signed_in(user) and user.has_perm(VERIFY_PERMISSION)


def _role(user, organisation: Organisation) -> str | None:
    if not _signed_in(user):
        return None
    cache = getattr(organisation, "_roles", None)
    if cache is None:
        cache = organisation._roles = {}
    if user.pk not in cache:
        cache[user.pk] = (
            organisation.memberships.filter(user_id=user.pk).values_list("role", flat=True).first()
        )
    return cache[user.pk]


def remember_role(user, organisation: Organisation, role: str | None) -> None:
    """Record `user`'s role in `organisation` (None: not a member), read by the caller in a
    query of its own (an event page reads it with the event), so that the answers below cost
    no further query for this object."""
    if not _signed_in(user):
        return
    cache = getattr(organisation, "_roles", None)
    if cache is None:
        cache = organisation._roles = {}
    cache[user.pk] = role


def is_admin(user, organisation: Organisation) -> bool:
    return _role(user, organisation) == Role.ADMIN


def is_member(user, organisation: Organisation) -> bool:
    return _role(user, organisation) is not None


def can_view(user, organisation: Organisation) -> bool:
    """A hidden organisation is a 404 to all but its admins and moderators."""
    return not organisation.hidden or is_admin(user, organisation) or is_moderator(user)


def can_create(user) -> bool:
    return _signed_in(user)


def can_edit(user, organisation: Organisation) -> bool:
    return is_admin(user, organisation)


def can_manage_members(user, organisation: Organisation) -> bool:
    return is_admin(user, organisation)


def can_request_verification(user, organisation: Organisation) -> bool:
    return is_admin(user, organisation)


def can_see_contact(user, organisation: Organisation) -> bool:
    # Signed-in members only: an address on an open page is harvested by spammers.
    return _signed_in(user)


def can_see_protected_members(user, organisation: Organisation) -> bool:
    """Protected members of an organisation appear only to its admins and moderators."""
    return is_admin(user, organisation) or is_moderator(user) or can_moderate_profiles(user)


def can_read_evidence(user, verification_request) -> bool:
    """Verification documents: the organisation's admins and verifiers; a 404 to anyone else."""
    return is_admin(user, verification_request.organisation) or is_moderator(user)


def evidence_needs_second_factor(user, verification_request) -> bool:
    """A verifier reads others' documents through a permission: only with a second factor, as
    the verification queue itself asks. The organisation's own admins read theirs freely."""
    return not is_admin(user, verification_request.organisation)
