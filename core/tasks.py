"""Background tasks of the kernel, run by the worker (`manage.py worker`)."""

from __future__ import annotations

from datetime import timedelta

from django_tasks import task

from django.core.management import call_command
from django.db.models import Q
from django.utils import timezone


@task()
def publish_scheduled() -> None:
    """Wagtail's scheduled publishing and expiry; its signals invalidate cached pages."""
    call_command("publish_scheduled", verbosity=0)


@task()
def purge_frontend_cache(stale_urls: list[str]) -> int:
    """Purge the shared caches in front of the site (Varnish, a CDN) after a change."""
    from .frontend_cache import purge_site

    return purge_site(stale_urls)


# Finished results of these tasks are forgotten at the next tidy-up, whatever their age: their
# arguments hold secrets (a sign-up's password hash) that must not sit in the queue's table.
TASKS_WITH_SECRETS = ("core.signup.finish_signup",)
KEEP_FINISHED_RESULTS_DAYS = 14


@task()
def forget_finished_tasks() -> int:
    """Delete finished task results: at once for tasks with secrets, after two weeks for others."""
    from django_tasks_db.models import DBTaskResult

    cutoff = timezone.now() - timedelta(days=KEEP_FINISHED_RESULTS_DAYS)
    forgotten = DBTaskResult.objects.filter(finished_at__isnull=False).filter(
        Q(task_path__in=TASKS_WITH_SECRETS) | Q(finished_at__lte=cutoff)
    )
    deleted, _by_model = forgotten.delete()
    return deleted


@task()
def forget_api_counters() -> int:
    """Delete API request counters whose window is over (core.api_models)."""
    import time

    from .api_models import ApiRateWindow

    # A row's window is the moment (epoch seconds) its count starts again from zero.
    deleted, _by_model = ApiRateWindow.objects.filter(window_end__lt=int(time.time())).delete()
    return deleted


@task()
def deliver_webhook(delivery_id: int) -> str:
    """One try of a webhook delivery (`core.webhooks.attempt`); a failure is retried later."""
    from .webhooks import attempt

    delivery = attempt(delivery_id)
    return delivery.state if delivery is not None else "not due"


@task()
def retry_webhooks() -> int:
    """Periodic: the deliveries whose next try is due (a lost task's included); and the log's
    month-old finished deliveries forgotten."""
    from .webhooks import due_deliveries, forget_old_deliveries

    due = due_deliveries()
    for pk in due:
        deliver_webhook.enqueue(pk)
    forget_old_deliveries()
    return len(due)
