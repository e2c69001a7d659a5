"""Fixtures for tests that need real processes: a uvicorn server, a worker, a browser.

The server runs as a separate process on the test database (the same per-worker clone the
test process uses), so everything a test commits through `committed_db` is what the server
sees, and mail is written to files the test reads. The browser is Debian's Chromium driven by
Playwright; where it is absent the browser tests skip, except in CI (CI_REQUIRE_ALL).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from idiaspora.processes import uvicorn_command
from tests.conftest import ROOT, child_env, database_url, require

# Playwright's sync API keeps an event loop on the test thread; Django's guard against ORM calls
# from async code would then refuse the test's own set-up queries. Only this test process.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LiveServer:
    url: str
    mail_dir: Path
    env: dict[str, str]
    log: Path

    def emails(self) -> list[str]:
        return [p.read_text() for p in sorted(self.mail_dir.glob("*.log"), key=os.path.getmtime)]

    def wait_for_email(self, to: str, timeout: float = 10) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in reversed(self.emails()):
                if f"To: {to}" in message:
                    return message
            time.sleep(0.2)
        raise AssertionError(f"No email to {to} within {timeout}s")

    def manage(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        """Run a management command as its own process, on the server's database."""
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )


@contextmanager
def start_platform(
    workdir: Path, *, access_log: bool = False, **overrides: str
) -> Iterator[LiveServer]:
    """A uvicorn server process on the test database; `overrides` adjust its environment.

    Its output (uvicorn's log, with each request when `access_log`) goes to `LiveServer.log`.
    """
    from django.conf import settings

    mail_dir = workdir / "mail"
    mail_dir.mkdir(parents=True, exist_ok=True)
    # A free port can be taken by another process between `free_port()` and uvicorn's bind;
    # then the health check would be answered by that process. Try again on another port.
    for _attempt in range(3):
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        env = child_env(
            DJANGO_SETTINGS_MODULE="idiaspora.settings.test",
            DATABASE_URL=database_url(settings.DATABASES["default"]),
            TEST_EMAIL_DIR=str(mail_dir),
            TEST_TASKS_BACKEND="db",
            SITE_URL=url,
            PAGE_CACHE_SECONDS="600",
        )
        env.pop("REDIS_URL", None)
        env.update(overrides)
        log = (workdir / "uvicorn.log").open("w")
        # The flags the run command uses (frame limit, trusted proxies), so tests exercise them.
        command = uvicorn_command(
            "127.0.0.1",
            port,
            forwarded_allow_ips=env.get("FORWARDED_ALLOW_IPS", ""),
            access_log=access_log,
        )
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            if _serving(process, url, port):
                yield LiveServer(url=url, mail_dir=mail_dir, env=env, log=Path(log.name))
                return
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
            log.close()
    raise RuntimeError(f"The server did not start; see {log.name}")


def _serving(process: subprocess.Popen, url: str, port: int) -> bool:
    """Whether `process` answers on `port`; False when it could not bind it (someone else did)."""

    deadline = time.monotonic() + 60
    while True:
        try:
            healthy = httpx.get(f"{url}/healthz", timeout=2).status_code == 200
        except httpx.TransportError:
            healthy = False
        if healthy and _listens(process.pid, port):
            return True
        if process.poll() is not None:
            return False
        if time.monotonic() > deadline:
            raise RuntimeError(f"The server did not answer on {url}")
        time.sleep(0.2)


def _listens(pid: int, port: int) -> bool:
    import psutil

    try:
        server = psutil.Process(pid)
        processes = [server, *server.children(recursive=True)]
        return any(
            connection.status == psutil.CONN_LISTEN and connection.laddr.port == port
            for one in processes
            for connection in one.net_connections(kind="tcp")
        )
    except psutil.NoSuchProcess:
        return False


@pytest.fixture(scope="session")
def platform(django_db_setup, tmp_path_factory) -> Iterator[LiveServer]:
    with start_platform(tmp_path_factory.mktemp("platform")) as server:
        yield server


@pytest.fixture(scope="session")
def browser():
    require(Path(CHROMIUM).exists(), f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(platform, browser, request):
    # bypass_csp lets the test inject axe-core; the site itself never needs inline script.
    context = browser.new_context(base_url=platform.url, bypass_csp=True, locale="en-GB")
    tab = context.new_page()
    yield tab
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        tab.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def assert_accessible(page, context: str) -> None:
    """Run axe-core in the page and fail on serious or critical violations."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    details = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(n["target"][0] for n in v["nodes"][:3])
        for v in serious
    )
    assert not serious, f"Accessibility violations on {context}:\n{details}"


def log_in(page, email: str, lang: str = "en") -> None:
    """Sign in through the site's own log-in form with the factories' password."""
    from tests.factories import PASSWORD

    page.goto(f"/{lang}/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()


def sign_in_with_code(page, user, lang: str = "en") -> None:
    """The log-in form, then the second factor's code form, as a moderator signs in."""
    import re

    from tests.factories import totp_code

    log_in(page, user.email, lang)
    page.wait_for_url(re.compile(r"/2fa/authenticate/"))
    if time.time() % 30 > 25:  # a code about to roll over could expire in transit
        time.sleep(30 - time.time() % 30 + 0.5)
    page.locator("input[name=code]").fill(totp_code(user))
    page.locator("main form button[type=submit]:not([form])").click()
    page.wait_for_url(re.compile(rf"/{lang}/$"))


def receive_until(socket, predicate, timeout: float = 30) -> dict:
    """The first JSON frame from a live socket that `predicate` accepts, within `timeout`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        frame = json.loads(socket.recv(timeout=max(0.1, deadline - time.monotonic())))
        if predicate(frame):
            return frame
    raise AssertionError("expected frame not received")
