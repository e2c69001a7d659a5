"""How much the live layer holds and how fast it delivers, with each channel layer production runs.

Issue 9 sets the bars for the page's one websocket (`/ws/live/`, core/consumers.py): one uvicorn
process holds at least 10,000 idle sockets, and an event committed by another process reaches
100 subscribers within 50 ms (p95) and 1,000 within 250 ms. This script measures both, first with
the default layer (each server's in-memory layer, fed by the PostgreSQL NOTIFY bridge of
core/live.py), then with channels-redis (`REDIS_URL`, `--redis-url`).

For each layer it starts the real ASGI app under uvicorn (one worker, loopback only, the run
command's flags) with `bench.settings`, against a database of the bench's own
(`<database>_livebench`, created and migrated on first run). The sockets are held by load
generator processes (asyncio + the `websockets` client, each from its own 127.0.0.x source
address, the fd limit raised to the hard limit), every one subscribed to the `site` stream as a
page does. Events are published by another process, set up as the task worker is: it commits a
change in a transaction that calls `core.live.publish()` with the time in the event's data, so
the event crosses processes as production's do (NOTIFY on commit, or channels-redis after it).

- idle: opens `--sockets` sockets (default 10,000), then reads the server's RSS (psutil) before
  and after, counts the server's established connections, and publishes one event to check that
  every held socket still gets it.
- latency: for 1, 100 and 1,000 subscribers (1 is the baseline: the cost of crossing processes
  without fan-out), publishes `--rounds` events (after a few warm-up rounds that are not counted)
  a fixed interval apart, and prints p50/p95/max of every subscriber's delay from the publish
  (just before its commit) to the frame's arrival in the load generator, and the p95 of each
  round's slowest subscriber.

It prints figures and asserts nothing. Run it with `make bench-live` or
`.venv/bin/python bench/live.py [--layer postgres|redis|both] [--only idle|latency]
[--subscribers 100 1000]`; each
benchmark with one layer takes about a minute or two.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import multiprocessing
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.pages import (  # noqa: E402 - needs ROOT on sys.path
    HOST,
    _env,
    _print_server_log,
    _stop,
    _wait_until_ready,
    free_port,
    use_bench_database,
)
from idiaspora.processes import uvicorn_command  # noqa: E402

STREAM = "site"  # declared by core/declarations.py; every visitor may follow it
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/9"
BENCH_EMAIL = "bench-live@bench.invalid"
SUBSCRIBER_COUNTS = (1, 100, 1000)
GOALS_MS = {100: 50.0, 1000: 250.0}
IDLE_GOAL = 10_000
WARMUP_ROUNDS = 3
READY_SECONDS = 150.0  # for every load generator to open and subscribe its sockets
CHECK_SECONDS = 15.0  # for the idle check event to reach every held socket
CONNECT_CONCURRENCY = 100  # handshakes in flight per load generator
# core.consumers counts subscriptions per client address (120 a minute): each address opens at
# most this many sockets, and every run takes fresh addresses (127.0.0.0/8 is all loopback).
SOCKETS_PER_ADDRESS = 100
_next_address = 2


def _addresses(count: int) -> list[str]:
    global _next_address
    found = []
    for _ in range(count):
        number = _next_address
        _next_address += 1
        found.append(f"127.{number >> 16 & 255}.{number >> 8 & 255}.{number & 255}")
    return found


def raise_fd_limit() -> int:
    """Raise this process's open-file limit to the hard limit (children inherit it)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY:
        hard = 1 << 20
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


def _run_async(coro) -> Any:
    try:
        import uvloop
    except ImportError:  # the plain loop measures the same, a little slower
        return asyncio.run(coro)
    return uvloop.run(coro)


# --- Load generator (its own process) -------------------------------------------------------


