"""How the platform's processes are started, kept running and stopped.

One place builds uvicorn's command line (`uvicorn_command`), so that the run command, the tests'
servers and the benchmark all run the flags a deployment runs: the websocket frame limit and the
trusted proxies. The run command supervises its children with `Supervisor`: a child that dies is
started again after a growing pause, and only repeated fast failures stop the platform. Children
are tied to the run command (Linux: the kernel sends them SIGTERM when it dies, however it dies),
and `PlatformLock` keeps a second copy from starting over a running one.

Nothing here imports Django at module level: `bench/pages.py` uses it before Django is set up.
"""

from __future__ import annotations

import ctypes
import fcntl
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

ASGI_APPLICATION = "idiaspora.asgi:application"
# The live socket's own limit is 4 KB (core.consumers); uvicorn's default would read 16 MiB
# frames whole before the application could refuse them.
WS_MAX_SIZE = 64 * 1024


def uvicorn_command(
    host: str,
    port: int,
    *,
    forwarded_allow_ips: str = "",
    access_log: bool = True,
    log_level: str | None = None,
    workers: int | None = None,
) -> list[str]:
    """uvicorn's argument list for serving the platform, as every caller should run it.

    `forwarded_allow_ips` names the reverse proxies whose X-Forwarded-For / -Proto are believed;
    empty means no proxy, so no client (not even a local one) can claim another address.
    """
    command = [
        sys.executable, "-m", "uvicorn", ASGI_APPLICATION,
        "--host", host, "--port", str(port),
        "--lifespan", "off", "--no-server-header",
        "--ws-max-size", str(WS_MAX_SIZE),
        f"--forwarded-allow-ips={forwarded_allow_ips}",
        "--proxy-headers" if forwarded_allow_ips else "--no-proxy-headers",
    ]  # fmt: skip
    if not access_log:
        command.append("--no-access-log")
    if log_level:
        command += ["--log-level", log_level]
    if workers:
        command += ["--workers", str(workers)]
    return command


def _die_with_parent(parent: int) -> Callable[[], None]:
    """A preexec_fn that makes the kernel send the child SIGTERM when the run command dies."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        prctl = libc.prctl
    except (OSError, AttributeError):  # not Linux: the run command's own handlers must do
        return lambda: None
    pr_set_pdeathsig = 1

    def preexec() -> None:
        prctl(pr_set_pdeathsig, signal.SIGTERM)
        if os.getppid() != parent:  # the parent died before prctl took effect
            os.kill(os.getpid(), signal.SIGTERM)

    return preexec


@dataclass
class Child:
    """One supervised process: how to start it, and how it has been failing."""

    name: str
    argv: list[str]
    env: dict[str, str]
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    fast_failures: int = 0
    restart_at: float | None = None
    exit_codes: list[int] = field(default_factory=list)

    def start(self) -> None:
        # Own session: Ctrl-C in the terminal reaches only the run command, which then asks each
        # child once to stop (a second signal would make the worker abandon its task). The
        # parent-death signal covers the run command being killed outright.
        self.process = subprocess.Popen(
            self.argv,
            env=self.env,
            start_new_session=True,
            preexec_fn=_die_with_parent(os.getpid()),
        )
        self.started_at = time.monotonic()
        self.restart_at = None

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None


class GaveUp(Exception):
    """A child kept dying soon after each start: restarting it again would not help."""


class Supervisor:
    """Starts children, restarts one that dies (with a growing pause), and stops them all.

    A child that ran for at least `stable_after` seconds before dying is restarted after a second
    and its failure count starts again; one that keeps dying sooner waits 2, 4, 8… seconds (at most
    `max_delay`) and after `max_fast_failures` such deaths in a row the supervisor gives up.
    """

    def __init__(
        self,
        children: list[Child],
        say: Callable[[str], None],
        *,
        stable_after: float = 30.0,
        max_fast_failures: int = 5,
        max_delay: float = 16.0,
    ) -> None:
        self.children = children
        self.say = say
        self.stable_after = stable_after
        self.max_fast_failures = max_fast_failures
        self.max_delay = max_delay

    def start(self) -> None:
        for child in self.children:
            child.start()

    def check(self) -> None:
        """Notice children that died and restart those whose pause is over. Raises GaveUp."""
        now = time.monotonic()
        for child in self.children:
            if child.restart_at is not None:
                if now >= child.restart_at:
                    self.say(f"Starting the {child.name} again.")
                    child.start()
                continue
            if child.process is None or child.running:
                continue
            code = child.process.returncode
            child.exit_codes.append(code)
            if now - child.started_at >= self.stable_after:
                child.fast_failures = 0
                delay = 1.0
            else:
                child.fast_failures += 1
                if child.fast_failures >= self.max_fast_failures:
                    raise GaveUp(
                        f"The {child.name} stopped {child.fast_failures} times in a row soon "
                        f"after starting (last exit code {code}); giving up. "
                        "See the messages above."
                    )
                delay = min(self.max_delay, 2.0**child.fast_failures)
            self.say(f"The {child.name} stopped (exit code {code}); restarting it in {delay:.0f}s.")
            child.restart_at = now + delay

    def stop(self, timeout: float = 15.0) -> None:
        """Ask every child once to stop (SIGTERM), wait, then kill what is left."""
        for child in self.children:
            child.restart_at = None
            if child.running:
                child.process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for child in self.children:
            if child.process is None:
                continue
            try:
                child.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.process.kill()
                child.process.wait()


class PlatformLock:
    """An exclusive lock in the data folder, held while a run command serves the platform.

    The lock file also records where that copy serves, so that a second start can say so instead
    of failing to bind the port and stopping the database under the first copy. The kernel drops
    the lock when its holder dies, however it dies; children do not inherit it.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file: IO[str] | None = None

    def acquire(self, url: str) -> bool:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+")  # held open: closing it drops the lock
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps({"url": url, "pid": os.getpid()}))
        handle.flush()
        self._file = handle
        return True

    def holder_url(self) -> str | None:
        """Where the copy holding the lock serves, as it recorded it."""
        try:
            return json.loads(self.path.read_text()).get("url")
        except (OSError, ValueError, AttributeError):
            return None

    def release(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
