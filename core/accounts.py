"""allauth adapter: one canonical address per account, mail in the member's language.

allauth compares addresses by exact, lower-cased string. The adapter makes every address it sees
the written form of core.emails (`clean_email`, and the forms in core.account_forms where
allauth does not call it), so allauth's comparisons agree with the canonical form the database
enforces. It refuses to confirm an address that is, or looks like, another member's, and keys the
log-in limits on the canonical address. Mail and redirects stay in the member's language.
"""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter

from django.contrib import messages
from django.http import HttpRequest
from django.utils import translation

from .emails import canonical_email, written_email
from .models import User


class AccountAdapter(DefaultAccountAdapter):
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

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        # Every way of writing an address counts against the same limit.
        return canonical_email(credentials.get("email") or credentials.get("username") or "")

    # --- Language ------------------------------------------------------------------------------

    def get_login_redirect_url(self, request):
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
