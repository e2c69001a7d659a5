"""Fixtures of the export and feed tests: the library's and the opportunities' own, reused."""

from __future__ import annotations

import csv
import io
import json

from tests.knowledge.conftest import libraries  # noqa: F401 - a fixture
from tests.opportunities.conftest import world  # noqa: F401 - a fixture


def body(response) -> str:
    """A download's whole text, read as a client reads a streamed body."""
    assert response.status_code == 200, response
    assert response.streaming
    return b"".join(response.streaming_content).decode()


def csv_rows(response) -> list[dict]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    text = body(response)
    assert text.startswith("\ufeff")  # spreadsheets then read it as UTF-8
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline="")))


def jsonl_rows(response) -> list[dict]:
    assert response["Content-Type"] == "application/x-ndjson; charset=utf-8"
    return [json.loads(line) for line in body(response).splitlines()]
