"""How fast pages are served, next to a trivial view: anonymous (cached and not) and signed in.

It starts the real ASGI app under uvicorn (one worker, loopback only) with `bench.settings`, first
with the anonymous page cache off and then on, loads each target with a bounded number of
concurrent requests, then counts in this process, with Django's test client, the SQL queries of
one request to each target, and prints requests/s, p50/p95 latency, errors and queries per
target, each page also as a fraction of the trivial view's rate in the same run.

Signed-in targets are loaded with a member's session (a demo-independent bench member who has
accepted the current policies), on the server with the page cache on: members are never served
from it, which the `hits` column confirms. Their figures are the ones later goals are read from
("signed-in >= 0.20x trivial with at most 12 queries"); a page joins by adding a `Target(...,
signed_in=True)` to SIGNED_IN_TARGETS. Before measuring, it adds its own members, organisations
and opportunities (`bench-` addresses, once) so that every listing holds more than a page of
items (LISTING_ITEMS), as a real installation's would; the demo alone lists a handful. It also
imports LIBRARY_RESOURCES generated resources with cover images into the library (once). All of
this goes to a database of the bench's own (`<database>_bench`, created on first run).

It also prints what a browser's first view of each page transfers (the HTML and the style
sheets, scripts and fonts it links, without images, encoded as the server sends them to a
browser that accepts gzip), next to FIRST_VIEW_GOAL. It prints figures only and asserts
nothing: run it with
`make bench` or `.venv/bin/python bench/pages.py [--requests N] [--concurrency C] [--only TEXT]`
(`--only` keeps the trivial view and the targets whose name contains TEXT, or one of several
comma-separated TEXTs).
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import logging
import math
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.cookiejar import CookieJar, DefaultCookiePolicy
from pathlib import Path
from typing import IO

import httpx

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from idiaspora.processes import uvicorn_command  # noqa: E402 - needs ROOT on sys.path

SETTINGS_MODULE = "bench.settings"
HOST = "127.0.0.1"
TRIVIAL_PATH = "/bench/trivial/"
TARGET_SECONDS = 60.0  # hard limit per target, warm-up included
REQUEST_TIMEOUT = 10.0
SERVER_START_SECONDS = 60.0
SETUP_SECONDS = 600.0
# Read by bench.settings: this run's own page-cache namespace, shared by its servers and itself.
RUN_ID = f"{os.getpid()}-{int(time.time())}"


@dataclass(frozen=True)
class Target:
    """One URL to load, with the name it has in the table; `signed_in` loads it as a member."""

    name: str
    path: str
    signed_in: bool = False
    # Sent with the ETag of a first answer (If-None-Match): a client polling an unchanged list.
    conditional: bool = False
    # (ratio to the trivial view, most SQL queries) an issue holds it to, where the kind of
    # target does not say it (see `goal_of`).
    goal: tuple[float, int | None] | None = None


# The goals the issues hold targets to: (ratio to the trivial view, most SQL queries).
SIGNED_IN_GOAL = (0.20, 12)  # every signed-in page
CACHED_GOAL = (0.90, None)  # every cached anonymous page, and an API list's 304 (issue 12)
API_LIST_GOAL = (0.25, 8)  # a page of 50 resources from the API (issue 12)

# The demo course and one of its lessons with a quiz (knowledge.demo_courses).
COURSE_PATH = "/en/courses/engaging-your-diaspora/"
LESSON_PATH = f"{COURSE_PATH}know-your-diaspora/finding-out-what-you-dont-know/"
# What each server loads, in order. Add a page here to have it measured.
UNCACHED_TARGETS = [Target("trivial view", TRIVIAL_PATH), Target("home /en/ uncached", "/en/")]
CACHED_TARGETS = [
    Target("home /en/ cached", "/en/"),
    Target("home /ar/ cached", "/ar/"),
    Target("members directory cached", "/en/members/"),
    Target("organisations index cached", "/en/organisations/"),
    Target("organisation page cached", "/en/organisations/ghana-diaspora-affairs/"),
    Target("opportunities listing cached", "/en/opportunities/"),
    Target("opportunity page cached", "{opportunity}"),
    Target("handbook contents cached", "/en/handbook/"),
    Target("handbook chapter cached", "/en/handbook/mobilising-skills-and-investment/"),
    Target("handbook print view cached", "/en/handbook/print/"),
    Target("library listing cached", "/en/library/"),
    Target("resource page cached", "{resource}"),
    Target("country page cached", "/en/countries/senegal/"),
    Target("course page cached", COURSE_PATH),
    Target("lesson page (with a quiz) cached", LESSON_PATH),
    Target("forum thread (1,000 posts) cached", "{thread}"),
    # The open-data API is never page-cached; a client polling it revalidates (core.api).
    Target("API: 50 resources", "/api/v1/resources/?page_size=50", goal=API_LIST_GOAL),
    Target("API: 50 opportunities", "/api/v1/opportunities/?page_size=50"),
    Target("API: 50 events", "/api/v1/events/?page_size=50"),
    Target(
        "API: 50 resources, 304",
        "/api/v1/resources/?page_size=50",
        conditional=True,
        goal=CACHED_GOAL,
    ),
    Target(
        "API: 50 opportunities, 304",
        "/api/v1/opportunities/?page_size=50",
        conditional=True,
        goal=CACHED_GOAL,
    ),
    Target("events listing cached", "/en/events/"),
    Target("event page cached", "{event}"),
]
SIGNED_IN_TARGETS = [
    Target("home /en/ signed-in", "/en/", signed_in=True),
    Target("privacy signed-in", "/en/privacy/", signed_in=True),
    Target("members directory signed-in", "/en/members/", signed_in=True),
    Target("dashboard /en/me/ signed-in", "/en/me/", signed_in=True),
    Target("organisations index signed-in", "/en/organisations/", signed_in=True),
    Target("opportunities listing signed-in", "/en/opportunities/", signed_in=True),
    Target(
        "organisation page signed-in", "/en/organisations/ghana-diaspora-affairs/", signed_in=True
    ),
    # The path of an opportunity the bench adds is known once it is in the database.
    Target("opportunity page signed-in", "{opportunity}", signed_in=True),
    Target(
        "handbook chapter signed-in",
        "/en/handbook/mobilising-skills-and-investment/",
        signed_in=True,
    ),
    Target("handbook print view signed-in", "/en/handbook/print/", signed_in=True),
    Target("library listing signed-in", "/en/library/", signed_in=True),
    # A generated resource with a cover (seed_library): its path is known once it is imported.
    Target("resource page signed-in", "{resource}", signed_in=True),
    Target("country page signed-in", "/en/countries/senegal/", signed_in=True),
    Target("course page signed-in", COURSE_PATH, signed_in=True),
    Target("lesson page (with a quiz) signed-in", LESSON_PATH, signed_in=True),
    Target("forums index signed-in", "/en/forums/", signed_in=True),
    Target("forum thread (1,000 posts) signed-in", "{thread}", signed_in=True),
    Target("events listing signed-in", "/en/events/", signed_in=True),
    Target("event page signed-in", "{event}", signed_in=True),
    Target("saved searches of the site signed-in", "/en/search/saved/", signed_in=True),
]
BENCH_MEMBER_EMAIL = "bench-member@bench.invalid"
# Items the bench adds to each listing (directory, organisations, opportunities): more than a page.
LISTING_ITEMS = 32
# Resources the bench imports into the library (issue 8: "a library of 1,000+ resources with
# images"), and the covers they share.
LIBRARY_RESOURCES = 1000
LIBRARY_COVERS = 8
# What a first view may transfer, without images (issue 7's goal).
FIRST_VIEW_GOAL = 60 * 1024
# A browser's asset references in a page or style sheet; images are left out of the first view.
_LINKED = re.compile(r'<(?:link[^>]*rel="stylesheet"[^>]*href|script[^>]*src)="([^"]+)"')
_CSS_URL = re.compile(r"url\(['\"]?([^'\")]+)['\"]?\)")
_IMAGE = re.compile(r"\.(?:png|jpe?g|gif|webp|avif|svg|ico)(?:\?|$)", re.IGNORECASE)


@dataclass
class Result:
    """What one bounded load of a target measured."""

    target: Target
    planned: int
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)
    cache_hits: int = 0
    cache_seconds: int = 0
    queries: int | None = None
    elapsed: float = 0.0
    client_cpu: float = 0.0
    first_view: int | None = None
    # The trivial view's rate, measured on the uncached server just before this target.
    baseline: float | None = None
    # With --rounds: this target's rate over the trivial view's, round by round.
    round_ratios: list[float] = field(default_factory=list)
    # CPU seconds the server process used for the measured requests (None: not on Linux).
    server_cpu: float | None = None
    # The trivial view's server CPU per request, measured beside it; by round with --rounds.
    baseline_cpu_ms: float | None = None
    round_cpu_ratios: list[float] = field(default_factory=list)

    @property
    def done(self) -> int:
        return sum(self.statuses.values())

    @property
    def errors(self) -> int:
        expected = "304" if self.target.conditional else "200"
        return self.done - self.statuses[expected]

    @property
    def rate(self) -> float:
        return self.done / self.elapsed if self.elapsed else 0.0

    def ratio(self, trivial: float) -> float | None:
        """The rate over the trivial view's: the median of the rounds' ratios when there were
        several, else over the baseline measured beside it (or `trivial`)."""
        if len(self.round_ratios) > 1:
            return statistics.median(self.round_ratios)
        reference = self.baseline or trivial
        return self.rate / reference if reference else None

    @property
    def server_cpu_ms(self) -> float | None:
        """The server's CPU time per request, in milliseconds."""
        if self.server_cpu is None or not self.done:
            return None
        return self.server_cpu * 1000 / self.done

    def cpu_ratio(self, trivial_cpu_ms: float | None) -> float | None:
        """The trivial view's server CPU per request over this target's: the ratio of rates the
        server would reach with a core to itself. It moves far less than `ratio` with the
        machine's other load, but leaves out time spent waiting (for PostgreSQL, say)."""
        if len(self.round_cpu_ratios) > 1:
            return statistics.median(self.round_cpu_ratios)
        reference = self.baseline_cpu_ms or trivial_cpu_ms
        own = self.server_cpu_ms
        return reference / own if reference and own else None

    def add_round(self, other: Result) -> None:
        """Fold another round's measurements of the same target into this one."""
        if self.server_cpu is not None and other.server_cpu is not None:
            self.server_cpu += other.server_cpu
        self.planned += other.planned
        self.latencies += other.latencies
        self.statuses.update(other.statuses)
        self.cache_hits += other.cache_hits
        self.elapsed += other.elapsed
        self.client_cpu = (self.client_cpu + other.client_cpu) / 2

    def percentile_ms(self, fraction: float) -> float:
        """Nearest-rank percentile of the latencies, in milliseconds (nan when none)."""
        if not self.latencies:
            return math.nan
        ordered = sorted(self.latencies)
        rank = max(1, math.ceil(fraction * len(ordered)))
        return ordered[rank - 1] * 1000


