"""Registration: no overbooking under concurrent registrations (real transactions in threads),
the waiting list promoted when someone cancels, and reminders sent exactly once."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from django.db import connections
from django.utils import timezone

from community.events import registration
from community.events.models import Event, Registration, RegistrationStatus
from community.notifications.models import Notification
from community.organisations.models import Organisation
from core.models import User
from tests.members.conftest import make_member
from tests.organisations.conftest import make_organisation

from .conftest import make_event, register


def test_concurrent_registrations_never_overbook_the_event(committed_db):
    """Six members press "Register" at the same moment for two seats, each in a real
    transaction of its own: two get seats, four land on the waiting list."""
    admin, _ = make_member(display_name="Race Admin")
    organisation = make_organisation(admin, name="Race Organisers")
    event = make_event(organisation, capacity=2, title="Two seats only")
    racers = [make_member(display_name=f"Racer {n}")[0] for n in range(6)]
    start = threading.Barrier(len(racers))
    outcomes, errors = [], []

    def attempt(member):
        try:
            start.wait(timeout=10)
            outcomes.append(registration.register(Event(pk=event.pk), member).status)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(member,)) for member in racers]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert not errors, errors
        rows = Registration.objects.filter(event=event)
        assert rows.filter(status=RegistrationStatus.CONFIRMED).count() == 2
        assert rows.filter(status=RegistrationStatus.WAITLISTED).count() == 4
        assert sorted(outcomes).count(RegistrationStatus.CONFIRMED) == 2
    finally:
        Event.objects.filter(pk=event.pk).delete()
        Organisation.objects.filter(pk=organisation.pk).delete()
        User.objects.filter(pk__in=[admin.pk, *(m.pk for m in racers)]).delete()


@pytest.mark.django_db
def test_cancelling_a_seat_promotes_the_first_on_the_waiting_list_and_tells_them(
    django_capture_on_commit_callbacks,
):
    event = make_event(capacity=1)
    first, _ = make_member(display_name="First")
    second, _ = make_member(display_name="Second")
    third, _ = make_member(display_name="Third")
    with django_capture_on_commit_callbacks(execute=True):
        seat = registration.register(event, first)
        queued = registration.register(event, second)
        last = registration.register(event, third)
    assert (seat.status, queued.status, last.status) == ("confirmed", "waitlisted", "waitlisted")

    with django_capture_on_commit_callbacks(execute=True):
        promoted = registration.cancel(seat)

    assert [row.member for row in promoted] == [second]
    queued.refresh_from_db()
    last.refresh_from_db()
    assert queued.status == "confirmed" and last.status == "waitlisted"
    assert Notification.objects.filter(recipient=second, kind=registration.PROMOTED_KIND).exists()
    assert Notification.objects.filter(recipient=first, kind=registration.CONFIRMED_KIND).exists()
    assert Notification.objects.filter(recipient=third, kind=registration.WAITLISTED_KIND).exists()
    # Leaving the waiting list frees no seat: nobody else moves.
    with django_capture_on_commit_callbacks(execute=True):
        assert registration.cancel(last) == []


@pytest.mark.django_db
def test_a_larger_capacity_lets_the_waiting_list_in_at_once(world):
    event = world["event"]
    response = world["admin"].post(f"/en/events/{event.pk}/edit/", _edit_form(event, capacity="2"))
    assert response.status_code == 302
    waiting = Registration.objects.get(event=event, member=world["users"]["waiting"])
    assert waiting.status == "confirmed"


def _edit_form(event: Event, **overrides) -> dict:
    local = event.local_start
    data = {
        "type": event.type,
        "title": event.title,
        "description": event.description,
        "format": event.format,
        "venue": event.venue,
        "join_url": event.join_url,
        "time_zone": event.time_zone,
        "start_local": local.strftime("%Y-%m-%dT%H:%M"),
        "end_local": event.local_end.strftime("%Y-%m-%dT%H:%M"),
        "capacity": str(event.capacity or ""),
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_reminders_are_sent_once_each_24_hours_and_1_hour_before(
    django_capture_on_commit_callbacks,
):
    Registration.objects.all().delete()  # the demo's: these counts are this test's own
    now = timezone.now()
    event = make_event(starts_at=now + timedelta(hours=23))
    member, _ = make_member(display_name="Reminded")
    late, _ = make_member(display_name="Registered late")
    waiting, _ = make_member(display_name="Still waiting")
    register(event, member)
    register(event, waiting, RegistrationStatus.WAITLISTED)
    with django_capture_on_commit_callbacks(execute=True):
        registration.register(event, late)  # within 24 hours: no "in 24 hours" reminder

    def reminders(who):
        return list(
            Notification.objects.filter(recipient=who, kind=registration.REMINDER_KIND)
            .order_by("pk")
            .values_list("data__lead", flat=True)
        )

    with django_capture_on_commit_callbacks(execute=True):
        assert registration.send_reminders(now) == 1
        assert registration.send_reminders(now) == 0  # the job ran again: nothing twice
    assert reminders(member) == ["day"] and reminders(late) == [] and reminders(waiting) == []

    an_hour_before = now + timedelta(hours=22, minutes=30)
    with django_capture_on_commit_callbacks(execute=True):
        assert registration.send_reminders(an_hour_before) == 2
        assert registration.send_reminders(an_hour_before) == 0
    assert reminders(member) == ["day", "hour"] and reminders(late) == ["hour"]

    with django_capture_on_commit_callbacks(execute=True):
        assert registration.send_reminders(now + timedelta(hours=24)) == 0  # it has started

    # The worker runs it every few minutes through the declared periodic job.
    from django.utils.module_loading import import_string

    from core.registries import periodic_jobs

    job = periodic_jobs["event_reminders"]
    assert job.every <= timedelta(minutes=5)
    assert import_string(job.task_path).call() == 0


@pytest.mark.django_db
def test_a_reminder_says_what_starts_and_leads_to_the_event(django_capture_on_commit_callbacks):
    from core.registries import notification_kinds

    event = make_event(starts_at=timezone.now() + timedelta(minutes=50), title="Bonds")
    member, _ = make_member(display_name="Lina")
    register(event, member)
    with django_capture_on_commit_callbacks(execute=True):
        registration.send_reminders()
    notification = Notification.objects.get(recipient=member, kind=registration.REMINDER_KIND)
    kind = notification_kinds[registration.REMINDER_KIND]
    assert kind.describe(notification) == "Bonds starts in one hour"
    assert kind.url(notification) == f"/en/events/{event.pk}/"
