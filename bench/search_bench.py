"""Search latency on a generated multilingual corpus, through the real search code path.

It builds a corpus of N documents (default 10,000; `--sizes 10000 100000`) from the two
development sets' documents (shared/eval), each copy with a suffix in its title and its
passage vector perturbed so that the index does not see duplicates; vectors come from the
embedding cache (each source passage is embedded once, ever), so a run re-embeds nothing.
Documents go into a throwaway index (`bench-N`, dropped at the end) with a mix of audiences
(public, members, one author) and deadlines, then it times, per size: indexing (documents/s,
without embedding), and query p50/p95 for the development queries through `backend.search`
(analysis in every language, the taxonomy, the query's embedding, per-language vector search
under the access filter, facets, highlights), as an anonymous reader and as a member, and the
suggestions the search box offers for each question cut short (topics and titles), a saved
search's alert for each question (what was published in the last day), with the CPU time a
search costs in this process and in the PostgreSQL server's processes (on a shared machine
the wall-clock figures mostly measure waiting for a core). Each reader's pass starts with an
empty query-embedding cache, so both pay for embedding every question (the first pass used to
leave the vectors to the second, which made the member look faster than the anonymous
reader). It prints figures and asserts nothing. Run it with the site's settings:

    .venv/bin/python manage.py shell -c "import bench.search_bench as b; b.main()"
    (or: .venv/bin/python bench/search_bench.py --sizes 10000)

`--keep` leaves the `bench-N` index in place afterwards, to EXPLAIN ANALYZE its queries, and
`--reuse` searches a kept `bench-N` index again instead of rebuilding it.

The same documents also go into Wagtail's own database search backend (`bench/search_baseline.py`,
`--no-baseline` to skip it), timed with the same questions for the same readers, and each line
gives both and the ratio (Wagtail's time / ours: above 1 means ours is faster).
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import time
from functools import partial
from pathlib import Path


def setup_django() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "idiaspora.settings.dev")
    # As production runs: with DEBUG, every statement is also timed and kept in memory.
    os.environ.setdefault("DEBUG", "0")
    import django

    django.setup()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def generate(sources: list, size: int, vectors: dict, rng) -> tuple[list, list]:
    """`size` documents copied from `sources` (a suffix in each title), with a mix of audiences
    (public, members, one author) and deadlines; and (key, perturbed unit vector) rows."""
    import numpy as np

    from django.utils import timezone

    from search.documents import MEMBERS, PUBLIC, user_audience
    from search.evaluation import corpus_documents

    documents, rows = [], []
    now = timezone.now()
    for n in range(size):
        source = sources[n % len(sources)]
        copy = corpus_documents([{"id": f"{source.key}-{n}", "language": source.language,
                                  "title": f"{source.title} ({n})", "summary": source.summary,
                                  "body": source.body}])[0]  # fmt: skip
        copy.audiences = [PUBLIC] if n % 5 else [MEMBERS] if n % 10 else [user_audience(1)]
        # Published over the past year, an hour apart: a day brings 24 new ones in 8,760.
        copy.date = copy.published = now - timezone.timedelta(hours=n % 8760)
        if n % 7 == 0:
            copy.deadline = now + timezone.timedelta(days=(n % 60) - 20)
        documents.append(copy)
        if vectors:
            vector = vectors[source.content_hash()] + rng.normal(0, 0.01, 384).astype(np.float32)
            rows.append((copy.key, vector / np.linalg.norm(vector)))
    return documents, rows


def index_ours(backend, index: str, documents: list, rows: list) -> tuple[float, float]:
    """Text seconds and total seconds (vectors are written after, from the cache)."""
    from django.test import override_settings

    started = time.monotonic()
    with override_settings(SEARCH_EMBEDDER=""):
        for start in range(0, len(documents), 1000):
            backend.index(documents[start : start + 1000], index)
    keyword_seconds = time.monotonic() - started
    write_vectors(index, rows)
    backend.settle()  # as `search_rebuild` leaves an index
    return keyword_seconds, time.monotonic() - started


def write_vectors(index: str, rows: list) -> None:
    """The documents' vectors, 1,000 to a statement, then fresh planner statistics.

    Each generated document is its lead alone, so its `passages` (what the search scores a
    candidate by) hold that one vector, as the index stores a document without body passages.
    """
    import numpy as np

    from django.db import connection

    with connection.cursor() as cursor:
        for start in range(0, len(rows), 1000):
            batch = rows[start : start + 1000]
            cursor.execute(
                "UPDATE search_searchdocument d SET embedding = v.embedding::vector, "
                "passages = v.passages "
                "FROM unnest(%s::text[], %s::text[], %s::bytea[]) v(key, embedding, passages) "
                "WHERE d.index_name = %s AND d.key = v.key",
                [[key for key, _vector in batch],
                 ["[" + ",".join(f"{v:.5f}" for v in vector) + "]" for _key, vector in batch],
                 [np.asarray(vector, dtype=np.float32).tobytes() for _key, vector in batch],
                 index],
            )  # fmt: skip
        cursor.execute("ANALYZE search_searchdocument")


def summary(timings: list[float]) -> tuple[float, float]:
    return statistics.median(timings), percentile(timings, 0.95)


class CpuMeter:
    """CPU seconds spent by this process (every thread: the query's embedding too) and by the
    PostgreSQL server's processes (the backends of every connection a search uses: the
    request's own and those of the statements run beside it, and whatever else the server
    does meanwhile, which on a quiet machine is little), between `start` and `stop`. On a
    machine that others share, a search's wall-clock time is mostly waiting for a core; its CPU
    time says what it costs. The server's figure needs its processes in /proc (the embedded
    server runs on this machine); otherwise it is None."""

    def start(self) -> None:
        self.postmaster = self._postmaster_pid()
        self.process, self.server = time.process_time(), self._server_seconds()

    def stop(self, count: int) -> tuple[float, float | None]:
        """Milliseconds per search: this process, PostgreSQL (None when unknown)."""
        process = (time.process_time() - self.process) * 1000 / count
        server = self._server_seconds()
        if server is None or self.server is None:
            return process, None
        return process, (server - self.server) * 1000 / count

    @staticmethod
    def _postmaster_pid() -> int | None:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend = cursor.fetchone()[0]
        try:
            return int(Path(f"/proc/{backend}/stat").read_text().rsplit(")", 1)[1].split()[1])
        except OSError:
            return None

    def _server_seconds(self) -> float | None:
        """The CPU seconds of the server's processes alive now (the postmaster's children;
        the pool keeps a search's connections open between searches)."""
        if self.postmaster is None:
            return None
        total = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.postmaster:
                total += int(fields[11]) + int(fields[12])
        return total / os.sysconf("SC_CLK_TCK")


