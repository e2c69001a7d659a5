"""What search declares into the kernel's registries: the periodic catch-up of vectors."""

from __future__ import annotations

from datetime import timedelta

from core.registries import PeriodicJob, periodic_jobs

# A rebuild fills in the vectors it did not have after it commits the words; a worker stopped
# meanwhile (a deploy, a crash) would leave those documents found by their words only for good.
periodic_jobs.register(
    "search_fill_vectors",
    PeriodicJob("search_fill_vectors", "search.tasks.fill_vectors", timedelta(minutes=10)),
)
