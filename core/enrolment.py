"""Out-of-band confirmation of a staff member's first two-factor set-up.

Without it, whoever has a staff member's password could enrol *their own* authenticator before
the owner does (every new editor, every demo account) and from then on pass the second factor.
So for accounts that need a second factor (`core.guards.needs_second_factor`) the set-up page
(allauth's, at the same URL, wrapped here) first asks for a link e-mailed to the account's
verified primary address, in the member's language. The link:

- is single-use and expires (`LINK_LIFETIME`); asking again replaces the previous link;
- lives as a digest in the shared cache (the database table unless Redis is configured), one
  per member, consumed with an atomic delete so that two sessions cannot both redeem it;
- unlocks set-up for the session that opens it (signed in as the same member) and no other,
  for `UNLOCK_LIFETIME`, and for one set-up;
- goes only to the verified primary address, and the address may not be changed while the
  account waits for its second factor (see `refuse_new_address_before_enrolment`), so someone
  holding only the password cannot send it to a mailbox of their own.

Members who need no second factor set one up freely, as allauth allows. Setting the app up
proves possession of it, so the session that does it counts as having passed the second factor.

An authenticator set up through the link (or an administrator's approval, `core.approvals`) is
marked confirmed in its `data`; only confirmed ones open privileged pages (`core.guards`). One
set up freely by a member who is later promoted may be an attacker's, enrolled with the password
alone: the guard sends its owner here once, the same page asks for the same link (worded for
"confirm your existing app"), and the link confirms that authenticator only for a session that
also gave a code from it. So confirming takes both the mailbox and the app: the owner's old
password-only session cannot vouch for an attacker's app, nor the attacker's for the owner.
Removing an authenticator and adding another makes the new one need a link again.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.account.internal.flows.login import record_authentication
from allauth.account.models import EmailAddress
from allauth.account.signals import _add_email
from allauth.mfa.totp import views as totp_views
from allauth.mfa.totp.internal import flows as totp_flows

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import ratelimit
from .guards import (
    CONFIRMATION_KEY,
    authenticator_confirmed,
    has_authenticator,
    needs_second_factor,
    second_factor_passed,
    second_factor_response,
    unconfirmed_authenticators,
)

LINK_LIFETIME = 30 * 60
UNLOCK_LIFETIME = 30 * 60
SESSION_KEY = "core_totp_enrolment"
# At most this many links per member per window: each one is an e-mail to a real inbox.
LINKS_PER_WINDOW = 3
LINK_WINDOW = 15 * 60
# What redeeming a link or an administrator's code did.
UNLOCKED = "unlocked"
CONFIRMED = "confirmed"


def pending_link_key(user) -> str:
    """The cache key of a member's pending link (tests make it old through this key)."""
    return f"core:totp-enrolment:{user.pk}"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def verified_primary_address(user) -> str | None:
    address = EmailAddress.objects.filter(user=user, primary=True, verified=True).first()
    return address.email if address else None


def enrolment_unlocked(request: HttpRequest) -> bool:
    """Whether this session opened a valid set-up link (or used an administrator's code) for the
    signed-in member, lately."""
    record = request.session.get(SESSION_KEY)
    if not isinstance(record, dict) or record.get("user") != str(request.user.pk):
        return False
    if time.time() - record.get("at", 0) > UNLOCK_LIFETIME:
        return False
    if record.get("via") == "administrator":
        return True  # vouched for by a person, not by the address
    # An address changed since (by an administrator) no longer vouches for this session.
    return record.get("email") == verified_primary_address(request.user)


def confirming_existing(user) -> bool:
    """Whether the account has an authenticator that nobody confirmed (set up as a member)."""
    return has_authenticator(user) and unconfirmed_authenticators(user).exists()


def enrolment_needs_confirmation(request: HttpRequest) -> bool:
    """Whether the signed-in member must open an e-mailed link (or use an administrator's code)
    before setting up the app, or before their existing app counts for privileged pages."""
    user = request.user
    if not (user.is_authenticated and needs_second_factor(user)):
        return False
    if has_authenticator(user):
        return not authenticator_confirmed(user)
    return not enrolment_unlocked(request)


def _pending_ids(user) -> list[int]:
    return sorted(unconfirmed_authenticators(user).values_list("pk", flat=True))


