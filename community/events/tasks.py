"""Background tasks of events (declared in periodic_jobs): the reminders 24 hours and 1 hour
before an event, each sent once (`registration.send_reminders`)."""

from __future__ import annotations

from django_tasks import task


@task()
def send_event_reminders() -> int:
    from .registration import send_reminders

    return send_reminders()
