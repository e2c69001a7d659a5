"""Joining, inviting, removing and changing roles: the only code that writes memberships.

Every change keeps the rule that an organisation always has at least one admin: removing or
demoting the last one raises `MembershipError` with a translated reason. The admin rows are
locked while counting, so two admins demoting each other at once cannot both succeed.
Invitations are made only for addresses that have an account, but `invite` returns nothing that
says which: the view tells the admin the same sentence either way.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from core.emails import canonical_email
from core.models import User
from core.page_cache import invalidate_groups

from .models import PAGE_GROUP, Invitation, Membership, Organisation, Role


class MembershipError(Exception):
    """A change refused, with a reason to show the admin."""


def _last_admin_reason(organisation: Organisation) -> str:
    return _(
        "%(organisation)s must keep at least one administrator: make someone else an "
        "administrator first."
    ) % {"organisation": organisation.name}


def _admin_count(organisation: Organisation) -> int:
    admins = Membership.objects.select_for_update().filter(
        organisation=organisation, role=Role.ADMIN
    )
    return len(list(admins))


def remove_member(organisation: Organisation, membership: Membership) -> None:
    with transaction.atomic():
        if membership.role == Role.ADMIN and _admin_count(organisation) <= 1:
            raise MembershipError(_last_admin_reason(organisation))
        membership.delete()
        invalidate_groups(PAGE_GROUP)


def set_role(organisation: Organisation, membership: Membership, role: str) -> None:
    if role not in Role.values:
        raise MembershipError(_("Unknown role."))
    with transaction.atomic():
        if membership.role == Role.ADMIN and role != Role.ADMIN and _admin_count(organisation) <= 1:
            raise MembershipError(_last_admin_reason(organisation))
        membership.role = role
        membership.save(update_fields=["role"])
        invalidate_groups(PAGE_GROUP)


def invite(organisation: Organisation, email: str, invited_by: User) -> None:
    """Invite the member with this address, if there is one, and tell them by e-mail.

    Returns nothing either way, so the caller cannot tell an admin whether the address exists.
    """
    address = canonical_email(email)
    user = User.objects.filter(email_canonical=address, is_active=True).first()
    if user is None or Membership.objects.filter(organisation=organisation, user=user).exists():
        return
    _invitation, created = Invitation.objects.get_or_create(
        organisation=organisation, user=user, defaults={"invited_by": invited_by}
    )
    if created:
        language = getattr(user, "preferred_language", "") or translation.get_language()
        with translation.override(language):
            url = settings.SITE_URL + reverse("organisations:invitations")
            send_mail(
                _("%(organisation)s invites you to join it") % {"organisation": organisation.name},
                _(
                    "%(organisation)s invites you to join it on Diaspora Hub. Accept or decline "
                    "the invitation here: %(url)s"
                )
                % {"organisation": organisation.name, "url": url},
                None,
                [user.email],
            )


def accept(invitation: Invitation) -> Membership:
    with transaction.atomic():
        membership, _created = Membership.objects.get_or_create(
            organisation=invitation.organisation,
            user=invitation.user,
            defaults={"role": Role.MEMBER},
        )
        invitation.delete()
        invalidate_groups(PAGE_GROUP)
    return membership


def found(organisation: Organisation, creator: User) -> Membership:
    """The creator of a new organisation becomes its first admin."""
    return Membership.objects.create(organisation=organisation, user=creator, role=Role.ADMIN)
