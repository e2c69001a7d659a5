"""Saving opportunities and searches: the operations the views call, with their rules.

A member saves only what anyone may see (a public opportunity); one they can no longer see
(hidden by a moderator, back to draft, held) drops out of their list without being deleted, so
it comes back if it is restored. Saved searches are capped per member; each stores the
canonical query, so the same search saved twice is one row.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, QuerySet

from core.saved_searches import save_capped

from .filters import OpportunityFilters
from .models import Opportunity, Review, Status
from .saved_models import Frequency, SavedOpportunity, SavedSearch

# What a saved opportunity must be for anyone to still see it.
SAVED_STATUSES = (Status.PUBLISHED, Status.ARCHIVED)
SAVED_REVIEWS = (Review.NOT_NEEDED, Review.APPROVED)


def visible_saved(member) -> QuerySet[SavedOpportunity]:
    """The member's saved opportunities that anyone may still see, latest saved first."""
    return SavedOpportunity.objects.filter(
        member=member,
        opportunity__status__in=list(SAVED_STATUSES),
        opportunity__review__in=list(SAVED_REVIEWS),
        opportunity__hidden=False,
    ).select_related("opportunity", "opportunity__organisation")


def saved_ids(member, opportunities: Iterable[Opportunity]) -> set[int]:
    """Which of these opportunities the member saved (one query for a whole listing page)."""
    ids = [item.pk for item in opportunities]
    if not ids:
        return set()
    return set(
        SavedOpportunity.objects.filter(member=member, opportunity_id__in=ids).values_list(
            "opportunity_id", flat=True
        )
    )


def with_saved(opportunities: QuerySet[Opportunity], member) -> QuerySet[Opportunity]:
    """`opportunities` with `is_saved` (did the member save it), read with them, not after."""
    return opportunities.annotate(
        is_saved=Exists(
            SavedOpportunity.objects.filter(member=member, opportunity_id=OuterRef("pk"))
        )
    )


def save_opportunity(member, opportunity: Opportunity) -> None:
    """Keep it in the member's list (saving twice changes nothing); only public ones."""
    if not opportunity.is_public:
        raise ValueError("only public opportunities can be saved")
    SavedOpportunity.objects.get_or_create(member=member, opportunity=opportunity)


def unsave_opportunity(member, opportunity: Opportunity) -> None:
    SavedOpportunity.objects.filter(member=member, opportunity=opportunity).delete()


def save_search(member, filters: OpportunityFilters, name: str, frequency: str) -> SavedSearch:
    """Store the search, or raise `core.saved_searches.SearchRefused` saying why (limit
    reached, already saved)."""
    if frequency not in Frequency.values:
        frequency = Frequency.WEEKLY
    return save_capped(
        SavedSearch,
        member,
        {"query": filters.canonical_query()},
        name=" ".join(name.split())[:100],
        frequency=frequency,
    )
