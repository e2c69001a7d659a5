"""Peak memory of the library's and the opportunities' downloads on 100,000 rows.

The downloads (`knowledge.exports`, `community.opportunities.exports`) promise constant memory:
rows come from a server-side cursor and leave as they are written. This benchmark checks it in a
scratch database of its own (migrated, with the demo, dropped at the end, like
`bench/import_resources.py`): it imports `--rows` generated resources through `import_resources`
(a quarter of them translations) and inserts as many open opportunities, then downloads each file
whole, once filtered to a tenth of the rows and once unfiltered, through the WSGI path (Django's
test client) and the ASGI path (its async client, where Django would otherwise read a plain
iterator whole into memory), consuming the body chunk by chunk as a client would.

For each download it prints the rows, the megabytes sent, the seconds taken and the peak of
Python's heap during it (tracemalloc, which also slows the run down): flat memory shows as the
same peak for a tenth of the rows and for all of them. It asserts nothing:
`.venv/bin/python bench/exports.py [--rows N] [--keep]`.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import tracemalloc
from datetime import timedelta
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.import_resources import rows, write_file  # noqa: E402
from bench.scratch import demo_database  # noqa: E402

OPPORTUNITY_TYPES = ("job", "volunteering", "funding", "mentoring", "investment", "fellowship")
COUNTRIES = ("SN", "ML", "MA", "TN", "MX", "CO", "PH", "IN", "NG", "GH")


def add_opportunities(count: int) -> None:
    """`count` open, public opportunities; a tenth of them in Senegal."""
    from django.utils import timezone

    from community.opportunities.models import Opportunity, Review, Status
    from core.models import Topic

    now = timezone.now()
    topic = Topic.objects.filter(slug="remittances").first()
    batch = []
    for number in range(count):
        batch.append(
            Opportunity(
                type=OPPORTUNITY_TYPES[number % len(OPPORTUNITY_TYPES)],
                title=f"Generated opportunity {number}",
                description="<p>" + "A generated description of the opening. " * 8 + "</p>",
                countries=[COUNTRIES[number % len(COUNTRIES)]],
                deadline=now + timedelta(days=30 + number % 300),
                apply_url=f"https://example.org/apply/{number}",
                status=Status.PUBLISHED,
                review=Review.NOT_NEEDED,
                public_since=now,
            )
        )
        if len(batch) == 5000:
            created = Opportunity.objects.bulk_create(batch)
            if topic:
                through = Opportunity.topics.through
                through.objects.bulk_create(
                    [through(opportunity_id=item.pk, topic_id=topic.pk) for item in created]
                )
            batch = []
    if batch:
        Opportunity.objects.bulk_create(batch)


def row_ends(chunk: bytes, csv: bool) -> int:
    # CSV rows end in CRLF (a cell's own line breaks are LF); JSON Lines rows in LF.
    return chunk.count(b"\r\n") if csv else chunk.count(b"\n")


def measure_wsgi(address: str) -> tuple[int, int, float, int]:
    """(rows, bytes, seconds, peak heap bytes) of one download through the WSGI path."""
    from django.test import Client

    tracemalloc.start()
    tracemalloc.reset_peak()
    started = time.perf_counter()
    response = Client().get(address)
    sent = lines = 0
    for chunk in response.streaming_content:
        sent += len(chunk)
        lines += row_ends(chunk, ".csv" in address)
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    response.close()
    return lines, sent, seconds, peak


def measure_asgi(address: str) -> tuple[int, int, float, int]:
    """The same through the ASGI path (an asynchronous iterator pulling chunks in a thread)."""
    from asgiref.sync import async_to_sync

    from django.test import AsyncClient

    async def download() -> tuple[int, int]:
        response = await AsyncClient().get(address)
        sent = lines = 0
        async for chunk in response.streaming_content:
            sent += len(chunk)
            lines += row_ends(chunk, ".csv" in address)
        return lines, sent

    tracemalloc.start()
    tracemalloc.reset_peak()
    started = time.perf_counter()
    lines, sent = async_to_sync(download)()
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return lines, sent, seconds, peak


def report(label: str, path: str, measured: tuple[int, int, float, int], csv: bool) -> None:
    lines, sent, seconds, peak = measured
    count = lines - 1 if csv else lines  # the header line
    print(f"{label:<36} {path:<12} {count:>8,} rows {sent / 1e6:8.1f} MB {seconds:7.1f}s "
          f"peak heap {peak / 1e6:7.1f} MB")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args()

    with demo_database("bench_exports", keep=args.keep) as name:
        from django.conf import settings
        from django.core.management import call_command

        from community.opportunities.models import Opportunity
        from knowledge.models import ResourcePage

        settings.ALLOWED_HOSTS.append("testserver")  # the test clients' host
        started = time.perf_counter()
        Opportunity.objects.all().delete()
        with tempfile.TemporaryDirectory() as folder:
            path = write_file(Path(folder), "rows.jsonl", rows(args.rows))
            call_command("import_resources", str(path), verbosity=0, stdout=StringIO())
        add_opportunities(args.rows)
        print(f"scratch database {name}: {ResourcePage.objects.count():,} resources, "
              f"{Opportunity.objects.count():,} opportunities, ready in "
              f"{time.perf_counter() - started:.0f}s")  # fmt: skip
        # The generated resources are spread over ten years: one year is a tenth of them.
        downloads = [
            ("library, a tenth (year=2019)", "/en/library/export.{kind}?year=2019"),
            ("library, all", "/en/library/export.{kind}"),
            ("opportunities, a tenth (country=SN)", "/en/opportunities/export.{kind}?country=SN"),
            ("opportunities, all", "/en/opportunities/export.{kind}"),
        ]
        for label, address in downloads:
            for kind in ("csv", "jsonl"):
                measured = measure_wsgi(address.format(kind=kind))
                report(label, f"{kind} wsgi", measured, kind == "csv")
            measured = measure_asgi(address.format(kind="csv"))
            report(label, "csv asgi", measured, True)


if __name__ == "__main__":
    main()
