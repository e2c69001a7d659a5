"""What the worker prints: nothing for a task that succeeds, the reason for one that fails.

`make demo` shows the worker's output beside the demo accounts and the address: one or two lines
per task (demo content queues hundreds) would bury them. These tests run a real worker process
on the committed test database.
"""

from __future__ import annotations

from django_tasks_db.models import DBTaskResult

from tests.conftest import run_worker


def test_a_task_that_succeeds_prints_nothing_and_a_failure_prints_why(
    task_queue, test_database_url
):
    from tests.tasks import fail, succeed

    done = succeed.enqueue()
    output = run_worker(test_database_url)
    assert DBTaskResult.objects.get(id=done.id).status == "SUCCESSFUL"
    assert "tests.tasks.succeed" not in output
    assert "Task id=" not in output

    failed = fail.enqueue()
    output = run_worker(test_database_url)
    assert DBTaskResult.objects.get(id=failed.id).status == "FAILED"
    assert "tests.tasks.fail" in output
    assert "This test task fails on purpose" in output


def test_with_more_verbosity_the_worker_prints_each_task(task_queue, test_database_url):
    from tests.tasks import succeed

    succeed.enqueue()
    assert "tests.tasks.succeed" in run_worker(test_database_url, "-v", "2")


def test_a_task_whose_code_is_gone_fails_without_stopping_the_worker(task_queue, test_database_url):
    from tests.tasks import succeed

    gone = succeed.enqueue()
    DBTaskResult.objects.filter(id=gone.id).update(task_path="tests.tasks.no_longer_exists")
    after = succeed.enqueue()
    output = run_worker(test_database_url)
    assert DBTaskResult.objects.get(id=gone.id).status == "FAILED"
    assert DBTaskResult.objects.get(id=after.id).status == "SUCCESSFUL"
    assert "could not be run" in output