async def _hold(conn: Connection, url: str, origin: str, count: int, sources: list[str]) -> None:
    """Open `count` subscribed sockets, then record every event's delay until told to stop."""
    from websockets.asyncio.client import connect
    from websockets.exceptions import ConnectionClosed
    from websockets.protocol import State

    sockets = []
    failures: Counter[str] = Counter()
    delays: list[tuple[int, float]] = []
    subscribe = json.dumps({"type": "subscribe", "stream": STREAM})
    gate = asyncio.Semaphore(CONNECT_CONCURRENCY)

    async def open_one(number: int) -> None:
        source = sources[number % len(sources)]
        async with gate:
            try:
                # Client pings off: an idle page sends nothing (the server still pings it).
                socket = await connect(
                    url,
                    origin=origin,
                    ping_interval=None,
                    open_timeout=60,
                    close_timeout=5,
                    local_addr=(source, 0),
                )
                await socket.send(subscribe)
                reply = json.loads(await asyncio.wait_for(socket.recv(), 60))
            except (TimeoutError, OSError, ConnectionClosed) as error:
                failures[type(error).__name__] += 1
                return
            if reply.get("type") != "subscribed":
                failures[f"refused: {reply.get('code')}"] += 1
                await socket.close()
                return
            sockets.append(socket)

    async def read(socket) -> None:
        try:
            async for text in socket:
                arrived = time.time()
                frame = json.loads(text)
                data = frame.get("data") or {}
                if frame.get("type") == "event" and "sent" in data:
                    delays.append((data["round"], arrived - data["sent"]))
        except ConnectionClosed:
            pass

    started = time.monotonic()
    await asyncio.gather(*(open_one(number) for number in range(count)))
    readers = [asyncio.create_task(read(socket)) for socket in sockets]
    conn.send(("ready", len(sockets), dict(failures), time.monotonic() - started))
    while True:
        command = await asyncio.to_thread(conn.recv)
        if command == "report":
            open_now = sum(socket.state is State.OPEN for socket in sockets)
            conn.send(("report", open_now, delays[:]))
            delays.clear()
        elif command == "stop":
            break
    closing = asyncio.Semaphore(CONNECT_CONCURRENCY)

    async def close(socket) -> None:
        async with closing:
            await socket.close()

    await asyncio.gather(*(close(socket) for socket in sockets), return_exceptions=True)
    for reader in readers:
        reader.cancel()
    await asyncio.gather(*readers, return_exceptions=True)
    conn.send(("stopped",))


def load_generator(conn: Connection, url: str, origin: str, count: int, sources: list[str]) -> None:
    """Entry point of a load generator process."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops it in order
    raise_fd_limit()
    _run_async(_hold(conn, url, origin, count, sources))


# --- Publisher (its own process, set up as the task worker is) ------------------------------


def publisher(conn: Connection, env: dict[str, str]) -> None:
    """Commit one change per requested round, publishing the event in the same transaction."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connection, transaction
    from django.utils import timezone

    from core.live import SITE_GROUP, publish
    from core.models import User

    user = User.objects.filter(email=BENCH_EMAIL).first()
    if user is None:
        user = User.objects.create_user(email=BENCH_EMAIL, password=None)
    conn.send(("ready",))
    while True:
        command = conn.recv()
        if command == "stop":
            break
        round_number = command
        with transaction.atomic():
            User.objects.filter(pk=user.pk).update(last_login=timezone.now())
            # The time is taken last, just before the commit that releases the event.
            publish(SITE_GROUP, STREAM, {"round": round_number, "sent": time.time()})
        conn.send(("published",))
    connection.close()


# --- Orchestration ----------------------------------------------------------------------------


@dataclass
class Server:
    """A running uvicorn process and the URLs a socket connects with."""

    process: subprocess.Popen
    port: int

    @property
    def url(self) -> str:
        return f"ws://{HOST}:{self.port}/ws/live/?lang=en"

    @property
    def origin(self) -> str:
        return f"http://{HOST}:{self.port}"

    def rss(self) -> int:
        """Resident memory of the server process (and any children uvicorn started)."""
        import psutil

        process = psutil.Process(self.process.pid)
        return process.memory_info().rss + sum(
            child.memory_info().rss for child in process.children(recursive=True)
        )

    def established(self) -> int:
        """Connections the server holds open on its port, as the kernel counts them."""
        import psutil

        process = psutil.Process(self.process.pid)
        return sum(
            1
            for c in process.net_connections(kind="tcp")
            if c.status == psutil.CONN_ESTABLISHED and c.laddr.port == self.port
        )


