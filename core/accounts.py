"""allauth adapter: one canonical address per account, and log-in throttling.

allauth compares addresses by exact, lower-cased string. The adapter makes every address it sees
the written form of core.emails (`clean_email`, and the forms in core.account_forms where
allauth does not call it), so allauth's comparisons agree with the canonical form the database
enforces. It refuses to confirm an address that is, or looks like, another member's, keys the
log-in limits on the canonical address, and adds core.login_throttle's per-account slow-down.
Mail and redirects stay in the member's language.
"""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal.ratelimit import get_ip

from django.contrib import messages
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from . import login_throttle
from .emails import canonical_email, written_email
from .models import User
from .registries import login_redirect_for

TOO_MANY_LOGIN_ATTEMPTS = _(
    "Too many failed attempts to sign in to this account. Wait a few minutes before trying the "
    "password again, or choose “Send me a sign-in code” to get in with a code sent to your "
    "email address."
)


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "too_many_login_attempts": TOO_MANY_LOGIN_ATTEMPTS,
    }

    def clean_email(self, email: str) -> str:
        # Sign-up, adding an address and password reset: allauth then looks the result up by
        # exact match, and stores it, in this form.
        return written_email(email)

    def send_account_already_exists_mail(self, email: str) -> None:
        # Written in the owner's language, not the language of whoever typed their address.
        owner = User.objects.filter(email_canonical=canonical_email(email)).first()
        language = getattr(owner, "preferred_language", "") or translation.get_language()
        with translation.override(language):
            super().send_account_already_exists_mail(email)

    def send_confirmation_mail(self, request, emailconfirmation, signup: bool) -> None:
        address = emailconfirmation.email_address
        owner = User.objects.lookalike_of(address.email)
        if owner is not None and owner.pk != address.user_id:
            # An address that reads like another member's: its confirmation could never be
            # used, and answering differently would tell the requester that the member exists.
            # The member is told instead, as when someone signs up with their address.
            self.send_account_already_exists_mail(owner.email)
            return
        super().send_confirmation_mail(request, emailconfirmation, signup)

    def confirm_email(self, request: HttpRequest, email_address) -> bool:
        owner = User.objects.lookalike_of(email_address.email)
        if owner is not None and owner.pk != email_address.user_id:
            self.add_message(
                request,
                messages.ERROR,
                "account/messages/email_confirmation_failed.txt",
                {"email": email_address.email},
            )
            return False
        return super().confirm_email(request, email_address)

    # --- Log-in limits -------------------------------------------------------------------------
    # allauth's "login_failed" rates count per client address ("ip") and per key; the key here is
    # the canonical address *and* the client address, so that failures from elsewhere never block
    # the owner's own attempts. What stops guessing from many addresses is the per-account
    # slow-down in core.login_throttle, which never blocks the e-mailed sign-in code.

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        return f"{self._login_account_key(**credentials)}|{get_ip(request)}"

    @staticmethod
    def _login_account_key(**credentials: Any) -> str:
        return canonical_email(credentials.get("email") or credentials.get("username") or "")

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        super().pre_authenticate(request, **credentials)
        if not login_throttle.begin_attempt(self._login_account_key(**credentials)).allowed:
            self._rollback_login_failed_rl_usage()
            raise self.validation_error("too_many_login_attempts")

    def pre_login(self, request: HttpRequest, user, **kwargs: Any):
        # A suspended or banned member is told why instead of being signed in (core.sanctions).
        from .sanctions import refusal, refused_response

        reason = refusal(user)
        if reason is not None:
            from allauth.account.internal.stagekit import clear_login

            clear_login(request)
            return refused_response(request, reason)
        return super().pre_login(request, user, **kwargs)

    def authenticate(self, request: HttpRequest, **credentials: Any):
        user = super().authenticate(request, **credentials)
        if user is not None:
            login_throttle.succeeded(self._login_account_key(**credentials))
        return user

    def _delete_login_attempts_cached_email(self, request: HttpRequest, **credentials: Any):
        # After a password reset through the owner's mailbox.
        super()._delete_login_attempts_cached_email(request, **credentials)
        login_throttle.succeeded(self._login_account_key(**credentials))

    # --- Language ------------------------------------------------------------------------------

    def get_login_redirect_url(self, request):
        # allauth asks only when the log-in named no page of its own (`?next=`). An app may
        # have somewhere to send this member first (members: onboarding after sign-up); it
        # declares so in core.registries.login_redirects, so core imports no app.
        declared = login_redirect_for(request)
        if declared:
            return declared
        # "/" would pick a language from the browser; keep the one the member was using.
        url = super().get_login_redirect_url(request)
        return self._in_current_language(url)

    def get_logout_redirect_url(self, request):
        return self._in_current_language(super().get_logout_redirect_url(request))

    @staticmethod
    def _in_current_language(url: str) -> str:
        if url == "/":
            return f"/{translation.get_language() or 'en'}/"
        return url

    def send_mail(self, template_prefix, email, context):
        user = context.get("user")
        language = getattr(user, "preferred_language", "") or translation.get_language()
        with translation.override(language):
            super().send_mail(template_prefix, email, context)
