"""Runs background tasks (django-tasks' database worker) and enqueues periodic jobs on a tick.

`manage.py worker` is what the run command starts beside the web server. `--batch` runs what is
queued now and exits (used by tests to run a real worker process).
"""

from __future__ import annotations

import threading

from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from django.db import close_old_connections

from core.periodic import enqueue_due_jobs


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

    def handle(self, *args, **options) -> None:
        stop = threading.Event()
        tick = options.pop("tick")
        if not options.get("batch"):
            threading.Thread(target=self._tick, args=(tick, stop), daemon=True).start()
        else:
            enqueue_due_jobs()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()

    @staticmethod
    def _tick(interval: float, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                enqueue_due_jobs()
            except Exception:  # keep ticking: a failed check is retried next time
                import logging

                logging.getLogger(__name__).exception("Periodic job check failed")
            finally:
                close_old_connections()
            stop.wait(interval)
