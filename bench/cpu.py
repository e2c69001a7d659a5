"""What one request to each signed-in page or API target costs this process: CPU, SQL queries
and their time.

`bench/pages.py` measures requests/s against a live server, which on a shared, busy machine
moves with everyone else's load. This counts, in one process with Django's test client, what a
request costs the server itself, which the machine's noise barely moves: CPU time
(`time.process_time`, median over N requests), the number of SQL queries and the time the
database took for them, for the trivial view and each signed-in, cached anonymous and
open-data API target of `bench/pages.py` (same bench database, member and seeded content; an
API target anonymous, a conditional one sent with the ETag of a first answer). `--profile`
adds the functions that cost most; `--sql` the queries (their first SQL_CHARS characters,
300 by default).

Run `.venv/bin/python bench/cpu.py [--requests N] [--only SUBSTRING] [--profile]`.
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import pages  # noqa: E402 - needs ROOT on sys.path


def measure(
    path: str,
    cookie: tuple[str, str] | None,
    requests: int,
    profile: bool,
    conditional: bool = False,
) -> dict:
    """Median CPU ms, wall ms, queries and DB ms of `requests` requests to `path`; a
    `conditional` one is sent with the ETag of a first answer and must be answered 304."""
    from http.cookies import SimpleCookie

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST=pages.HOST)
    headers = {}
    expected = 200
    if conditional:
        headers = {"If-None-Match": client.get(path)["ETag"]}
        expected = 304
    cpu, wall, counts, db = [], [], [], []
    profiler = cProfile.Profile(time.process_time) if profile else None
    for n in range(requests + 3):  # three warm-up requests
        client.cookies = SimpleCookie(dict([cookie]) if cookie else {})
        with CaptureQueriesContext(connection) as captured:
            started, cpu_started = time.perf_counter(), time.process_time()
            if profiler and n >= 3:
                profiler.enable()
            response = client.get(path, headers=headers)
            if profiler and n >= 3:
                profiler.disable()
            cpu_used, wall_used = time.process_time() - cpu_started, time.perf_counter() - started
        if response.status_code != expected:
            raise SystemExit(f"{path} answered {response.status_code}")
        if n >= 3:
            cpu.append(cpu_used * 1000)
            wall.append(wall_used * 1000)
            counts.append(len(captured))
            # Read now: the next request's request_started signal empties the query log.
            sql = [q["sql"] for q in captured.captured_queries]
            db.append(sum(float(q["time"]) for q in captured.captured_queries) * 1000)
    # Python function calls per request: unlike time, the machine's load does not move them.
    counter = cProfile.Profile()
    client.cookies = SimpleCookie(dict([cookie]) if cookie else {})
    counter.enable()
    client.get(path, headers=headers)
    counter.disable()
    result = {
        "calls": pstats.Stats(counter).total_calls,
        "cpu": statistics.median(cpu),
        "wall": statistics.median(wall),
        "queries": max(counts),
        "db": statistics.median(db),
        "sql": sql,
    }
    if profiler:
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("cumulative").print_stats(70)
        stats.sort_stats("tottime").print_stats(30)
        result["profile"] = out.getvalue()
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=40, help="measured requests per target")
    parser.add_argument("--only", default="", help="only targets whose name contains this")
    parser.add_argument("--profile", action="store_true", help="print each target's profile")
    parser.add_argument("--sql", action="store_true", help="print each target's queries")
    parser.add_argument(
        "--no-migrate", action="store_true", help="skip migrate and load_demo (already done)"
    )
    args = parser.parse_args(argv)

    pages.use_bench_database()
    if not args.no_migrate:
        pages.prepare_database()
    session = pages.member_session()
    paths = pages.seed_all()
    from django.test.utils import override_settings

    # Signed-in pages, the open-data API's targets (anonymous, as pages.py loads them) and the
    # cached anonymous pages (each served from the page cache after the warm-up requests).
    targets = [pages.Target("trivial view", pages.TRIVIAL_PATH)] + [
        dataclasses.replace(t, path=t.path.format(**paths))
        for t in pages.SIGNED_IN_TARGETS + pages.CACHED_TARGETS
        if args.only.lower() in t.name.lower()
    ]
    print(f"{'target':<40}{'CPU ms':>8}{'wall ms':>9}{'queries':>8}{'DB ms':>7}{'calls':>8}")
    # The trivial view as the bench measures it (page cache off), the other targets as the bench
    # serves them (page cache on: members and the API are never served from it).
    for target in targets:
        cookie = session if target.signed_in else None
        cached = target.path != pages.TRIVIAL_PATH
        with override_settings(PAGE_CACHE_SECONDS=600 if cached else 0):
            r = measure(target.path, cookie, args.requests, args.profile, target.conditional)
        print(
            f"{target.name:<40}{r['cpu']:>8.1f}{r['wall']:>9.1f}{r['queries']:>8}"
            f"{r['db']:>7.1f}{r['calls']:>8}"
        )
        if args.sql:
            for n, sql in enumerate(r["sql"], 1):
                print(f"    {n}. {sql[: int(os.environ.get('SQL_CHARS', 300))]}")
        if args.profile:
            print(r["profile"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
