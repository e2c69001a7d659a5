"""Loads the demo content every app declares, idempotently, so a newcomer sees a living site.

Saving a Wagtail page or snippet queues two background jobs: one re-indexes it for the admin's
search, one updates the reference index (the admin's "usage" listings). Loading ~200 pages that
way costs about half the load (one task per save, run inline in tests), so while loading both
are switched off, and each index is rebuilt once, in bulk, at the end. Our own apps' follow-up
work (the site search) waits the same way, through `core.bulk`. Wagtail's
`rebuild_references_index` spends three queries an object (it reads and prunes what it has just
deleted); `rebuild_references` below gives the same rows with one INSERT per thousand.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from modelsearch import index as search_index
from modelsearch.signal_handlers import post_save_signal_handler

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models.signals import post_save

from wagtail.models import ReferenceIndex
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
    rebuild_references()
    call_command("update_index", verbosity=0)


def rebuild_references() -> None:
    """What `rebuild_references_index` writes, computed in memory: each object (a page once as
    `Page`, once as its own type) adds the references not yet recorded for it and drops those of
    its own types that it no longer has, exactly as `create_or_update_for_object` would."""
    recorded: dict[tuple[int, str], dict[tuple, int]] = {}
    with transaction.atomic():
        ReferenceIndex.objects.all()._raw_delete(using=ReferenceIndex.objects.db)
        for model in apps.get_models():
            if not ReferenceIndex.is_indexed(model):
                continue
            for instance in model.objects.all().order_by("pk").iterator(chunk_size=1000):
                types = [
                    ContentType.objects.get_for_model(item, for_concrete_model=False)
                    for item in [instance, *instance._meta.get_parent_list()]
                ]
                known = {content_type.id for content_type in types}
                found = set(ReferenceIndex._extract_references_from_object(instance))
                rows = recorded.setdefault((types[-1].id, str(instance.pk)), {})
                for reference, content_type_id in list(rows.items()):
                    if reference not in found and content_type_id in known:
                        del rows[reference]
                for reference in found:
                    rows.setdefault(reference, types[0].id)
        ReferenceIndex.objects.bulk_create(
            [
                ReferenceIndex(
                    content_type_id=content_type_id, base_content_type_id=base_type_id,
                    object_id=object_id, to_content_type_id=to_type_id, to_object_id=to_id,
                    model_path=model_path, content_path=content_path,
                    content_path_hash=ReferenceIndex._get_content_path_hash(content_path),
                )
                for (base_type_id, object_id), rows in recorded.items()
                for (to_type_id, to_id, model_path, content_path), content_type_id in rows.items()
            ],
            batch_size=1000,
        )  # fmt: skip


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
