"""Querysets whose SQL is compiled once per process (`core.compiled_queries`): the same rows as
the ORM's, read afresh each time, and never kept when the caller's values do not match the
compiler's."""

from __future__ import annotations

import pytest

from django.db import connection
from django.db.models import Value
from django.test.utils import CaptureQueriesContext

from wagtail.models import Page

from core.compiled_queries import CompiledQueries

pytestmark = pytest.mark.django_db


def children(parent: Page):
    return Page.objects.filter(depth=parent.depth + 1, path__startswith=parent.path).annotate(
        marker=Value("kept")
    )


def params(parent: Page) -> list:
    # The annotation's value comes first (it is in the SELECT), then the filters' by name.
    return ["kept", parent.depth + 1, f"{connection.ops.prep_for_like_query(parent.path)}%"]


def test_kept_sql_gives_the_orms_rows_and_reads_them_afresh():
    home = Page.objects.get(depth=2, locale__language_code="en")
    compiled = CompiledQueries("test")
    first = compiled.rows("children", Page.objects, lambda: children(home), params(home))
    expected = list(children(home))
    assert [(p.pk, p.title, p.url_path) for p in first] == [
        (p.pk, p.title, p.url_path) for p in expected
    ]
    assert {p.marker for p in first} == {"kept"}
    assert compiled._sql["children"] is not None
    Page.objects.filter(pk=expected[0].pk).update(title="Renamed just now")
    with CaptureQueriesContext(connection) as queries:
        again = compiled.rows("children", Page.objects, lambda: children(home), params(home))
    assert len(queries) == 1
    assert again[0].title == "Renamed just now"


def test_values_in_another_order_are_never_kept_and_the_orm_answers():
    home = Page.objects.get(depth=2, locale__language_code="en")
    compiled = CompiledQueries("test")
    wrong = list(reversed(params(home)))
    rows = compiled.rows("children", Page.objects, lambda: children(home), wrong)
    assert compiled._sql["children"] is None
    assert [p.pk for p in rows] == [p.pk for p in children(home)]
    again = compiled.rows("children", Page.objects, lambda: children(home), wrong)
    assert [p.pk for p in again] == [p.pk for p in rows]


def test_select_related_is_never_kept():
    home = Page.objects.get(depth=2, locale__language_code="en")
    compiled = CompiledQueries("test")
    rows = compiled.rows(
        "with locale",
        Page.objects,
        lambda: children(home).select_related("locale"),
        params(home),
    )
    assert compiled._sql["with locale"] is None
    assert rows and all(p.locale.language_code == "en" for p in rows)
