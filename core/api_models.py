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


def count_hit(key: str, window: int) -> int:
    """Count one request of `key` in the window ending at `window` (epoch seconds); the total
    so far in that window, this one included."""
    table = ApiRateWindow._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (key, window_end, count) VALUES (%s, %s, 1) "  # noqa: S608
            f"ON CONFLICT (key) DO UPDATE SET count = CASE WHEN {table}.window_end = "
            f"EXCLUDED.window_end THEN {table}.count + 1 ELSE 1 END, "
            "window_end = EXCLUDED.window_end "
            "RETURNING count",
            [key, window],
        )
        return cursor.fetchone()[0]
