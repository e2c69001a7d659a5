"""`manage.py check` says when the database cannot store vectors, so search runs on keywords
and the taxonomy bridge only (the machine's PostgreSQL 15 has no pgvector), and when
ELASTICSEARCH_URL names a cluster that does not answer (search then falls back to PostgreSQL)."""

from __future__ import annotations

from django.conf import settings
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


@register("search", deploy=False)
def elasticsearch_reachable(app_configs=None, **kwargs) -> list:
    if not settings.ELASTICSEARCH_URL:
        return []
    from .backends.elasticsearch import ElasticsearchBackend

    try:
        if ElasticsearchBackend(settings.ELASTICSEARCH_URL).reachable():
            return []
    except ValueError:  # not a URL the client understands
        pass
    return [
        Warning(
            "ELASTICSEARCH_URL is set but Elasticsearch does not answer there: searches fall "
            "back to PostgreSQL (with a notice to readers) and index writes to Elasticsearch "
            "are retried until it is back.",
            hint="Check the address, credentials and the cluster's health, then run "
            "`manage.py search_rebuild` once it answers.",
            id="search.W003",
        )
    ]
