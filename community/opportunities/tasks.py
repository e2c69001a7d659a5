"""Background task of opportunities: archive long-closed ones (declared in periodic_jobs)."""

from __future__ import annotations

from django_tasks import task


@task()
def archive_closed_opportunities() -> int:
    from .lifecycle import archive_closed

    return archive_closed()
