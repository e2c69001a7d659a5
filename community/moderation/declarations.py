"""What moderation declares into the kernel: its part of "Your data" (the reports a member made)
and its permission as one that needs a second factor."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from core.guards import register_privileged_permission
from core.registries import (
    DemoLoader,
    PersonalData,
    demo_loaders,
    personal_data,
    screening_provider,
)

from .models import MODERATE_PERMISSION, Report

register_privileged_permission(MODERATE_PERMISSION)


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
        ]
    }


def _anonymise_reports(user) -> None:
    # The reports stay: moderators still need them to judge the reported content.
    Report.objects.filter(reporter=user).update(reporter=None)


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
