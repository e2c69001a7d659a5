"""Shared pieces of the open-data REST API (each app's endpoints live in its own `api.py`)."""

from __future__ import annotations

PUBLIC_API_PREFIX = "/api/v1/"


def only_public_api(endpoints: list[tuple]) -> list[tuple]:
    """drf-spectacular hook: document only the public API, not Wagtail's internal admin API."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith(PUBLIC_API_PREFIX)]
