"""Background work of notifications, run by the worker: the immediate e-mail of one notification
(enqueued on commit by `delivery.store`) and the hourly digest job (`periodic_jobs`)."""

from __future__ import annotations

from django_tasks import task


@task()
def email_notification(notification_id: int) -> bool:
    from .delivery import email_now

    return email_now(notification_id)


@task()
def send_digests() -> int:
    from .digests import send_digests as run

    return run()
