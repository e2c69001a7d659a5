"""The worker's periodic jobs and the run command's set-up."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django_tasks_db.models import DBTaskResult

from django.core.management import call_command
from django.utils import timezone

from core.periodic import enqueue_due_jobs
from core.registries import PeriodicJob, periodic_jobs

pytestmark = pytest.mark.django_db


@pytest.fixture
def hourly_job(settings):
    # The real queue, as the worker uses it (django-tasks re-reads TASKS when it changes).
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    periodic_jobs.register(
        "test_hourly",
        PeriodicJob("test_hourly", "core.tasks.publish_scheduled", timedelta(hours=1)),
    )
    yield "test_hourly"
    periodic_jobs.unregister("test_hourly")


def test_a_periodic_job_is_enqueued_once_per_period_however_often_workers_check(hourly_job):
    start = timezone.now()
    assert hourly_job in enqueue_due_jobs(now=start)
    assert hourly_job not in enqueue_due_jobs(now=start + timedelta(minutes=30))
    assert hourly_job not in enqueue_due_jobs(now=start + timedelta(minutes=59))
    assert hourly_job in enqueue_due_jobs(now=start + timedelta(minutes=61))
    queued = DBTaskResult.objects.filter(task_path="core.tasks.publish_scheduled")
    assert queued.count() >= 2


def test_the_run_command_sets_up_and_prints_the_demo_accounts(capsys):
    call_command("runplatform", "--setup-only", "--port", "8123")
    out = capsys.readouterr().out
    assert "http://127.0.0.1:8123/" in out
    for email in ("admin@example.org", "editor@example.org", "moderator@example.org",
                  "member@example.org"):  # fmt: skip
        assert email in out
    assert "two-factor" in out