def _env(cache_seconds: int | None = None) -> dict[str, str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE, "BENCH_RUN": RUN_ID}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    if cache_seconds is not None:
        env["PAGE_CACHE_SECONDS"] = str(cache_seconds)
    return env


def use_bench_database(suffix: str = "_bench") -> None:
    """Point this process and the servers it starts at a database of the bench's own, on the
    project's PostgreSQL server (created the first time), so that the members, organisations
    and thousand resources it adds never reach the demo site's database. Another benchmark
    passes its own `suffix` to stay out of this one's way."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    from idiaspora import embedded_postgres

    base = os.environ.get("DATABASE_URL") or embedded_postgres.ensure_running()
    parts = urlsplit(base)
    name = f"{parts.path.lstrip('/') or 'postgres'}{suffix}"
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))


def prepare_database() -> None:
    """Migrate and load the demo content (both idempotent) with the bench settings."""
    for command in (["migrate", "--noinput", "-v", "0"], ["load_demo"]):
        started = time.monotonic()
        completed = subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=_env(),
            capture_output=True,
            text=True,
            timeout=SETUP_SECONDS,
            check=False,
        )
        if completed.returncode != 0:
            sys.stderr.write(completed.stdout + completed.stderr)
            raise SystemExit(f"manage.py {command[0]} failed ({completed.returncode})")
        print(f"manage.py {command[0]}: ok in {time.monotonic() - started:.1f}s")


def free_port() -> int:
    """A port the kernel says is free on loopback now (uvicorn binds it a moment later)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _wait_until_ready(process: subprocess.Popen, base_url: str) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"uvicorn exited early with code {process.returncode}")
        try:
            if httpx.get(base_url + TRIVIAL_PATH, timeout=2, trust_env=False).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"uvicorn did not answer within {SERVER_START_SECONDS:.0f}s")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


