"""How fast `manage.py import_resources` brings a large catalogue in: 10,000 rows by default.

It works in a scratch database of its own on the same PostgreSQL server (migrated, with the demo
content, dropped at the end), so the demo site's library is never filled with generated rows. It
writes a JSON Lines file of `--rows` resources across the four languages (a quarter of them
translations of another row, with topics, countries, dates and a few paragraphs of body), then
times three runs of the command: the first import (every page created), the same file again
(nothing changes, nothing written) and a file where every title changed (every page updated).
It prints rows/s for each and asserts nothing:
`.venv/bin/python bench/import_resources.py [--rows N] [--keep]`.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

LANGUAGES = ("en", "fr", "es", "ar")
TYPES = ("toolkit", "case_study", "policy", "report", "training_material", "dataset", "video",
         "news")  # fmt: skip
COUNTRIES = ("SN", "ML", "MA", "TN", "MX", "CO", "PH", "IN", "NG", "GH", "ET", "KE", "LB", "JO")
TOPICS = ("remittances", "youth", "diaspora-bonds", "skills-transfer", "diaspora-mapping")
PARAGRAPH = (
    "Diaspora organisations hold knowledge that ministries rarely reach: who lives where, which "
    "skills they would share, and which channels they trust. This paragraph stands for the "
    "body a real catalogue would carry."
)


def rows(count: int, edition: int = 1) -> list[dict]:
    """`count` resources; every fourth translates the row before it into another language."""
    generated = []
    for number in range(count):
        translates = number % 4 == 3
        language = LANGUAGES[(number // 4 + (1 if translates else 0)) % 4]
        row = {
            "title": f"Generated resource {number}, edition {edition}",
            "language": language,
            "resource_type": TYPES[number % len(TYPES)],
            "source_url": f"https://example.org/bench/{number}",
            "external_id": f"BENCH-{number}",
            "summary": f"A generated summary for resource {number}.",
            "publisher": f"Publisher {number % 50}",
            "body": "\n\n".join([PARAGRAPH] * 3),
            "countries": [COUNTRIES[number % len(COUNTRIES)], COUNTRIES[(number * 7) % 14]],
            "topics": [TOPICS[number % len(TOPICS)]],
            "published": f"{2015 + number % 10}-{1 + number % 12:02d}-{1 + number % 28:02d}",
        }
        if translates:
            row["translation_of"] = f"BENCH-{number - 1}"
        generated.append(row)
    return generated


def write_file(folder: Path, name: str, data: list[dict]) -> Path:
    path = folder / name
    with path.open("w", encoding="utf-8") as file:
        for row in data:
            file.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


def timed_import(path: Path) -> tuple[float, str]:
    from django.core.management import call_command

    out = StringIO()
    started = time.perf_counter()
    call_command("import_resources", str(path), stdout=out, stderr=StringIO())
    return time.perf_counter() - started, out.getvalue().strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args()

    from bench.scratch import demo_database

    with demo_database("bench_import", keep=args.keep):
        with tempfile.TemporaryDirectory() as folder:
            first = write_file(Path(folder), "first.jsonl", rows(args.rows))
            changed = write_file(Path(folder), "changed.jsonl", rows(args.rows, edition=2))
            for label, path in (
                ("first import (creates)", first),
                ("same file again (unchanged)", first),
                ("every title changed (updates)", changed),
            ):
                seconds, summary = timed_import(path)
                print(f"{label:<32} {args.rows:>7,} rows in {seconds:7.1f}s "
                      f"= {args.rows / seconds:8.0f} rows/s   {summary}")  # fmt: skip


if __name__ == "__main__":
    main()
