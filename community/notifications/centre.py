"""Reading the notification centre: the unread count, a page of notifications, marking read.

The count is kept on the member's user row (`User.unread_notifications`: one more on each stored
notification, recounted when some are read), so the header's badge costs signed-in pages no
query. A page lists a member's notifications newest first with keyset paging
(`before=<id>`, never OFFSET). A notification whose target has been hidden since is left out of
the page and marked read there, so the badge stops counting it; nothing of it is shown.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from core.models import User
from core.notify import push_unread_count

from .delivery import is_visible, line
from .models import Notification

PAGE_SIZE = 25


def recount(user: User) -> int:
    """Count the member's unread notifications and keep the number on their user row."""
    count = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
    User.objects.filter(pk=user.pk).update(unread_notifications=count)
    user.unread_notifications = count
    return count


def unread_count(user: User) -> int:
    """The number the badge shows (and `core.notify` pushes live), read back from the row."""
    return (
        User.objects.filter(pk=user.pk).values_list("unread_notifications", flat=True).first() or 0
    )


def unread_for_request(request: Any) -> int:
    """The badge's number: on the user row the request loaded already, no query of its own."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    return user.unread_notifications


def of(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user)


def page(user: User, before: int | None = None, size: int = PAGE_SIZE) -> tuple[list[dict], int]:
    """Up to `size` visible notifications older than id `before`, as dicts for the template,
    and the id to ask for the next page with (0 when there is none)."""
    rows = of(user).select_related("actor").prefetch_related("target").order_by("-pk")
    if before:
        rows = rows.filter(pk__lt=before)
    rows = list(rows[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    shown, hidden = [], []
    for notification in rows:
        notification.recipient = user
        if not is_visible(notification):
            if notification.read_at is None:
                hidden.append(notification.pk)
            continue
        shown.append({"notification": notification, **line(notification)})
    if hidden:
        of(user).filter(pk__in=hidden).update(read_at=timezone.now())
        recount(user)
    return shown, (rows[-1].pk if more and rows else 0)


def mark_read(notification: Notification) -> None:
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk).update(read_at=timezone.now())
        recount(notification.recipient)
        push_unread_count(notification.recipient)


def mark_all_read(user: User) -> int:
    changed = of(user).filter(read_at__isnull=True).update(read_at=timezone.now())
    if changed:
        recount(user)
        push_unread_count(user)
    return changed


def latest_unread(user: User, limit: int = 5) -> list[dict]:
    """The newest unread, visible notifications, for the dashboard panel."""
    rows = (
        of(user)
        .filter(read_at__isnull=True)
        .select_related("actor")
        .prefetch_related("target")
        .order_by("-pk")[: limit * 2]
    )
    shown = []
    for notification in rows:
        notification.recipient = user
        if is_visible(notification):
            shown.append({"notification": notification, **line(notification)})
    return shown[:limit]
