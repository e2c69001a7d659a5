"""Querysets of a fixed shape compiled to SQL once per process, then run with each request's values.

Django compiles a queryset to SQL every time it is evaluated: about a millisecond of CPU for a
Wagtail page row of forty-odd columns, paid on every signed-in view of a Wagtail page by the
routing's two queries (the page cache never serves members), which is more than the queries
take in PostgreSQL. The SQL of one shape (the model, the filters, how many values an `IN` list
holds) never changes within a process, so it is kept here and each request passes its values.

The caller gives the values by hand, in the order the SQL takes them. The first time a shape is
seen it is compiled by the ORM and the values the compiler produced are compared with the
caller's: a shape whose values do not match (another Django version ordering them otherwise)
is never kept, and keeps running through the ORM as before; so is one with `select_related`,
which raw rows cannot fill. Kept shapes run through `Manager.raw`: the same model instances,
annotations included, with each field's `from_db_value` applied.

Only the SQL text is kept, never a row: every request reads its data afresh.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any

from django.db.models import Manager, QuerySet

_NOT_COMPILED = object()


class CompiledQueries:
    """The SQL of each shape `key` names, compiled at most once per process."""

    def __init__(self, name: str, max_entries: int = 256) -> None:
        self.name = name
        self.max_entries = max_entries
        self._sql: dict[Hashable, str | None] = {}

    def rows(
        self,
        key: Hashable,
        manager: Manager,
        queryset: Callable[[], QuerySet],
        params: Sequence[Any],
    ) -> list:
        """The rows of `queryset()`, whose SQL takes `params`, as `key` names its shape.

        `queryset` builds the same query the kept SQL was compiled from; it is only called when
        the shape is not kept (first sight, or values that did not match)."""
        sql = self._sql.get(key, _NOT_COMPILED)
        if sql is _NOT_COMPILED:
            built = queryset()
            sql = self._compile(built, params)
            if len(self._sql) >= self.max_entries:
                self._sql = {}
            self._sql[key] = sql
            if sql is None:
                return list(built)
        if sql is None:
            return list(queryset())
        return list(manager.raw(sql, params))

    @staticmethod
    def _compile(queryset: QuerySet, params: Sequence[Any]) -> str | None:
        query = queryset.query
        if query.select_related or queryset._prefetch_related_lookups:
            return None
        sql, expected = query.sql_with_params()
        # psycopg may wrap a value in its own subclass (`Int4(2)` for 2): the same value.
        if len(expected) != len(params) or any(
            given != wanted or not isinstance(wanted, type(given))
            for given, wanted in zip(params, expected, strict=False)
        ):
            return None
        return sql

    def clear(self) -> None:
        self._sql = {}
