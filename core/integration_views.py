"""Account pages for partners' integrations: personal API tokens and webhooks.

Tokens: a member lists, makes and revokes their own (no other member's id is ever accepted);
making one asks for the password again when the last sign-in is not recent (allauth's
reauthentication); a new token is shown once, on the page answering the POST, which no cache
keeps.
Webhooks: an organisation's admins register hooks for it, an administrator
(`core.webhooks.can_manage_all_hooks`) also hooks of no organisation; each hook's page shows its
signing secret, its recent deliveries with every attempt, and lets its managers change the
events, resume a paused hook or delete it. Anyone else gets a 404 for a hook that is not theirs.
The work is in `core.api_tokens` and `core.webhooks`; these views parse, authorise and render.
"""

from __future__ import annotations

from datetime import datetime, time

from allauth.account.decorators import reauthentication_required

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from . import webhooks
from .api_tokens import MAX_TOKENS_PER_MEMBER, create_token
from .integration_models import ApiToken, Webhook
from .registries import organisation_directory

MAX_HOOKS_PER_MEMBER = 20


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=80,
        help_text=gettext_lazy("What the token is for, so you recognise it later."),
    )
    scope = forms.ChoiceField(
        label=gettext_lazy("Access"),
        choices=ApiToken.Scope.choices,
        initial=ApiToken.Scope.READ,
        widget=forms.RadioSelect,
    )
    organisation = forms.TypedChoiceField(
        label=gettext_lazy("Act for"), required=False, coerce=int, empty_value=None
    )
    expires = forms.DateField(
        label=gettext_lazy("Expires on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("Optional. The token stops working at the start of that day."),
    )

    def __init__(self, *args, organisations=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [("", _("Myself, as a member")), *organisations]

    def clean_expires(self) -> datetime | None:
        day = self.cleaned_data.get("expires")
        if day is None:
            return None
        moment = datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())
        if moment <= timezone.now():
            raise forms.ValidationError(_("Choose a date in the future."))
        return moment


def _my_tokens(user) -> list[ApiToken]:
    tokens = list(ApiToken.objects.filter(user=user))
    for token in tokens:
        token.organisation_name = (
            organisation_directory.name(token.organisation_id) if token.organisation_id else None
        )
    return tokens


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@reauthentication_required(allow_get=True)
def api_tokens(request: HttpRequest) -> HttpResponse:
    """The member's tokens; making one (POST) needs a recent password or code, so a session
    left open somewhere cannot mint a token that outlives it."""
    organisations = organisation_directory.administered(request.user)
    form = TokenForm(request.POST or None, organisations=organisations)
    new_token = None
    status = 200
    if request.method == "POST":
        if ApiToken.objects.filter(user=request.user).count() >= MAX_TOKENS_PER_MEMBER:
            form.add_error(None, _("You have too many tokens: revoke one you no longer use."))
        if form.is_valid():
            _row, new_token = create_token(
                request.user,
                form.cleaned_data["name"],
                form.cleaned_data["scope"],
                form.cleaned_data["organisation"],
                form.cleaned_data["expires"],
            )
            form = TokenForm(organisations=organisations)
        else:
            status = 400
    response = render(
        request,
        "core/api_tokens.html",
        {"form": form, "tokens": _my_tokens(request.user), "new_token": new_token, "noindex": True},
        status=status,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@login_required
def revoke_api_token(request: HttpRequest, pk: int) -> HttpResponse:
    deleted, _by_model = ApiToken.objects.filter(pk=pk, user=request.user).delete()
    if not deleted:
        raise Http404(_("No such token."))
    messages.success(request, _("The token was revoked: it no longer works."))
    return redirect("api_tokens")


# --- Webhooks -------------------------------------------------------------------------------------


def _hook_organisations(user) -> list[tuple[int | str, str]]:
    """The owners a member may register a hook for: their organisations, and "the site" for an
    administrator."""
    choices: list[tuple[int | str, str]] = list(organisation_directory.administered(user))
    if webhooks.can_manage_all_hooks(user):
        choices.insert(0, ("", _("The whole site (administrators)")))
    return choices


def can_manage_hook(user, hook: Webhook) -> bool:
    if not user.is_authenticated:
        return False
    if webhooks.can_manage_all_hooks(user):
        return True
    return hook.organisation_id is not None and organisation_directory.is_admin(
        user, hook.organisation_id
    )


def may_register_hooks(user) -> bool:
    return bool(_hook_organisations(user))


class WebhookForm(forms.ModelForm):
    url = forms.URLField(
        label=gettext_lazy("Address (URL)"),
        max_length=500,
        assume_scheme="https",
        help_text=gettext_lazy(
            "A public https address of your server. Private and local network addresses "
            "are refused."
        ),
    )
    organisation = forms.TypedChoiceField(
        label=gettext_lazy("For"), required=False, coerce=int, empty_value=None
    )
    events = forms.MultipleChoiceField(
        label=pgettext_lazy("webhook", "Events"),
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Each event is sent to the address as it happens."),
    )

    class Meta:
        model = Webhook
        fields = ["url", "events"]

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["events"].choices = webhooks.event_choices()
        if self.instance.pk:
            del self.fields["organisation"]
        else:
            self.owners = _hook_organisations(user)
            self.fields["organisation"].choices = self.owners

    def clean_organisation(self) -> int | None:
        chosen = self.cleaned_data.get("organisation")
        allowed = {str(key) for key, _label in self.owners}
        if str(chosen or "") not in allowed:
            raise forms.ValidationError(_("You can register webhooks only for your organisations."))
        return chosen

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        try:
            webhooks.check_target(url)
        except webhooks.UnsafeTarget as refused:
            raise forms.ValidationError(refused.message) from refused
        return url


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def webhook_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    allowed = may_register_hooks(user)
    form = WebhookForm(request.POST or None, user=user) if allowed else None
    status = 200
    if request.method == "POST":
        if form is None:
            raise Http404(_("You cannot register webhooks."))
        if Webhook.objects.filter(owner=user).count() >= MAX_HOOKS_PER_MEMBER:
            form.add_error(None, _("You have too many webhooks: delete one you no longer use."))
        if form.is_valid():
            hook = form.save(commit=False)
            hook.owner = user
            hook.organisation_id = form.cleaned_data["organisation"]
            hook.secret = webhooks.new_secret()
            hook.save()
            messages.success(
                request, _("The webhook is registered. Copy its secret to check signatures.")
            )
            return redirect("webhook_detail", hook.pk)
        status = 400
    organisation_ids = [pk for pk, _name in organisation_directory.administered(user)]
    if webhooks.can_manage_all_hooks(user):
        hooks = Webhook.objects.all()
    else:
        hooks = Webhook.objects.filter(organisation_id__in=organisation_ids)
    return render(
        request,
        "core/webhooks.html",
        {"form": form, "hooks": list(hooks[:200]), "allowed": allowed, "noindex": True},
        status=status,
    )


def _managed_hook_or_404(request: HttpRequest, pk: int) -> Webhook:
    hook = Webhook.objects.filter(pk=pk).first()
    if hook is None or not can_manage_hook(request.user, hook):
        raise Http404(_("No such webhook."))
    return hook


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def webhook_detail(request: HttpRequest, pk: int) -> HttpResponse:
    hook = _managed_hook_or_404(request, pk)
    status = 200
    form = WebhookForm(request.POST or None, instance=hook, user=request.user)
    if request.method == "POST":
        action = request.POST.get("action", "save")
        if action == "delete":
            hook.delete()
            messages.success(request, _("The webhook was deleted."))
            return redirect("webhooks")
        if action == "rotate":
            Webhook.objects.filter(pk=hook.pk).update(secret=webhooks.new_secret())
            messages.success(
                request,
                _("The webhook has a new secret: messages are signed with it from now on."),
            )
            return redirect("webhook_detail", hook.pk)
        if action == "resume":
            webhooks.resume(hook)
            messages.success(request, _("The webhook is active again."))
            return redirect("webhook_detail", hook.pk)
        if form.is_valid():
            form.save()
            messages.success(request, _("The webhook has been saved."))
            return redirect("webhook_detail", hook.pk)
        status = 400
        hook.refresh_from_db()
    deliveries = hook.deliveries.prefetch_related("attempt_log")[:20]
    response = render(
        request,
        "core/webhook_detail.html",
        {
            "hook": hook,
            "form": form,
            "deliveries": deliveries,
            "organisation_name": organisation_directory.name(hook.organisation_id)
            if hook.organisation_id
            else None,
            "noindex": True,
        },
        status=status,
    )
    response["Cache-Control"] = "private, no-store"
    return response
