"""Loads the demo content every app declares, idempotently, so a newcomer sees a living site.

Saving a Wagtail page or snippet queues two background jobs: one re-indexes it for the admin's
search, one updates the reference index (the admin's "usage" listings). Loading ~200 pages that
way costs about half the load (one task per save, run inline in tests), so while loading both
are switched off, and each index is rebuilt once, in bulk, at the end. Our own apps' follow-up
work (the site search) waits the same way, through `core.bulk`.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from modelsearch import index as search_index
from modelsearch.signal_handlers import post_save_signal_handler

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models.signals import post_save

from wagtail.signal_handlers import disable_reference_index_auto_update

from core.bulk import bulk_loading
from core.registries import demo_loaders


@contextmanager
def indexing_once_at_the_end() -> Iterator[None]:
    models = [
        model
        for model in search_index.get_indexed_models()
        if getattr(model, "search_auto_update", True)
    ]
    for model in models:
        post_save.disconnect(post_save_signal_handler, sender=model)
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        for model in models:
            post_save.connect(post_save_signal_handler, sender=model)
    call_command("rebuild_references_index", verbosity=0)
    call_command("update_index", verbosity=0)


class Command(BaseCommand):
    help = "Create (or complete) multilingual demo content. Safe to run again."

    def handle(self, *args, **options) -> None:
        started = time.monotonic()
        loaders = sorted(demo_loaders, key=lambda loader: loader.order)
        interactive = self.stdout.isatty()
        with bulk_loading(), indexing_once_at_the_end():
            summaries = self._load(loaders, interactive)
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(f"Demo content ready in {elapsed:.1f}s — " + "; ".join(summaries))
        )

    def _load(self, loaders: list, interactive: bool) -> list[str]:
        summaries = []
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
        return summaries
