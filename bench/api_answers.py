"""The open-data API's answers, written to a folder, to check an optimisation byte for byte.

Speeding up an endpoint (issue 12) must not change what any caller reads. This asks the bench
database (`bench/pages.py` seeds it: a thousand resources, more than a page of opportunities,
events, members, organisations) for the read endpoints, lists and details, in several languages
(`?lang=` and Accept-Language), filters, orderings and pages (following `next`), as an anonymous
caller, a signed-in member (session) and a member's API token, and writes each answer's status,
the headers a client reads (ETag and Last-Modified excepted: they are validators, not content)
and its body as received. It also checks that each answer's ETag, sent back, gets a 304.

Run it before and after a change and compare:
`.venv/bin/python bench/api_answers.py /tmp/before` ... `diff -r /tmp/before /tmp/after`.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import pages  # noqa: E402 - needs ROOT on sys.path

LANGUAGES = ["", "en", "fr", "es", "ar"]
SHOWN_HEADERS = ["Content-Type", "Content-Language", "Vary", "Cache-Control"]
# Paths of lists, each with queries worth comparing; every one is also asked in each language.
LISTS = {
    "/api/v1/resources/": [
        "page_size=50",
        "page_size=7",
        "",
        "ordering=title&page_size=20",
        "ordering=updated&page_size=20",
        "type=report",
        "topic=remittances",
        "country=SN",
        "language=fr",
        "year=2020",
        "published_after=2015-01-01&published_before=2022-12-31",
    ],
    "/api/v1/opportunities/": [
        "page_size=50",
        "page_size=5",
        "",
        "status=closed",
        "status=closed&ordering=deadline",
        "ordering=newest",
        "type=job",
        "country=SN",
        "closing=true",
        "within=30",
        "verified=true",
    ],
    "/api/v1/events/": ["page_size=50", "page_size=5", ""],
    "/api/v1/organisations/": ["", "verified=true", "page_size=5"],
    "/api/v1/members/": ["", "page_size=5"],
    "/api/v1/threads/": ["", "page_size=5"],
    "/api/v1/forums/": [""],
    "/api/v1/courses/": [""],
    "/api/v1/handbook/chapters/": [""],
    "/api/v1/topics/": [""],
    "/api/v1/countries/": [""],
}
PAGES_FOLLOWED = 3


def readers() -> dict[str, dict]:
    """The client arguments of each kind of caller: anonymous, session, token."""
    from core.api_tokens import create_token
    from core.integration_models import ApiToken
    from core.models import User

    cookie_name, cookie = pages.member_session()
    member = User.objects.get(email=pages.BENCH_MEMBER_EMAIL)
    ApiToken.objects.filter(user=member, name="bench api answers").delete()
    _row, token = create_token(member, "bench api answers")
    return {
        "anonymous": {},
        "session": {"cookie": (cookie_name, cookie)},
        "token": {"headers": {"Authorization": f"Bearer {token}"}},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--no-migrate", action="store_true", help="skip migrate and load_demo")
    args = parser.parse_args(argv)
    pages.use_bench_database()
    if not args.no_migrate:
        pages.prepare_database()
    pages.member_session()  # sets Django up
    pages.seed_listings()
    pages.seed_library()
    pages.seed_events()
    from http.cookies import SimpleCookie

    from django.test import Client
    from django.test.utils import override_settings

    args.folder.mkdir(parents=True, exist_ok=True)
    written = refused = 0
    with override_settings(API_THROTTLE_RATES={"api_anon": "1000000/minute",
                                               "api_member": "1000000/minute"}):  # fmt: skip
        callers = readers()
        for reader, options in callers.items():
            client = Client(HTTP_HOST=pages.HOST)
            if "cookie" in options:
                client.cookies = SimpleCookie(dict([options["cookie"]]))
            headers = options.get("headers", {})
            urls = []
            for path, queries in LISTS.items():
                for query in queries:
                    for language in LANGUAGES:
                        parts = [query, f"lang={language}" if language else ""]
                        urls.append((path, "&".join(filter(None, parts)), {}))
                    urls.append((path, query, {"Accept-Language": "fr"}))
            details = []
            for url in urls:
                path, query, extra = url
                address = f"{path}?{query}" if query else path
                for n in range(PAGES_FOLLOWED):
                    response = client.get(address, headers={**headers, **extra})
                    name = f"{reader}:{address}:{sorted(extra.items())}"
                    written += write(args.folder, name, response)
                    etag = response.get("ETag")
                    if etag and response.status_code == 200:
                        again = client.get(
                            address, headers={**headers, **extra, "If-None-Match": etag}
                        )
                        refused += again.status_code != 304
                    if response.status_code != 200:
                        break
                    data = response.json()
                    if n == 0 and not query and not extra:
                        details += [
                            f"{path}{item['id'] if 'id' in item else item['slug']}/"
                            for item in data.get("results", [])[:3]
                            if isinstance(item, dict) and ("id" in item or "slug" in item)
                        ]
                    following = data.get("next") if isinstance(data, dict) else None
                    if not following:
                        break
                    address = following.split(pages.HOST, 1)[1]
            for detail in dict.fromkeys(details):
                for language in LANGUAGES:
                    address = f"{detail}?lang={language}" if language else detail
                    response = client.get(address, headers=headers)
                    written += write(args.folder, f"{reader}:{address}", response)
    print(f"{written} answers written to {args.folder}; {refused} ETags not answered 304")
    return 0


def write(folder: Path, name: str, response) -> int:
    shown = [f"{header}: {response.get(header)}" for header in SHOWN_HEADERS]
    head = "\n".join([name, str(response.status_code), *shown, ""]).encode()
    digest = hashlib.sha256(name.encode()).hexdigest()[:20]
    (folder / f"{digest}.txt").write_bytes(head + b"\n" + response.content)
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
