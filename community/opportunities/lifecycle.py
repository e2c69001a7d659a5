"""The operations that change an opportunity's state: publish (maybe held), approve, reject,
close early, extend, and the archiving of long-closed ones.

The fraud rule lives here: a member's first opportunity (no earlier approved or unheld one), any
from an unverified organisation, any from a member whose trust level holds new items
(`core.trust`), and any matching the moderators' word lists (`core.screening`, in every
language, since members mix them) wait for a moderator before anyone else sees them. Nothing is
ever dropped: a held opportunity stays its poster's, and the moderator approves it, sends it
back to its poster as a draft with a note, or hides it; each decision goes through the
moderation app's `act`, so it is in the append-only log and the poster is told.
Archiving deletes the CVs sent with expressions of interest (`applications.drop_cvs`): nobody
needs them once the opportunity is over, and a CV kept is a CV that can leak.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language

from community.moderation.actions import act
from community.moderation.models import ModerationAction
from core import trust
from core.page_cache import invalidate_groups
from core.registries import reportable_models
from core.screening import screen

from . import webhook_events
from .applications import drop_cvs
from .models import ARCHIVE_AFTER, PAGE_GROUP, Opportunity, Review, Status


def screened_terms(opportunity: Opportunity) -> list[str]:
    """The word-list terms found in what readers would see of it."""
    text = " ".join([opportunity.title, opportunity.description, opportunity.compensation or ""])
    return screen(text, get_language() or "en")


def needs_review(opportunity: Opportunity) -> bool:
    if opportunity.organisation is not None and not opportunity.organisation.is_verified:
        return True
    # A member's first opportunity (no approved one yet) is held: the trust level says so, and
    # a moderator may trust a member from the start (core.trust).
    return trust.limits_for(opportunity.poster).hold_for_review or bool(screened_terms(opportunity))


@transaction.atomic
def publish(opportunity: Opportunity) -> None:
    """Publish a draft (a new one, or one sent back and changed): held for review by the same
    rules whatever its past, unless a moderator already approved it."""
    if opportunity.review != Review.APPROVED:
        opportunity.review = Review.HELD if needs_review(opportunity) else Review.NOT_NEEDED
    opportunity.review_note = ""  # answered: the poster changed it and published it again
    opportunity.status = Status.PUBLISHED
    first_time = opportunity.review != Review.HELD and opportunity.public_since is None
    if first_time:
        opportunity.public_since = timezone.now()
    opportunity.save()
    if first_time:
        _announce(opportunity)


def hold_if_screened(opportunity: Opportunity) -> bool:
    """After its poster edits an opportunity others can see: if it now matches the word lists,
    it goes back to the moderators (held, out of sight) until one approves it again, so a text
    approved once cannot be swapped for a scam. Returns whether it was held."""
    if opportunity.status != Status.PUBLISHED or opportunity.review == Review.HELD:
        return False
    if not screened_terms(opportunity):
        return False
    opportunity.review = Review.HELD
    opportunity.save(update_fields=["review", "updated_at"])
    return True


# --- A moderator's decision on a held opportunity, each in the moderation log ------------------


def _log(kind: str, opportunity: Opportunity, moderator, note: str = ""):
    """The decision through the moderation app's `act`: logged with the moderator and the note,
    the poster told when the kind says so (a hide: with its one appeal)."""
    return act(
        kind,
        moderator=moderator,
        declaration=reportable_models["opportunities.Opportunity"],
        target=opportunity,
        note=note,
    )


@transaction.atomic
def approve_held(opportunity: Opportunity, moderator) -> None:
    """A moderator approves a held opportunity: it becomes public, and the log says who."""
    approve(opportunity)
    _log(ModerationAction.Kind.APPROVE, opportunity, moderator)


@transaction.atomic
def send_back(opportunity: Opportunity, moderator, note: str) -> None:
    """A moderator sends a held opportunity back to its poster as a draft, with a `note` saying
    what to change: nobody else sees it until the poster publishes it again, when the same
    review rules apply (`publish`). Logged, and the poster told (no appeal: nothing was taken,
    they answer by changing it)."""
    opportunity.review = Review.SENT_BACK
    opportunity.status = Status.DRAFT
    opportunity.review_note = note
    opportunity.save(update_fields=["review", "status", "review_note", "updated_at"])
    _log(ModerationAction.Kind.SEND_BACK, opportunity, moderator, note)


@transaction.atomic
def hide_held(opportunity: Opportunity, moderator, note: str = "") -> None:
    """A moderator hides a held opportunity (a scam, not a draft to fix), as the moderation
    queue would: logged, the poster told and allowed one appeal."""
    _log(ModerationAction.Kind.HIDE, opportunity, moderator, note)


def approve(opportunity: Opportunity) -> None:
    """The change itself, unlogged: moderators' views call `approve_held`."""
    opportunity.review = Review.APPROVED
    first_time = opportunity.public_since is None
    if first_time:
        opportunity.public_since = timezone.now()
    opportunity.save(update_fields=["review", "public_since", "updated_at"])
    if first_time:
        _announce(opportunity)


# --- Telling the followers of its organisation, once, when it first becomes public ---------------

FOLLOWED_ORGANISATION_KIND = "opportunities.followed_organisation"


def _announce(opportunity: Opportunity) -> None:
    # Partners' webhooks hear of every opportunity that becomes public, whoever posted it.
    webhook_events.published(opportunity)
    if opportunity.organisation_id is None:
        return
    from .tasks import tell_organisation_followers

    pk = opportunity.pk
    # In the background: an organisation may have many followers.
    transaction.on_commit(lambda: tell_organisation_followers.enqueue(pk))


def tell_followers(opportunity_id: int) -> int:
    from core.follows import followers
    from core.notify import notify

    opportunity = (
        Opportunity.objects.select_related("organisation", "poster")
        .filter(pk=opportunity_id)
        .first()
    )
    if opportunity is None or opportunity.organisation is None or not opportunity.is_public:
        return 0
    told = 0
    for member in followers(opportunity.organisation):
        told += bool(
            notify(
                FOLLOWED_ORGANISATION_KIND,
                member,
                target=opportunity,
                actor=opportunity.poster,
                title=opportunity.title,
                organisation=opportunity.organisation.name,
            )
        )
    return told


def close_now(opportunity: Opportunity, now: datetime | None = None) -> None:
    now = now or timezone.now()
    if opportunity.deadline > now:
        opportunity.deadline = now
        opportunity.save(update_fields=["deadline", "updated_at"])
        webhook_events.closed(opportunity)


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
