"""`manage.py check` says when the database cannot store vectors, so search runs on keywords
and the taxonomy bridge only (the machine's PostgreSQL 15 has no pgvector)."""

from __future__ import annotations

from django.core.checks import Warning, register
from django.db import connection
from django.db.utils import DatabaseError


@register("search", deploy=False)
def vectors_available(app_configs=None, **kwargs) -> list:
    from .backends.postgres import server_features

    try:
        features = server_features(connection)
    except DatabaseError:
        return []
    if not features.table_ready:
        return []
    warnings = []
    if not features.vectors:
        warnings.append(
            Warning(
                "PostgreSQL has no pgvector here: search runs on keywords and the topic "
                "taxonomy only, without semantic (embedding) matching.",
                hint="Install the pgvector extension on the server, then run "
                "`manage.py migrate search` and `manage.py search_rebuild`.",
                id="search.W001",
            )
        )
    missing = [name for name in ("unaccent", "pg_trgm") if name not in features.extensions]
    if missing:
        warnings.append(
            Warning(
                f"PostgreSQL lacks {', '.join(missing)}: search is less tolerant of accents "
                "and typos.",
                id="search.W002",
            )
        )
    return warnings
