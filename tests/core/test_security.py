"""The security baseline: production settings, headers, CSP and CSRF."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import child_env

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=child_env(**env),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deployment_check(test_database_url):
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="idiaspora.settings.production",
        SECRET_KEY="x" * 20 + "a-long-random-production-secret-key-0123456789",
        ALLOWED_HOSTS="diaspora.example.org",
        DATABASE_URL=test_database_url,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(test_database_url):
    env = child_env(DJANGO_SETTINGS_MODULE="idiaspora.settings.production",
                    DATABASE_URL=test_database_url)  # fmt: skip
    env.pop("SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set in production" in result.stderr


def test_migrations_match_the_models(test_database_url):
    result = run_manage("makemigrations", "--check", "--dry-run", DATABASE_URL=test_database_url)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_public_pages_send_a_strict_content_security_policy(client):
    response = client.get("/en/")
    policy = response.headers["Content-Security-Policy"]
    script_src = next(p for p in policy.split(";") if p.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_public_pages_contain_no_inline_script(client):
    page = client.get("/en/").content.decode()
    assert "<script>" not in page
    assert " onclick=" not in page


@pytest.mark.django_db
def test_the_wagtail_admin_gets_its_own_looser_policy(client):
    response = client.get("/admin/login/")
    assert "'unsafe-inline'" in response.headers["Content-Security-Policy"]


@pytest.mark.django_db
def test_forms_without_a_csrf_token_are_refused(client):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/en/accounts/login/", {"login": "a@example.net", "password": "x"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "Access denied" in page
    assert "the page had expired" in page


def test_the_admin_never_asks_a_third_party_for_avatars(settings):
    # Gravatar receives a hash of the e-mail address, which identifies people across sites.
    from wagtail.users.utils import get_gravatar_url

    assert settings.WAGTAIL_GRAVATAR_PROVIDER_URL is None
    assert get_gravatar_url("editor@example.org") is None
