"""Alerts of saved site searches: each run, one notification per member listing the new results
of their due searches (a periodic job declared in `declarations.py`, run by the worker). It goes
through `core.notify`, so it shows in the notification centre and is e-mailed as the member
chose for "search.saved_search" (at once by default: the search's own period already batches).

A search runs through the search interface exactly as the page runs it, in the language it was
saved in and with the member's audiences as they are now, so an alert never shows what the
page would not. A result is new when its document first became readable (`published`) after
the previous run; it is told about when it holds a topic of the search (the taxonomy's terms,
in any language), or holds the search's words and ranks among its first ALERT_DEPTH results
(words are OR-ed: "diaspora bonds" finds every text that says "diaspora", and the depth keeps
those that say more). Not by meaning alone: the nearest documents by meaning are always found,
even when nothing is near, so on a quiet week an alert would tell about anything new. Each run
looks back LOOK_BACK before the previous one, since indexing runs as background tasks, and
remembers what it told (`SavedSiteSearch.notified`), so nothing is told twice. The run, and
when a search is due, are every saved search's (`core.saved_searches`): each member's due
searches are advanced to the run's moment, so a second run finds nothing due.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

from django.conf import settings
from django.http import QueryDict
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from core.guards import restrict_without_second_factor
from core.notify import notify
from core.saved_searches import send_due_alerts

from .access import viewer_audiences
from .backends import SITE_INDEX
from .documents import Hit, Results, SearchQuery
from .models import SavedSiteSearch, SearchDocument
from .queries import read_query, run

logger = logging.getLogger(__name__)

ALERT_DEPTH = 50  # found by words only, a new result must rank among the first 50
LOOK_BACK = timedelta(days=1)
MEMORY = 300  # groups remembered per search
MAX_LISTED = 10  # results listed per search in one alert
SAVED_SEARCH_KIND = "search.saved_search"


def as_reader(member):
    """The member as an alert sees them: without the privileges a second factor would open
    (an e-mail is read with no session that gave one), as an API token sees them."""
    return restrict_without_second_factor(None, member, can_give_one=False)


def new_results(search: SavedSiteSearch, reader) -> list[Hit]:
    """The results of `search` new since it last ran, best first, not told about before, as
    `reader` (its member, `as_reader`) finds them."""
    query, _errors = read_query(QueryDict(search.query), reader, language=search.language)
    if not query.text:
        return []
    since = max(search.created_at, search.last_notified_at - LOOK_BACK)
    return alert_hits(query, since, set(search.notified))


def alert_hits(
    query: SearchQuery,
    since: datetime,
    told: set[str],
    search_with: Callable[[SearchQuery], Results] = run,
) -> list[Hit]:
    """The results of `query` first readable after `since` that an alert tells about, best
    first, leaving out the groups in `told`; `search_with` runs a query (the site's engine,
    or the benchmark's index)."""
    query = replace(query, page=1, page_size=ALERT_DEPTH)
    # Only words and topics decide what is new (below), so the new documents are found by
    # them alone: no question to embed, and no vector scan walking past every document that
    # is not new (the filter keeps a fraction of a percent of them).
    recent = replace(query, published_after=since, signals=("keyword", "taxonomy"))
    fresh = [
        hit
        for hit in search_with(recent).hits
        if hit.group not in told and {"keyword", "taxonomy"} & set(hit.matched_by)
    ]
    if all("taxonomy" in hit.matched_by for hit in fresh):
        return fresh  # the usual answer: one search, not two
    first = {hit.group for hit in search_with(query).hits}
    return [hit for hit in fresh if "taxonomy" in hit.matched_by or hit.group in first]


def send_alerts(now: datetime | None = None) -> int:
    """Send this run's alerts; returns how many members were told."""
    return send_due_alerts(SavedSiteSearch, now or timezone.now(), _alert)


def _alert(searches: list[SavedSiteSearch], now: datetime) -> bool:
    """Tell the member of their due searches' new results (one notification, which keeps
    document keys only: its e-mail is written in their language when it is sent), and
    advance each search, remembering what it told."""
    reader = as_reader(searches[0].member)
    sections = []
    seen: set[str] = set()
    for search in searches:
        hits = [hit for hit in new_results(search, reader) if hit.group not in seen]
        seen.update(hit.group for hit in hits)
        if hits:
            sections.append(
                {
                    "search": search.pk,
                    "items": [hit.key for hit in hits[:MAX_LISTED]],
                    "more": len(hits) > MAX_LISTED,
                }
            )
            search.notified = [*search.notified, *(hit.group for hit in hits)][-MEMORY:]
        search.last_notified_at = now
        search.save(update_fields=["last_notified_at", "notified"])
    if not sections:
        return False
    count = sum(len(section["items"]) for section in sections)
    return notify(SAVED_SEARCH_KIND, reader, count=count, sections=sections) is not None


# --- The notification kind (declared in declarations.py) ----------------------------------------


def describe_matches(notification) -> str:
    count = notification.data.get("count", 0)
    return ngettext(
        "%(count)s new result for your saved searches",
        "%(count)s new results for your saved searches",
        count,
    ) % {"count": count}


def matches_url(notification) -> str:
    return reverse("search:saved")


def matches_details(notification) -> str:
    """The new results, written now in the active (the member's) language, with only what the
    member may still open: one hidden or restricted since the alert is left out."""
    from .saved import describe
    from .views import reader_url

    stored = notification.data.get("sections", [])
    searches = SavedSiteSearch.objects.in_bulk([section["search"] for section in stored])
    reader = as_reader(notification.recipient)
    wanted = [key for section in stored for key in section["items"]]
    documents = {
        doc.key: doc
        for doc in SearchDocument.objects.filter(
            index_name=SITE_INDEX, key__in=wanted, audiences__overlap=viewer_audiences(reader)
        ).only("key", "doc_type", "title", "url", "language")
    }
    language = translation.get_language() or settings.LANGUAGE_CODE
    sections = []
    for section in stored:
        search = searches.get(section["search"])
        listed = [documents[key] for key in section["items"] if key in documents]
        if search is None or not listed:
            continue
        described = describe(search)
        sections.append(
            {
                "title": described["title"],
                "filters": described["filters"],
                "more": section.get("more", False),
                "search_url": settings.SITE_URL + described["url"],
                "items": [
                    {
                        "title": doc.title,
                        "url": settings.SITE_URL + reader_url(doc.doc_type, doc.url, language),
                    }
                    for doc in listed
                ],
            }
        )
    return render_to_string(
        "search/email/saved_searches.txt",
        {"sections": sections, "manage_url": settings.SITE_URL + reverse("search:saved")},
    )
