"""What opportunities declares into the kernel: "Your data", moderation (reportable_models),
the periodic archiving job, the demo loader, page-cache signals.

The navigation entry `opportunities` (declared by core) becomes a link once
`opportunities:index` resolves. Any write, from the app or elsewhere, empties the anonymous page
cache (coarse for now).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy

from core.page_cache import invalidate_pages
from core.registries import (
    DemoLoader,
    PeriodicJob,
    PersonalData,
    ReportableModel,
    demo_loaders,
    periodic_jobs,
    personal_data,
    reportable_models,
)

from .models import Opportunity, Status
from .permissions import can_view


def _forget_pages(sender, **kwargs) -> None:
    invalidate_pages()


post_save.connect(_forget_pages, sender=Opportunity, dispatch_uid="opportunity_saved")
post_delete.connect(_forget_pages, sender=Opportunity, dispatch_uid="opportunity_deleted")
m2m_changed.connect(
    _forget_pages, sender=Opportunity.topics.through, dispatch_uid="opportunity_topics_changed"
)

periodic_jobs.register(
    "archive_closed_opportunities",
    PeriodicJob(
        "archive_closed_opportunities",
        "community.opportunities.tasks.archive_closed_opportunities",
        timedelta(hours=6),
    ),
)


# --- Your data -------------------------------------------------------------------------------


def _export(user) -> dict[str, Any]:
    posted = Opportunity.objects.filter(poster=user).select_related("organisation")
    return {
        "posted": [
            {
                "title": item.title,
                "type": item.type,
                "organisation": item.organisation.name if item.organisation else None,
                "status": item.status,
                "description": item.description,
                "deadline": item.deadline.isoformat(),
                "time_zone": item.time_zone,
                "apply_url": item.apply_url,
                "created_at": item.created_at.isoformat(),
            }
            for item in posted
        ]
    }


def _erase(user) -> None:
    # An organisation's posting belongs to the organisation: its admins still manage it, so it
    # stays without its poster. A member's own posting (and any draft) has nobody left to answer
    # applicants or to close it, and would still point at the person: it goes.
    mine = Opportunity.objects.filter(poster=user)
    mine.filter(status=Status.DRAFT).delete()
    mine.filter(organisation__isnull=True).delete()
    mine.update(poster=None)


personal_data.register(
    "opportunities",
    PersonalData(
        "opportunities",
        gettext_lazy("Opportunities you posted"),
        export=_export,
        erase=_erase,
        order=50,
    ),
)


# --- Moderation ------------------------------------------------------------------------------


def _set_hidden(opportunity: Opportunity, hidden: bool) -> None:
    opportunity.hidden = hidden
    opportunity.save(update_fields=["hidden", "updated_at"])


def _show(request, opportunity: Opportunity) -> str:
    return format_html(
        '<p><a href="{}">{}</a></p><div>{}</div>',
        reverse("opportunities:detail", args=[opportunity.pk]),
        opportunity.title,
        opportunity.description,  # stored sanitised
    )


reportable_models.register(
    "opportunities.Opportunity",
    ReportableModel(
        "opportunities.Opportunity",
        author=lambda opportunity: opportunity.poster,
        url=lambda opportunity: reverse("opportunities:detail", args=[opportunity.pk]),
        hide=lambda opportunity, moderator: _set_hidden(opportunity, True),
        restore=lambda opportunity, moderator: _set_hidden(opportunity, False),
        is_hidden=lambda opportunity: opportunity.hidden,
        show=_show,
        can_view=can_view,
    ),
)


def _load_demo(progress):
    from .demo import load

    return load(progress)


# After organisations (40): demo opportunities are posted for the demo organisations.
demo_loaders.register("opportunities", DemoLoader("opportunities", _load_demo, order=50))
