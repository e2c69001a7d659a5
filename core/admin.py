"""Django admin for the kernel's models (the Wagtail admin is the everyday tool)."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import (
    ApiToken,
    PolicyAcceptance,
    User,
    Webhook,
    WebhookAttempt,
    WebhookDelivery,
)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ("email",)
    list_display = ("email", "first_name", "last_name", "is_staff", "is_active")
    search_fields = ("email", "first_name", "last_name")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            _("Personal info"),
            {"fields": ("first_name", "last_name", "preferred_language")},
        ),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


@admin.register(PolicyAcceptance)
class PolicyAcceptanceAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "version", "accepted_at")
    list_filter = ("kind", "version")
    search_fields = ("user__email",)


# --- Partners' integrations: tokens are revoked here (never shown), webhooks managed ----------


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "prefix", "user", "scope", "organisation_id", "last_used_at")
    search_fields = ("name", "prefix", "user__email")
    readonly_fields = ("user", "prefix", "created_at", "last_used_at")
    fields = ("user", "name", "prefix", "scope", "expires_at", "created_at", "last_used_at")

    def has_add_permission(self, request) -> bool:
        # A token is made by its member, who alone sees it once.
        return False


class WebhookAttemptInline(admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    can_delete = False
    readonly_fields = ("number", "started_at", "duration_ms", "status_code", "error", "succeeded")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class WebhookAdminForm(forms.ModelForm):
    url = forms.URLField(max_length=500, assume_scheme="https")

    class Meta:
        model = Webhook
        fields = ["owner", "organisation_id", "url", "events", "active", "paused_at"]

    def clean_url(self) -> str:
        from .webhooks import UnsafeTarget, check_target

        url = self.cleaned_data["url"]
        try:
            check_target(url)
        except UnsafeTarget as refused:
            raise forms.ValidationError(refused.message) from refused
        return url


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    form = WebhookAdminForm
    list_display = ("url", "owner", "organisation_id", "active", "paused_at")
    list_filter = ("active",)
    search_fields = ("url", "owner__email")
    readonly_fields = ("consecutive_failures", "created_at")
    raw_id_fields = ("owner",)

    def save_model(self, request, obj, form, change) -> None:
        from .webhooks import new_secret

        if not obj.secret:
            obj.secret = new_secret()
        super().save_model(request, obj, form, change)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ("event", "hook", "state", "attempts", "created_at")
    list_filter = ("state", "event")
    readonly_fields = ("hook", "event_id", "event", "payload", "attempts", "created_at")
    inlines = [WebhookAttemptInline]
