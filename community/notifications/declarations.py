"""What notifications declares into the kernel: the store and unread count behind
`core.notify.notify` (`notification_hooks`), the hourly digest job, the dashboard panel of the
latest unread notifications, and its part of "Your data" (notifications, e-mail choices and
follows, exported and erased with the account).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from core.models import Follow
from core.registries import (
    DashboardPanel,
    PeriodicJob,
    PersonalData,
    dashboard_panels,
    notification_hooks,
    periodic_jobs,
    personal_data,
)

from . import centre, delivery
from .models import DigestLog, EmailPreference, Notification

notification_hooks.store = delivery.store
notification_hooks.unread_count = centre.unread_count

periodic_jobs.register(
    "notifications_digests",
    PeriodicJob(
        "notifications_digests", "community.notifications.tasks.send_digests", timedelta(hours=1)
    ),
)


def _panel(request) -> str | None:
    if not request.user.unread_notifications:  # kept on the user row: no query when none
        return None
    items = centre.latest_unread(request.user)
    if not items:
        return None
    return render_to_string("notifications/_panel.html", {"items": items}, request)


dashboard_panels.register(
    "notifications",
    DashboardPanel(
        "notifications",
        _("Unread notifications"),
        _panel,
        order=5,
        is_visible=lambda user: user.is_authenticated,
    ),
)


def _export(user) -> dict[str, Any]:
    return {
        "notifications": [
            {
                "kind": n.kind,
                "about": f"{n.target_type.app_label}.{n.target_type.model}:{n.target_id}"
                if n.target_type_id
                else None,
                "data": n.data,
                "created_at": n.created_at.isoformat(),
                "read_at": n.read_at.isoformat() if n.read_at else None,
                "emailed_at": n.emailed_at.isoformat() if n.emailed_at else None,
            }
            for n in Notification.objects.filter(recipient=user)
            .select_related("target_type")
            .order_by("pk")
        ],
        "email_choices": dict(
            EmailPreference.objects.filter(user=user).values_list("kind", "frequency")
        ),
        "follows": [
            {
                "what": f"{f.target_type.app_label}.{f.target_type.model}:{f.target_id}",
                "state": f.state,
                "since": f.created_at.isoformat(),
            }
            for f in Follow.objects.filter(user=user).select_related("target_type").order_by("pk")
        ],
    }


def _erase(user) -> None:
    Notification.objects.filter(recipient=user).delete()
    # Notifications others received about this member's actions stay, without the person.
    Notification.objects.filter(actor=user).update(actor=None)
    EmailPreference.objects.filter(user=user).delete()
    DigestLog.objects.filter(user=user).delete()
    Follow.objects.filter(user=user).delete()


personal_data.register(
    "notifications",
    PersonalData(
        "notifications", _("Notifications and follows"), export=_export, erase=_erase, order=80
    ),
)
