"""`manage.py import_resources FILE [--dry-run] [--skip-invalid]`: library resources in bulk.

The work is in `knowledge.importing`; this command reads the options, shows a progress bar on
stderr while it validates and writes, lists every error and warning, and ends with a one-line
summary. A file with errors imports nothing and exits non-zero, unless `--skip-invalid` is given.
"""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from knowledge.importing import ImportFileError, plan, read_file, validate, write


class ProgressBar:
    """A one-line bar rewritten in place on a terminal; elsewhere (a log, a pipe) one line per
    tenth of the work, so that logs stay readable."""

    WIDTH = 30

    def __init__(self, stream: OutputWrapper, title: str, total: int) -> None:
        self.stream, self.title, self.total = stream, title, max(total, 1)
        self.done = 0
        self.shown = -1
        self.interactive = hasattr(stream, "isatty") and stream.isatty()
        self.started = time.monotonic()

    def __call__(self, step: int) -> None:
        self.done = min(self.done + step, self.total)
        tenth = self.done * (100 if self.interactive else 10) // self.total
        if tenth != self.shown:
            self.shown = tenth
            self._draw()

    def _draw(self) -> None:
        filled = self.WIDTH * self.done // self.total
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        line = f"{self.title} [{bar}] {self.done:,}/{self.total:,}"
        self.stream.write(f"\r{line}" if self.interactive else line, ending="")
        if not self.interactive:
            self.stream.write("")
        self.stream.flush()

    def close(self) -> None:
        if self.interactive:
            self.stream.write("")


class Command(BaseCommand):
    help = "Import library resources from a JSON Lines or CSV file (see the README's table)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="a .jsonl or .csv file, UTF-8")
        parser.add_argument(
            "--dry-run", action="store_true", help="validate and report, write nothing"
        )
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="import the valid rows even when others have errors",
        )

    def handle(self, *args, file: Path, dry_run: bool, skip_invalid: bool, **options) -> None:
        if not file.is_file():
            raise CommandError(_("There is no file at %(path)s.") % {"path": file})
        quiet = options["verbosity"] < 1
        try:
            label, raw_rows = read_file(file)
        except ImportFileError as error:
            raise CommandError(_("%(path)s: %(error)s Nothing was imported.")
                               % {"path": file, "error": error}) from error  # fmt: skip
        bar = ProgressBar(self.stderr, _("Checking"), len(raw_rows))
        report = validate(raw_rows, label, progress=None if quiet else bar)
        if not quiet:
            bar.close()
        for problem in report.errors:
            self.stderr.write(_("Error: %(problem)s") % {"problem": problem})
        for problem in report.warnings:
            self.stderr.write(self.style.WARNING(_("Warning: %(problem)s") % {"problem": problem}))
        skipped = len(report.invalid_rows)
        if report.errors and not skip_invalid:
            raise CommandError(
                ngettext(
                    "%(count)s row has errors: nothing was imported. Correct it, or give "
                    "--skip-invalid to import the other rows.",
                    "%(count)s rows have errors: nothing was imported. Correct them, or give "
                    "--skip-invalid to import the other rows.",
                    skipped,
                )
                % {"count": skipped}
            )
        result = plan(report.rows)
        if not dry_run:
            writing = len(result.create) + len(result.update)
            bar = ProgressBar(self.stderr, _("Importing"), writing)
            write(result, progress=None if quiet or not writing else bar)
            if not quiet and writing:
                bar.close()
        summary = (
            _("Dry run, nothing written: would create %(created)s, update %(updated)s, "
              "leave %(unchanged)s unchanged; skipped %(skipped)s; warnings %(warnings)s.")
            if dry_run
            else _("Created %(created)s, updated %(updated)s, unchanged %(unchanged)s; "
                   "skipped %(skipped)s; warnings %(warnings)s.")
        ) % {
            "created": len(result.create),
            "updated": len(result.update),
            "unchanged": len(result.unchanged),
            "skipped": skipped,
            "warnings": len(report.warnings),
        }  # fmt: skip
        self.stdout.write(summary)
