"""Which opportunities anonymous readers are shown, and when what a page shows next changes.

A cached page (`core.page_cache`) must not outlive the moment one of its opportunities turns
"closing soon" or closes, nor the moment one enters or leaves the listing it belongs to (a
filtered view, a later page, the closed ones). `next_listing_change` gives the first such moment
across every listed opportunity, in one query: a listing expires then, whatever its filters,
so it can never show a phase or a membership that has since changed.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Min, Q, QuerySet

from .models import CLOSING_SOON, Opportunity, Review, Status

# The reviews a listed opportunity may have had.
LISTED_REVIEWS = (Review.NOT_NEEDED, Review.APPROVED)


def listed() -> QuerySet[Opportunity]:
    """Published, not held or rejected, not hidden: what listings and panels may show."""
    return Opportunity.objects.filter(
        status=Status.PUBLISHED,
        review__in=list(LISTED_REVIEWS),
        hidden=False,
    )


def next_change(opportunities, now: datetime) -> float | None:
    """Seconds until the first of these opportunities changes phase (closing soon, or closed)."""
    moments = []
    for item in opportunities:
        for moment in (item.deadline - CLOSING_SOON, item.deadline):
            if moment > now:
                moments.append((moment - now).total_seconds())
    return min(moments) if moments else None


def next_listing_change(now: datetime) -> float | None:
    """Seconds until any listed opportunity changes phase; None if none ever will."""
    found = listed().aggregate(
        closes=Min("deadline", filter=Q(deadline__gt=now)),
        closing_soon=Min("deadline", filter=Q(deadline__gt=now + CLOSING_SOON)),
    )
    moments = [found["closes"]]
    if found["closing_soon"] is not None:
        moments.append(found["closing_soon"] - CLOSING_SOON)
    seconds = [(moment - now).total_seconds() for moment in moments if moment is not None]
    return min(seconds) if seconds else None
