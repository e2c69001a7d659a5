"""Querysets of a fixed shape compiled to SQL once per process, then run with each request's values.

Django compiles a queryset to SQL every time it is evaluated: about a millisecond of CPU for a
Wagtail page row of forty-odd columns, or for a page of forum posts with their authors and the
posts they quote, paid on every signed-in view (the page cache never serves members), which is
more than PostgreSQL spends answering. The SQL of one shape (the model, the filters, the related
rows, how many values an `IN` list holds, a slice) never changes within a process, so it is kept
here, with what the compiler worked out about its columns, and each request passes its values.

The caller gives the values by hand, in the order the SQL takes them, and a key naming
everything that changes the SQL (a moderator's extra filter, a slice's size). The first time a
shape is seen it is compiled by the ORM and the values the compiler produced are compared with
the caller's: a shape whose values do not match (another Django version ordering them
otherwise) is never kept, and keeps running through the ORM as before; so is one that
prefetches or returns anything but model instances, plain tuples (`values_list()`) or dicts
(`values()`). A caller may instead name every input of the query in its key
(`rows_as_compiled`): the values compiled the first time are then kept with the SQL.

Kept shapes are read as the ORM's own `ModelIterable` reads them: the same instances, with
their related rows (`select_related`), deferred fields (`only`) and annotations, each field's
`from_db_value` applied; a `values_list()` gives the same tuples as `ValuesListIterable`, and a
`values()` the same dicts as `ValuesIterable`.
Only the SQL and the column layout are kept, never a row: every request reads its data afresh.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet
from django.db.models.query import (
    ModelIterable,
    ValuesIterable,
    ValuesListIterable,
    get_related_populators,
)

_NOT_COMPILED = object()


@dataclass(frozen=True)
class _Rows:
    """One shape's SQL and its columns' converters: its rows as the ORM's iterables read them."""

    sql: str
    using: str
    col_count: int | None  # columns to keep of each row, when the SQL selects extra ones
    # PostgreSQL's backend adds no converters of its own: they are the fields'.
    converters: list

    @staticmethod
    def columns_of(compiler: Any) -> dict:
        columns = [column[0] for column in compiler.select[: compiler.col_count]]
        return {
            "col_count": compiler.col_count if compiler.has_extra_select else None,
            "converters": list(compiler.get_converters(columns).items()),
        }

    def fetch(self, params: Sequence[Any]) -> list:
        """The rows, each cut to its columns and with every field's converters applied."""
        connection = connections[self.using]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            fetched = cursor.fetchall()
        if self.col_count is None and not self.converters:
            return fetched
        found = []
        for row in fetched:
            row = list(row[: self.col_count] if self.col_count is not None else row)
            for position, (converters, expression) in self.converters:
                value = row[position]
                for converter in converters:
                    value = converter(value, expression, connection)
                row[position] = value
            found.append(row)
        return found


@dataclass(frozen=True)
class _Plan(_Rows):
    """What the ORM works out on every evaluation of a shape of model instances
    (`ModelIterable`): the model, which columns fill it and its related rows, the annotations'
    positions, the same for every run of the shape."""

    model: type
    model_columns: tuple[int, int]
    init_list: list[str]
    populators: list
    annotation_col_map: dict

    @classmethod
    def of(cls, sql: str, using: str, compiler: Any) -> _Plan:
        select, klass_info = compiler.select, compiler.klass_info
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        return cls(
            sql=sql,
            using=using,
            **cls.columns_of(compiler),
            model=klass_info["model"],
            model_columns=(start, end),
            init_list=[column[0].target.attname for column in select[start:end]],
            populators=get_related_populators(klass_info, select, using),
            annotation_col_map=compiler.annotation_col_map,
        )

    def run(self, params: Sequence[Any]) -> list:
        start, end = self.model_columns
        found = []
        for row in self.fetch(params):
            obj = self.model.from_db(self.using, self.init_list, row[start:end])
            for populator in self.populators:
                populator.populate(row, obj)
            for name, position in self.annotation_col_map.items():
                setattr(obj, name, row[position])
            found.append(obj)
        return found


@dataclass(frozen=True)
class _TuplePlan(_Rows):
    """One `values_list()` shape (`ValuesListIterable`): plain tuples."""

    @classmethod
    def of(cls, sql: str, using: str, compiler: Any) -> _TuplePlan:
        return cls(sql=sql, using=using, **cls.columns_of(compiler))

    def run(self, params: Sequence[Any]) -> list[tuple]:
        return [tuple(row) for row in self.fetch(params)]


