"""The "Your data" pages of the account settings: download your data, delete your account.

Both act on the signed-in member only: their URLs carry no id, and every view reads
`request.user`, so nobody can reach another account through them. The work itself is in
`core.yourdata`; these views parse, authorise and render.
"""

from __future__ import annotations

import time

from allauth.account import app_settings as account_settings
from allauth.account.decorators import reauthentication_required
from allauth.account.internal.flows.login import get_authentication_records

from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from . import ratelimit
from .forms import DeleteAccountForm
from .yourdata import DeletionRefused, declarations, delete_account, deletion_blockers, export_zip

# Wrong passwords on the deletion form, per account per hour: the log-in form's limits do not
# cover a session that is already signed in.
DELETE_ATTEMPTS_PER_HOUR = 10


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@reauthentication_required(allow_get=True)
def your_data(request: HttpRequest) -> HttpResponse:
    """What we hold about you, by app; its button (POST) downloads the zip, made now for the
    signed-in member, after a recent password or code (allauth's reauthentication)."""
    if request.method == "POST":
        stamp = timezone.now().strftime("%Y-%m-%d")
        response = FileResponse(
            export_zip(request.user),
            as_attachment=True,
            filename=f"diaspora-hub-data-{stamp}.zip",
            content_type="application/zip",
        )
        response["Cache-Control"] = "private, no-store"
        return response
    return render(
        request,
        "core/your_data.html",
        {"sections": [item.label for item in declarations()], "noindex": True},
    )


def _recently_authenticated(request: HttpRequest) -> bool:
    """Whether this session signed in, or proved it is the member again, a few minutes ago.

    For accounts without a password to re-enter (allauth cannot reauthenticate those that have
    no second factor either, and lets them through): a sign-in with an e-mailed code counts.
    """
    records = get_authentication_records(request, request.user)
    return (
        bool(records)
        and time.time() - records[-1]["at"] < account_settings.REAUTHENTICATION_TIMEOUT
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def delete_your_account(request: HttpRequest) -> HttpResponse:
    """Confirm with the password and a tick; refused, with each reason, while a blocker says so."""
    user = request.user
    reasons = deletion_blockers(user)
    form = DeleteAccountForm(request.POST if request.method == "POST" else None, user=user)
    status = 200
    if request.method == "POST" and not reasons:
        if not ratelimit.hit("delete_account", str(user.pk), DELETE_ATTEMPTS_PER_HOUR, 3600):
            form.is_valid()
            form.add_error(None, _("Too many attempts. Wait an hour before trying again."))
            status = 429
        elif not user.has_usable_password() and not _recently_authenticated(request):
            form.is_valid()
            form.add_error(
                None,
                _(
                    "For your safety, sign out and sign in again with a code sent to your "
                    "e-mail address, then delete your account within %(minutes)s minutes."
                )
                % {"minutes": account_settings.REAUTHENTICATION_TIMEOUT // 60},
            )
        elif form.is_valid():
            try:
                delete_account(user, request)
            except DeletionRefused as refused:
                reasons = refused.reasons
            else:
                # The other sessions go once the deletion commits; this one goes now.
                logout(request)
                return render(request, "core/account_deleted.html", {"noindex": True})
    if reasons and request.method == "POST":
        status = 409
    return render(
        request,
        "core/delete_account.html",
        {"form": form, "reasons": reasons, "noindex": True},
        status=status,
    )
