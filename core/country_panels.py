"""Shared pieces of the panels apps add to country pages (`PagePanel`, page type "country").

A country page names its country by a two-letter code; the apps store the countries a row
concerns as comma-separated codes in a `countries` field (two letters never straddle a comma).
`page_country_code` reads the page's code, and `counts_by_country` answers a panel's `count`
for the countries index: how many rows each country has, in one query, and, for rows that leave
the count at a moment (a deadline, an event's end), how long the cached index stays right.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Min, Q, QuerySet
from django.http import HttpRequest

from .page_cache import expire_within


def is_country_code(code: str) -> bool:
    return len(code) == 2 and code.isascii() and code.isalpha()


def page_country_code(page) -> str:
    """The code of a country page's country, or "" when it has none that looks like one."""
    country = getattr(page, "country", None)
    code = str(getattr(country, "code", country) or "")
    return code if is_country_code(code) else ""


def counts_by_country(
    request: HttpRequest,
    queryset: QuerySet,
    codes: list[str],
    *,
    leaves: str | None = None,
    now: datetime | None = None,
) -> dict[str, int]:
    """{code: rows of `queryset` concerning it} for these `codes`, in one query.

    With `leaves` (a date-time field: the moment a row drops out of `queryset`, after `now`),
    the cached page showing the counts is kept only until the first of these rows does."""
    codes = [code for code in codes if is_country_code(code)]
    if not codes:
        return {}
    counts = {code: Count("pk", filter=Q(countries__contains=code)) for code in codes}
    if leaves is None or now is None:
        return queryset.aggregate(**counts)
    any_code = Q()
    for code in codes:
        any_code |= Q(countries__contains=code)
    found = queryset.aggregate(first_leaves=Min(leaves, filter=any_code), **counts)
    first_leaves = found.pop("first_leaves")
    if first_leaves is not None:
        expire_within(request, (first_leaves - now).total_seconds())
    return found