@dataclass(frozen=True)
class _DictPlan(_Rows):
    """One `values()` shape (`ValuesIterable`): a dict per row, named as the ORM names them."""

    names: tuple[str, ...]

    @classmethod
    def of(cls, sql: str, using: str, compiler: Any) -> _DictPlan:
        query = compiler.query
        names = query.selected or [
            *query.extra_select,
            *query.values_select,
            *query.annotation_select,
        ]
        return cls(sql=sql, using=using, **cls.columns_of(compiler), names=tuple(names))

    def run(self, params: Sequence[Any]) -> list[dict]:
        return [dict(zip(self.names, row, strict=True)) for row in self.fetch(params)]


_PLANS = {ModelIterable: _Plan, ValuesListIterable: _TuplePlan, ValuesIterable: _DictPlan}


def _in_select_order(queryset: QuerySet) -> bool:
    """Whether a `values_list()` gives its columns in the order its SQL selects them (Django
    reorders them otherwise, which a kept plan does not)."""
    query = queryset.query
    names = [*query.extra_select, *query.values_select, *query.annotation_select]
    if not queryset._fields:
        return True
    fields = [*queryset._fields, *(f for f in query.annotation_select if f not in queryset._fields)]
    return fields == names


class CompiledQueries:
    """The SQL of each shape `key` names, compiled at most once per process."""

    def __init__(self, name: str, max_entries: int = 256) -> None:
        self.name = name
        self.max_entries = max_entries
        # A shape's plan, with the values it was compiled with when its key names them all
        # (`rows_as_compiled`); None for a shape that is not kept.
        self._plans: dict[Hashable, tuple[_Rows, tuple | None] | None] = {}

    def rows(self, key: Hashable, queryset: Callable[[], QuerySet], params: Sequence[Any]) -> list:
        """The rows of `queryset()`, whose SQL takes `params`, as `key` names its shape: model
        instances, tuples for a `values_list()` (never flat or named), or dicts for `values()`.

        `queryset` builds the same query the kept SQL was compiled from; it is only called when
        the shape is not kept (first sight, or values that did not match)."""
        return self._rows(key, queryset, params)

    def rows_as_compiled(self, key: Hashable, queryset: Callable[[], QuerySet]) -> list:
        """`rows()` for a query whose values the caller does not spell out: `key` names every
        input `queryset()` is built from (a language, a listing's parameters, a cursor), so
        each set of values is a shape of its own, kept with the values it was compiled with.
        For queries whose inputs come in few combinations (an API listing's pages)."""
        return self._rows(key, queryset, None)

    def _rows(self, key: Hashable, queryset: Callable[[], QuerySet], params) -> list:
        plan = self._plans.get(key, _NOT_COMPILED)
        if plan is _NOT_COMPILED:
            built = queryset()
            plan, found = self._compile(built, params)
            if len(self._plans) >= self.max_entries:
                self._plans = {}
            self._plans[key] = plan
            return found
        if plan is None:
            return list(queryset())
        plan, kept_params = plan
        return plan.run(kept_params if params is None else params)

    @staticmethod
    def _compile(
        queryset: QuerySet, params: Sequence[Any] | None
    ) -> tuple[tuple[_Rows, tuple | None] | None, list]:
        """The shape's plan (None when it cannot be kept) and the queryset's rows, read once;
        `params` None: the values the ORM compiled are kept with the plan."""
        kind = queryset._iterable_class
        if (
            kind not in _PLANS
            or (kind is ValuesListIterable and not _in_select_order(queryset))
            or queryset._prefetch_related_lookups
            or queryset._known_related_objects
        ):
            return None, list(queryset)
        using = queryset.db
        compiler = queryset.query.get_compiler(using=using)
        try:
            sql, expected = compiler.as_sql()
        except EmptyResultSet:  # an empty `IN` list: nothing to ask PostgreSQL
            return None, list(queryset)
        kept_params = None
        if params is None:
            params = kept_params = tuple(expected)
        # psycopg may wrap a value in its own subclass (`Int4(2)` for 2): the same value.
        elif len(expected) != len(params) or any(
            given != wanted or not isinstance(wanted, type(given))
            for given, wanted in zip(params, expected, strict=False)
        ):
            return None, list(queryset)
        plan = _PLANS[kind].of(sql, using, compiler)
        return (plan, kept_params), plan.run(params)

    def clear(self) -> None:
        self._plans = {}
