"""One reading of a search request for both the page and the JSON endpoint: the same bounds,
filters and audiences, so `/search/` and `/api/v1/search/` (and the evaluation command, which
builds the same `SearchQuery`) rank identically."""

from __future__ import annotations

import re

from django.conf import settings
from django.utils.translation import get_language, gettext

from .access import viewer_audiences
from .analysis import MAX_QUERY_CHARS, enabled_languages, primary_language
from .backends import search
from .documents import Results, SearchQuery
from .registry import adapters

PAGE_SIZE = 10
YEAR = re.compile("[12][0-9]{3}")
MAX_PAGE = 50


def _page(value: str | None) -> int:
    try:
        return min(max(int(value or 1), 1), MAX_PAGE)
    except ValueError:
        return 1


def read_query(params, user, language: str | None = None) -> tuple[SearchQuery, list[str]]:
    """A bounded `SearchQuery` from request parameters, and the errors to show the reader."""
    errors = []
    text = (params.get("q") or "").strip()
    if len(text) > MAX_QUERY_CHARS:
        errors.append(
            gettext("Searches are limited to %(count)d characters; the rest was left out.")
            % {"count": MAX_QUERY_CHARS}
        )
        text = text[:MAX_QUERY_CHARS]
    reader = primary_language(language or get_language() or settings.LANGUAGE_CODE)
    types = [value for value in params.getlist("type") if value in adapters]
    languages = [value for value in params.getlist("lang") if value in enabled_languages()]
    if params.get("mine"):
        languages = [reader]
    countries = [value.upper()[:2] for value in params.getlist("country") if value][:5]
    topics = [value[:80] for value in params.getlist("topic") if value][:5]
    years = [int(value) for value in params.getlist("year") if YEAR.fullmatch(value or "")][:5]
    query = SearchQuery(
        text=text,
        viewer_audiences=viewer_audiences(user),
        language=reader,
        types=types,
        languages=languages,
        countries=countries,
        topics=topics,
        years=years,
        include_closed=bool(params.get("closed")),
        page=_page(params.get("page")),
        page_size=PAGE_SIZE,
    )
    return query, errors


def run(query: SearchQuery) -> Results:
    """The configured engine's results (PostgreSQL's, with a notice, when it is down)."""
    return search(query)