def confirm_authenticators(user, ids: list[int], via: str, by: int | None = None) -> int:
    """Mark these authenticators of `user` confirmed out of band; returns how many."""
    stamp = {"via": via, "at": timezone.now().isoformat(), "by": by}
    count = 0
    with transaction.atomic():
        for authenticator in unconfirmed_authenticators(user).filter(pk__in=ids):
            authenticator.data = {**authenticator.data, CONFIRMATION_KEY: stamp}
            authenticator.save(update_fields=["data"])
            count += 1
    return count


def take_pending(key: str, secret: str) -> dict | None:
    """The pending record at `key` if `secret` is its secret and it has not expired; it is
    used up (an atomic delete) once it matched, so that two sessions cannot both redeem it."""
    record = cache.get(key)
    if not isinstance(record, dict) or not hmac.compare_digest(
        record.get("digest", ""), _digest(secret)
    ):
        return None
    if not cache.delete(key):
        return None  # another session redeemed it a moment ago
    if record.get("expires", 0) < time.time():
        return None
    return record


def apply_unlock(request: HttpRequest, record: dict, next_url: str = "") -> str | None:
    """Do what a redeemed link or administrator's code allows the signed-in member: confirm the
    authenticators it was issued for (CONFIRMED), or unlock one set-up for this session
    (UNLOCKED). None when the account changed since it was issued."""
    user = request.user
    ids = sorted(record.get("authenticators") or [])
    if ids != _pending_ids(user):
        return None  # an app was removed or added since: it vouches for something else
    if ids:
        if not second_factor_passed(request):
            return None  # the mailbox alone does not vouch for an app: a code from it too
        confirm_authenticators(user, ids, record.get("via", "email"), record.get("by"))
        return CONFIRMED
    request.session[SESSION_KEY] = {
        "user": str(user.pk),
        "email": record.get("email"),
        "via": record.get("via", "email"),
        "by": record.get("by"),
        "at": time.time(),
        "next": next_url,
    }
    return UNLOCKED


def safe_next(request: HttpRequest, candidate: str | None) -> str:
    """`candidate` if it is an address on this site, else "" (for a `next` parameter)."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, {request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


def send_enrolment_link(request: HttpRequest, user, next_url: str = "") -> str | None:
    """E-mail a fresh single-use link to the member's verified primary address: it unlocks the
    first set-up, or confirms the authenticator the account already has.

    Returns the address, or None when the account has no verified primary address.
    """
    address = verified_primary_address(user)
    if address is None:
        return None
    token = secrets.token_urlsafe(32)
    existing = _pending_ids(user)
    cache.set(
        pending_link_key(user),
        {
            "digest": _digest(token),
            "email": address,
            "via": "email",
            "authenticators": existing,
            "expires": time.time() + LINK_LIFETIME,
            "next": next_url,
        },
        timeout=LINK_LIFETIME,
    )
    language = getattr(user, "preferred_language", "") or translation.get_language()
    with translation.override(language):
        path = reverse("totp_enrolment_confirm", kwargs={"token": token})
    get_account_adapter(request).send_mail(
        "core/email/totp_confirmation" if existing else "core/email/totp_enrolment",
        address,
        {"user": user, "link": f"{settings.SITE_URL}{path}", "minutes": LINK_LIFETIME // 60},
    )
    return address


def redeem_enrolment_link(request: HttpRequest, token: str) -> tuple[str | None, str]:
    """Apply the signed-in member's pending link if `token` is it (see `apply_unlock`);
    returns what it did and where the member was going."""
    record = take_pending(pending_link_key(request.user), token)
    if record is None or record.get("email") != verified_primary_address(request.user):
        return None, ""
    next_url = record.get("next", "")
    return apply_unlock(request, record, next_url), next_url


def confirmation_page(request: HttpRequest, next_url: str) -> HttpResponse:
    """The page that asks for the e-mailed link or an administrator's code."""
    user = request.user
    existing = unconfirmed_authenticators(user).order_by("created_at").first()
    return render(
        request,
        "core/totp_enrolment_request.html",
        {
            "email": verified_primary_address(user),
            "next": next_url,
            "minutes": LINK_LIFETIME // 60,
            "existing": existing,
        },
    )


def after_unlock(outcome: str, next_url: str) -> HttpResponse:
    """Where a member goes once a link or code worked, with the message that says what it did."""
    if outcome == CONFIRMED:
        return HttpResponseRedirect(next_url or reverse("mfa_index"))
    url = reverse("mfa_activate_totp")
    if next_url:
        url = f"{url}?{urlencode({REDIRECT_FIELD_NAME: next_url})}"
    return HttpResponseRedirect(url)


