"""Registering, cancelling and the waiting list: every change of a registration's status.

Each operation runs in one transaction that first locks the event's row (`select_for_update`),
then counts the confirmed seats: two members registering for the last seat at the same moment
are served one after the other, so the second lands on the waiting list and the event is never
overbooked. A seat freed by a cancellation, or added by a larger capacity, goes to the first
person on the waiting list at once. Members are told through `core.notify` once the transaction
commits (a confirmation, a place on the waiting list, a promotion, a cancelled event).
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.notify import notify

from .models import Event, Registration, RegistrationStatus

CONFIRMED_KIND = "events.registered"
WAITLISTED_KIND = "events.waitlisted"
PROMOTED_KIND = "events.promoted"
REMINDER_KIND = "events.reminder"
CANCELLED_KIND = "events.cancelled"
DAY, HOUR = timedelta(hours=24), timedelta(hours=1)


class Refused(Exception):
    """A registration that cannot be made; `message` says why, translated."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _locked(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


def confirmed_count(event: Event) -> int:
    return event.registrations.filter(status=RegistrationStatus.CONFIRMED).count()


def _tell(kind: str, registration: Registration, event: Event) -> None:
    data = {"title": event.title, "event": event.pk}
    transaction.on_commit(lambda: notify(kind, registration.member, target=event, **data))


def _skip_past_reminders(registration: Registration, event: Event, now) -> None:
    """A member who registers 10 hours before the start gets no "in 24 hours" reminder."""
    if event.starts_at - now <= DAY:
        registration.reminded_day_at = now
    if event.starts_at - now <= HOUR:
        registration.reminded_hour_at = now


def register(event: Event, member) -> Registration:
    """Give `member` a seat, or a place on the waiting list when the event is full."""
    with transaction.atomic():
        event = _locked(event)
        now = timezone.now()
        if event.is_cancelled:
            raise Refused(_("This event has been cancelled."))
        if not event.registration_open(now):
            raise Refused(_("Registration for this event has closed."))
        registration = Registration.objects.filter(event=event, member=member).first()
        if registration is not None and registration.status != RegistrationStatus.CANCELLED:
            return registration
        full = event.capacity is not None and confirmed_count(event) >= event.capacity
        status = RegistrationStatus.WAITLISTED if full else RegistrationStatus.CONFIRMED
        if registration is None:
            registration = Registration(event=event, member=member)
        registration.status = status
        registration.queued_at = now
        registration.reminded_day_at = registration.reminded_hour_at = None
        _skip_past_reminders(registration, event, now)
        registration.save()
        _tell(WAITLISTED_KIND if full else CONFIRMED_KIND, registration, event)
        return registration


def promote(event: Event) -> list[Registration]:
    """Fill free seats from the waiting list, first come first served; call with the event
    row locked (inside `cancel` or an organiser's edit)."""
    free = None if event.capacity is None else event.capacity - confirmed_count(event)
    waiting = event.registrations.filter(status=RegistrationStatus.WAITLISTED).order_by(
        "queued_at", "pk"
    )
    chosen = list(waiting if free is None else waiting[: max(free, 0)])
    now = timezone.now()
    for registration in chosen:
        registration.status = RegistrationStatus.CONFIRMED
        registration.queued_at = now
        _skip_past_reminders(registration, event, now)
        registration.save()
        _tell(PROMOTED_KIND, registration, event)
    return chosen


def cancel(registration: Registration) -> list[Registration]:
    """The member gives up their seat or their place in the queue; returns who was promoted."""
    with transaction.atomic():
        event = _locked(registration.event)
        registration.refresh_from_db()
        if registration.status == RegistrationStatus.CANCELLED:
            return []
        was_confirmed = registration.status == RegistrationStatus.CONFIRMED
        registration.status = RegistrationStatus.CANCELLED
        registration.save(update_fields=["status", "updated_at"])
        if not was_confirmed or event.is_cancelled or event.is_past():
            return []
        return promote(event)


def capacity_changed(event: Event) -> list[Registration]:
    """After an organiser's edit: seats added go to the waiting list at once."""
    with transaction.atomic():
        locked = _locked(event)
        if locked.is_cancelled or locked.is_past():
            return []
        return promote(locked)


def cancel_event(event: Event) -> int:
    """The organisers call the event off; everyone registered or waiting is told once."""
    with transaction.atomic():
        event = _locked(event)
        if event.is_cancelled:
            return 0
        event.cancelled_at = timezone.now()
        event.save(update_fields=["cancelled_at", "updated_at"])
        told = 0
        for registration in event.registrations.exclude(
            status=RegistrationStatus.CANCELLED
        ).select_related("member"):
            _tell(CANCELLED_KIND, registration, event)
            told += 1
        return told


def send_reminders(now=None) -> int:
    """Remind confirmed attendees 24 hours and 1 hour before the start, each reminder once.

    Each reminder is claimed with a conditional UPDATE (`... WHERE reminded_x_at IS NULL`):
    of two workers running this at once, only the one whose update changed the row sends it.
    """
    now = now or timezone.now()
    sent = 0
    for field, lead, label in (
        ("reminded_hour_at", HOUR, "hour"),
        ("reminded_day_at", DAY, "day"),
    ):
        due = (
            Registration.objects.filter(
                status=RegistrationStatus.CONFIRMED,
                event__cancelled_at__isnull=True,
                event__hidden=False,
                event__starts_at__gt=now,
                event__starts_at__lte=now + lead,
                **{f"{field}__isnull": True},
            )
            .select_related("event", "member")
            .order_by("pk")
        )
        for registration in due:
            claimed = {field: now}
            if label == "hour":
                claimed["reminded_day_at"] = registration.reminded_day_at or now
            with transaction.atomic():
                won = Registration.objects.filter(
                    pk=registration.pk, **{f"{field}__isnull": True}
                ).update(**claimed)
                if not won:
                    continue
                event = registration.event
                transaction.on_commit(
                    lambda r=registration, e=event, lead=label: notify(
                        REMINDER_KIND, r.member, target=e, title=e.title, event=e.pk, lead=lead
                    )
                )
                sent += 1
    return sent
