"""What the kernel itself declares into the registries: live streams, periodic jobs, navigation,
demo accounts and the personal data of the account itself."""

from __future__ import annotations

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from .live import SITE_GROUP, user_group
from .registries import (
    DemoLoader,
    LiveStream,
    NavigationEntry,
    PeriodicJob,
    PersonalData,
    demo_loaders,
    live_streams,
    navigation,
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

    if user.is_superuser and not (
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
