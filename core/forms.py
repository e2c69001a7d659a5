"""Forms of the kernel: the sign-up additions (policy acceptance) and re-acceptance, and the
typed-text mixin every form with a free-text description uses."""

from __future__ import annotations

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from .models import User
from .policies import record_acceptance
from .registries import PolicyDocument, current_policies
from .sanitize import editable_text, text_to_html


def policy_links(policies: list[PolicyDocument]) -> SafeString:
    return format_html_join(", ", '<a href="{}">{}</a>', ((p.url, p.title) for p in policies))


class TypedTextMixin:
    """For a model form whose `typed_text_fields` are stored as sanitised HTML but typed as plain
    text: each textarea runs in its text's own direction, shows the stored value as the member
    typed it, and `typed_html(name)` (called from `clean_<name>`) turns what was typed back into
    HTML, keeping the stored value byte for byte when the member left it unchanged."""

    typed_text_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in self.typed_text_fields:
            # Titles and descriptions come in any script: English typed on the Arabic page too.
            self.fields[name].widget.attrs["dir"] = "auto"
            if self.instance.pk and self.shows_typed_text(name):
                self.initial[name] = editable_text(getattr(self.instance, name))

    def shows_typed_text(self, name: str) -> bool:
        """Whether field `name` is edited as plain text (a form fed HTML says no)."""
        return True

    def typed_html(self, name: str) -> str:
        """The sanitised HTML for what was typed in field `name`."""
        previous = getattr(self.instance, name, "") if self.instance.pk else ""
        return text_to_html(self.cleaned_data.get(name, ""), previous=previous)


class PolicyAcceptanceMixin(forms.Form):
    accept_policies = forms.BooleanField(
        required=True,
        error_messages={"required": _("Please accept the policies to continue.")},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.policies = self.policies_to_accept()
        field = self.fields["accept_policies"]
        if self.policies:
            field.label = format_html(
                "{} {}", _("I have read and accept:"), policy_links(self.policies)
            )
        else:
            # No policy published yet (a brand-new site): nothing to accept.
            field.required = False
            field.widget = forms.HiddenInput()

    def policies_to_accept(self) -> list[PolicyDocument]:
        return current_policies()


class PolicyAcceptanceSignupForm(PolicyAcceptanceMixin):
    """Extra sign-up fields, mixed into allauth's sign-up form by ACCOUNT_SIGNUP_FORM_CLASS."""

    name = forms.CharField(
        label=_("Name (optional)"),
        max_length=150,
        required=False,
        help_text=_("Shown to other members. You can leave it empty."),
    )
    field_order = ["email", "name", "password1", "password2", "accept_policies"]

    def signup(self, request, user: User) -> None:
        """Required by allauth; core.signup.finish_signup records the name and the policies."""


class PolicyReacceptanceForm(PolicyAcceptanceMixin):
    """Shown to a signed-in member when a policy has a new version."""

    def __init__(self, *args, user: User, **kwargs) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def policies_to_accept(self) -> list[PolicyDocument]:
        from .policies import pending_policies

        return pending_policies(self.user)

    def save(self) -> None:
        record_acceptance(self.user, self.policies)


class DeleteAccountForm(forms.Form):
    """Deleting an account: the password again (when it has one) and an explicit confirmation.

    The password proves that whoever left a session open is not deleting the member; accounts
    without a usable password pass allauth's reauthentication instead (see the view).
    """

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_("I understand that my account and everything it holds will be deleted for good."),
        error_messages={"required": _("Tick the box to confirm that you want to delete it.")},
    )

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if not user.has_usable_password():
            del self.fields["password"]

    def clean_password(self) -> str:
        password = self.cleaned_data.get("password", "")
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your password."), code="wrong_password")
        return password
