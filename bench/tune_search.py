"""Compare fusion settings on the development sets in one process (the corpus is indexed once
per set; embeddings come from the cache).

Run: .venv/bin/python manage.py shell < bench/tune_search.py
"""

import itertools
from pathlib import Path

from django.conf import settings
from django.test import override_settings

from search.backends import get_backend
from search.documents import SearchQuery
from search.evaluation import METRICS, corpus_documents, query_metrics, read_jsonl

EVAL = Path(settings.BASE_DIR).parent / "shared" / "eval"
backend = get_backend()
sets = {}
for name in ("crosslang-dev", "xquad-dev"):
    corpus = read_jsonl(EVAL / name / "corpus.jsonl")
    queries = read_jsonl(EVAL / name / "queries.jsonl")
    index = f"tune-{name}"
    backend.drop(index)
    backend.index(corpus_documents(corpus), index)
    sets[name] = (index, {row["id"]: row["language"] for row in corpus}, queries)

# PostgreSQL's score fusion (`fuse_scored`); keep what wins on both sets, not on one.
grid = {
    "keyword": [0.3, 1.0],
    "taxonomy": [0.25],
    "semantic": [1.0],
    "translations": [0.25, 0.5, 0.75],
}
for values in itertools.product(*grid.values()):
    fusion = {**settings.SEARCH_FUSION, **dict(zip(grid, values, strict=True))}
    line = []
    with override_settings(SEARCH_FUSION=fusion):
        for index, language_of, queries in sets.values():
            totals = dict.fromkeys(METRICS, 0.0)
            for row in queries:
                hits = backend.search(SearchQuery(row["text"], language=row["language"]), index)
                ids = [hit.object_id for hit in hits.hits]
                relevant = set(row["relevant"])
                other = {d for d in relevant if language_of[d] != row["language"]}
                for key, value in query_metrics(ids, relevant, other).items():
                    totals[key] += value / len(queries)
            line.append(" ".join(f"{totals[m]:.3f}" for m in METRICS))
    print(dict(zip(grid, values, strict=True)), " | ".join(line), flush=True)
for index, _l, _q in sets.values():
    backend.drop(index)
