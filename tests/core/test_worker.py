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


def test_a_finished_sign_up_leaves_no_password_hash_in_the_task_table(settings):
    from core.tasks import forget_finished_tasks

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    signup = queued_signup("queued@example.net", "md5$salt$hash-that-must-not-stay")
    recent = publish_scheduled_result()
    waiting = queued_signup("waiting@example.net", "md5$salt$still-queued")
    now = timezone.now()
    DBTaskResult.objects.filter(id__in=[signup.id, recent.id]).update(
        status="SUCCESSFUL", started_at=now, finished_at=now
    )

    forget_finished_tasks.call()

    remaining = set(DBTaskResult.objects.values_list("id", flat=True))
    assert str(signup.id) not in {str(i) for i in remaining}  # finished: its hash is gone
    assert {str(recent.id), str(waiting.id)} <= {str(i) for i in remaining}
    assert "hash-that-must-not-stay" not in str(
        list(DBTaskResult.objects.values_list("args_kwargs", flat=True))
    )


def test_other_finished_task_results_are_kept_two_weeks(settings):
    from core.tasks import forget_finished_tasks

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    old, fresh = publish_scheduled_result(), publish_scheduled_result()
    DBTaskResult.objects.filter(id=old.id).update(
        status="SUCCESSFUL", finished_at=timezone.now() - timedelta(days=15)
    )
    DBTaskResult.objects.filter(id=fresh.id).update(
        status="SUCCESSFUL", finished_at=timezone.now() - timedelta(days=13)
    )
    forget_finished_tasks.call()
    remaining = {str(i) for i in DBTaskResult.objects.values_list("id", flat=True)}
    assert str(old.id) not in remaining
    assert str(fresh.id) in remaining


def publish_scheduled_result():
    from core.tasks import publish_scheduled

    return publish_scheduled.enqueue()


def queued_signup(email: str, password_hash: str):
    from core.signup import finish_signup

    return finish_signup.enqueue(
        email=email,
        password_hash=password_hash,
        first_name="",
        language="en",
        policies=[],
        base_url="http://testserver/",
    )
