"""The open-data API's request counters: one row per caller and limit, counted in one statement.

DRF's stock throttles keep a list of timestamps in the cache: with the database cache that is
five or six statements per request, more than the rest of a cached 304 answer. A fixed window
counted by one `INSERT ... ON CONFLICT DO UPDATE ... RETURNING` costs one, whatever the backend,
and every server process counts together. `core.tasks.forget_api_counters` deletes rows whose
window has passed, so addresses seen once do not pile up.
"""

from __future__ import annotations

from django.db import connection, models


class ApiRateWindow(models.Model):
    key = models.CharField(max_length=200, primary_key=True)
    window_end = models.BigIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["window_end"])]

    def __str__(self) -> str:
        return f"{self.key}: {self.count} until {self.window_end}"


def count_hit(
    key: str, window: int, also_read: tuple[str, list[str]] | None = None
) -> tuple[int, list[tuple]]:
    """Count one request of `key` in the window ending at `window` (epoch seconds); the total
    so far in that window, this one included. With `also_read` (a cache table and keys: see
    `core.page_cache.group_versions_source`), the same statement reads those rows too
    (cache_key, value, expires), so that a conditional request costs one round trip."""
    table = ApiRateWindow._meta.db_table
    upsert = (
        f"INSERT INTO {table} (key, window_end, count) VALUES (%s, %s, 1) "  # noqa: S608
        f"ON CONFLICT (key) DO UPDATE SET count = CASE WHEN {table}.window_end = "
        f"EXCLUDED.window_end THEN {table}.count + 1 ELSE 1 END, "
        "window_end = EXCLUDED.window_end "
        "RETURNING count"
    )
    with connection.cursor() as cursor:
        if also_read is None:
            cursor.execute(upsert, [key, window])
            return cursor.fetchone()[0], []
        cache_table, keys = also_read
        cache_table = connection.ops.quote_name(cache_table)
        cursor.execute(
            f"WITH hit AS ({upsert}) SELECT hit.count, c.cache_key, c.value, c.expires "  # noqa: S608
            f"FROM hit LEFT JOIN {cache_table} c ON c.cache_key = ANY(%s)",
            [key, window, keys],
        )
        rows = cursor.fetchall()
        return rows[0][0], [row[1:] for row in rows if row[1] is not None]