# The uvicorn process serving each base URL, for its CPU time (`server_cpu_seconds`).
_server_processes: dict[str, int] = {}


def server_cpu_seconds(base_url: str) -> float | None:
    """User and system CPU seconds used so far by the server at `base_url` (uvicorn and its
    worker processes), from /proc; None where there is no /proc."""
    pid = _server_processes.get(base_url)
    if pid is None:
        return None
    total, pending, tick = 0.0, [pid], os.sysconf("SC_CLK_TCK")
    try:
        while pending:
            current = pending.pop()
            # A process's stat counts all its threads; its workers are its main thread's children.
            stat = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(stat[11]) + int(stat[12])) / tick  # utime, stime
            children = Path(f"/proc/{current}/task/{current}/children").read_text()
            pending += [int(child) for child in children.split()]
    except OSError:
        return None
    return total


@contextmanager
def uvicorn_server(cache_seconds: int, log: IO[bytes]) -> Iterator[str]:
    """Serve the app on a free loopback port with the given page-cache lifetime; yield its URL."""
    port = free_port()
    # The run command's own flags (frame limit, trusted proxies), with one worker and quiet logs.
    command = uvicorn_command(HOST, port, access_log=False, log_level="warning", workers=1)
    log.write(f"--- uvicorn, PAGE_CACHE_SECONDS={cache_seconds} ---\n".encode())
    log.flush()
    process = subprocess.Popen(
        command, cwd=ROOT, env=_env(cache_seconds), stdout=log, stderr=subprocess.STDOUT
    )
    try:
        base_url = f"http://{HOST}:{port}"
        _wait_until_ready(process, base_url)
        _server_processes[base_url] = process.pid
        yield base_url
    finally:
        _server_processes.pop(f"http://{HOST}:{port}", None)
        _stop(process)


async def _load(
    client: httpx.AsyncClient, result: Result, total: int, concurrency: int, deadline: float
) -> None:
    """Send `total` GETs from `concurrency` clients, stopping at `deadline` whatever happens."""
    issued = 0

    async def client_loop() -> None:
        nonlocal issued
        while issued < total and time.monotonic() < deadline:
            issued += 1
            started = time.perf_counter()
            try:
                response = await client.get(result.target.path)
            except httpx.HTTPError as exc:
                result.statuses[type(exc).__name__] += 1
                continue
            result.latencies.append(time.perf_counter() - started)
            result.statuses[str(response.status_code)] += 1
            # Django's cache middleware adds an Age header only to responses it served from cache.
            result.cache_hits += "age" in response.headers

    started, cpu_started = time.perf_counter(), time.process_time()
    tasks = [asyncio.create_task(client_loop()) for _ in range(concurrency)]
    try:
        await asyncio.wait(tasks, timeout=max(0.0, deadline - time.monotonic()))
    finally:
        # Clients still waiting at the deadline (or on Ctrl-C) are cancelled, never left behind.
        for task in tasks:
            task.cancel()
        outcomes = await asyncio.gather(*tasks, return_exceptions=True)
    for outcome in outcomes:
        if isinstance(outcome, Exception):
            raise outcome
    result.elapsed = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    result.client_cpu = cpu_seconds / result.elapsed if result.elapsed else 0.0


