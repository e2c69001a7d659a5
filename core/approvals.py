"""An administrator's approval of a staff member's two-factor set-up, instead of the e-mailed link.

Staff without a usable verified address cannot receive the link of `core.enrolment`. An
administrator (whoever holds `APPROVE_PERMISSION`, checked by the `core.guards.privileged` rule,
so with a second factor of their own in this session) picks the member on a small page and gets
a one-time code to tell them by phone or in person. The member types it on their set-up page, in
their own signed-in session. The code:

- never reaches the member's account or mailbox, so someone holding only the password has
  nothing to use;
- is single-use, expires (`CODE_LIFETIME`), works for that member only (its digest lives in the
  shared cache under the member's key) and is bound to the account's state when it was issued:
  it either unlocks one first set-up, or confirms the authenticator the member already has
  (which also needs a code from that app in the session, as with the link);
- is guessed at most `ATTEMPTS_PER_WINDOW` times per member per window.

Who approved whom, and when, goes to the log (`core.audit`) when the code is issued and when it
is used, and stays on the authenticator it confirms (`core.guards.CONFIRMATION_KEY`).
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import time

from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import ratelimit
from .enrolment import (
    CONFIRMED,
    UNLOCKED,
    after_unlock,
    apply_unlock,
    confirming_existing,
    enrolment_needs_confirmation,
    safe_next,
    take_pending,
)
from .guards import (
    authenticator_confirmed,
    needs_second_factor,
    privileged,
    privileged_permissions,
    second_factor_passed,
    second_factor_response,
    unconfirmed_authenticators,
)

audit = logging.getLogger("core.audit")

# Administrators manage users; approving a set-up is part of that.
APPROVE_PERMISSION = "core.change_user"
CODE_LIFETIME = 30 * 60
ATTEMPTS_PER_WINDOW = 5
ATTEMPT_WINDOW = 15 * 60
# No 0/O, 1/I/L: the code is read out over the phone.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12


def approval_key(user) -> str:
    """The cache key of a member's pending approval code."""
    return f"core:totp-approval:{user.pk}"


def _normalise(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch in CODE_ALPHABET)


def _digest(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def awaiting_approval(approver) -> list:
    """Active accounts that need a second factor and have no confirmed authenticator, whose
    set-up `approver` may approve (a superuser's only by a superuser: else approving would let
    an administrator who knows a superuser's password into a superuser's account)."""
    condition = Q()
    for name in privileged_permissions:
        app_label, _sep, codename = name.partition(".")
        condition |= Q(content_type__app_label=app_label, codename=codename)
    permission_ids = list(Permission.objects.filter(condition).values_list("pk", flat=True))
    candidates = (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(is_staff=True)
            | Q(is_superuser=True)
            | Q(groups__permissions__in=permission_ids)
            | Q(user_permissions__in=permission_ids)
        )
        .distinct()
        .order_by("email")
    )
    if not approver.is_superuser:
        candidates = candidates.filter(is_superuser=False)
    return [
        user
        for user in candidates
        if needs_second_factor(user) and not authenticator_confirmed(user)
    ]


def issue_approval_code(member, approver) -> str:
    """A fresh one-time code for `member` (it replaces an earlier one); logged for the audit."""
    code = "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))
    cache.set(
        approval_key(member),
        {
            "digest": _digest(code),
            "via": "administrator",
            "by": approver.pk,
            "authenticators": sorted(
                unconfirmed_authenticators(member).values_list("pk", flat=True)
            ),
            "expires": time.time() + CODE_LIFETIME,
        },
        timeout=CODE_LIFETIME,
    )
    audit.info(
        "Two-factor set-up approved: member %s (id %s) by administrator %s (id %s)",
        member.email,
        member.pk,
        approver.email,
        approver.pk,
    )
    return "-".join(code[i : i + 4] for i in range(0, CODE_LENGTH, 4))


@never_cache
@privileged(APPROVE_PERMISSION)
def approvals(request: HttpRequest) -> HttpResponse:
    """The administrator's page: staff waiting for a confirmed second factor, one button each."""
    issued = None
    if request.method == "POST":
        waiting = {str(user.pk): user for user in awaiting_approval(request.user)}
        member = waiting.get(request.POST.get("member", ""))
        if member is None:
            messages.error(request, _("This account is not waiting for two-factor set-up."))
        else:
            issued = {
                "member": member,
                "code": issue_approval_code(member, request.user),
                "minutes": CODE_LIFETIME // 60,
            }
    return render(
        request,
        "core/totp_approvals.html",
        {"waiting": awaiting_approval(request.user), "issued": issued},
    )


@never_cache
@login_required
@require_POST
def redeem_approval(request: HttpRequest) -> HttpResponse:
    """The member types the administrator's code on their set-up page."""
    user = request.user
    next_url = safe_next(request, request.POST.get(REDIRECT_FIELD_NAME))
    activate_url = reverse("mfa_activate_totp")
    back = (
        f"{activate_url}?{urlencode({REDIRECT_FIELD_NAME: next_url})}" if next_url else activate_url
    )
    if not enrolment_needs_confirmation(request):
        return HttpResponseRedirect(back)
    if confirming_existing(user) and not second_factor_passed(request):
        # A code from the app first (this POST is replayed afterwards): an approval vouches for
        # an app only together with it.
        return second_factor_response(request)
    if not ratelimit.hit("totp-approval-code", str(user.pk), ATTEMPTS_PER_WINDOW, ATTEMPT_WINDOW):
        messages.error(request, _("Too many wrong codes. Wait a few minutes, then try again."))
        return HttpResponseRedirect(back)
    record = take_pending(approval_key(user), _normalise(request.POST.get("code", "")))
    outcome = apply_unlock(request, record, next_url) if record else None
    if outcome is None:
        messages.error(
            request,
            _(
                "This code is wrong, has expired or was already used. Ask the administrator "
                "for a new one."
            ),
        )
        return HttpResponseRedirect(back)
    audit.info(
        "Two-factor set-up approval used: member %s (id %s), approved by id %s",
        user.email,
        user.pk,
        record.get("by"),
    )
    if outcome == CONFIRMED:
        messages.success(request, _("Thank you. Your authenticator app is confirmed."))
    elif outcome == UNLOCKED:
        messages.success(request, _("Thank you. You can now set up two-factor login."))
    return after_unlock(outcome, next_url)
