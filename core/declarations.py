"""What the kernel itself declares into the registries: live streams, periodic jobs, navigation,
demo accounts and the personal data of the account itself."""

from __future__ import annotations

from datetime import timedelta

from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from .live import SITE_GROUP, user_group
from .registries import (
    DemoLoader,
    LiveStream,
    NavigationEntry,
    NotificationKind,
    PeriodicJob,
    PersonalData,
    demo_loaders,
    live_streams,
    navigation,
    notification_kinds,
    periodic_jobs,
    personal_data,
)


def _notifications_group(user, object_id):
    # A member follows only their own notifications; anonymous visitors have none.
    if user is None or not user.is_authenticated:
        return None
    return user_group(user.pk)


def _site_group(user, object_id):
    return SITE_GROUP


live_streams.register("notifications", LiveStream("notifications", _notifications_group))
live_streams.register("site", LiveStream("site", _site_group))

periodic_jobs.register(
    "publish_scheduled",
    PeriodicJob("publish_scheduled", "core.tasks.publish_scheduled", timedelta(minutes=1)),
)
periodic_jobs.register(
    "forget_finished_tasks",
    PeriodicJob("forget_finished_tasks", "core.tasks.forget_finished_tasks", timedelta(minutes=10)),
)
periodic_jobs.register(
    "forget_api_counters",
    PeriodicJob("forget_api_counters", "core.tasks.forget_api_counters", timedelta(minutes=10)),
)

# The main navigation of the design; later issues register the URL names they serve. An entry
# whose URL name does not resolve yet is shown as plain text, never as a broken link.
for order, (key, label) in enumerate(
    [
        ("library", _("Library")),
        ("handbook", _("Handbook")),
        ("opportunities", _("Opportunities")),
        ("organisations", _("Organisations")),
        ("members", _("Members")),
        ("forums", _("Forums")),
        ("events", _("Events")),
        ("courses", _("Courses")),
        ("search", _("Search")),
    ]
):
    navigation.register(key, NavigationEntry(key, label, f"{key}:index", order))


def _load_demo_accounts(progress):
    from .demo import load_accounts

    return load_accounts(progress)


# After the knowledge loader, so the policies the demo accounts accept exist.
demo_loaders.register("accounts", DemoLoader("accounts", _load_demo_accounts, order=20))


# --- Personal data: what the kernel holds about a member (the account) -------------------------


def _export_account(user) -> dict:
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    from .yourdata import sessions_of

    factors = sorted(
        Authenticator.objects.filter(user=user).values_list("type", flat=True).distinct()
    )
    return {
        "email": user.email,
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user=user).order_by("pk")
        ],
        "first_name": user.first_name,
        "last_name": user.last_name,
        "preferred_language": user.preferred_language,
        "roles": sorted(user.groups.values_list("name", flat=True)),
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "accepted_policies": [
            {"policy": a.kind, "version": a.version, "accepted_at": a.accepted_at}
            for a in user.policy_acceptances.order_by("accepted_at", "kind")
        ],
        # That two-factor login is on, and of which kinds; never a secret or a recovery code.
        "two_factor": {"enabled": "totp" in factors or "webauthn" in factors, "kinds": factors},
        "signed_in_sessions": len(sessions_of(user.pk)),
    }


def _erase_account(user) -> None:
    from wagtail.models import ModelLogEntry, PageLogEntry

    # Wagtail keeps its audit log (what was published, when) with a bare user id that would
    # still point at the person: keep the entries, without the person.
    for log in (PageLogEntry, ModelLogEntry):
        log.objects.filter(user_id=user.pk).update(user=None)
    # The rest goes with the user row: addresses, authenticators, policy acceptances, Wagtail
    # profile and comments cascade; pages, revisions, images and documents keep no owner.


def _account_blockers(user) -> list[str]:
    from .models import User
    from .privilege import unrestricted_flag

    # The account's own status, even in a session that has not given its second factor.
    if unrestricted_flag(user, "is_superuser") and not (
        User.objects.filter(is_superuser=True, is_active=True).exclude(pk=user.pk).exists()
    ):
        return [
            _(
                "You are the only administrator of the site: make another account an "
                "administrator first."
            )
        ]
    return []


personal_data.register(
    "account",
    PersonalData(
        "account",
        _("Your account"),
        export=_export_account,
        erase=_erase_account,
        blockers=_account_blockers,
        order=0,
    ),
)


# --- Partners' integrations: API tokens and webhooks (core.api_tokens, core.webhooks) ----------


def _export_integrations(user) -> dict:
    # What each token and hook is, never a secret (the tokens' are not even kept).
    return {
        "api_tokens": [
            {
                "name": token.name,
                "prefix": token.prefix,
                "access": token.scope,
                "organisation_id": token.organisation_id,
                "created_at": token.created_at,
                "last_used_at": token.last_used_at,
                "expires_at": token.expires_at,
            }
            for token in user.personal_api_tokens.order_by("created_at")
        ],
        "webhooks": [
            {
                "url": hook.url,
                "events": hook.events,
                "organisation_id": hook.organisation_id,
                "created_at": hook.created_at,
                "paused_at": hook.paused_at,
            }
            for hook in user.webhooks.order_by("created_at")
        ],
    }


def _erase_integrations(user) -> None:
    # Tokens and hooks cascade with the user row; deleting them first stops them at once.
    user.personal_api_tokens.all().delete()
    user.webhooks.all().delete()


personal_data.register(
    "integrations",
    PersonalData(
        "integrations",
        _("Your API tokens and webhooks"),
        export=_export_integrations,
        erase=_erase_integrations,
        order=90,
    ),
)

periodic_jobs.register(
    "retry_webhooks",
    PeriodicJob("retry_webhooks", "core.tasks.retry_webhooks", timedelta(minutes=1)),
)


def _describe_paused(notification) -> str:
    return _gettext("Your webhook to %(url)s was paused after %(failures)s failed deliveries.") % {
        "url": notification.data.get("url", ""),
        "failures": notification.data.get("failures", ""),
    }


def _paused_url(notification) -> str:
    from django.urls import reverse

    return reverse("webhook_detail", args=[notification.target_id])


notification_kinds.register(
    "core.webhook_paused",
    NotificationKind(
        "core.webhook_paused",
        _("A webhook you registered was paused after failing"),
        describe=_describe_paused,
        url=_paused_url,
        details=lambda notification: _gettext(
            "Fix the receiver, then resume the webhook on its page: nothing is sent to it "
            "until then."
        ),
        is_visible=lambda recipient, hook: hook is not None and hook.owner_id == recipient.pk,
    ),
)
