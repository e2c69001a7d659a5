"""`manage.py search_eval CORPUS.jsonl QUERIES.jsonl [--output RESULTS.jsonl] [--backend NAME]`
(or a data-set folder holding both files): recall@10, cross-language recall@10, MRR@10 and
nDCG@10 overall and per query language, ranked exactly as `/search/` ranks."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from search.evaluation import METRICS, evaluate, read_jsonl

SIGNAL_SETS = {
    "keyword": ("keyword",),
    "taxonomy": ("keyword", "taxonomy"),
    "semantic": ("semantic",),
    "full": ("keyword", "taxonomy", "semantic"),
}


def dataset_files(paths: list[str]) -> tuple[Path, Path]:
    if len(paths) == 2:
        return Path(paths[0]), Path(paths[1])
    folder = Path(paths[0])
    if not folder.exists():
        shared = Path(settings.BASE_DIR).parent / "shared" / "eval" / paths[0]
        folder = shared if shared.exists() else folder
    return folder / "corpus.jsonl", folder / "queries.jsonl"


class Command(BaseCommand):
    help = "Evaluate search ranking on a corpus and queries in the shared/eval format."

    def add_arguments(self, parser) -> None:
        parser.add_argument("paths", nargs="+", help="CORPUS.jsonl QUERIES.jsonl, or a folder")
        parser.add_argument("--output", help="write each query's results (JSON lines) here")
        parser.add_argument("--backend", help="a name from SEARCH_BACKENDS")
        parser.add_argument(
            "--signals",
            choices=sorted(SIGNAL_SETS),
            default="full",
            help="which signals to fuse (to compare keyword, +taxonomy, embeddings, all)",
        )

    def handle(self, *args, **options) -> None:
        if len(options["paths"]) > 2:
            raise CommandError("Give CORPUS.jsonl QUERIES.jsonl, or one data-set folder.")
        corpus_path, queries_path = dataset_files(options["paths"])
        for path in (corpus_path, queries_path):
            if not path.exists():
                raise CommandError(f"{path} does not exist.")
        result = evaluate(
            read_jsonl(corpus_path),
            read_jsonl(queries_path),
            options["backend"],
            SIGNAL_SETS[options["signals"]],
            progress=lambda line: self.stderr.write(line),
        )
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8") as handle:
                for run in result.runs:
                    handle.write(
                        json.dumps({"query_id": run["query_id"], "results": run["results"]}) + "\n"
                    )
        header = f"{'':8}" + "".join(f"{name:>17}" for name in METRICS)
        self.stdout.write(header)
        rows = [("all", result.overall), *result.by_language.items()]
        for label, scores in rows:
            self.stdout.write(f"{label:8}" + "".join(f"{scores[name]:17.3f}" for name in METRICS))
