"""Daily and weekly digests, built by the periodic job `notifications_digests` (hourly).

For each member with pending notifications whose kinds they chose to receive as a digest, and
whose last digest of that period is old enough, one short e-mail lists them grouped by kind
(at most `PER_GROUP` lines each, then "and N more"), in the member's language, each group with
its own one-click unsubscribe link. The member's `DigestLog` row is locked for the run (another
worker skips them) and every listed notification leaves the pending state in the same
transaction as the e-mail's bookkeeping, so running the job twice sends nothing twice. Pending
notifications of kinds set to "never", or whose target was hidden since, are settled as skipped.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import ngettext

from core.models import User
from core.registries import notification_kinds

from .delivery import _send, _settle, absolute, frequencies_for, is_visible, language_of, line
from .models import DigestLog, EmailState, Frequency, Notification

logger = logging.getLogger(__name__)

PERIODS = {Frequency.DAILY: timedelta(days=1), Frequency.WEEKLY: timedelta(days=7)}
# The job runs hourly: a digest is due a little before its full period, so that yesterday's
# 09:05 digest does not slip to 10:05 today and later each day.
SLACK = timedelta(hours=1)
PER_GROUP = 10


def send_digests(now: datetime | None = None) -> int:
    """Send every digest due at `now`; returns how many e-mails went out."""
    now = now or timezone.now()
    members = (
        Notification.objects.filter(email_state=EmailState.PENDING, created_at__lte=now)
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    sent = 0
    for member_id in list(members):
        try:
            sent += _run_for_member(member_id, now)
        except Exception:
            # One member's failure must not stop the others; theirs stay pending for next run.
            logger.exception("Digest failed for member %s", member_id)
    return sent


def _due(log: DigestLog, frequency: str, now: datetime) -> bool:
    last = log.daily_sent_at if frequency == Frequency.DAILY else log.weekly_sent_at
    return last is None or last <= now - PERIODS[frequency] + SLACK


def _run_for_member(member_id: int, now: datetime) -> int:
    DigestLog.objects.get_or_create(user_id=member_id)
    sent = 0
    with transaction.atomic():
        log = (
            DigestLog.objects.select_for_update(skip_locked=True).filter(user_id=member_id).first()
        )
        if log is None:
            return 0  # another worker is on it
        member = User.objects.get(pk=member_id)
        frequencies = frequencies_for(member)
        pending = list(
            Notification.objects.filter(
                recipient=member, email_state=EmailState.PENDING, created_at__lte=now
            )
            .select_related("actor", "recipient")
            .order_by("created_at", "pk")
        )
        by_frequency: dict[str, list[Notification]] = {Frequency.DAILY: [], Frequency.WEEKLY: []}
        skipped = []
        for notification in pending:
            frequency = frequencies.get(notification.kind, Frequency.NEVER)
            if frequency == Frequency.IMMEDIATELY:
                continue  # its own task e-mails it
            if frequency == Frequency.NEVER or not member.is_active or not member.email:
                skipped.append(notification.pk)
            elif not is_visible(notification):
                skipped.append(notification.pk)
            else:
                by_frequency[frequency].append(notification)
        _settle(Notification.objects.filter(pk__in=skipped), EmailState.SKIPPED)
        for frequency, notifications in by_frequency.items():
            if not notifications or not _due(log, frequency, now):
                continue
            _send_digest(member, frequency, notifications)
            _settle(
                Notification.objects.filter(pk__in=[n.pk for n in notifications]), EmailState.SENT
            )
            if frequency == Frequency.DAILY:
                log.daily_sent_at = now
            else:
                log.weekly_sent_at = now
            sent += 1
        log.save()
    return sent


def _send_digest(member: User, frequency: str, notifications: list[Notification]) -> None:
    with translation.override(language_of(member)):
        groups: dict[str, dict] = {}
        for notification in notifications:
            kind = notification_kinds[notification.kind]
            group = groups.setdefault(
                notification.kind, {"label": kind.label, "kind": notification.kind, "lines": []}
            )
            said = line(notification)
            group["lines"].append({"text": said["text"], "url": absolute(said["url"])})
        from django.urls import reverse

        from .tokens import unsubscribe_token

        for group in groups.values():
            group["more"] = max(0, len(group["lines"]) - PER_GROUP)
            group["lines"] = group["lines"][:PER_GROUP]
            group["unsubscribe_url"] = absolute(
                reverse(
                    "notifications:unsubscribe", args=[unsubscribe_token(member, [group["kind"]])]
                )
            )
        count = len(notifications)
        if frequency == Frequency.DAILY:
            subject = ngettext(
                "Your daily digest: %(count)s notification",
                "Your daily digest: %(count)s notifications",
                count,
            ) % {"count": count}
        else:
            subject = ngettext(
                "Your weekly digest: %(count)s notification",
                "Your weekly digest: %(count)s notifications",
                count,
            ) % {"count": count}
        _send(
            member,
            subject,
            "digest",
            {"groups": list(groups.values()), "subject": subject},
            list(groups),
        )
