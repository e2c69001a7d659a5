"""Wagtail's own database search backend over the benchmark's documents: the baseline that
bench/search_bench.py prints beside our search, with the ratio.

Indexing the generated documents as Wagtail pages would time treebeard and revisions rather than
search, so they go into a plain indexed model instead (`BenchDocument`: title, summary and body
as `SearchField`s, the title boosted, language and access as `FilterField`s). Its table is
created for the run and dropped afterwards, with its index entries and content type; the model
lives under an app label that is not installed, so nothing else (Wagtail's `update_index`,
the signal handlers, `makemigrations`) ever sees it.

A query asks Wagtail what our search answers, in SQL: the documents the reader may see (one
audience per generated document, so `access IN (the reader's audiences)`) whose deadline has
not passed, matching any of the words (`operator="or"`, as our keyword signal ORs them;
Wagtail's default, AND, finds nothing for most questions in natural language) analysed with
the database's one text-search configuration, the first page of ten by Wagtail's ranking,
and a count per language (Wagtail's `facet`, which is also the total). Wagtail has no
highlighting, no per-language analysis and no embeddings: its figures are for less work, and
it finds no other-language document that shares no word with the query.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Iterable, Sequence

from django.db import connection, models
from django.db.models import Q
from django.utils import timezone

APP_LABEL = "search_bench"  # not in INSTALLED_APPS: the app registry's get_models() skips it
PAGE_SIZE = 10


@functools.cache
def bench_model() -> type[models.Model]:
    """The indexed model, defined once per process (Django keeps a model class for good)."""
    from modelsearch.abstract_models import TextIDGenericRelation

    from wagtail.search import index
    from wagtail.search.models import IndexEntry

    class BenchDocument(index.Indexed, models.Model):
        key = models.CharField(max_length=200)
        language = models.CharField(max_length=8)
        access = models.CharField(max_length=64)
        title = models.TextField()
        summary = models.TextField(blank=True)
        body = models.TextField(blank=True)
        deadline = models.DateTimeField(null=True)

        search_fields = [
            index.SearchField("title", boost=2),
            index.SearchField("summary"),
            index.SearchField("body"),
            index.FilterField("language"),
            index.FilterField("access"),
            index.FilterField("deadline"),
        ]

        class Meta:
            app_label = APP_LABEL
            db_table = "search_bench_document"

        def __str__(self) -> str:
            return self.key

    # Wagtail adds this relation to the indexed models it knows when it starts.
    TextIDGenericRelation(IndexEntry).contribute_to_class(BenchDocument, "index_entries")
    return BenchDocument


class WagtailBaseline:
    """The same documents and questions through `wagtail.search.backends.get_search_backend()`
    (the site's `WAGTAILSEARCH_BACKENDS`: Wagtail's database backend on PostgreSQL)."""

    def __init__(self) -> None:
        from wagtail.search.backends import get_search_backend

        self.model = bench_model()
        self.backend = get_search_backend()
        self._created = False

    def create(self) -> None:
        self.drop()
        with connection.schema_editor() as editor:
            editor.create_model(self.model)
        self._created = True

    def index(self, documents: Iterable, batch_size: int = 1000) -> int:
        """Store and index `search.documents.Document`s; returns how many."""
        if not self._created:
            self.create()
        count = 0
        batch = []
        for document in documents:
            batch.append(
                self.model(
                    key=document.key,
                    language=document.language,
                    access=document.audiences[0],
                    title=document.title,
                    summary=document.summary,
                    body=document.body,
                    deadline=document.deadline,
                )
            )
            if len(batch) == batch_size:
                count += self._write(batch)
                batch = []
        count += self._write(batch)
        # Planner statistics, as a site that has been running has them (without them the
        # anonymous reader's join took seconds on a few hundred documents).
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {self.model._meta.db_table}, wagtailsearch_indexentry")
        return count

    def _write(self, batch: list) -> int:
        if not batch:
            return 0
        objects = self.model.objects.bulk_create(batch)
        self.backend.add_bulk(self.model, objects)
        return len(objects)

    def search(self, text: str, audiences: Sequence[str]) -> tuple[list, dict[str, int]]:
        """The first page of hits and the count per language, for a reader in `audiences`."""
        visible = self.model.objects.filter(access__in=list(audiences)).filter(
            Q(deadline__isnull=True) | Q(deadline__gt=timezone.now())
        )
        results = self.backend.search(text, visible, operator="or")
        return list(results[:PAGE_SIZE]), dict(results.facet("language"))

    def timings(self, queries: Sequence[str], audiences: Sequence[str]) -> list[float]:
        """Milliseconds per query."""
        timings = []
        for text in queries:
            start = time.perf_counter()
            self.search(text, audiences)
            timings.append((time.perf_counter() - start) * 1000)
        return timings

    def drop(self) -> None:
        from django.contrib.contenttypes.models import ContentType

        from wagtail.search.models import IndexEntry

        content_type = ContentType.objects.filter(app_label=APP_LABEL, model="benchdocument")
        IndexEntry.objects.filter(content_type__in=content_type).delete()
        content_type.delete()
        ContentType.objects.clear_cache()
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.model._meta.db_table}")
        self._created = False
