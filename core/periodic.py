"""Enqueues the periodic jobs apps declared, at most once per period across all workers.

The worker calls `enqueue_due_jobs()` on a short tick. A row per job records when it was last
enqueued; the row is locked while deciding, so two workers never enqueue the same period twice.
Correctness never depends on this being on time: state such as "closed" is computed from dates
when it is read, and these jobs only tidy up and notify.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import PeriodicJobRun
from .registries import periodic_jobs

logger = logging.getLogger(__name__)


def enqueue_due_jobs(now: datetime | None = None) -> list[str]:
    """Enqueue every job whose period has passed; returns the keys enqueued."""
    now = now or timezone.now()
    enqueued = []
    for job in periodic_jobs:
        with transaction.atomic():
            run, created = PeriodicJobRun.objects.select_for_update().get_or_create(
                key=job.key, defaults={"last_enqueued_at": now}
            )
            if not created and now - run.last_enqueued_at < job.every:
                continue
            run.last_enqueued_at = now
            run.save(update_fields=["last_enqueued_at"])
            import_string(job.task_path).enqueue()
            enqueued.append(job.key)
    if enqueued:
        logger.debug("Enqueued periodic jobs: %s", ", ".join(enqueued))
    return enqueued
