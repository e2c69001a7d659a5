"""Test harness: one migrated, demo-loaded template database; a fast clone per test worker.

A full Wagtail migrate takes ~12 s. The template database is built once and kept (its name
carries a fingerprint of every migration file and demo loader, so a change rebuilds it); each
pytest-xdist worker then clones it in well under a second with CREATE DATABASE ... TEMPLATE.
Tests that need real server or worker processes point them at the same clone, so all data they
see is committed data in one real PostgreSQL database.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
import redis

ROOT = Path(__file__).resolve().parent.parent


def _fingerprint() -> str:
    from django.apps import apps

    digest = hashlib.sha256()
    for config in sorted(apps.get_app_configs(), key=lambda c: c.label):
        folder = Path(config.path) / "migrations"
        for file in sorted(folder.glob("*.py")) if folder.is_dir() else []:
            digest.update(file.read_bytes())
    # demo.py and the modules it splits its content into (knowledge/demo_library.py...), and
    # the search adapters, which decide what of the demo the template's search index holds.
    demos = [*sorted(ROOT.glob("*/demo*.py")), *sorted(ROOT.glob("community/*/demo*.py"))]
    adapters = [
        *sorted(ROOT.glob("*/search_documents.py")),
        *sorted(ROOT.glob("community/*/search_documents.py")),
    ]
    for file in [*demos, *adapters, ROOT / "requirements.lock"]:
        digest.update(file.read_bytes())
    return digest.hexdigest()[:12]


def database_url(settings_dict: dict, name: str | None = None) -> str:
    """A URL for the same server as `settings_dict`, for child processes and raw connections."""
    name = name or settings_dict["NAME"]
    user = quote(settings_dict.get("USER") or "")
    password = quote(settings_dict.get("PASSWORD") or "")
    host = settings_dict.get("HOST") or ""
    port = settings_dict.get("PORT") or ""
    if host.startswith("/"):
        return f"postgresql://{user}:{password}@/{name}?host={quote(host)}" + (
            f"&port={port}" if port else ""
        )
    return f"postgresql://{user}:{password}@{host}{':' + str(port) if port else ''}/{name}"


def _admin_connection(settings_dict: dict) -> psycopg.Connection:
    return psycopg.connect(database_url(settings_dict, "postgres"), autocommit=True)


def _exists(conn: psycopg.Connection, name: str) -> bool:
    return bool(conn.execute("SELECT 1 FROM pg_database WHERE datname=%s", [name]).fetchone())


def _use_database(name: str) -> None:
    from django.conf import settings
    from django.db import connections

    connections["default"].close()
    connections["default"].close_pool()
    settings.DATABASES["default"]["NAME"] = name
    connections["default"].settings_dict["NAME"] = name


def _build_template(settings_dict: dict, template: str) -> None:
    from django.core.management import call_command

    building = f"{template}_building"
    with _admin_connection(settings_dict) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{building}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{building}"')
    _use_database(building)
    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_demo", verbosity=0)
    _use_database("postgres")
    with _admin_connection(settings_dict) as conn:
        stale = conn.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE 'idiaspora_tmpl_%%' "
            "AND datname NOT LIKE %s",
            [f"{building}%"],
        ).fetchall()
        for (name,) in stale:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'ALTER DATABASE "{building}" RENAME TO "{template}"')


@pytest.fixture(scope="session")
def django_db_setup(django_test_environment, django_db_blocker):
    from django.conf import settings

    settings_dict = dict(settings.DATABASES["default"])
    template = f"idiaspora_tmpl_{_fingerprint()}"
    test_name = f"test_idiaspora_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    lock_path = ROOT / ".data" / "test-template.lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with django_db_blocker.unblock():
        with open(lock_path, "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            with _admin_connection(settings_dict) as conn:
                ready = _exists(conn, template)
            if not ready:
                _build_template(settings_dict, template)
            with _admin_connection(settings_dict) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{test_name}" WITH (FORCE)')
                conn.execute(f'CREATE DATABASE "{test_name}" TEMPLATE "{template}"')
        _use_database(test_name)
    yield
    with django_db_blocker.unblock():
        _use_database(settings_dict["NAME"])
        with _admin_connection(settings_dict) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{test_name}" WITH (FORCE)')


@pytest.fixture(autouse=True)
def _english_between_tests():
    """Each test starts in English, whatever language an earlier test's request activated."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture
def committed_db(django_db_setup, django_db_blocker):
    """Database access outside a test transaction: what a test writes is committed at once,
    so server and worker processes see it. The test removes what it created."""
    with django_db_blocker.unblock():
        yield


@pytest.fixture
def test_database_url(django_db_setup) -> str:
    from django.conf import settings

    return database_url(settings.DATABASES["default"])


