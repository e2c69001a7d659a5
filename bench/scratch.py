"""A scratch database for benchmarks that fill tables with generated rows.

`bench/import_resources.py` and `bench/exports.py` need the demo site plus tens of thousands of
generated rows, which must never land in the demo site's own database. This creates a database
of its own on the project's PostgreSQL server (the embedded one, or `DATABASE_URL`), points Django
at it, migrates it and loads the demo content, and drops it afterwards unless asked to keep it.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from io import StringIO
from urllib.parse import urlsplit, urlunsplit


def create_database(prefix: str) -> tuple[str, str]:
    """A new, empty database on the project's server: (its URL, the server's admin URL)."""
    import psycopg

    from idiaspora import embedded_postgres

    base = os.environ.get("DATABASE_URL") or embedded_postgres.ensure_running()
    name = f"{prefix}_{os.getpid()}"
    parts = urlsplit(base)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}")), admin


def drop_database(admin: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def demo_database(prefix: str, *, keep: bool = False) -> Iterator[str]:
    """Django set up on a new migrated database with the demo content; yields its name.

    Django must not have been set up before: the database is chosen through `DATABASE_URL`.
    """
    url, admin = create_database(prefix)
    name = urlsplit(url).path.lstrip("/")
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    os.environ.setdefault("BENCH_RUN", name)
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connections

        started = time.perf_counter()
        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_demo", verbosity=0, stdout=StringIO())
        print(f"scratch database {name}: migrated with the demo in "
              f"{time.perf_counter() - started:.0f}s")  # fmt: skip
        yield name
        for connection in connections.all():
            connection.close()
            connection.close_pool()  # the pool would hold the scratch database open
    finally:
        if keep:
            print(f"kept the scratch database {name}")
        else:
            drop_database(admin, name)
