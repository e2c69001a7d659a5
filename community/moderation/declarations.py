"""What moderation declares into the kernel: its part of "Your data" (the reports a member made),
its permission as one that needs a second factor, and the notification kind that tells authors
of moderators' decisions (`messaging.tell_author`)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from core.guards import register_privileged_permission
from core.registries import (
    DemoLoader,
    NotificationKind,
    PersonalData,
    demo_loaders,
    notification_kinds,
    personal_data,
    screening_provider,
)

from . import messaging
from .models import MODERATE_PERMISSION, Appeal, Report

register_privileged_permission(MODERATE_PERMISSION)

notification_kinds.register(
    messaging.DECISION,
    NotificationKind(
        messaging.DECISION,
        _("Moderator decisions about your content"),
        describe=messaging.describe,
        url=messaging.url,
        details=messaging.details,
        default_email="immediately",
    ),
)


def _export_reports(user) -> dict[str, Any]:
    # Only what the member wrote and when: never the moderators' names or notes.
    reports = Report.objects.filter(reporter=user).order_by("created_at")
    return {
        "reports": [
            {
                "reason": report.reason,
                "text": report.text,
                "created_at": report.created_at.isoformat(),
                "updated_at": report.updated_at.isoformat(),
            }
            for report in reports
        ],
        # The member's own appeals and the decisions they appealed (never the moderator's name).
        "appeals": [
            {
                "decision": appeal.action.kind,
                "about": appeal.action.object_repr,
                "text": appeal.text,
                "status": appeal.status,
                "created_at": appeal.created_at.isoformat(),
            }
            for appeal in Appeal.objects.filter(action__author=user).select_related("action")
        ],
    }


def _anonymise_reports(user) -> None:
    # The reports stay: moderators still need them to judge the reported content.
    Report.objects.filter(reporter=user).update(reporter=None)
    # Their appeals are their words: gone with them. The log rows stay, their author emptied
    # by the foreign key, so moderators keep the history of what they did.
    Appeal.objects.filter(action__author=user).delete()


personal_data.register(
    "moderation",
    PersonalData(
        "moderation",
        _("Your reports"),
        export=_export_reports,
        erase=_anonymise_reports,
        order=80,
    ),
)


# The word lists core.screening matches against (kept and edited here, by moderators).
def _screening_terms(language: str) -> list[str]:
    from .screening_lists import terms

    return terms(language)


screening_provider.terms = _screening_terms


def _load_demo(progress):
    from .demo import load

    return load(progress)


# After members (30) and opportunities (50): the demo reports point at their content.
demo_loaders.register("moderation", DemoLoader("moderation", _load_demo, order=60))