async def measure(
    base_url: str,
    target: Target,
    requests: int,
    concurrency: int,
    warmup: int,
    session_cookie: str | None = None,
) -> Result:
    """Warm the target up, then load it; the pair never lasts longer than TARGET_SECONDS."""
    deadline = time.monotonic() + TARGET_SECONDS
    # Refuse every cookie the server sets: anonymous readers stay without a session or CSRF
    # token, and a member sends their one session cookie, the same on every request.
    cookies = CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))
    headers = {"Cookie": session_cookie} if target.signed_in and session_cookie else {}
    if target.signed_in and not headers:
        raise ValueError(f"{target.name} is a signed-in target but no session was given")
    if target.conditional:
        headers["If-None-Match"] = etag_of(base_url, target.path, headers)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(
        base_url=base_url,
        cookies=cookies,
        headers=headers,
        limits=limits,
        timeout=REQUEST_TIMEOUT,
        trust_env=False,
    ) as client:
        warm = Result(target, warmup)
        await _load(client, warm, warmup, concurrency, deadline)
        if warm.errors:
            print(f"  warm-up of {target.name}: {dict(warm.statuses)}")
        result = Result(target, requests)
        cpu_before = server_cpu_seconds(base_url)
        await _load(client, result, requests, concurrency, deadline)
        cpu_after = server_cpu_seconds(base_url)
        if cpu_before is not None and cpu_after is not None:
            result.server_cpu = cpu_after - cpu_before
    return result


def etag_of(base_url: str, path: str, headers: dict[str, str]) -> str:
    """The ETag a first request to `path` answers with."""
    response = httpx.get(base_url + path, headers=headers, timeout=REQUEST_TIMEOUT, trust_env=False)
    return response.headers.get("etag", "")


def run_server_targets(
    cache_seconds: int,
    targets: list[Target],
    args: argparse.Namespace,
    log: IO[bytes],
    session_cookie: str | None = None,
    baseline_url: str | None = None,
) -> list[Result]:
    """Start one server with the given cache lifetime and measure each target on it in turn.

    With `baseline_url` (a server with the page cache off), the trivial view is measured there
    just before each target: on a shared machine the load moves within a run, and a ratio to a
    baseline taken minutes earlier moves with it.
    """
    results = []
    with uvicorn_server(cache_seconds, log) as base_url:
        for target in targets:
            result = baseline = None
            # With --rounds N, the target and the trivial view beside it take turns N times:
            # the load on a shared machine drifts within seconds, and the median of the
            # rounds' ratios moves with it far less than one long measurement.
            rounds = args.rounds if baseline_url and target.path != TRIVIAL_PATH else 1
            ratios, cpu_ratios, baseline_cpu_ms = [], [], None
            for _round in range(rounds):
                if baseline_url and target.path != TRIVIAL_PATH:
                    trivial = Target("trivial view", TRIVIAL_PATH)
                    beside = asyncio.run(
                        measure(baseline_url, trivial, args.requests, args.concurrency, args.warmup)
                    )
                    baseline, baseline_cpu_ms = beside.rate, beside.server_cpu_ms
                measured = asyncio.run(
                    measure(
                        base_url,
                        target,
                        args.requests,
                        args.concurrency,
                        args.warmup,
                        session_cookie,
                    )
                )
                if baseline:
                    ratios.append(measured.rate / baseline)
                if baseline_cpu_ms and measured.server_cpu_ms:
                    cpu_ratios.append(baseline_cpu_ms / measured.server_cpu_ms)
                if result is None:
                    result = measured
                else:
                    result.add_round(measured)
            result.cache_seconds = cache_seconds
            result.baseline = baseline
            result.round_ratios = ratios
            result.baseline_cpu_ms = baseline_cpu_ms
            result.round_cpu_ratios = cpu_ratios
            if target.path != TRIVIAL_PATH:
                result.first_view = first_view_bytes(base_url, target, session_cookie)
            print(
                f"  {target.name:<20} {result.done} requests in {result.elapsed:.1f}s"
                + (f", trivial view beside it {baseline:.1f}/s" if baseline else "")
                + ("  (stopped at the time limit)" if result.done < result.planned else "")
            )
            results.append(result)
    return results


def goal_of(result: Result) -> tuple[float, int | None] | None:
    """The goal a row is held to: its target's own, else by kind (signed-in page, cached
    anonymous page); None for the baselines and the API lists no issue sets a figure for."""
    target = result.target
    if target.goal is not None:
        return target.goal
    if target.signed_in:
        return SIGNED_IN_GOAL
    if result.cache_seconds and not target.path.startswith("/api/"):
        return CACHED_GOAL
    return None


def _goal(result: Result, ratio: float | None) -> str:
    """Whether the row meets the goal its issue holds it to."""
    goal = goal_of(result)
    if goal is None or ratio is None:
        return ""
    goal_ratio, goal_queries = goal
    misses = []
    if ratio < goal_ratio:
        misses.append(f"< {goal_ratio:.2f} x")
    if goal_queries is not None and (result.queries is None or result.queries > goal_queries):
        misses.append(f"> {goal_queries} queries")
    return "  goal met" if not misses else "  goal missed: " + ", ".join(misses)


