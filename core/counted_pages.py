"""Pages of a listing read with their total in the same statement (`COUNT(*) OVER ()`).

Django's paginator counts a listing in a query of its own before reading a page of it. A
listing that adds `with_total()` to its query reads the total with every row (PostgreSQL
computes the window before the page's LIMIT), and `counted_page` makes the paginator's page
from those rows without asking again. A listing made DISTINCT cannot use it: the window would
count rows before duplicates are removed.
"""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window

TOTAL = "listing_total"


def with_total(queryset: QuerySet) -> QuerySet:
    """`queryset` with each row carrying the count of the whole listing (`TOTAL`)."""
    return queryset.annotate(**{TOTAL: Window(Count("*"))})


def page_number(value: str) -> int:
    """The page asked for: a positive number, else the first."""
    return int(value) if value.isdigit() and int(value) >= 1 else 1


def counted_page(rows: list, number: int, size: int) -> Page | None:
    """Page `number` of `size` rows read `with_total`; None past the end (no row to read the
    total from: the caller asks the paginator, which shows the last page, as Django does)."""
    if not rows and number > 1:
        return None
    paginator = Paginator([], size)
    # The count is already known: the paginator must not ask for it again.
    paginator.__dict__["count"] = getattr(rows[0], TOTAL) if rows else 0
    return Page(rows, number, paginator)
