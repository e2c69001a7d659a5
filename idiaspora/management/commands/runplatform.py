"""Runs the whole platform: set-up, then the ASGI server and the task worker side by side.

This is what `make demo` calls. Set-up is idempotent (migrations, compiled translations, demo
content, accounts), so a second run starts in seconds. Ctrl-C (or SIGTERM) stops the server and
the worker, then the embedded PostgreSQL when the project started it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand

from core.demo import credentials
from idiaspora import embedded_postgres


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
        started = time.monotonic()
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Database migrated.")
        if not no_demo:
            call_command("load_demo")
        self.stdout.write(f"Set-up done in {time.monotonic() - started:.1f}s.")
        self._print_accounts(host, port)
        if setup_only:
            return
        self._serve(host, port)

    def _print_accounts(self, host: str, port: int) -> None:
        site = f"http://{host}:{port}"
        self.stdout.write(self.style.SUCCESS(f"\nDiaspora Hub: {site}/   admin: {site}/admin/"))
        for email, password in credentials():
            self.stdout.write(f"  {email:<24} {password}")
        self.stdout.write(
            "Staff accounts are asked to set up two-factor login (an authenticator app) "
            "before the admin opens.\n"
        )

    def _serve(self, host: str, port: int) -> None:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": os.environ["DJANGO_SETTINGS_MODULE"],
        }
        server = subprocess.Popen(
            [
                sys.executable, "-m", "uvicorn", "idiaspora.asgi:application",
                "--host", host, "--port", str(port), "--lifespan", "off",
                "--proxy-headers", "--no-server-header",
            ],
            env=env,
            start_new_session=True,
        )  # fmt: skip
        # No autoreloader: it would leave the worker's child running when we stop it.
        # Own sessions: Ctrl-C reaches only this command, which then asks each child once to
        # stop. A second signal would make the worker abandon the task it is running.
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "worker", "--no-reload"], env=env, start_new_session=True
        )
        children = [server, worker]

        def stop(signum, frame) -> None:
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            while all(child.poll() is None for child in children):
                time.sleep(0.5)
        except KeyboardInterrupt:
            self.stdout.write("\nStopping…")
        finally:
            for child in children:
                if child.poll() is None:
                    child.send_signal(signal.SIGTERM)
            for child in children:
                try:
                    child.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    child.kill()
            if not os.environ.get("DATABASE_URL"):
                from django.db import connections

                connections.close_all()
                embedded_postgres.stop()
                self.stdout.write("Embedded PostgreSQL stopped.")
        if any(child.returncode not in (0, -signal.SIGTERM, None) for child in children):
            sys.exit(1)