@contextmanager
def server(log: IO[bytes], label: str, profile: str | None = None) -> Iterator[Server]:
    """Serve the app with one uvicorn worker; with `profile`, under cProfile (stats written
    there when the server stops: its event loop runs in the main thread, which cProfile sees)."""
    port = free_port()
    command = uvicorn_command(HOST, port, access_log=False, log_level="warning", workers=1)
    if profile:
        # uvicorn re-raises the SIGTERM it stopped on once it is done: a handler that exits
        # instead lets cProfile write its stats.
        wrapper = (
            "import cProfile, runpy, signal, sys; "
            "signal.signal(signal.SIGTERM, lambda *_: sys.exit(0)); "
            "out, sys.argv = sys.argv[1], ['uvicorn', *sys.argv[2:]]; "
            'cProfile.run(\'runpy.run_module("uvicorn", run_name="__main__")\', out)'
        )
        command[1:3] = ["-c", wrapper, profile]
    log.write(f"--- uvicorn, {label} ---\n".encode())
    log.flush()
    process = subprocess.Popen(command, cwd=ROOT, env=_env(), stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_until_ready(process, f"http://{HOST}:{port}")
        yield Server(process, port)
    finally:
        _stop(process)


@dataclass
class Generators:
    """Load generator processes sharing `total` sockets, each from its own source address."""

    server: Server
    total: int
    processes: int
    children: list[tuple[multiprocessing.Process, Connection]] = field(default_factory=list)
    opened: int = 0
    failures: Counter[str] = field(default_factory=Counter)
    open_seconds: float = 0.0

    def __enter__(self) -> Generators:
        context = multiprocessing.get_context("spawn")
        shares = [self.total // self.processes] * self.processes
        for index in range(self.total % self.processes):
            shares[index] += 1
        for share in (s for s in shares if s):
            parent, child = context.Pipe()
            # Spreads the ephemeral ports over addresses, and the subscriptions under the
            # per-address limit.
            sources = _addresses(math.ceil(share / SOCKETS_PER_ADDRESS))
            process = context.Process(
                target=load_generator,
                args=(child, self.server.url, self.server.origin, share, sources),
                daemon=True,
            )
            process.start()
            self.children.append((process, parent))
        started = time.monotonic()
        for _process, conn in self.children:
            left = READY_SECONDS - (time.monotonic() - started)
            if not conn.poll(max(0.0, left)):
                raise RuntimeError(f"a load generator did not open its sockets in {READY_SECONDS}s")
            _kind, opened, failures, _seconds = conn.recv()
            self.opened += opened
            self.failures.update(failures)
        self.open_seconds = time.monotonic() - started
        return self

    def report(self) -> tuple[int, list[tuple[int, float]]]:
        """Sockets still open on the clients' side, and the delays recorded since last asked."""
        open_now, delays = 0, []
        for _process, conn in self.children:
            conn.send("report")
        for _process, conn in self.children:
            _kind, count, recorded = conn.recv()
            open_now += count
            delays += recorded
        return open_now, delays

    def __exit__(self, *exc_info: object) -> None:
        for _process, conn in self.children:
            try:
                conn.send("stop")
            except OSError:
                pass
        for process, conn in self.children:
            if conn.poll(30):
                conn.recv()
            process.join(10)
            if process.is_alive():
                process.kill()
                process.join()


@contextmanager
def publishing() -> Iterator[Connection]:
    """A publisher process, ready to commit; yields the pipe that asks it for a round."""
    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe()
    process = context.Process(target=publisher, args=(child, _env()), daemon=True)
    process.start()
    try:
        if not parent.poll(60):
            raise RuntimeError("the publisher did not start in 60s")
        parent.recv()
        yield parent
    finally:
        try:
            parent.send("stop")
        except OSError:
            pass
        process.join(10)
        if process.is_alive():
            process.kill()
            process.join()


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (nan when empty)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(1, math.ceil(fraction * len(ordered))) - 1]


@dataclass
class IdleResult:
    layer: str
    asked: int
    opened: int
    established: int
    got_check: int
    rss_before: int
    rss_after: int
    open_seconds: float
    failures: dict[str, int]

    @property
    def per_socket(self) -> float:
        return (self.rss_after - self.rss_before) / self.opened if self.opened else math.nan


@dataclass
class LatencyResult:
    layer: str
    subscribers: int
    rounds: int
    delays: list[float]
    slowest: list[float]
    expected: int
    failures: dict[str, int] = field(default_factory=dict)

    def ms(self, fraction: float) -> float:
        return percentile(self.delays, fraction) * 1000


def measure_idle(srv: Server, layer: str, sockets: int, processes: int) -> IdleResult:
    # Warm the server up (imports, the bridge's LISTEN, thread pool) before the baseline RSS.
    with Generators(srv, 10, 1):
        pass
    time.sleep(1)
    rss_before = srv.rss()
    with Generators(srv, sockets, processes) as held, publishing() as pub:
        time.sleep(2)  # let the server settle after the last handshake
        rss_after = srv.rss()
        established = srv.established()
        pub.send(-1)
        pub.recv()
        deadline = time.monotonic() + CHECK_SECONDS
        got = 0
        while time.monotonic() < deadline:
            time.sleep(1)
            _open, delays = held.report()
            got += sum(1 for number, _delay in delays if number == -1)
            if got >= held.opened:
                break
    return IdleResult(
        layer,
        sockets,
        held.opened,
        established,
        got,
        rss_before,
        rss_after,
        held.open_seconds,
        dict(held.failures),
    )


def measure_latency(
    srv: Server, layer: str, subscribers: int, rounds: int, processes: int
) -> LatencyResult:
    # Rounds never overlap: each is given time to reach every subscriber before the next.
    interval = 0.1 + subscribers * 0.0015
    with Generators(srv, subscribers, min(processes, subscribers)) as held, publishing() as pub:
        for number in range(WARMUP_ROUNDS + rounds):
            pub.send(number)
            pub.recv()
            time.sleep(interval)
        time.sleep(1)
        _open, recorded = held.report()
    counted = [(n, d) for n, d in recorded if n >= WARMUP_ROUNDS]
    by_round: dict[int, float] = {}
    for number, delay in counted:
        by_round[number] = max(by_round.get(number, 0.0), delay)
    return LatencyResult(
        layer,
        subscribers,
        rounds,
        [delay for _n, delay in counted],
        list(by_round.values()),
        rounds * held.opened,
        dict(held.failures),
    )


def prepare_database() -> None:
    started = time.monotonic()
    completed = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    if completed.returncode != 0:
        sys.stderr.write(completed.stdout + completed.stderr)
        raise SystemExit(f"manage.py migrate failed ({completed.returncode})")
    print(f"manage.py migrate: ok in {time.monotonic() - started:.1f}s")


def forget_redis_groups(url: str) -> None:
    """Drop the stream's group left in Redis by a run that was killed (its channels are dead)."""
    import redis

    client = redis.Redis.from_url(url)
    try:
        client.delete(f"asgi:group:{STREAM}")
    finally:
        client.close()


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def mb(value: int) -> str:
    return f"{value / 1e6:.1f} MB"


def print_idle(results: list[IdleResult]) -> None:
    print(f"Idle sockets (goal: one process holds >= {IDLE_GOAL:,}):")
    header = (
        f"{'layer':<10}{'asked':>7}{'opened':>8}{'server':>8}{'check':>8}{'open s':>8}"
        f"{'RSS before':>12}{'RSS after':>12}{'per socket':>12}  goal"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        held = min(r.opened, r.established, r.got_check)
        print(
            f"{r.layer:<10}{r.asked:>7}{r.opened:>8}{r.established:>8}{r.got_check:>8}"
            f"{r.open_seconds:>8.1f}{mb(r.rss_before):>12}{mb(r.rss_after):>12}"
            f"{r.per_socket / 1024:>9.1f} kB  " + ("met" if held >= IDLE_GOAL else "missed")
        )
        if r.failures:
            print(f"{'':<10}failed to open: {r.failures}")
    print(
        "opened: subscribed sockets the load generators hold; server: connections established "
        "on the\nserver's port (kernel); check: sockets that got an event published after all "
        "were open;\nper socket: (RSS after - RSS before) / opened"
    )


def print_latency(results: list[LatencyResult]) -> None:
    print("Publish (just before commit) to delivery, per subscriber:")
    header = (
        f"{'layer':<10}{'subs':>6}{'rounds':>7}{'delivered':>13}{'p50 ms':>8}{'p95 ms':>8}"
        f"{'max ms':>8}{'last p95':>10}  goal"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        goal = GOALS_MS.get(r.subscribers)
        verdict = ""
        if goal is not None:
            met = r.ms(0.95) <= goal and len(r.delays) == r.rounds * r.subscribers
            verdict = f"p95 <= {goal:.0f} ms " + ("met" if met else "missed")
        print(
            f"{r.layer:<10}{r.subscribers:>6}{r.rounds:>7}{len(r.delays):>6}/{r.expected:<6}"
            f"{r.ms(0.50):>8.1f}{r.ms(0.95):>8.1f}{r.ms(1.0):>8.1f}"
            f"{percentile(r.slowest, 0.95) * 1000:>10.1f}  {verdict}"
        )
        if r.failures:
            print(f"{'':<10}failed to subscribe: {r.failures}")
    print(
        "delivered: frames received / expected (subscribers x rounds); last p95: p95 over "
        "rounds of the\nslowest subscriber's delay (the time for a round to reach everyone); "
        f"{WARMUP_ROUNDS} warm-up rounds not counted"
    )


def _profile(args: argparse.Namespace, layer: str, benchmark: str) -> str | None:
    return f"{args.profile}-{layer}-{benchmark}.prof" if args.profile else None


def _exit_on_signal(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    """Measure the chosen benchmarks with the chosen layers and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--layer", choices=["postgres", "redis", "both"], default="both")
    parser.add_argument("--only", choices=["idle", "latency"], help="run one benchmark only")
    parser.add_argument("--sockets", type=int, default=IDLE_GOAL, help="idle sockets to open")
    parser.add_argument("--rounds", type=int, default=50, help="counted rounds per size")
    parser.add_argument(
        "--subscribers",
        type=int,
        nargs="+",
        choices=SUBSCRIBER_COUNTS,
        default=list(SUBSCRIBER_COUNTS),
        help="latency: the fan-out sizes to measure (default: all)",
    )
    parser.add_argument(
        "--clients", type=int, default=2, help="load generator processes (idle: twice as many)"
    )
    parser.add_argument(
        "--profile",
        metavar="PREFIX",
        help="run each server under cProfile, stats to PREFIX-<layer>-<benchmark>.prof",
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL),
        help="Redis for the redis layer (its `asgi:group:site` key is reset)",
    )
    args = parser.parse_args(argv)
    if args.sockets < 1 or args.rounds < 1 or args.clients < 1:
        parser.error("--sockets, --rounds and --clients must be positive")

    signal.signal(signal.SIGTERM, _exit_on_signal)
    os.chdir(ROOT)
    limit = raise_fd_limit()
    os.environ.pop("REDIS_URL", None)
    use_bench_database("_livebench")
    prepare_database()
    layers = ["postgres", "redis"] if args.layer == "both" else [args.layer]
    print(
        f"1 uvicorn worker on {HOST}; {os.cpu_count()} CPU(s) shared with the load generators "
        f"and the publisher; open-file limit {limit}; load average {load()} at start"
    )
    idle_results: list[IdleResult] = []
    latency_results: list[LatencyResult] = []
    with tempfile.TemporaryFile() as log:
        try:
            for layer in layers:
                if layer == "redis":
                    os.environ["REDIS_URL"] = args.redis_url
                    forget_redis_groups(args.redis_url)
                else:
                    os.environ.pop("REDIS_URL", None)
                name = "postgres" if layer == "postgres" else "redis"
                if args.only in (None, "idle"):
                    with server(log, f"{name} idle", _profile(args, name, "idle")) as srv:
                        started = time.monotonic()
                        result = measure_idle(srv, name, args.sockets, args.clients * 2)
                        idle_results.append(result)
                        print(
                            f"{name} idle: {result.opened} sockets in "
                            f"{time.monotonic() - started:.0f}s; load average {load()}"
                        )
                if args.only in (None, "latency"):
                    with server(log, f"{name} latency", _profile(args, name, "latency")) as srv:
                        for subscribers in args.subscribers:
                            started = time.monotonic()
                            latency_results.append(
                                measure_latency(srv, name, subscribers, args.rounds, args.clients)
                            )
                            print(
                                f"{name} latency, {subscribers} subscriber(s): "
                                f"{time.monotonic() - started:.0f}s; load average {load()}"
                            )
        finally:
            print()
            _print_server_log(log)
    print()
    if idle_results:
        print_idle(idle_results)
        print()
    if latency_results:
        print_latency(latency_results)
        print()
    print(f"Load average at the end: {load()} (1, 5, 15 minutes)")
    return 0


if __name__ == "__main__":
    try:
        raise SystemExit(main())
    except KeyboardInterrupt:
        print("\nInterrupted; the server was stopped.", file=sys.stderr)
        raise SystemExit(130) from None
