"""A Redis restart under a running server and worker, with REDIS_URL set.

Redis holds the shared cache (anonymous pages, rate limits, log-in throttles, one-time links)
and the Channels layer. The test runs a redis-server of its own, on a free port in a temporary
folder (never the machine's Redis), stops it under a running server and worker, and starts it
again, empty, as a restart without persistence leaves it. While it is down, readers still get
pages (rendered afresh), /healthz says Redis is unreachable, and a log-in is refused with a
"try again" page rather than let through unthrottled. Once it is back, pages are cached again,
log-ins work, the task that ran through the outage finishes, and its live event reaches a page
opened after the restart; a socket that was open across the outage was closed, so the page's
script reconnects (static/js/site.js).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from tests.conftest import ROOT
from tests.e2e.conftest import LiveServer, start_platform
from tests.factories import PASSWORD, UserFactory, accept_current_policies


@contextmanager
def running_worker(server: LiveServer, log: Path) -> Iterator[subprocess.Popen]:
    """`manage.py worker` as the run command starts it, beside the server."""
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "worker"],
            cwd=ROOT,
            env=server.env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def receive_until(socket, predicate, timeout: float = 30) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        frame = json.loads(socket.recv(timeout=max(0.1, deadline - time.monotonic())))
        if predicate(frame):
            return frame
    raise AssertionError("expected frame not received")


def subscribed_socket(url: str):
    ws_url = url.replace("http://", "ws://") + "/ws/live/?lang=en"
    socket = connect(ws_url, origin=url).__enter__()
    socket.send(json.dumps({"type": "subscribe", "stream": "site"}))
    assert receive_until(socket, lambda f: f["type"] == "subscribed")["stream"] == "site"
    return socket


def log_in(client: httpx.Client, email: str) -> httpx.Response:
    form = client.get("/en/accounts/login/")
    assert form.status_code == 200
    return client.post(
        "/en/accounts/login/",
        data={
            "login": email,
            "password": PASSWORD,
            "csrfmiddlewaretoken": client.cookies["csrftoken"],
        },
    )


def wait_for(condition, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"{what} did not happen"
        time.sleep(0.2)


def test_a_redis_restart_under_a_running_server_and_worker_loses_nothing(
    private_redis, committed_db, tmp_path
):
    member = UserFactory()
    accept_current_policies(member)
    started, flag = tmp_path / "started", tmp_path / "flag"
    try:
        with (
            start_platform(tmp_path, REDIS_URL=private_redis.url) as server,
            running_worker(server, tmp_path / "worker.log") as worker,
            httpx.Client(base_url=server.url, timeout=30) as signed_in_before,
            httpx.Client(base_url=server.url, timeout=30) as visitor,
            httpx.Client(base_url=server.url, timeout=30) as signed_in_after,
        ):
            assert log_in(signed_in_before, member.email).status_code == 302
            assert httpx.get(f"{server.url}/healthz").json() == {
                "status": "ok",
                "database": "ok",
                "redis": "ok",
            }
            home = httpx.get(f"{server.url}/en/")
            assert home.status_code == 200
            assert "age" in httpx.get(f"{server.url}/en/").headers  # from the page cache
            open_page = subscribed_socket(server.url)
            enqueued = server.manage(
                "shell",
                "--no-imports",
                "-c",
                "from tests.tasks import announce_when; "
                f"announce_when.enqueue({str(flag)!r}, 'back', {str(started)!r})",
            )
            assert enqueued.returncode == 0, enqueued.stderr
            wait_for(started.exists, "the worker starting the task")

            private_redis.stop()

            # Readers still get the page, rendered afresh rather than a 500.
            during = httpx.get(f"{server.url}/en/", timeout=30)
            assert during.status_code == 200
            assert "age" not in during.headers
            assert during.text.count("<main") == 1
            # A member already signed in goes on reading (sessions live in the database).
            members_page = signed_in_before.get("/en/")
            assert members_page.status_code == 200
            assert member.first_name in members_page.text
            # /healthz tells the truth: the database answers, Redis does not.
            health = httpx.get(f"{server.url}/healthz", timeout=30)
            assert health.status_code == 200
            assert health.json() == {
                "status": "degraded",
                "database": "ok",
                "redis": "unreachable",
            }
            # The log-in throttle cannot be consulted: the right password is refused, not let
            # through unthrottled, with a page that says to try again.
            refused = log_in(visitor, member.email)
            assert refused.status_code == 503
            assert "Please try again in a minute." in refused.text
            assert refused.headers["retry-after"]
            # The socket open across the outage is closed, so the page's script reconnects.
            with pytest.raises(ConnectionClosed) as closed:
                receive_until(open_page, lambda f: False, timeout=30)
            assert closed.value.rcvd.code == 1012  # "service restart": reconnect

            private_redis.start()

            assert httpx.get(f"{server.url}/healthz", timeout=30).json()["redis"] == "ok"
            assert httpx.get(f"{server.url}/en/").status_code == 200
            assert "age" in httpx.get(f"{server.url}/en/").headers  # cached again
            signed_in = log_in(signed_in_after, member.email)
            assert signed_in.status_code == 302, signed_in.text[:500]
            assert member.first_name in signed_in_after.get("/en/").text
            new_page = subscribed_socket(server.url)
            flag.touch()  # the task that ran through the outage finishes and announces now
            event = receive_until(new_page, lambda f: f["type"] == "event")
            assert event["data"] == {"event": "back"}
            new_page.close()
            assert worker.poll() is None
            status = server.manage(
                "shell",
                "--no-imports",
                "-c",
                "from django_tasks_db.models import DBTaskResult; "
                "print(DBTaskResult.objects.filter("
                "task_path='tests.tasks.announce_when').latest('enqueued_at').status)",
            )
            assert status.stdout.strip() == "SUCCESSFUL", status.stderr
    finally:
        member.delete()


def test_sockets_open_across_a_quick_redis_restart_hear_later_events_or_are_closed(
    private_redis, committed_db, tmp_path
):
    with start_platform(tmp_path, REDIS_URL=private_redis.url) as server:
        # Several pages open in one server process share one receive loop on Redis.
        pages = [subscribed_socket(server.url) for _ in range(3)]

        private_redis.restart_in_place()  # the sockets' groups are gone with it

        published = server.manage(
            "shell",
            "--no-imports",
            "-c",
            "from core.live import publish; publish('site', 'site', {'event': 'after'})",
        )
        assert published.returncode == 0, published.stderr
        for page in pages:
            # Either the event arrives, or the socket is closed so that the page reconnects;
            # never a socket left open that hears nothing.
            try:
                event = receive_until(page, lambda f: f["type"] == "event")
            except ConnectionClosed as closed:
                assert closed.rcvd.code == 1012
            else:
                assert event["data"] == {"event": "after"}
                page.close()
        late = subscribed_socket(server.url)
        published = server.manage(
            "shell",
            "--no-imports",
            "-c",
            "from core.live import publish; publish('site', 'site', {'event': 'later'})",
        )
        assert published.returncode == 0, published.stderr
        assert receive_until(late, lambda f: f["type"] == "event")["data"] == {"event": "later"}
        late.close()
