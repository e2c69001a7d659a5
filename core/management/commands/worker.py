"""Runs background tasks (django-tasks' database worker) and enqueues periodic jobs on a tick.

`manage.py worker` is what the run command starts beside the web server. `--batch` runs what is
queued now and exits (used by tests to run a real worker process).

Two things differ from django-tasks' own `db_worker`:
- The database may go away (a restart, a failover) and come back: the worker then says so once,
  waits with a growing pause, and carries on. A task whose outcome could not be recorded has it
  recorded once the database answers; a task that failed because the database went away is put
  back in the queue. No queued task is lost (a task may run twice: tasks are written to allow it).
- The console stays quiet: a task that succeeds prints nothing (its lines are at DEBUG, shown
  with `-v 2`), a failure prints its traceback, and the worker prints a one-line summary when it
  stops.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from functools import partial
from typing import TypeVar

from django_tasks_db.compat import TASKS_LOGGER, TaskContext, task_finished, task_started
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from django.core.management.base import CommandError
from django.db import InterfaceError, OperationalError, close_old_connections, connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader

from core.periodic import enqueue_due_jobs

logger = logging.getLogger("core.worker")

# What a lost or restarting database raises (a broken connection, a refused one, a pool timeout).
OUTAGE_ERRORS = (OperationalError, InterfaceError)
MAX_PAUSE = 10.0

T = TypeVar("T")


class Outage:
    """Says once that the database is unreachable and once that it is back, across threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.down = False

    def report(self, error: BaseException) -> None:
        with self._lock:
            if self.down:
                logger.debug("Database still unreachable: %s", error)
                return
            self.down = True
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error)
        logger.warning(
            "Database unreachable (%s); the worker waits for it and loses no task.", first_line
        )

    def recovered(self) -> None:
        with self._lock:
            if not self.down:
                return
            self.down = False
        logger.warning("Database reachable again; the worker carries on.")


def _database_answers() -> bool:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except OUTAGE_ERRORS:
        return False


def _drop_connections() -> None:
    # A broken connection goes back to the pool, which discards it; the next query reconnects.
    for connection in connections.all(initialized_only=True):
        try:
            connection.close()
        except Exception:  # it is broken already; nothing to save
            logger.debug("Closing a broken connection failed", exc_info=True)


class ResilientWorker(Worker):
    """django-tasks' database worker, made to outlast database outages and to log quietly."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.outage = Outage()
        self.succeeded = 0
        self.failed = 0

    def wait_for_database(self, error: BaseException) -> None:
        """Pause (0.5 s, 1 s, 2 s… at most MAX_PAUSE) until the database answers again."""
        self.outage.report(error)
        pause = 0.5
        while True:
            _drop_connections()
            time.sleep(pause)
            if _database_answers():
                self.outage.recovered()
                return
            pause = min(MAX_PAUSE, pause * 2)

    def until_done(self, action: Callable[[], T]) -> T:
        """Run a database action, waiting out outages, until it succeeds."""
        while True:
            try:
                return action()
            except OUTAGE_ERRORS as error:
                self.wait_for_database(error)

    def run(self) -> None:
        while True:
            try:
                super().run()
                return
            except OUTAGE_ERRORS as error:
                # Claiming is one transaction: a claim the outage interrupted never happened.
                self.wait_for_database(error)
                self.startup_delay = False

    def run_task(self, db_task_result: DBTaskResult) -> None:
        """Run one claimed task and record its outcome, whatever the database does meanwhile.

        Follows django_tasks_db's Worker.run_task, except that recording waits out an outage and
        a task that failed because the database went away goes back to the queue.
        """
        self.running_task = True
        try:
            try:
                task = db_task_result.task
                task_result = db_task_result.task_result
                backend_type = task.get_backend()
            except Exception as error:  # an unknown task path, a bad backend: not the worker's end
                self.until_done(partial(db_task_result.set_failed, error))
                self.failed += 1
                logger.exception("Task id=%s could not be run", db_task_result.id)
                return
            task_started.send(sender=backend_type, task_result=task_result)
            try:
                if task.takes_context:
                    value = task.call(
                        TaskContext(task_result=task_result),
                        *task_result.args,
                        **task_result.kwargs,
                    )
                else:
                    value = task.call(*task_result.args, **task_result.kwargs)
            except OUTAGE_ERRORS as error:
                self.wait_for_database(error)
                self.until_done(lambda: _requeue(db_task_result))
                logger.debug("Task id=%s re-queued after a database outage", db_task_result.id)
                return
            except BaseException as error:  # recorded as the task's failure
                self.until_done(partial(db_task_result.set_failed, error))
                self.failed += 1
                task_finished.send(sender=backend_type, task_result=db_task_result.task_result)
                return
            self.until_done(lambda: db_task_result.set_successful(value))
            self.succeeded += 1
            task_finished.send(sender=backend_type, task_result=db_task_result.task_result)
        finally:
            self.running_task = False
            self._run_tasks += 1


def _requeue(db_task_result: DBTaskResult) -> None:
    from django_tasks_db.compat import TaskResultStatus

    DBTaskResult.objects.filter(pk=db_task_result.pk).update(
        status=TaskResultStatus.READY, started_at=None
    )


class Command(DbWorkerCommand):
    help = "Run background tasks and enqueue periodic jobs (scheduled publishing, digests...)."

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--tick",
            type=float,
            default=30.0,
            help="Seconds between periodic-job checks.",
        )

    def configure_logging(self, verbosity: int) -> None:
        super().configure_logging(verbosity)
        if verbosity == 1:
            # One line per task start and finish would bury the run command's URLs and
            # passwords: at the default verbosity only warnings and failures are printed.
            for name in (TASKS_LOGGER, "django_tasks_db"):
                logging.getLogger(name).setLevel(logging.WARNING)
        logger.setLevel(logging.DEBUG if verbosity > 1 else logging.INFO)

    def handle(
        self,
        *,
        verbosity: int,
        queue_name: str,
        interval: float,
        batch: bool,
        backend_name: str,
        startup_delay: bool,
        reload: bool,
        max_tasks: int | None,
        worker_id: str,
        exclude_queues: str,
        tick: float,
        **options,
    ) -> None:
        # db_worker's handle(), with our worker in place of its own.
        self.configure_logging(verbosity)
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = ResilientWorker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded,
        )
        stop = threading.Event()
        if batch:
            worker.until_done(enqueue_due_jobs)
        else:
            threading.Thread(target=self._tick, args=(tick, stop), daemon=True).start()
        try:
            if reload and not batch:
                if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                    worker.configure_signals()
                run_with_reloader(worker.run)
            else:
                worker.configure_signals()
                worker.run()
        finally:
            stop.set()
            if not batch and (worker.succeeded or worker.failed):
                logger.info(
                    "Worker stopped after %d tasks (%d failed).",
                    worker.succeeded + worker.failed,
                    worker.failed,
                )

    @staticmethod
    def _tick(interval: float, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                enqueue_due_jobs()
            except OUTAGE_ERRORS as error:  # the main loop reports the outage; retry next tick
                logger.debug("Periodic job check skipped, database unreachable: %s", error)
            except Exception:  # keep ticking: a failed check is retried next time
                logger.exception("Periodic job check failed")
            finally:
                close_old_connections()
            stop.wait(interval)
