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

        shown = options["verbosity"] and sys.stdout.isatty()
        bars: list[str] = []

        def bar(label: str):
            def progress(done: int, total: int) -> None:
                if not shown:
                    return
                if label not in bars:  # a new bar starts on a line of its own
                    if bars:
                        self.stdout.write("")
                    bars.append(label)
                filled = int(30 * done / max(total, 1))
                self.stdout.write(
                    f"\r{label} [{'#' * filled}{'.' * (30 - filled)}] {done}/{total}", ending=""
                )

            return progress

        failures: dict[str, str] = {}
        # The documents, then the vectors PostgreSQL computes after it has committed their words.
        count = rebuild(bar("Documents"), failures, vector_progress=bar("Vectors"))
        if bars:
            self.stdout.write("")
        self.stdout.write(f"Indexed {count} documents in {time.monotonic() - started:.1f} s.")
        for name, reason in failures.items():
            # The old index of that engine keeps serving; say so rather than end in silence.
            self.stderr.write(f"The {name} index was not rebuilt: {reason}")
