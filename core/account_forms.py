"""allauth's account forms, made to use the canonical address (settings ACCOUNT_FORMS).

allauth lower-cases what is typed and compares it by exact match; where it does not pass it
through the adapter's `clean_email` (log-in, log-in by code, and the rate-limit key of password
reset), these forms turn it into core.emails' written form first, so every variant of an address
(case, fullwidth letters, the Kelvin sign, the long s) reaches the same account and the same
rate-limit counters. The sign-up form hands its work to core.signup, which does the same work for
a new and a taken address. Kept apart from core.forms because allauth builds its sign-up form on
top of core.forms.PolicyAcceptanceSignupForm: importing allauth's forms there would be circular.
"""

from __future__ import annotations

from allauth.account import forms as allauth_forms

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from . import signup
from .emails import written_email


class LoginForm(allauth_forms.LoginForm):
    def clean_login(self) -> str:
        return written_email(super().clean_login())


class SignupForm(allauth_forms.SignupForm):
    def clean_email(self) -> str:
        # Whether the address is taken (or looks like a member's) is decided in the background by
        # core.signup, so that this request does the same work either way.
        return written_email(self.cleaned_data["email"])

    def try_save(self, request: HttpRequest) -> tuple[None, HttpResponse]:
        return None, signup.start(request, self)


class ResetPasswordForm(allauth_forms.ResetPasswordForm):
    def clean_email(self) -> str:
        # allauth keys the reset rate limit on the value returned here, not on its cleaned one.
        self.cleaned_data["email"] = written_email(self.cleaned_data["email"])
        return super().clean_email()


class RequestLoginCodeForm(allauth_forms.RequestLoginCodeForm):
    def clean_email(self) -> str:
        if self.cleaned_data.get("email"):
            self.cleaned_data["email"] = written_email(self.cleaned_data["email"])
        try:
            return super().clean_email()
        except ValidationError as error:
            if error.code != "too_many_login_attempts":
                raise
            # allauth reuses the log-in message, which would send the member back here.
            raise ValidationError(
                _("Too many sign-in codes were asked for this address. Try again in a minute."),
                code="too_many_login_codes",
            ) from error
