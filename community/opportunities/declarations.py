"""What opportunities declares into the kernel: "Your data", moderation (reportable_models),
the periodic jobs (archiving, saved-search alerts), the dashboard panels (saved opportunities
and searches, expressions of interest and applicants), the home and country pages' panels,
the private CV files of expressions of interest, the demo loader, page-cache signals.

The navigation entry `opportunities` (declared by core) becomes a link once
`opportunities:index` resolves. Any write, from the app or elsewhere (the admin, erasure,
moderation), invalidates the opportunities' content group of the anonymous page cache
(`core.page_cache`): the listing, the pages and the home panel, not unrelated pages.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from community.members.zones import reader_zone_name
from core.page_cache import invalidate_groups
from core.registries import (
    DashboardPanel,
    DemoLoader,
    PagePanel,
    PeriodicJob,
    PersonalData,
    PrivateFileKind,
    ReportableModel,
    TrustContribution,
    dashboard_panels,
    demo_loaders,
    page_panels,
    periodic_jobs,
    personal_data,
    private_files,
    reportable_models,
    trust_contributions,
)

from . import panels
from .models import (
    CV_KIND,
    PAGE_GROUP,
    Application,
    Opportunity,
    SavedOpportunity,
    SavedSearch,
    Status,
)
from .permissions import can_read_cv, can_view


def _forget_pages(sender, **kwargs) -> None:
    invalidate_groups(PAGE_GROUP)


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


private_files.register(CV_KIND, PrivateFileKind(CV_KIND, Application, "cv", can_read_cv))


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
                # What the moderators asked of the poster when they sent it back, as shown to them.
                "review_note": item.review_note,
                "description": item.description,
                "deadline": item.deadline.isoformat(),
                "time_zone": item.time_zone,
                "apply_url": item.apply_url,
                "created_at": item.created_at.isoformat(),
            }
            for item in posted
        ]
    }


def _export_applications(user) -> dict[str, Any]:
    return {
        "applications": [
            {
                "opportunity": item.opportunity.title,
                "message": item.message,
                "cv": item.cv.name.rsplit("/", 1)[-1] if item.cv else None,
                "status": item.status,
                "created_at": item.created_at.isoformat(),
                "updated_at": item.updated_at.isoformat(),
            }
            for item in Application.objects.filter(applicant=user).select_related("opportunity")
        ]
    }


def _cv_files(user) -> list[tuple[str, str]]:
    # Prefixed by the application's id: two CVs may share a file name.
    return [
        (f"cv-{item.pk}-{item.cv.name.rsplit('/', 1)[-1]}", item.cv.name)
        for item in Application.objects.filter(applicant=user).exclude(cv="")
    ]


def _erase_applications(user) -> None:
    # Each record deletes its CV file (PrivateFileField) once the deletion is committed.
    Application.objects.filter(applicant=user).delete()


def _erase(user) -> None:
    # An organisation's posting belongs to the organisation: its admins still manage it, so it
    # stays without its poster. A member's own posting (and any draft) has nobody left to answer
    # applicants or to close it, and would still point at the person: it goes.
    mine = Opportunity.objects.filter(poster=user)
    mine.filter(status=Status.DRAFT).delete()
    mine.filter(organisation__isnull=True).delete()
    mine.update(poster=None)
    invalidate_groups(PAGE_GROUP)  # a queryset update sends no signal


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
personal_data.register(
    "opportunity_applications",
    PersonalData(
        "opportunity_applications",
        gettext_lazy("Your expressions of interest"),
        export=_export_applications,
        erase=_erase_applications,
        files=_cv_files,
        order=55,
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


# --- Panels ----------------------------------------------------------------------------------

# Before the organisations' panel (40): what is open now comes first.
page_panels.register(
    "opportunities_home",
    PagePanel(
        "opportunities_home",
        "home",
        panels.render_home_panel,
        order=30,
        groups=(PAGE_GROUP,),
        # The same for every reader of a language but for their time zone beside the deadlines:
        # kept per zone (core.panel_cache), as on a country page. Signed-in home pages are never
        # served from the page cache, and drew it (a query and a template) on every view.
        varies_on=reader_zone_name,
    ),
)
page_panels.register(
    "opportunities_country",
    PagePanel(
        "opportunities_country",
        "country",
        panels.render_country_panel,
        order=30,
        groups=(PAGE_GROUP,),
        count=panels.count_open_by_country,
        count_label=gettext_lazy("Open opportunities"),
        # Deadlines show in the reader's own time zone too: kept per zone (core.panel_cache).
        varies_on=reader_zone_name,
    ),
)

# --- Dashboard ---------------------------------------------------------------------------------


def _signed_in(user) -> bool:
    return bool(user.is_authenticated)


dashboard_panels.register(
    "opportunities_applications",
    DashboardPanel(
        "opportunities_applications",
        gettext_lazy("Your expressions of interest"),
        panels.render_my_applications,
        order=50,
        is_visible=_signed_in,
    ),
)
dashboard_panels.register(
    "opportunities_applicants",
    DashboardPanel(
        "opportunities_applicants",
        gettext_lazy("Applicants waiting for an answer"),
        panels.render_waiting_applicants,
        order=55,
        is_visible=_signed_in,
    ),
)


def _load_demo(progress):
    from .demo import load

    return load(progress)


# After organisations (40): demo opportunities are posted for the demo organisations.
demo_loaders.register("opportunities", DemoLoader("opportunities", _load_demo, order=50))


# --- Saved opportunities and saved searches ----------------------------------------------------

periodic_jobs.register(
    "saved_search_alerts",
    PeriodicJob(
        "saved_search_alerts",
        "community.opportunities.tasks.send_saved_search_alerts",
        timedelta(hours=1),
    ),
)


dashboard_panels.register(
    "opportunities_saved",
    DashboardPanel(
        "opportunities_saved",
        gettext_lazy("Saved opportunities"),
        panels.render_saved_panel,
        order=50,
        is_visible=_signed_in,
    ),
)
dashboard_panels.register(
    "opportunities_searches",
    DashboardPanel(
        "opportunities_searches",
        gettext_lazy("Saved searches"),
        panels.render_searches_panel,
        order=55,
        is_visible=_signed_in,
    ),
)


def _export_saved(user) -> dict[str, Any]:
    # Everything the member saved, even what they can no longer open: it is their data.
    return {
        "saved_opportunities": [
            {
                "title": row.opportunity.title,
                "url": reverse("opportunities:detail", args=[row.opportunity_id]),
                "saved_at": row.created_at.isoformat(),
            }
            for row in SavedOpportunity.objects.filter(member=user).select_related("opportunity")
        ],
        "saved_searches": [
            {
                "name": search.name,
                "query": search.query,
                "frequency": search.frequency,
                "last_notified_at": search.last_notified_at.isoformat(),
                "created_at": search.created_at.isoformat(),
            }
            for search in SavedSearch.objects.filter(member=user)
        ],
    }


def _erase_saved(user) -> None:
    SavedOpportunity.objects.filter(member=user).delete()
    SavedSearch.objects.filter(member=user).delete()


personal_data.register(
    "opportunities_saved",
    PersonalData(
        "opportunities_saved",
        gettext_lazy("Saved opportunities and searches"),
        export=_export_saved,
        erase=_erase_saved,
        order=55,
    ),
)


# --- Notification kinds -----------------------------------------------------------------------


def _declare_notifications() -> None:
    from core.registries import NotificationKind, notification_kinds

    from . import alerts, applications, lifecycle

    def opportunity_visible(recipient, opportunity) -> bool:
        return opportunity is not None and can_view(recipient, opportunity)

    def describe_new(notification) -> str:
        return (
            _("%(organisation)s, which you follow, published a new opportunity: %(title)s")
            % notification.data
        )

    def new_url(notification) -> str:
        return reverse("opportunities:detail", args=[notification.target_id])

    for kind in (
        NotificationKind(
            applications.INTEREST_KIND,
            gettext_lazy("Expressions of interest in your opportunities"),
            describe=applications.describe_interest,
            url=applications.interest_url,
            details=applications.interest_details,
        ),
        NotificationKind(
            applications.DECISION_KIND,
            gettext_lazy("Decisions on your expressions of interest"),
            describe=applications.describe_decision,
            url=applications.decision_url,
            details=applications.decision_details,
        ),
        NotificationKind(
            alerts.SAVED_SEARCH_KIND,
            gettext_lazy("New opportunities matching your saved searches"),
            describe=alerts.describe_matches,
            url=alerts.matches_url,
            details=alerts.matches_details,
        ),
        NotificationKind(
            lifecycle.FOLLOWED_ORGANISATION_KIND,
            gettext_lazy("New opportunities from organisations you follow"),
            describe=describe_new,
            url=new_url,
            default_email="daily",
            is_visible=opportunity_visible,
        ),
    ):
        notification_kinds.register(kind.key, kind)


_declare_notifications()
# --- Trust (core.trust) -------------------------------------------------------------------------


def _approved_opportunities(user) -> int:
    return Opportunity.objects.filter(
        poster=user,
        status__in=["published", "archived"],
        review__in=["approved", "not_needed"],
        hidden=False,
    ).count()


trust_contributions.register(
    "opportunities", TrustContribution("opportunities", _approved_opportunities)
)

# The webhook events partners may subscribe to: an opportunity published, one closed (also when
# its deadline passes: noticed by a periodic scan).
from . import webhook_events  # noqa: E402, F401

periodic_jobs.register(
    "announce_closed_opportunities",
    PeriodicJob(
        "announce_closed_opportunities",
        "community.opportunities.tasks.announce_closed_opportunities",
        timedelta(minutes=5),
    ),
)
