"""Search latency on a generated multilingual corpus, through the real search code path.

It builds a corpus of N documents (default 10,000; `--sizes 10000 100000`) from the two
development sets' documents (shared/eval), each copy with a suffix in its title and its
passage vector perturbed so that the index does not see duplicates; vectors come from the
embedding cache (each source passage is embedded once, ever), so a run re-embeds nothing.
Documents go into a throwaway index (`bench-N`, dropped at the end) with a mix of audiences
(public, members, one author) and deadlines, then it times, per size: indexing (documents/s,
without embedding), and query p50/p95 for the development queries through `backend.search`
(analysis in every language, the taxonomy, the query's embedding, per-language vector search
under the access filter, facets, highlights), as an anonymous reader and as a member.
It prints figures and asserts nothing. Run it with the site's settings:

    .venv/bin/python manage.py shell -c "import bench.search_bench as b; b.main()"
    (or: .venv/bin/python bench/search_bench.py --sizes 10000)

`--keep` leaves the `bench-N` index in place afterwards, to EXPLAIN ANALYZE its queries.

Not yet here: the same figures for Wagtail's own database search backend (the baseline).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np


def setup_django() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "idiaspora.settings.dev")
    import django

    django.setup()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def run(sizes: list[int], queries_per_reader: int, keep: bool = False) -> None:
    from django.conf import settings
    from django.db import connection
    from django.test import override_settings
    from django.utils import timezone

    from search.backends import get_backend
    from search.documents import MEMBERS, PUBLIC, SearchQuery, user_audience
    from search.embeddings import cached_passage_vectors, get_embedder
    from search.evaluation import corpus_documents, read_jsonl

    eval_dir = Path(settings.BASE_DIR).parent / "shared" / "eval"
    sources, queries = [], []
    for name in ("crosslang-dev", "xquad-dev"):
        sources += corpus_documents(read_jsonl(eval_dir / name / "corpus.jsonl"))
        queries += read_jsonl(eval_dir / name / "queries.jsonl")
    backend = get_backend()
    embedder = get_embedder()
    vectors = {}
    if embedder is not None and backend.has_vectors:
        texts = {doc.content_hash(): doc.embedding_text() for doc in sources}
        vectors = cached_passage_vectors(embedder, texts)
    rng = np.random.default_rng(7)
    print(f"{len(sources)} source passages, {len(queries)} queries; vectors: {bool(vectors)}")
    for size in sizes:
        index = f"bench-{size}"
        backend.drop(index)
        started = time.monotonic()
        batch, rows = [], []
        for n in range(size):
            source = sources[n % len(sources)]
            copy = corpus_documents([{"id": f"{source.key}-{n}", "language": source.language,
                                      "title": f"{source.title} ({n})", "summary": source.summary,
                                      "body": source.body}])[0]  # fmt: skip
            copy.audiences = [PUBLIC] if n % 5 else [MEMBERS] if n % 10 else [user_audience(1)]
            if n % 7 == 0:
                copy.deadline = timezone.now() + timezone.timedelta(days=(n % 60) - 20)
            batch.append(copy)
            if vectors:
                vector = vectors[source.content_hash()] + rng.normal(0, 0.01, 384).astype(
                    np.float32
                )
                rows.append((copy.key, vector / np.linalg.norm(vector)))
            if len(batch) == 1000:
                with override_settings(SEARCH_EMBEDDER=""):
                    backend.index(batch, index)
                batch = []
        with override_settings(SEARCH_EMBEDDER=""):
            backend.index(batch, index)
        keyword_seconds = time.monotonic() - started
        if rows:
            with connection.cursor() as cursor:
                cursor.executemany(
                    "UPDATE search_searchdocument SET embedding = %s::vector "
                    "WHERE index_name = %s AND key = %s",
                    [["[" + ",".join(f"{v:.5f}" for v in vec) + "]", index, key]
                     for key, vec in rows],
                )  # fmt: skip
        total_seconds = time.monotonic() - started
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE search_searchdocument")
        print(
            f"\n{size} documents: indexed in {total_seconds:.1f} s "
            f"({size / keyword_seconds:.0f} documents/s for the text, vectors written after)"
        )
        for reader, audiences in (
            ("anonymous", [PUBLIC]),
            ("member", [PUBLIC, MEMBERS, user_audience(1)]),
        ):
            timings = []
            for row in queries[:queries_per_reader]:
                query = SearchQuery(row["text"], viewer_audiences=audiences,
                                    language=row["language"])  # fmt: skip
                start = time.perf_counter()
                backend.search(query, index)
                timings.append((time.perf_counter() - start) * 1000)
            print(
                f"  {reader:9} {len(timings)} queries: p50 {statistics.median(timings):.0f} ms, "
                f"p95 {percentile(timings, 0.95):.0f} ms"
            )
        if not keep:
            backend.drop(index)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument(
        "--keep", action="store_true", help="keep the bench-N indexes (to EXPLAIN queries on them)"
    )
    args = parser.parse_args(argv)
    run(args.sizes, args.queries, args.keep)


if __name__ == "__main__":
    setup_django()
    main()