def print_table(results: list[Result]) -> None:
    """Print the figures, each page's rate also as a fraction of the trivial view's."""
    trivial = next((r.rate for r in results if r.target.path == TRIVIAL_PATH), 0.0)
    trivial_cpu_ms = next((r.server_cpu_ms for r in results if r.target.path == TRIVIAL_PATH), None)
    header = (
        f"{'target':<22}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}{'errors':>7}{'hits':>6}"
        f"{'client':>8}{'queries':>8}{'srv ms':>7}{'cpu':>6}  ratio"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        ratio = r.ratio(trivial)
        queries = "" if r.queries is None else str(r.queries)
        server_ms, cpu_ratio = r.server_cpu_ms, r.cpu_ratio(trivial_cpu_ms)
        print(
            f"{r.target.name:<22}{r.rate:>8.1f}{r.percentile_ms(0.50):>8.1f}"
            f"{r.percentile_ms(0.95):>8.1f}{r.errors:>7}{r.cache_hits:>6}"
            f"{r.client_cpu:>7.0%}{queries:>8}"
            + (f"{server_ms:>7.2f}" if server_ms is not None else f"{'':>7}")
            + (f"{cpu_ratio:>6.2f}" if cpu_ratio is not None else f"{'':>6}")
            + "  "
            + (f"{ratio:.2f} x trivial" if ratio is not None else "n/a")
            + _goal(r, ratio)
        )
        if r.errors:
            print(f"{'':<22}statuses: {dict(r.statuses)}")
    print(
        "hits: responses served from the page cache (told by their Age header); "
        "client: CPU the load\ngenerator used (near 100% means the figure is partly "
        "the client's limit, not the server's);\nqueries: SQL queries of one request, counted "
        "in-process after a warm-up request;\nratio: against the trivial view measured on the "
        "uncached server just before the target\n(the median of the rounds' ratios with "
        "--rounds);\nsrv ms: the server's CPU per request; cpu: the trivial view's srv ms (beside "
        "it) over the\ntarget's, the ratio with a core to itself, which the machine's other "
        "load moves far less\n(time spent waiting, for PostgreSQL say, is left out);\n"
        f"goals: signed-in >= {SIGNED_IN_GOAL[0]:.2f} x trivial with at most {SIGNED_IN_GOAL[1]} "
        f"queries; cached anonymous pages\nand an API list's 304 >= {CACHED_GOAL[0]:.2f} x; "
        f"50 resources from the API >= {API_LIST_GOAL[0]:.2f} x with at most "
        f"{API_LIST_GOAL[1]} queries"
    )


def print_first_views(results: list[Result]) -> None:
    """Print what a first view of each page transfers, against FIRST_VIEW_GOAL."""
    print(f"First view, without images (goal: at most {FIRST_VIEW_GOAL // 1024} kB):")
    for r in results:
        if r.first_view is None:
            continue
        verdict = "ok" if r.first_view <= FIRST_VIEW_GOAL else "over"
        print(f"  {r.target.name:<34}{r.first_view / 1024:>7.1f} kB  {verdict}")


def _normalise(sql: str) -> str:
    sql = re.sub(r"'(?:[^']|'')*'", "?", sql)
    return re.sub(r"\b\d+\b", "?", sql)


def _setup_django() -> None:
    """Set Django up in this process, with the bench settings and this run's cache namespace."""
    os.environ.update(DJANGO_SETTINGS_MODULE=SETTINGS_MODULE, BENCH_RUN=RUN_ID)
    # Already shown once per server in the server log.
    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()
    # The site's logging settings would print every request of the load generator.
    logging.getLogger("httpx").setLevel(logging.WARNING)


def member_session() -> tuple[str, str]:
    """Sign the bench member in (created once, policies accepted); return the session cookie.

    The member belongs to the Member group only, like someone who just signed up, and is no demo
    account, so the figures do not depend on what the demo content gives its people.
    """
    _setup_django()
    from django.conf import settings
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.test import Client

    from core.models import User
    from core.policies import record_acceptance
    from core.registries import current_policies
    from core.roles import MEMBER

    user = User.objects.filter(email=BENCH_MEMBER_EMAIL).first()
    if user is None:
        user = User.objects.create_user(email=BENCH_MEMBER_EMAIL, first_name="Bench")
    user.groups.set([Group.objects.get(name=MEMBER)])
    record_acceptance(user, current_policies())
    client = Client(HTTP_HOST=HOST)
    client.force_login(user)
    connection.close()
    return settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value


THREAD_POSTS = 1000


def seed_all() -> dict[str, str]:
    """Seed every listing, page and thread the targets name; return their paths by name."""
    return {**seed_listings(), **seed_library(), **seed_forum(), **seed_events()}


def seed_events() -> dict[str, str]:
    """LISTING_ITEMS upcoming events (once) with topics, countries, capacity and registrations
    by the bench members, more than a page of the listing; return the event page's path."""
    from datetime import timedelta

    from django.db import connection
    from django.utils import timezone

    from community.events.models import Event, Registration
    from community.organisations.models import Organisation
    from core.models import Topic, User

    topics = list(Topic.objects.filter(locale__language_code="en").order_by("pk")[:6])
    organisations = list(Organisation.objects.order_by("pk")[:4])
    members = list(User.objects.filter(email__startswith="bench-").order_by("pk")[:20])
    now = timezone.now().replace(second=0, microsecond=0)
    for n in range(LISTING_ITEMS):
        title = f"Bench event {n:02d}"
        if Event.objects.filter(title=title).exists():
            continue
        start = now + timedelta(days=10 + n, hours=n % 5)
        event = Event.objects.create(
            title=title,
            type=["webinar", "workshop", "meetup", "training"][n % 4],
            organisation=organisations[n % len(organisations)] if organisations else None,
            description="<p>A session for the diaspora.</p>",
            join_url="https://meet.example.org/bench",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            time_zone=["Africa/Accra", "Europe/Paris", "America/Lima", "Asia/Manila"][n % 4],
            capacity=50,
            languages=["en", "fr"],
            countries=["GH", "SN"],
        )
        event.topics.set(topics[n % 3 : n % 3 + 3])
        Registration.objects.bulk_create(
            [Registration(event=event, member=m, status="confirmed") for m in members]
        )
    event = Event.objects.get(title="Bench event 01")
    connection.close()
    return {"event": f"/en/events/{event.pk}/"}


def seed_forum() -> dict[str, str]:
    """A public thread of THREAD_POSTS posts by the bench members, with reactions (once).

    The thread page pages by post id, so its cost must not grow with the thread's length."""
    from datetime import timedelta

    from django.utils import timezone

    from community.forums import markup
    from community.forums.models import Forum, Post, Reaction, Thread
    from core.models import User

    forum, _ = Forum.objects.get_or_create(
        slug="bench-forum", defaults={"name": "Bench forum", "description": "Long threads."}
    )
    thread = Thread.objects.filter(forum=forum, title="A thousand replies").first()
    if thread is None:
        authors = list(User.objects.filter(email__startswith="bench-").order_by("pk")[:12])
        started = timezone.now() - timedelta(days=30)
        thread = Thread.objects.create(
            forum=forum, title="A thousand replies", author=authors[0], language="en",
            created_at=started, last_post_at=started, post_count=THREAD_POSTS,
        )  # fmt: skip
        texts = [
            "Which transfer service is cheapest to **Ghana** this month? Fees keep changing.",
            "We compared six providers: the [comparison](https://example.org/fees) is here.",
            "Mobile money was cheapest for small amounts; banks for large ones.",
        ]
        posts = Post.objects.bulk_create(
            [Post(thread=thread, author=authors[n % len(authors)], body=texts[n % 3],
                  body_html=markup.render(texts[n % 3]),
                  created_at=started + timedelta(minutes=n))
             for n in range(THREAD_POSTS)]
        )  # fmt: skip
        Reaction.objects.bulk_create(
            [Reaction(post=post, member=authors[(n + 1) % len(authors)], kind="like")
             for n, post in enumerate(posts) if n % 3 == 0],
            ignore_conflicts=True,
        )  # fmt: skip
        Thread.objects.filter(pk=thread.pk).update(last_post_at=posts[-1].created_at)
        Forum.objects.filter(pk=forum.pk).update(
            thread_count=1, post_count=THREAD_POSTS, last_post_at=posts[-1].created_at
        )
    return {"thread": f"/en/forums/threads/{thread.pk}/"}


def seed_listings() -> dict[str, str]:
    """Give each listing LISTING_ITEMS more items (once); return the placeholders of target paths.

    Listed members are bench users with a profile in the directory, skills and countries;
    organisations have topics and countries, every other one verified; opportunities belong to
    those organisations (every fourth to a member alone), with topics, countries and deadlines
    weeks away, so each card shows all it can; the bench member keeps the most saved searches
    of the site one may.
    """
    from datetime import timedelta

    from django.db import connection
    from django.utils import timezone

    from community.members.models import Profile
    from community.opportunities.models import Opportunity, Review, Status
    from community.organisations.models import Organisation, Verification
    from core.models import Topic, User

    topics = list(Topic.objects.filter(locale__language_code="en").order_by("pk")[:12])
    countries = ["GH", "NG", "SN", "FR", "GB", "US", "PH", "MX", "MA", "KE", "DE", "CA"]
    now = timezone.now()
    bench_member = User.objects.get(email=BENCH_MEMBER_EMAIL)
    for n in range(LISTING_ITEMS):
        pair = [countries[n % len(countries)], countries[(n + 5) % len(countries)]]
        user = User.objects.filter(email=f"bench-{n:02d}@bench.invalid").first()
        if user is None:
            user = User.objects.create_user(email=f"bench-{n:02d}@bench.invalid")
            profile = Profile.for_user(user)
            profile.display_name = f"Bench Member {n:02d}"
            profile.headline = "Engineer and mentor, working between two countries"
            profile.countries_of_origin = pair[:1]
            profile.country_of_residence = pair[1]
            profile.in_directory = True
            profile.save()
            profile.skills.set(["mentoring", "public health", f"skill {n % 7}"])
        organisation, created = Organisation.objects.get_or_create(
            slug=f"bench-organisation-{n:02d}",
            defaults={
                "name": f"Bench Diaspora Organisation {n:02d}",
                "type": "diaspora",
                "countries": pair,
                "description": "<p>People of the diaspora working together.</p>",
                "verification": Verification.VERIFIED if n % 2 else Verification.NONE,
            },
        )
        if created:
            organisation.topics.set(topics[n % 6 : n % 6 + 2])
        title = f"Bench opportunity {n:02d}"
        if not Opportunity.objects.filter(title=title).exists():
            item = Opportunity.objects.create(
                title=title,
                type="job" if n % 2 else "volunteering",
                poster=bench_member,
                organisation=None if n % 4 == 0 else organisation,
                description="<p>Join us.</p>",
                apply_url="https://example.org/apply",
                countries=pair,
                deadline=now + timedelta(days=30 + n),
                time_zone="Africa/Accra",
                status=Status.PUBLISHED,
                review=Review.APPROVED,
            )
            item.topics.set(topics[n % 6 : n % 6 + 3])
    # The bench member's saved searches of the site, as many as one may keep, with filters
    # to name (types, countries, topics, years).
    from core.saved_searches import MAX_SAVED
    from search.models import SavedSiteSearch

    for n in range(MAX_SAVED):
        SavedSiteSearch.objects.get_or_create(
            member=bench_member,
            query=f"q=bench+search+{n}&type=resource&country={countries[n % len(countries)]}"
            f"&topic={topics[n % len(topics)].slug}&year={2020 + n % 6}",
            language="en",
        )
    opportunity = Opportunity.objects.get(title="Bench opportunity 01")
    connection.close()
    return {"opportunity": f"/en/opportunities/{opportunity.pk}/"}


def seed_library() -> dict[str, str]:
    """Import LIBRARY_RESOURCES generated resources (once) with the bulk importer, each with one
    of LIBRARY_COVERS cover images; return the placeholder of the resource page's path.

    The rows are bench/import_resources.py's (four languages, a quarter translations, topics,
    countries, dates, a body); only the bench's database receives them, never the demo site's.
    """
    from io import BytesIO, StringIO

    from PIL import Image as PILImage

    from django.core.files.images import ImageFile
    from django.core.management import call_command
    from django.db import connection

    from wagtail.images import get_image_model

    from bench.import_resources import rows, write_file
    from knowledge.models import ResourcePage

    generated = ResourcePage.objects.filter(external_id__startswith="BENCH-")
    if generated.count() < LIBRARY_RESOURCES:
        started = time.monotonic()
        with tempfile.TemporaryDirectory() as folder:
            path = write_file(Path(folder), "library.jsonl", rows(LIBRARY_RESOURCES))
            call_command("import_resources", str(path), stdout=StringIO(), stderr=StringIO())
        print(
            f"library: {LIBRARY_RESOURCES} resources imported in {time.monotonic() - started:.1f}s"
        )
    image_model = get_image_model()
    covers = []
    for number in range(LIBRARY_COVERS):
        title = f"Bench cover {number}"
        cover = image_model.objects.filter(title=title).first()
        if cover is None:
            buffer = BytesIO()
            colour = (20 + 25 * number, 90, 160 - 15 * number)
            PILImage.new("RGB", (1200, 675), colour).save(buffer, "JPEG")
            file = ImageFile(buffer, name=f"bench-cover-{number}.jpg")
            cover = image_model.objects.create(title=title, file=file)
        covers.append(cover)
    bare = list(generated.filter(cover_image=None).order_by("pk").values_list("pk", flat=True))
    for number, cover in enumerate(covers):
        ResourcePage.objects.filter(pk__in=bare[number::LIBRARY_COVERS]).update(cover_image=cover)
    resource = generated.live().filter(locale__language_code="en").order_by("pk").first()
    path = resource.url
    connection.close()
    return {"resource": path}


def first_view_bytes(base_url: str, target: Target, session_cookie: str | None) -> int:
    """Bytes a browser with an empty cache receives for the page, its CSS, JS and fonts.

    Counted on the wire (as encoded: whatever the server compresses for a browser that accepts
    gzip), headers left out, images left out. Brotli is not offered: httpx could not decode it
    here, and gzip is what every browser accepts.
    """
    headers = {"Accept-Encoding": "gzip, deflate"}
    if target.signed_in and session_cookie:
        headers["Cookie"] = session_cookie
    seen: set[str] = set()
    total = 0
    with httpx.Client(base_url=base_url, headers=headers, timeout=REQUEST_TIMEOUT) as client:
        pending = [target.path]
        while pending:
            url = pending.pop()
            if url in seen or _IMAGE.search(url):
                continue
            seen.add(url)
            response = client.get(url)
            total += response.num_bytes_downloaded
            text = response.text
            base = url.rsplit("/", 1)[0] + "/"
            if url == target.path:
                pending += _LINKED.findall(text)
            elif url.endswith(".css"):
                pending += [
                    ref if ref.startswith("/") else base + ref
                    for ref in _CSS_URL.findall(text)
                    if not ref.startswith("data:")
                ]
    return total


def count_target_queries(results: list[Result], session: tuple[str, str]) -> None:
    """Count, in this process, the SQL queries of one request to each measured target.

    Each target is requested once to warm up (a member's first view may record something in
    the session), then once counted, as the server saw it: with the same page-cache lifetime,
    anonymous without cookies, signed in with the member's session cookie only.
    """
    from http.cookies import SimpleCookie

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    for result in results:
        target = result.target
        with override_settings(PAGE_CACHE_SECONDS=result.cache_seconds):
            client = Client(HTTP_HOST=HOST)
            extra = {}
            for _request in ("warm-up", "counted"):
                client.cookies = SimpleCookie(dict([session]) if target.signed_in else {})
                with CaptureQueriesContext(connection) as captured:
                    response = client.get(target.path, **extra)
                if target.conditional:
                    extra = {"HTTP_IF_NONE_MATCH": response.headers.get("ETag", "")}
            if response.status_code not in (200, 304 if target.conditional else 200):
                print(f"  {target.name}: {target.path} answered {response.status_code}")
        result.queries = len(captured)
        if target.signed_in:
            repeated = Counter(_normalise(q["sql"]) for q in captured.captured_queries)
            for sql, times in repeated.most_common(3):
                if times > 1:
                    print(f"  {target.name}: {times} x {sql[:150]}")
    connection.close()


def count_queries(path: str = "/en/") -> None:
    """Count, in this process, the SQL queries of one anonymous request to `path`."""
    _setup_django()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    def queries(client: Client) -> tuple[CaptureQueriesContext, float]:
        client.cookies.clear()
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        if response.status_code != 200:
            print(f"  {path} answered {response.status_code}")
        return captured, (time.perf_counter() - started) * 1000

    for label, cache_seconds in (("uncached", 0), ("cached", 600)):
        with override_settings(PAGE_CACHE_SECONDS=cache_seconds):
            client = Client(HTTP_HOST=HOST)
            first, _ = queries(client)
            repeat, milliseconds = queries(client)
        print(
            f"SQL queries per {path} request, {label}: {len(repeat)} "
            f"(request served in {milliseconds:.1f} ms in-process; "
            f"first request after start: {len(first)} queries)"
        )
        if label == "uncached":
            repeated = Counter(_normalise(q["sql"]) for q in repeat.captured_queries)
            for sql, times in repeated.most_common(3):
                if times > 1:
                    print(f"  {times} x {sql[:150]}")
    connection.close()


def _print_server_log(log: IO[bytes]) -> None:
    log.seek(0)
    lines = log.read().decode(errors="replace").splitlines()
    shown = 40
    print(f"Server log ({len(lines)} lines, run markers included):")
    for line in lines[:shown]:
        print(f"  {line}")
    if len(lines) > shown:
        print(f"  … {len(lines) - shown} more lines")


def _exit_on_signal(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    """Prepare the database, measure every target, count the queries and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=600, help="requests per target")
    parser.add_argument("--concurrency", type=int, default=8, help="concurrent clients")
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="measure each target and the trivial view beside it in turn N times; "
        "its ratio is the median of the rounds'",
    )
    # 20 left the first target after a server start ~20% slow (thread and connection pools).
    parser.add_argument("--warmup", type=int, default=100, help="warm-up requests per target")
    parser.add_argument(
        "--only",
        default="",
        help="measure only the targets whose name contains this, or one of these separated by "
        "commas (the trivial view always)",
    )
    parser.add_argument(
        "--no-migrate", action="store_true", help="skip migrate and load_demo (already done)"
    )
    args = parser.parse_args(argv)
    if args.requests < 1 or args.concurrency < 1 or args.warmup < 0:
        parser.error("--requests and --concurrency must be positive, --warmup not negative")

    # A terminated benchmark still stops its server: SIGTERM unwinds through the `finally`s.
    signal.signal(signal.SIGTERM, _exit_on_signal)
    os.chdir(ROOT)
    use_bench_database()
    if not args.no_migrate:
        prepare_database()
    session = member_session()
    paths = seed_all()

    wanted = [part.strip().lower() for part in args.only.split(",")]

    def chosen(targets: list[Target]) -> list[Target]:
        return [
            dataclasses.replace(t, path=t.path.format(**paths))
            for t in targets
            if t.path == TRIVIAL_PATH or any(part in t.name.lower() for part in wanted)
        ]

    uncached_targets = chosen(UNCACHED_TARGETS)
    cached_targets = chosen(CACHED_TARGETS)
    signed_in_targets = chosen(SIGNED_IN_TARGETS)
    print(
        f"Load: {args.requests} requests per target after {args.warmup} warm-up requests, "
        f"{args.concurrency} concurrent clients, 1 uvicorn worker on {HOST}, "
        f"at most {TARGET_SECONDS:.0f}s per target; {os.cpu_count()} CPU(s) shared with the client"
    )
    with tempfile.TemporaryFile() as log:
        try:
            print("Server with PAGE_CACHE_SECONDS=0")
            results = run_server_targets(0, uncached_targets, args, log)
            print("Server with PAGE_CACHE_SECONDS=600 (members are never served from it)")
            # The uncached server stays up beside it for the trivial view measured before each
            # target.
            with uvicorn_server(0, log) as baseline_url:
                results += run_server_targets(
                    600, cached_targets + signed_in_targets, args, log, "=".join(session),
                    baseline_url,
                )  # fmt: skip
        finally:
            # Shown even when a server failed to start or a load broke off: it says why.
            print()
            _print_server_log(log)
    print()
    if any(t.path == "/en/" for t in uncached_targets):
        count_queries("/en/")
    count_target_queries(results, session)
    print()
    print_table(results)
    print()
    print_first_views(results)
    return 0


if __name__ == "__main__":
    try:
        raise SystemExit(main())
    except KeyboardInterrupt:
        print("\nInterrupted; the server was stopped.", file=sys.stderr)
        raise SystemExit(130) from None
