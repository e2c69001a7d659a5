"""The worker and the web server are separate processes that share a cache and live events.

A reader has the home page open (cached for anonymous readers, with a live socket). An editor
scheduled a change that is now due. The worker — its own process, as `make demo` runs it —
publishes it: the open page hears about it over its websocket, and the next visit shows the
new text instead of the cached copy.
"""

from __future__ import annotations

import json
import os
from datetime import timedelta

import httpx
import pytest
from websockets.sync.client import connect

from django.utils import timezone

from core.models import PeriodicJobRun
from knowledge.models import HomePage
from tests.conftest import require
from tests.e2e.conftest import receive_until, start_platform


@pytest.fixture(params=["embedded", "redis"])
def server(request, platform, tmp_path):
    """The default set-up (PostgreSQL cache, NOTIFY bridge), then REDIS_URL's (CI has Redis)."""
    if request.param == "embedded":
        yield platform
        return
    url = os.environ.get("REDIS_TEST_URL")
    require(bool(url), "REDIS_TEST_URL is not set: the REDIS_URL set-up is not tested")
    with start_platform(tmp_path, REDIS_URL=url) as redis_server:
        yield redis_server


def test_a_task_run_by_the_worker_reaches_an_open_page_and_refreshes_the_cache(
    server, committed_db
):
    home = HomePage.objects.get(locale__language_code="en")
    original_intro = home.intro
    news = "Scheduled news from the worker"

    cached = httpx.get(f"{server.url}/en/")
    assert news not in cached.text
    again = httpx.get(f"{server.url}/en/")
    # Served from the shared page cache (Age says so); browsers are told to ask every time.
    assert "age" in again.headers and again.text == cached.text
    assert "no-cache" in again.headers["cache-control"]

    ws_url = server.url.replace("http://", "ws://") + "/ws/live/?lang=en"
    with connect(ws_url, origin=server.url) as socket:
        socket.send(json.dumps({"type": "subscribe", "stream": "site"}))
        assert receive_until(socket, lambda f: f["type"] == "subscribed")["stream"] == "site"

        home.intro = f"<p>{news}</p>"
        revision = home.save_revision()
        revision.approved_go_live_at = timezone.now() - timedelta(minutes=1)
        revision.save()
        PeriodicJobRun.objects.all().delete()  # the scheduled-publishing job is due now
        try:
            worker = server.manage("worker", "--batch")
            assert worker.returncode == 0, worker.stderr

            event = receive_until(socket, lambda f: f["type"] == "event")
            assert event["stream"] == "site"
            assert event["data"]["event"] == "page_changed"
            assert event["data"]["page"] == home.pk
            assert news in httpx.get(f"{server.url}/en/").text
        finally:
            home.refresh_from_db()
            home.intro = original_intro
            home.save_revision().publish()
