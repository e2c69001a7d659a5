"""Test settings: the real PostgreSQL (embedded or DATABASE_URL), mail kept in memory.

The browser and cross-process tests start real server and worker processes with these settings;
environment variables then switch on what those processes need: mail written to files the test
reads (`TEST_EMAIL_DIR`), the database task queue (`TEST_TASKS_BACKEND=db`) and page caching.
"""

import os

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {"BACKEND": "core.private_files.PrivateFileStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = BASE_DIR / ".data" / "test-media"  # noqa: F405
# Private files in a folder per pytest-xdist worker (the servers a test starts inherit the name):
# tests that check "no file was stored" look at theirs while the other worker writes to its own.
PRIVATE_MEDIA_ROOT = (
    BASE_DIR / ".data" / f"test-private-media-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"  # noqa: F405
)

if os.environ.get("TEST_EMAIL_DIR"):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = os.environ["TEST_EMAIL_DIR"]
else:
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

if os.environ.get("TEST_TASKS_BACKEND") != "db":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))
# Log-in limits stay on (a test proves them); sign-up limits would trip the browser journeys.
ACCOUNT_RATE_LIMITS = {**ACCOUNT_RATE_LIMITS, "signup": "1000/m/ip"}  # noqa: F405

# Embedding every page the demo and the tests save would slow the suite: the search contract tests
# switch the embedder on where they prove semantic matching.
SEARCH_EMBEDDER = os.environ.get("SEARCH_EMBEDDER", "")

# The suite searches PostgreSQL; the search contract tests run Elasticsearch explicitly (the real
# cluster of ELASTICSEARCH_URL, else the osmem-server stand-in), in indexes of their own per
# pytest-xdist worker.
SEARCH_BACKEND = "postgres"
ELASTICSEARCH_INDEX_PREFIX = f"test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-"
# The webhook tests deliver to a receiver on loopback, over plain http.
WEBHOOKS_ALLOW_PRIVATE_TARGETS = True
WEBHOOKS_REQUIRE_HTTPS = False
WEBHOOKS_TIMEOUT_SECONDS = 5.0