def cpu_text(cpu: tuple[float, float | None]) -> str:
    process, backend = cpu
    database = f" + {backend:.0f} ms PostgreSQL" if backend is not None else ""
    return f"CPU {process:.0f} ms Python{database} a search"


def run(
    sizes: list[int],
    queries_per_reader: int,
    keep: bool = False,
    reuse: bool = False,
    baseline: bool = True,
) -> None:
    # NumPy only now, after the settings: they limit OpenBLAS to the one thread a request uses.
    import numpy as np

    from django.conf import settings
    from django.db import connection
    from django.utils import timezone

    from bench.search_baseline import WagtailBaseline
    from search.backends import get_backend
    from search.documents import MEMBERS, PUBLIC, SearchQuery, user_audience
    from search.embeddings import cached_passage_vectors, forget_query_vectors, get_embedder
    from search.evaluation import corpus_documents, read_jsonl

    eval_dir = Path(settings.BASE_DIR).parent / "shared" / "eval"
    sources, queries = [], []
    for name in ("crosslang-dev", "xquad-dev"):
        sources += corpus_documents(read_jsonl(eval_dir / name / "corpus.jsonl"))
        queries += read_jsonl(eval_dir / name / "queries.jsonl")
    # Fewer questions than there are are taken evenly from both sets (the default, 100, is
    # the first 100: the figures stay comparable with earlier runs).
    queries = queries[:: max(1, len(queries) // queries_per_reader)][:queries_per_reader]
    backend = get_backend()
    embedder = get_embedder()
    vectors = {}
    if embedder is not None and backend.has_vectors:
        texts = {doc.content_hash(): doc.embedding_text() for doc in sources}
        vectors = cached_passage_vectors(embedder, texts)
    print(
        f"{len(sources)} source passages, {len(queries)} queries; vectors: {bool(vectors)}; "
        f"the question embedded on {settings.SEARCH_EMBEDDER_THREADS} thread(s), OpenMP spin "
        f"count {os.environ.get('GOMP_SPINCOUNT', 'default')}; {os.cpu_count()} cores"
    )
    readers = (("anonymous", [PUBLIC]), ("member", [PUBLIC, MEMBERS, user_audience(1)]))
    for size in sizes:
        index = f"bench-{size}"
        documents, rows = generate(sources, size, vectors, np.random.default_rng(7))
        if reuse and len(backend.keys(index)) == size:
            print(f"\n{size} documents: reusing the kept index {index}")
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(embedding) FROM search_searchdocument WHERE index_name = %s",
                    [index],
                )
                if rows and cursor.fetchone()[0] < size:
                    write_vectors(index, rows)
        else:
            backend.drop(index)
            keyword_seconds, total_seconds = index_ours(backend, index, documents, rows)
            print(
                f"\n{size} documents: indexed in {total_seconds:.1f} s "
                f"({size / keyword_seconds:.0f} documents/s for the text, vectors written after)"
            )
        # The generated corpus (N documents in this process's memory) is no part of a server's
        # heap: frozen, the collector's full passes no longer walk it during the timed searches.
        gc.collect()
        gc.freeze()
        # One untimed query: the embedder's model and the connection are warm.
        backend.search(SearchQuery(queries[0]["text"], language=queries[0]["language"]), index)
        ours = {}
        for reader, audiences in readers:
            # Each reader asks new questions: the second must not be served the query
            # embeddings the first one's questions left in the cache.
            forget_query_vectors()
            timings = []
            meter = CpuMeter()
            meter.start()
            for row in queries:
                query = SearchQuery(row["text"], viewer_audiences=audiences,
                                    language=row["language"])  # fmt: skip
                start = time.perf_counter()
                backend.search(query, index)
                timings.append((time.perf_counter() - start) * 1000)
            ours[reader] = summary(timings)
            print(
                f"  ours, {reader}: p50 {ours[reader][0]:.0f} ms, p95 {ours[reader][1]:.0f} ms "
                f"({cpu_text(meter.stop(len(queries)))})"
            )
        # Suggestions as a reader types: each question cut short mid-word (its first half),
        # the topics and the engine's titles, as the search box asks at a pause in typing.
        from search.suggestions import topic_offers

        timings = []
        meter = CpuMeter()
        meter.start()
        for row in queries:
            typed = row["text"][: max(4, len(row["text"]) // 2)]
            start = time.perf_counter()
            topic_offers(typed, row["language"])
            backend.suggest(SearchQuery(typed, language=row["language"]), index)
            timings.append((time.perf_counter() - start) * 1000)
        p50, p95 = summary(timings)
        print(
            f"  suggestions as you type, anonymous: p50 {p50:.0f} ms, p95 {p95:.0f} ms "
            f"({cpu_text(meter.stop(len(queries)))})"
        )
        # A saved search's alert (`search.alerts`): what the hourly job runs for each due
        # search, asking for the results first readable in the last day (and, when some were
        # found by words alone, the search's first results again to keep those among them).
        from search.alerts import alert_hits

        timings = []
        meter = CpuMeter()
        meter.start()
        since = timezone.now() - timezone.timedelta(days=1)
        told = 0
        for row in queries:
            query = SearchQuery(row["text"], viewer_audiences=readers[1][1],
                                language=row["language"])  # fmt: skip
            start = time.perf_counter()
            told += len(alert_hits(query, since, set(), partial(backend.search, index_name=index)))
            timings.append((time.perf_counter() - start) * 1000)
        p50, p95 = summary(timings)
        print(
            f"  a saved search's alert, member: p50 {p50:.0f} ms, p95 {p95:.0f} ms "
            f"({cpu_text(meter.stop(len(queries)))}; {told / len(queries):.1f} results told)"
        )
        wagtail = None
        if baseline:
            wagtail = WagtailBaseline()
            started = time.monotonic()
            wagtail.index(documents)
            seconds = time.monotonic() - started
            print(f"  Wagtail's database backend: indexed in {seconds:.1f} s "
                  f"({size / seconds:.0f} documents/s)")  # fmt: skip
            wagtail.search(queries[0]["text"], [PUBLIC])
            print(f"  {'':9} {'ours p50/p95':>16} {'Wagtail p50/p95':>18} {'ratio p50/p95':>15}")
            for reader, audiences in readers:
                p50, p95 = ours[reader]
                meter = CpuMeter()
                meter.start()
                w50, w95 = summary(wagtail.timings([row["text"] for row in queries], audiences))
                cpu = cpu_text(meter.stop(len(queries)))
                print(f"  {reader:9} {p50:8.0f} /{p95:5.0f} ms   {w50:8.0f} /{w95:5.0f} ms   "
                      f"{w50 / p50:6.2f} /{w95 / p95:5.2f}   (Wagtail: {cpu})")  # fmt: skip
        if wagtail:
            wagtail.drop()
        if not keep:
            backend.drop(index)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument(
        "--keep", action="store_true", help="keep the bench-N indexes (to EXPLAIN queries on them)"
    )
    parser.add_argument(
        "--reuse", action="store_true", help="search a kept bench-N index instead of rebuilding it"
    )
    parser.add_argument(
        "--no-baseline", action="store_true", help="skip Wagtail's database backend"
    )
    args = parser.parse_args(argv)
    run(args.sizes, args.queries, args.keep, args.reuse, not args.no_baseline)


if __name__ == "__main__":
    setup_django()
    main()
