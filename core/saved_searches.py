"""What every kind of saved search shares (the opportunities listing's, the site search's): when
one is due for its alert, saving one under a per-member cap, and the alert run.

A saved search is a model with `member`, `frequency` ("daily" or "weekly"; any other value,
such as "never", sends nothing), `last_notified_at` and `created_at`. The alert run handles
each member in one transaction that locks their due searches (skipping those another worker
holds), so two workers never tell anyone twice; the app's `alert(searches, now)` tells the
member and advances the searches. One member's failure (their mail server refused) is logged
and stops nobody else's; their searches stay due and are tried again next run.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

MAX_SAVED = 20  # saved searches of one kind a member may keep
PERIODS = {"daily": timedelta(days=1), "weekly": timedelta(days=7)}
# The job runs hourly: a search is due a little before its full period, so that a daily search
# saved at 09:10 and checked at 09:05 the next day is not pushed to the day after.
SLACK = timedelta(hours=1)


class SearchRefused(Exception):
    """Why a search was not saved, in words for the member."""


def due_searches(now: datetime) -> Q:
    """The searches whose period has passed at `now`."""
    due = Q(pk__in=[])
    for frequency, period in PERIODS.items():
        due |= Q(frequency=frequency, last_notified_at__lte=now - period + SLACK)
    return due


def save_capped(
    model: type[models.Model], member: Any, same: dict[str, Any], **fields: Any
) -> models.Model:
    """Create the member's `model(**same, **fields)`, or raise SearchRefused when they already
    have one with `same` or MAX_SAVED of them."""
    with transaction.atomic():
        # Counted under a lock on the member's row: two quick clicks cannot pass the cap.
        get_user_model().objects.select_for_update().filter(pk=member.pk).first()
        mine = model._default_manager.filter(member=member)
        if mine.filter(**same).exists():
            raise SearchRefused(_("You have already saved this search."))
        if mine.count() >= MAX_SAVED:
            raise SearchRefused(
                _(
                    "You have %(count)s saved searches, the most one can keep: "
                    "delete one you no longer need first."
                )
                % {"count": MAX_SAVED}
            )
        try:
            with transaction.atomic():
                return model._default_manager.create(member=member, **same, **fields)
        except IntegrityError as error:
            raise SearchRefused(_("You have already saved this search.")) from error


def send_due_alerts(
    model: type[models.Model],
    now: datetime,
    alert: Callable[[list, datetime], bool],
) -> int:
    """Run `alert(searches, now)` for each active member's due searches of `model` (oldest
    first, with their member); returns how many members it told."""
    members = (
        model._default_manager.filter(due_searches(now), member__is_active=True)
        .values_list("member_id", flat=True)
        .distinct()
    )
    told = 0
    for member_id in list(members):
        try:
            with transaction.atomic():
                searches = list(
                    model._default_manager.select_for_update(skip_locked=True, of=("self",))
                    .filter(due_searches(now), member_id=member_id)
                    .select_related("member")
                    .order_by("created_at", "pk")
                )
                if searches and alert(searches, now):
                    told += 1
        except Exception:
            logger.exception("Alerts of %s failed for member %s", model.__name__, member_id)
    return told
