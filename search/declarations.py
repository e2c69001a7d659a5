"""What search declares into the kernel's registries: the periodic catch-up of vectors, and
for saved site searches their alerts (a periodic job and a notification kind), their place in
"Your data" and on the dashboard."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy

from core.registries import (
    DashboardPanel,
    NotificationKind,
    PeriodicJob,
    PersonalData,
    dashboard_panels,
    notification_kinds,
    periodic_jobs,
    personal_data,
)

from . import alerts
from .models import SavedSiteSearch

# A rebuild fills in the vectors it did not have after it commits the words; a worker stopped
# meanwhile (a deploy, a crash) would leave those documents found by their words only for good.
periodic_jobs.register(
    "search_fill_vectors",
    PeriodicJob("search_fill_vectors", "search.tasks.fill_vectors", timedelta(minutes=10)),
)

periodic_jobs.register(
    "search_saved_search_alerts",
    PeriodicJob(
        "search_saved_search_alerts",
        "search.tasks.send_saved_search_alerts",
        timedelta(hours=1),
    ),
)

notification_kinds.register(
    alerts.SAVED_SEARCH_KIND,
    NotificationKind(
        alerts.SAVED_SEARCH_KIND,
        gettext_lazy("New results for your saved searches of the site"),
        describe=alerts.describe_matches,
        url=alerts.matches_url,
        details=alerts.matches_details,
    ),
)


def _export(user) -> dict[str, Any]:
    # What they searched for is theirs, and may say much about them: all of it is exported.
    return {
        "saved_site_searches": [
            {
                "name": search.name,
                "query": search.query,
                "language": search.language,
                "frequency": search.frequency,
                "last_notified_at": search.last_notified_at.isoformat(),
                "created_at": search.created_at.isoformat(),
            }
            for search in SavedSiteSearch.objects.filter(member=user)
        ]
    }


def _erase(user) -> None:
    SavedSiteSearch.objects.filter(member=user).delete()


personal_data.register(
    "search_saved",
    PersonalData(
        "search_saved",
        gettext_lazy("Saved searches of the site"),
        export=_export,
        erase=_erase,
        order=56,
    ),
)

SHOWN = 5


def _render_panel(request) -> str | None:
    from .saved import describe

    searches = list(SavedSiteSearch.objects.filter(member=request.user)[:SHOWN])
    if not searches:
        return None
    rows = [describe(search) for search in searches]
    return render_to_string("search/panels/saved.html", {"rows": rows}, request)


def _signed_in(user) -> bool:
    return bool(user.is_authenticated)


dashboard_panels.register(
    "search_saved",
    DashboardPanel(
        "search_saved",
        gettext_lazy("Saved searches of the site"),
        _render_panel,
        order=56,
        is_visible=_signed_in,
    ),
)
