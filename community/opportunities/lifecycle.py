"""The operations that change an opportunity's state: publish (maybe held), approve, reject,
close early, extend, and the archiving of long-closed ones.

The fraud rule lives here: a member's first opportunity (no earlier approved or unheld one) and
any from an unverified organisation wait for a moderator before anyone else sees them.
Archiving deletes the CVs sent with expressions of interest (`applications.drop_cvs`): nobody
needs them once the opportunity is over, and a CV kept is a CV that can leak.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from core.page_cache import invalidate_groups

from .applications import drop_cvs
from .models import ARCHIVE_AFTER, PAGE_GROUP, Opportunity, Review, Status


def needs_review(opportunity: Opportunity) -> bool:
    if opportunity.organisation is not None and not opportunity.organisation.is_verified:
        return True
    earlier = Opportunity.objects.filter(
        poster_id=opportunity.poster_id,
        status__in=[Status.PUBLISHED, Status.ARCHIVED],
        review__in=[Review.APPROVED, Review.NOT_NEEDED],
    ).exclude(pk=opportunity.pk)
    return not earlier.exists()


@transaction.atomic
def publish(opportunity: Opportunity) -> None:
    if opportunity.review != Review.APPROVED:
        opportunity.review = Review.HELD if needs_review(opportunity) else Review.NOT_NEEDED
    opportunity.status = Status.PUBLISHED
    if opportunity.review != Review.HELD and opportunity.public_since is None:
        opportunity.public_since = timezone.now()
    opportunity.save()


def approve(opportunity: Opportunity) -> None:
    opportunity.review = Review.APPROVED
    if opportunity.public_since is None:
        opportunity.public_since = timezone.now()
    opportunity.save(update_fields=["review", "public_since", "updated_at"])


def reject(opportunity: Opportunity) -> None:
    # Back to a draft its poster can fix; nobody else ever saw it.
    opportunity.review = Review.REJECTED
    opportunity.status = Status.DRAFT
    opportunity.save(update_fields=["review", "status", "updated_at"])


def close_now(opportunity: Opportunity, now: datetime | None = None) -> None:
    now = now or timezone.now()
    if opportunity.deadline > now:
        opportunity.deadline = now
        opportunity.save(update_fields=["deadline", "updated_at"])


def extend(opportunity: Opportunity, deadline: datetime) -> None:
    opportunity.deadline = deadline
    if opportunity.status == Status.ARCHIVED:
        opportunity.status = Status.PUBLISHED
    opportunity.save(update_fields=["deadline", "status", "updated_at"])


def archive_closed(now: datetime | None = None) -> int:
    """Archive published opportunities whose deadline passed 90 days ago; safe late or twice."""
    now = now or timezone.now()
    stale = Opportunity.objects.filter(status=Status.PUBLISHED, deadline__lte=now - ARCHIVE_AFTER)
    ids = list(stale.values_list("pk", flat=True))
    if ids:
        Opportunity.objects.filter(pk__in=ids).update(status=Status.ARCHIVED, updated_at=now)
    # Every archived one, not only today's: whatever archived it (the admin, an import), the job
    # runs every few hours, so an archived opportunity keeps its CVs for that long at most.
    drop_cvs(Opportunity.objects.filter(status=Status.ARCHIVED))
    if ids:
        invalidate_groups(PAGE_GROUP)
    return len(ids)
