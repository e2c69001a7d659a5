"""`manage.py search_rebuild`: index everything the adapters declare, with a progress bar."""

from __future__ import annotations

import sys
import time

from django.core.management.base import BaseCommand

from search.rebuilding import rebuild


class Command(BaseCommand):
    help = "Rebuild the search index from every app's search adapters."

    def handle(self, *args, **options) -> None:
        started = time.monotonic()

        def progress(done: int, total: int) -> None:
            if options["verbosity"] and sys.stdout.isatty():
                filled = int(30 * done / max(total, 1))
                self.stdout.write(
                    f"\r[{'#' * filled}{'.' * (30 - filled)}] {done}/{total}", ending=""
                )

        failures: dict[str, str] = {}
        count = rebuild(progress, failures)
        if options["verbosity"] and sys.stdout.isatty():
            self.stdout.write("")
        self.stdout.write(f"Indexed {count} documents in {time.monotonic() - started:.1f} s.")
        for name, reason in failures.items():
            # The old index of that engine keeps serving; say so rather than end in silence.
            self.stderr.write(f"The {name} index was not rebuilt: {reason}")
