"""Runs the whole platform: set-up, then the ASGI server and the task worker side by side.

This is what `make demo` calls. Set-up is idempotent (migrations, compiled translations, demo
content, accounts), so a second run starts in seconds. The command supervises its two children:
one that dies (a database restart, a crash) is started again after a pause, and only repeated
fast failures stop the platform. Ctrl-C, SIGTERM and SIGHUP (the terminal closed) all stop the
server and the worker, then the embedded PostgreSQL if this command started it; the children also
die with the command if it is killed outright. A second copy started while one runs says where the
first one serves and leaves it alone.
"""

from __future__ import annotations

import os
import signal
import socket
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from core.demo import credentials
from idiaspora import embedded_postgres
from idiaspora.processes import Child, GaveUp, PlatformLock, Supervisor, uvicorn_command

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class Stop(Exception):
    """A stop signal arrived: Ctrl-C, SIGTERM or SIGHUP."""


def _port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


class Command(BaseCommand):
    help = "Set up (migrate, translations, demo content) and serve on uvicorn with a worker."
    requires_system_checks: list = []

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--no-demo", action="store_true", help="Skip loading demo content.")
        parser.add_argument(
            "--setup-only",
            action="store_true",
            help="Set up, print accounts, and exit.",
        )

    def handle(self, *args, host: str, port: int, no_demo: bool, setup_only: bool, **options):
        # A line per request would bury the address, the accounts and the failures a newcomer
        # needs; `-v 2` brings uvicorn's access log back.
        self.access_log = options.get("verbosity", 1) >= 2
        if setup_only:
            self._set_up(host, port, no_demo)
            return
        url = f"http://{host}:{port}"
        lock = PlatformLock(Path(settings.DATA_DIR) / "platform.lock")
        if not lock.acquire(url):
            self.stdout.write(
                f"Diaspora Hub is already running at {lock.holder_url() or url}/ "
                "(started from this folder); leaving it alone."
            )
            return

        def stop(signum, frame) -> None:
            raise Stop

        for signum in STOP_SIGNALS:
            signal.signal(signum, stop)
        gave_up = False
        try:
            if not _port_is_free(host, port):
                raise CommandError(
                    f"Port {port} on {host} is in use by another program. Stop that program, "
                    "or serve on another port: PORT=8001 make demo"
                )
            self._set_up(host, port, no_demo)
            gave_up = not self._serve(host, port)
        except (Stop, KeyboardInterrupt):
            self._say("\nStopping…")
        finally:
            # Stopping runs to the end: a second Ctrl-C must not leave a child or the database.
            for signum in STOP_SIGNALS:
                signal.signal(signum, signal.SIG_IGN)
            self._stop_database()
            lock.release()
        if gave_up:
            sys.exit(1)

    def _set_up(self, host: str, port: int, no_demo: bool) -> None:
        started = time.monotonic()
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Database migrated.")
        if not no_demo:
            call_command("load_demo")
        self.stdout.write(f"Set-up done in {time.monotonic() - started:.1f}s.")
        self._print_accounts(host, port)

    def _say(self, message: str) -> None:
        # After SIGHUP the terminal is gone and writing to it fails: stopping must go on.
        try:
            self.stdout.write(message)
            self.stdout.flush()
        except OSError:
            pass

    def _print_accounts(self, host: str, port: int) -> None:
        site = f"http://{host}:{port}"
        self.stdout.write(self.style.SUCCESS(f"\nDiaspora Hub: {site}/   admin: {site}/admin/"))
        for email, password in credentials():
            self.stdout.write(f"  {email:<24} {password}")
        self.stdout.write(
            "Staff accounts are asked to set up two-factor login (an authenticator app) "
            "before the admin opens; the set-up link is e-mailed"
            + ("." if settings.EMAIL_URL else ", and e-mails are printed in this console.")
            + "\n"
        )

    def _serve(self, host: str, port: int) -> bool:
        """Serve until a stop signal (True) or until a child keeps failing (False)."""
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ["DJANGO_SETTINGS_MODULE"]}
        # Children use the database this command found or started; they never start (or stop)
        # one themselves, even when they are restarted while the database restarts.
        env["DATABASE_URL"] = settings.DATABASE_URL
        server = Child(
            "web server",
            uvicorn_command(
                host,
                port,
                forwarded_allow_ips=settings.FORWARDED_ALLOW_IPS,
                access_log=self.access_log,
            ),
            env,
        )
        # No autoreloader: it would leave the worker's child running when we stop it.
        worker = Child(
            "worker",
            [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "worker", "--no-reload"],
            env,
        )
        supervisor = Supervisor([server, worker], self._say)
        completed = True
        try:
            supervisor.start()
            while True:
                supervisor.check()
                time.sleep(0.5)
        except (Stop, KeyboardInterrupt):
            self._say("\nStopping…")
        except GaveUp as error:
            self._say(self.style.ERROR(str(error)))
            completed = False
        finally:
            for signum in STOP_SIGNALS:
                signal.signal(signum, signal.SIG_IGN)
            supervisor.stop()
        return completed

    def _stop_database(self) -> None:
        """Stop the embedded PostgreSQL if, and only if, this process started it."""
        if not embedded_postgres.started_by_this_process():
            if not os.environ.get("DATABASE_URL"):
                self._say(
                    "The embedded PostgreSQL was already running when this command started, so "
                    "it keeps running. Stop it with: "
                    ".venv/bin/python -m idiaspora.embedded_postgres stop"
                )
            return
        from django.db import connections

        try:
            connections.close_all()
            for connection in connections.all():
                if hasattr(connection, "close_pool"):
                    connection.close_pool()
        except Exception as error:  # the database is stopped next whatever its clients did
            self._say(f"Closing database connections failed ({error}); stopping it anyway.")
        if embedded_postgres.stop():
            self._say("Embedded PostgreSQL stopped.")
        else:
            self._say(
                self.style.ERROR(
                    f"The embedded PostgreSQL in {embedded_postgres.PGDATA} did not stop. "
                    "Stop it with: .venv/bin/python -m idiaspora.embedded_postgres stop"
                )
            )