def child_env(**overrides: str) -> dict[str, str]:
    """The environment for a server, worker or manage.py process that a test starts."""
    env = {**os.environ, **overrides}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # only the test process itself needs it
    return env


@pytest.fixture
def task_queue(settings, committed_db):
    """The real database task queue, committed so that a worker process sees it; the tasks a
    test queued are removed after it."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    before = set(DBTaskResult.objects.values_list("id", flat=True))
    yield
    DBTaskResult.objects.exclude(id__in=before).delete()


def run_worker(test_database_url: str, *args: str, timeout: float = 120, **env: str) -> str:
    """A real worker process through the queue once (`--batch`), on the test database; what it
    printed. `env`: more of its environment."""
    completed = subprocess.run(
        [sys.executable, "manage.py", "worker", "--batch", "--no-startup-delay", *args],
        cwd=ROOT,
        env=child_env(
            DJANGO_SETTINGS_MODULE="idiaspora.settings.test",
            DATABASE_URL=test_database_url,
            TEST_TASKS_BACKEND="db",
            **env,
        ),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert completed.returncode == 0, completed.stderr
    return completed.stdout + completed.stderr


def require(condition: bool, reason: str) -> None:
    """Skip locally when an optional thing is missing; fail in CI where it must exist."""
    if condition:
        return
    if os.environ.get("CI_REQUIRE_ALL"):
        pytest.fail(f"{reason} (CI_REQUIRE_ALL is set, so this may not be skipped)")
    pytest.skip(reason)


def engine_lacks(reason: str) -> None:
    """The one documented exception to CI_REQUIRE_ALL: a search contract test of something the
    Elasticsearch stand-in (osmem-server) cannot do (dense_vector/kNN, the arabic analyzer)
    skips with that reason even in CI, because no Elasticsearch can be installed there. Where
    ELASTICSEARCH_URL names a real Elasticsearch the tests run against it and nothing may skip:
    reaching this then fails."""
    if os.environ.get("ELASTICSEARCH_URL"):
        pytest.fail(f"{reason}, but ELASTICSEARCH_URL is set, so a real Elasticsearch must do it")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _forget_process_memos():
    """Each test starts with empty process memos: an earlier test's data was rolled back."""
    from core.memo import clear_all

    clear_all()
    yield


@pytest.fixture(autouse=True)
def _rate_windows_that_do_not_turn_mid_test(monkeypatch):
    """Rate limits count in fixed windows aligned on the clock (a minute, an hour): a test whose
    few requests straddled a minute's turn was counted in two windows and never got its 429
    (about one run in a hundred). Their clock here reads 30 s into a minute and 30 min into an
    hour as each test starts, then runs on at the real pace."""
    from types import SimpleNamespace

    from core import api_throttles, ratelimit

    shift = 1830 - time.time() % 3600
    clock = SimpleNamespace(time=lambda: time.time() + shift)
    monkeypatch.setattr(api_throttles, "time", clock)
    monkeypatch.setattr(ratelimit, "time", clock)


def run_async(scenario, *args):
    """Run an async test scenario to its end and return its result.

    Off the main thread when an event loop already runs there: once a browser test has run in
    this worker, Playwright's sync API keeps one running, and `async_to_sync` refuses to start
    under it. The scenarios work on committed data, which any thread's connection sees."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from asgiref.sync import async_to_sync

    from django.db import connections

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return async_to_sync(scenario)(*args)

    def in_own_thread():
        try:
            return async_to_sync(scenario)(*args)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(in_own_thread).result()


class PrivateRedis:
    """A redis-server of the test's own, without persistence: a restart starts it empty."""

    def __init__(self, folder: Path) -> None:
        from tests.e2e.conftest import free_port

        self.folder = folder
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        with (self.folder / "redis.log").open("a") as log:
            self.process = subprocess.Popen(
                [
                    "redis-server",
                    "--port",
                    str(self.port),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--dir",
                    str(self.folder),
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 30
        while True:
            try:
                redis.Redis(port=self.port).ping()
                return
            except redis.ConnectionError:
                assert self.process.poll() is None, (self.folder / "redis.log").read_text()
                assert time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.1)

    def restart_in_place(self) -> None:
        """What clients see of a restart that is back at once: every connection dropped, every
        key gone (no persistence), and the server answering again immediately."""
        client = redis.Redis(port=self.port)
        client.flushall()
        client.client_kill_filter(_type="normal", skipme=True)
        client.close()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


@pytest.fixture
def private_redis(tmp_path) -> Iterator[PrivateRedis]:
    require(shutil.which("redis-server") is not None, "redis-server is not installed")
    folder = tmp_path / "redis"
    folder.mkdir()
    server = PrivateRedis(folder)
    server.start()
    try:
        yield server
    finally:
        server.stop()
