"""Querysets whose SQL is compiled once per process (`core.compiled_queries`): the same rows as
the ORM's, read afresh each time, and never kept when the caller's values do not match the
compiler's."""

from __future__ import annotations

import pytest

from django.db import connection
from django.db.models import Count, Q, Value
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
    first = compiled.rows("children", lambda: children(home), params(home))
    expected = list(children(home))
    assert [(p.pk, p.title, p.url_path) for p in first] == [
        (p.pk, p.title, p.url_path) for p in expected
    ]
    assert {p.marker for p in first} == {"kept"}
    assert compiled._plans["children"] is not None
    Page.objects.filter(pk=expected[0].pk).update(title="Renamed just now")
    with CaptureQueriesContext(connection) as queries:
        again = compiled.rows("children", lambda: children(home), params(home))
    assert len(queries) == 1
    assert again[0].title == "Renamed just now"


def test_values_in_another_order_are_never_kept_and_the_orm_answers():
    home = Page.objects.get(depth=2, locale__language_code="en")
    compiled = CompiledQueries("test")
    wrong = list(reversed(params(home)))
    rows = compiled.rows("children", lambda: children(home), wrong)
    assert compiled._plans["children"] is None
    assert [p.pk for p in rows] == [p.pk for p in children(home)]
    again = compiled.rows("children", lambda: children(home), wrong)
    assert [p.pk for p in again] == [p.pk for p in rows]


def test_related_rows_deferred_fields_and_annotations_come_as_the_orm_gives_them():
    home = Page.objects.get(depth=2, locale__language_code="en")
    compiled = CompiledQueries("test")

    def queryset():
        return (
            children(home)
            .select_related("locale", "owner")
            .only("id", "title", "url_path", "locale__language_code", "owner__email")
        )

    first = compiled.rows("with locale", queryset, params(home))
    assert compiled._plans["with locale"] is not None
    with CaptureQueriesContext(connection) as queries:
        again = compiled.rows("with locale", queryset, params(home))
        described = [(p.pk, p.title, p.locale.language_code, p.marker) for p in again]
    # The related rows came with the page: one query, none for each page's locale.
    assert len(queries) == 1
    expected = list(queryset())
    assert described == [(p.pk, p.title, p.locale.language_code, "kept") for p in expected]
    assert [p.pk for p in first] == [p.pk for p in expected]
    # Deferred as `only` defers them: read when asked, as the ORM would.
    assert again[0].get_deferred_fields() == expected[0].get_deferred_fields()


def test_an_empty_in_list_is_never_kept_and_asks_nothing():
    compiled = CompiledQueries("test")
    with CaptureQueriesContext(connection) as queries:
        rows = compiled.rows("none", lambda: Page.objects.filter(pk__in=[]), [])
    assert rows == [] and len(queries) == 0
    assert compiled._plans["none"] is None


def test_dicts_are_named_as_the_orm_names_them_across_relations_and_annotations():
    compiled = CompiledQueries("test")

    def named():
        return (
            Page.objects.filter(depth__gte=2)
            .annotate(n_children=Value(0))
            .values("pk", "title", "locale__language_code", "n_children", "first_published_at")
            .order_by("path")
        )

    expected = list(named())
    assert expected and "locale__language_code" in expected[0]
    for _ in range(2):
        assert compiled.rows("values", named, [0, 2]) == expected
    assert compiled._plans["values"] is not None


def test_tuples_are_as_the_orm_gives_them():
    compiled = CompiledQueries("test")

    def counted():
        return (
            Page.objects.filter(depth__gte=2)
            .values_list("locale_id", "live")
            .annotate(n=Count("id"), drafts=Count("id", filter=Q(live=False)))
            .order_by("locale_id", "live")
        )

    expected = list(counted())
    for _ in range(2):
        assert compiled.rows("tuples", counted, [2]) == expected
    assert compiled._plans["tuples"] is not None


def test_a_key_naming_every_input_keeps_the_compiled_values_and_each_set_is_its_own_shape():
    compiled = CompiledQueries("test")
    home = Page.objects.get(depth=2, locale__language_code="en")

    def titles(depth: int):
        return lambda: (
            Page.objects.filter(depth=depth, path__startswith=home.path)
            .values("pk", "title")
            .order_by("path")
        )

    first = compiled.rows_as_compiled(("titles", 3), titles(3))
    assert first == list(titles(3)())
    child = first[0]["pk"]
    Page.objects.filter(pk=child).update(title="Renamed just now")
    # Kept: no builder is asked for, and the row is read afresh with the kept values.
    with CaptureQueriesContext(connection) as queries:
        again = compiled.rows_as_compiled(("titles", 3), lambda: pytest.fail("compiled again"))
    assert len(queries) == 1
    assert again[0] == {"pk": child, "title": "Renamed just now"}
    # Other values, another key: its own statement, not the first one's.
    assert compiled.rows_as_compiled(("titles", 2), titles(2)) == list(titles(2)())
    assert compiled.rows_as_compiled(("titles", 2), titles(2)) != again
