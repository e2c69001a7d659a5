"""The cache of anonymous pages, shared by the web server and the worker, and its invalidation.

Pages are cached whole for anonymous readers (most traffic, often on slow phones) in the
`pages` cache, which lives in PostgreSQL (or Redis with REDIS_URL) so that a change made by any
process — an editor publishing, the worker's scheduled publishing — empties it for all.
"""

from __future__ import annotations

from django.core.cache import caches


def invalidate_pages() -> None:
    """Forget every cached anonymous page; the next reader renders fresh content."""
    caches["pages"].clear()
