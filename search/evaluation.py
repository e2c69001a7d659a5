"""Evaluation of the ranking on a corpus in the `shared/eval` format, through the backend
interface and the same `search()` code path as `/search/`.

The corpus goes into a throwaway index (dropped afterwards; the site's index is untouched). The
`topics` field of a corpus document is its relevance label and is never read; the taxonomy used
is the site's own (`core` topics).
"""

from __future__ import annotations

import json
import math
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .backends import get_backend
from .documents import PUBLIC, Document, SearchQuery

METRICS = ("recall@10", "xlang_recall@10", "mrr@10", "ndcg@10")


def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def corpus_documents(rows: list[dict]) -> list[Document]:
    return [
        Document(
            key=row["id"],
            doc_type=row.get("resource_type") or "resource",
            object_id=row["id"],
            language=row["language"],
            title=row.get("title", ""),
            summary=row.get("summary", ""),
            body=row.get("body", ""),
            url=f"/eval/{row['id']}",
            audiences=[PUBLIC],
            countries=row.get("countries", []),
        )
        for row in rows
    ]


def query_metrics(results: list[str], relevant: set[str], other_language: set[str]) -> dict:
    top = results[:10]
    found = [doc for doc in top if doc in relevant]
    mrr = next((1 / (rank + 1) for rank, doc in enumerate(top) if doc in relevant), 0.0)
    dcg = sum(1 / math.log2(rank + 2) for rank, doc in enumerate(top) if doc in relevant)
    ideal = sum(1 / math.log2(rank + 2) for rank in range(min(len(relevant), 10)))
    xlang = [doc for doc in top if doc in other_language]
    return {
        "recall@10": len(found) / len(relevant) if relevant else 0.0,
        "xlang_recall@10": len(xlang) / len(other_language) if other_language else 0.0,
        "mrr@10": mrr,
        "ndcg@10": dcg / ideal if ideal else 0.0,
    }


@dataclass
class Evaluation:
    overall: dict[str, float]
    by_language: dict[str, dict[str, float]]
    runs: list[dict]


def evaluate(
    corpus: list[dict],
    queries: list[dict],
    backend_name: str | None = None,
    signals: tuple[str, ...] = ("keyword", "taxonomy", "semantic"),
    progress: Callable[[str], None] | None = None,
) -> Evaluation:
    backend = get_backend(backend_name)
    index_name = f"eval-{uuid.uuid4().hex[:12]}"
    language_of = {row["id"]: row["language"] for row in corpus}
    try:
        if progress:
            progress(f"Indexing {len(corpus)} documents into {index_name}…")
        documents = corpus_documents(corpus)
        for start in range(0, len(documents), 50):
            backend.index(documents[start : start + 50], index_name)
        runs, per_language = [], defaultdict(list)
        for row in queries:
            results = backend.search(
                SearchQuery(row["text"], language=row["language"], signals=signals), index_name
            )
            ids = [hit.object_id for hit in results.hits]
            relevant = set(row["relevant"])
            other = {doc for doc in relevant if language_of.get(doc) != row["language"]}
            scores = query_metrics(ids, relevant, other)
            per_language[row["language"]].append(scores)
            runs.append({"query_id": row["id"], "results": ids, "metrics": scores})
    finally:
        backend.drop(index_name)

    def mean(items: list[dict]) -> dict[str, float]:
        return {name: sum(item[name] for item in items) / len(items) for name in METRICS}

    return Evaluation(
        overall=mean([run["metrics"] for run in runs]),
        by_language={language: mean(items) for language, items in sorted(per_language.items())},
        runs=runs,
    )
