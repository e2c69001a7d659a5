"""The saved-search alerts: each run, one notification per member listing new matches of their
due searches (declared in `periodic_jobs`, run by the worker through `tasks.py`). It goes through
`core.notify`, so it shows in the notification centre and is e-mailed as the member chose for
"opportunities.saved_search" (at once by default: the search's own period already batches it).

A search is due once its period (a day, a week) has passed since `last_notified_at`. Its new
matches are public, open opportunities that became public after that moment and up to this run,
found with the listing's own filters, so an alert never shows what the listing would not. A
stored query that no longer parses to itself (a topic or organisation that went away) sends
nothing rather than a broader search the member never asked for. The run, and when a search
is due, are every saved search's (`core.saved_searches`): each member's due searches are
advanced to the run's moment, so a second run finds nothing due.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.conf import settings
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from core.notify import notify
from core.saved_searches import send_due_alerts

from .filters import OpportunityFilters
from .models import Opportunity, Review, Status
from .saved_models import SavedSearch

logger = logging.getLogger(__name__)

MAX_LISTED = 20


def new_matches(search: SavedSearch, now: datetime) -> list[Opportunity] | None:
    """Public, open opportunities matching `search` that became public since it last ran.

    None when the stored query no longer parses to itself (nothing is sent for it).
    """
    filters = OpportunityFilters.from_string(search.query)
    if filters.canonical_query() != search.query:
        logger.info("Saved search %s no longer parses; skipped", search.pk)
        return None
    found = (
        Opportunity.objects.filter(
            status=Status.PUBLISHED,
            review__in=[Review.NOT_NEEDED, Review.APPROVED],
            hidden=False,
            deadline__gt=now,
        )
        .annotate(became_public=Coalesce("public_since", "created_at"))
        .filter(became_public__gt=search.last_notified_at, became_public__lte=now)
    )
    return list(filters.apply(found, now).select_related("organisation")[: MAX_LISTED + 1])


def send_alerts(now: datetime | None = None) -> int:
    """Send this run's alerts; returns how many members were told."""
    return send_due_alerts(SavedSearch, now or timezone.now(), _alert)


def _alert(searches: list[SavedSearch], now: datetime) -> bool:
    sent = _notify(searches, now)
    SavedSearch.objects.filter(pk__in=[s.pk for s in searches]).update(last_notified_at=now)
    return sent


def _notify(searches: list[SavedSearch], now: datetime) -> bool:
    """Tell the member about this run's new matches, through `core.notify` (one notification,
    which keeps ids only: its e-mail is written in the member's language when it is sent)."""
    member = searches[0].member
    sections = []
    seen: set[int] = set()
    for search in searches:
        found = new_matches(search, now)
        if not found:
            continue
        fresh = [item.pk for item in found if item.pk not in seen]
        seen.update(item.pk for item in found)
        if fresh:
            sections.append(
                {"search": search.pk, "items": fresh[:MAX_LISTED], "more": len(fresh) > MAX_LISTED}
            )
    if not sections:
        return False
    count = sum(len(section["items"]) for section in sections)
    return notify(SAVED_SEARCH_KIND, member, count=count, sections=sections) is not None


# --- The notification kind (declared in declarations.py) ----------------------------------------

SAVED_SEARCH_KIND = "opportunities.saved_search"


def describe_matches(notification) -> str:
    count = notification.data.get("count", 0)
    return ngettext(
        "%(count)s new opportunity matches your saved searches",
        "%(count)s new opportunities match your saved searches",
        count,
    ) % {"count": count}


def matches_url(notification) -> str:
    return reverse("opportunities:saved_searches")


def matches_details(notification) -> str:
    """The list of matches, written now in the active (the member's) language."""
    stored = notification.data.get("sections", [])
    searches = SavedSearch.objects.in_bulk([section["search"] for section in stored])
    wanted = [pk for section in stored for pk in section["items"]]
    # Only what is still public: one hidden since the alert is left out.
    items = (
        Opportunity.objects.filter(
            pk__in=wanted,
            status=Status.PUBLISHED,
            review__in=[Review.NOT_NEEDED, Review.APPROVED],
            hidden=False,
        )
        .select_related("organisation")
        .in_bulk()
    )
    sections = []
    for section in stored:
        search = searches.get(section["search"])
        listed = [items[pk] for pk in section["items"] if pk in items]
        if search is None or not listed:
            continue
        sections.append(
            {
                "title": search.name or OpportunityFilters.from_string(search.query).summary(),
                "more": section.get("more", False),
                "search_url": settings.SITE_URL
                + reverse("opportunities:index")
                + (f"?{search.query}" if search.query else ""),
                "items": [
                    {
                        "title": item.title,
                        "type": item.get_type_display(),
                        "organisation": item.organisation.name if item.organisation else "",
                        # Shown in the poster's zone and named, as on the page.
                        "deadline": item.deadline,
                        "zone": item.zone,
                        "zone_name": item.time_zone,
                        "url": settings.SITE_URL + reverse("opportunities:detail", args=[item.pk]),
                    }
                    for item in listed
                ],
            }
        )
    return render_to_string(
        "opportunities/email/saved_searches.txt",
        {
            "sections": sections,
            "manage_url": settings.SITE_URL + reverse("opportunities:saved_searches"),
        },
    )
