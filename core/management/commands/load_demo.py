"""Loads the demo content every app declares, idempotently, so a newcomer sees a living site."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand
from django.db import transaction

from core.registries import demo_loaders


class Command(BaseCommand):
    help = "Create (or complete) multilingual demo content. Safe to run again."

    def handle(self, *args, **options) -> None:
        started = time.monotonic()
        loaders = sorted(demo_loaders, key=lambda loader: loader.order)
        summaries = []
        interactive = self.stdout.isatty()
        for index, loader in enumerate(loaders, start=1):
            prefix = f"[{index}/{len(loaders)}] {loader.key}"
            if interactive:
                self.stdout.write(f"{prefix}…", ending="\r")

            def progress(item: str, prefix: str = prefix) -> None:
                if interactive:  # a progress line rewritten in place; logs get the summary only
                    self.stdout.write(f"{prefix}: {item[:60]:<60}", ending="\r")
                    self.stdout.flush()

            with transaction.atomic():
                summary = loader.load(progress)
            summaries.append(f"{loader.key}: {summary}")
            self.stdout.write(f"{prefix}: {summary:<60}")
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(f"Demo content ready in {elapsed:.1f}s — " + "; ".join(summaries))
        )
