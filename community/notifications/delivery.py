"""Storing a notification and e-mailing it: at once, in a digest, or never, and only once.

`store()` is what `core.notify.notify` calls (declared in `declarations.py`): it saves the row
and, once the transaction commits, enqueues `tasks.email_notification` for it. That task reads
the member's choice for the kind *when it runs* (an unsubscribe in between is honoured): when it
is "immediately" it e-mails the notification alone; "daily"/"weekly" leave it pending for the
digest job (`digests.py`); "never" settles it as skipped. Every path locks the row and settles
it from pending exactly once, so a retried task or a second digest run sends nothing again.

Every e-mail is built in the recipient's language (`User.preferred_language`), as plain text
plus light HTML, with one-click unsubscribe links (`tokens.py`) and the `List-Unsubscribe` /
`List-Unsubscribe-Post` headers mail clients show as an "Unsubscribe" button.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from core.models import User
from core.registries import NotificationKind, notification_kinds

from .models import EmailPreference, EmailState, Frequency, Notification
from .tokens import unsubscribe_token

logger = logging.getLogger(__name__)


def store(kind: str, recipient: User, target: Any, actor: User | None, data: dict) -> Notification:
    notification = Notification.objects.create(
        recipient=recipient,
        kind=kind,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=target.pk if target is not None else None,
        actor=actor,
        data=data,
    )
    User.objects.filter(pk=recipient.pk).update(unread_notifications=F("unread_notifications") + 1)
    from .tasks import email_notification

    pk = notification.pk
    transaction.on_commit(lambda: email_notification.enqueue(pk))
    return notification


def frequency_for(user: User, kind: str) -> str:
    """The member's choice for `kind`, else the kind's default."""
    chosen = (
        EmailPreference.objects.filter(user=user, kind=kind)
        .values_list("frequency", flat=True)
        .first()
    )
    if chosen:
        return chosen
    declared = notification_kinds.get(kind)
    return declared.default_email if declared else Frequency.NEVER


def frequencies_for(user: User) -> dict[str, str]:
    """Every declared kind's frequency for `user`, in one query."""
    chosen = dict(EmailPreference.objects.filter(user=user).values_list("kind", "frequency"))
    return {key: chosen.get(key, kind.default_email) for key, kind in notification_kinds.items()}


def set_frequency(user: User, kind: str, frequency: str) -> None:
    EmailPreference.objects.update_or_create(
        user=user, kind=kind, defaults={"frequency": frequency}
    )


def is_visible(notification: Notification) -> bool:
    """Whether the recipient may still see what the notification is about."""
    kind = notification_kinds.get(notification.kind)
    if kind is None:
        return False  # the app that declared it is gone
    target = notification.target if notification.target_type_id else None
    if notification.target_type_id and target is None:
        return kind.is_visible(notification.recipient, None)
    return bool(kind.is_visible(notification.recipient, target))


def language_of(user: User) -> str:
    return user.preferred_language or settings.LANGUAGE_CODE


def absolute(url: str) -> str:
    return settings.SITE_URL + url if url.startswith("/") else url


def line(notification: Notification) -> dict[str, str]:
    """What a notification says and where it leads, in the active language."""
    kind: NotificationKind = notification_kinds[notification.kind]
    return {"text": str(kind.describe(notification)), "url": str(kind.url(notification))}


def _unsubscribe_urls(user: User, kinds: list[str]) -> str:
    return absolute(reverse("notifications:unsubscribe", args=[unsubscribe_token(user, kinds)]))


def _send(user: User, subject: str, template: str, context: dict, kinds: list[str]) -> None:
    unsubscribe = _unsubscribe_urls(user, kinds)
    context = {
        **context,
        "unsubscribe_url": unsubscribe,
        "preferences_url": absolute(reverse("notifications:preferences")),
        "SITE_URL": settings.SITE_URL,
    }
    text = render_to_string(f"notifications/email/{template}.txt", context)
    html = render_to_string(f"notifications/email/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=subject.replace("\n", " ").strip(),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(html, "text/html")
    message.send()


def email_now(notification_id: int) -> bool:
    """E-mail one notification if its member wants that kind immediately; True when sent."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient", "actor")
            .filter(pk=notification_id, email_state=EmailState.PENDING)
            .first()
        )
        if notification is None:
            return False
        member = notification.recipient
        frequency = frequency_for(member, notification.kind)
        if frequency in (Frequency.DAILY, Frequency.WEEKLY):
            return False  # the digest job takes it
        if (
            frequency == Frequency.NEVER
            or not member.is_active
            or not member.email
            or not is_visible(notification)
        ):
            _settle(Notification.objects.filter(pk=notification.pk), EmailState.SKIPPED)
            return False
        kind = notification_kinds[notification.kind]
        with translation.override(language_of(member)):
            said = line(notification)
            _send(
                member,
                said["text"],
                "immediate",
                {
                    "line": said,
                    "url": absolute(said["url"]),
                    "details": str(kind.details(notification) or ""),
                    "kind_label": kind.label,
                },
                [notification.kind],
            )
        _settle(Notification.objects.filter(pk=notification.pk), EmailState.SENT)
    return True


def _settle(rows, state: str) -> None:
    rows.update(email_state=state, emailed_at=timezone.now() if state == EmailState.SENT else None)