@receiver(_add_email)
def refuse_new_address_before_enrolment(sender, email: str, user, **kwargs) -> None:
    """Staff waiting for their second factor keep their address: the set-up link goes there.

    (allauth already refuses new addresses to accounts that have a second factor; this covers
    the accounts that should have one and do not yet.) An administrator can still change it.
    """
    if needs_second_factor(user) and not authenticator_confirmed(user):
        raise ValidationError(
            _(
                "Set up two-factor login before you change the e-mail address of a staff "
                "account, or ask an administrator to change it."
            )
        )


class ActivateTOTPView(totp_views.ActivateTOTPView):
    """allauth's set-up page, first asking staff for the e-mailed link (see the module)."""

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if enrolment_needs_confirmation(request):
            next_url = safe_next(request, request.GET.get(REDIRECT_FIELD_NAME))
            return confirmation_page(request, next_url)
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form) -> HttpResponse:
        totp, recovery_codes = totp_flows.activate_totp(self.request, form)
        self.did_generate_recovery_codes = bool(recovery_codes)
        # The member just typed a code from the app: this session has passed the second factor.
        record_authentication(
            self.request, self.request.user, "mfa", id=totp.pk, type=totp.type, enrolled=True
        )
        unlock = self.request.session.pop(SESSION_KEY, None)  # one link, one set-up
        if enrolment_unlocked_by(unlock, self.request.user):
            # Set up after the e-mailed link or an administrator's code: it counts for the admin.
            confirm_authenticators(
                self.request.user, [totp.pk], unlock.get("via", "email"), unlock.get("by")
            )
        return HttpResponseRedirect(self.get_success_url())


def enrolment_unlocked_by(record, user) -> bool:
    """Whether a session's unlock record (popped at set-up) was this member's, and recent."""
    return (
        isinstance(record, dict)
        and record.get("user") == str(user.pk)
        and time.time() - record.get("at", 0) <= UNLOCK_LIFETIME
    )


activate_totp = ActivateTOTPView.as_view()


@never_cache
@login_required
@require_POST
def request_enrolment_link(request: HttpRequest) -> HttpResponse:
    """Send the set-up link (a POST: a page load or a link preview never sends mail)."""
    activate_url = reverse("mfa_activate_totp")
    next_url = safe_next(request, request.POST.get(REDIRECT_FIELD_NAME))
    back = (
        f"{activate_url}?{urlencode({REDIRECT_FIELD_NAME: next_url})}" if next_url else activate_url
    )
    if not enrolment_needs_confirmation(request):
        return HttpResponseRedirect(back)
    if not ratelimit.hit(
        "totp-enrolment-link", str(request.user.pk), LINKS_PER_WINDOW, LINK_WINDOW
    ):
        messages.error(
            request,
            _("Too many links were sent. Wait a few minutes, then ask again."),
        )
        return HttpResponseRedirect(back)
    address = send_enrolment_link(request, request.user, next_url)
    if address is None:
        messages.error(
            request,
            _("Your account has no verified e-mail address. Ask an administrator for help."),
        )
    elif confirming_existing(request.user):
        messages.success(
            request,
            _(
                "We sent a link to %(email)s. Open it in this browser to confirm your "
                "authenticator app."
            )
            % {"email": address},
        )
    else:
        messages.success(
            request,
            _("We sent a link to %(email)s. Open it in this browser to set up two-factor login.")
            % {"email": address},
        )
    return HttpResponseRedirect(back)


@never_cache
@login_required
def confirm_enrolment_link(request: HttpRequest, token: str) -> HttpResponse:
    """The e-mailed link: a page with a button, so mail scanners that follow links use nothing."""
    user = request.user
    existing = confirming_existing(user)
    if request.method == "POST":
        if existing and not second_factor_passed(request):
            # A code from the app first (this POST is replayed afterwards), or an old
            # password-only session of the owner would vouch for an app that is not theirs.
            return second_factor_response(request)
        outcome, next_url = redeem_enrolment_link(request, token)
        if outcome == CONFIRMED:
            messages.success(request, _("Thank you. Your authenticator app is confirmed."))
            return after_unlock(outcome, next_url)
        if outcome == UNLOCKED:
            messages.success(request, _("Thank you. You can now set up two-factor login."))
            return after_unlock(outcome, next_url)
        return render(
            request,
            "core/totp_enrolment_confirm.html",
            {"failed": True, "existing": existing},
            status=400,
        )
    return render(
        request, "core/totp_enrolment_confirm.html", {"failed": False, "existing": existing}
    )
