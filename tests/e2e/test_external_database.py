"""DATABASE_URL: the platform installs and serves on any PostgreSQL server, not only its own.

CI points EXTERNAL_POSTGRES_TEST_URL at the machine's PostgreSQL 15; the test makes a fresh
database there, migrates it, loads the demo content and serves pages from it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from urllib.parse import urlsplit, urlunsplit

import httpx
import psycopg
import pytest

from tests.conftest import ROOT, child_env, require
from tests.e2e.conftest import start_platform


@pytest.fixture
def external_database_url():
    admin_url = os.environ.get("EXTERNAL_POSTGRES_TEST_URL")
    require(bool(admin_url), "EXTERNAL_POSTGRES_TEST_URL is not set: DATABASE_URL is not tested")
    name = f"idiaspora_external_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(admin_url)
    yield urlunsplit(parts._replace(path=f"/{name}"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_the_platform_migrates_loads_demo_content_and_serves_from_database_url(
    external_database_url, tmp_path
):
    env = child_env(DJANGO_SETTINGS_MODULE="idiaspora.settings.test",
                    DATABASE_URL=external_database_url)  # fmt: skip
    for command in (["migrate", "--noinput"], ["load_demo"]):
        result = subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert result.returncode == 0, result.stdout + result.stderr

    with start_platform(tmp_path, DATABASE_URL=external_database_url) as server:
        with psycopg.connect(external_database_url) as conn:
            version = conn.execute("SHOW server_version_num").fetchone()[0]
        assert int(version) >= 140000
        assert httpx.get(f"{server.url}/healthz").json() == {"status": "ok", "database": "ok"}
        page = httpx.get(f"{server.url}/fr/")
        assert page.status_code == 200
        assert "Restez lié à votre pays d'origine" in page.text
