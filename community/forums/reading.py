"""Where each member has read up to in a thread: unread markers and "jump to first unread".

One `ReadPosition` row per member and thread holds the id of the last post they have seen;
post ids grow with time, so "unread" is `id > last_read_post_id` and the first unread post is
found with the same keyset the thread page pages with.
"""

from __future__ import annotations

from collections.abc import Iterable

from .models import Post, ReadPosition, Thread


def positions(user, threads: Iterable[Thread]) -> dict[int, int]:
    """{thread id: last read post id} for the member, in one query."""
    ids = [thread.pk for thread in threads]
    if not user.is_authenticated or not ids:
        return {}
    rows = ReadPosition.objects.filter(member=user, thread_id__in=ids)
    return dict(rows.values_list("thread_id", "last_read_post_id"))


def last_read(user, thread: Thread) -> int:
    return positions(user, [thread]).get(thread.pk, 0)


def first_unread_id(user, thread: Thread) -> int | None:
    """The id of the first post the member has not read, or None when all are read."""
    after = last_read(user, thread)
    return (
        Post.objects.filter(thread=thread, pk__gt=after)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )


def unread_flags(user, threads: list[Thread]) -> None:
    """Set `thread.unread` (True/False/None for never opened) on each thread, in one query.

    A thread is unread when its newest post came after the member's position; `last_post_id`
    is annotated by the listing.
    """
    read = positions(user, threads)
    for thread in threads:
        if not user.is_authenticated:
            thread.unread = False
        elif thread.pk not in read:
            thread.unread = True
        else:
            thread.unread = (getattr(thread, "last_post_id", 0) or 0) > read[thread.pk]


_ADVANCE = """
WITH old AS (
    SELECT last_read_post_id FROM forums_readposition WHERE member_id = %s AND thread_id = %s
), saved AS (
    INSERT INTO forums_readposition (member_id, thread_id, last_read_post_id)
    VALUES (%s, %s, %s)
    ON CONFLICT (member_id, thread_id) DO UPDATE
    SET last_read_post_id = GREATEST(forums_readposition.last_read_post_id,
                                     EXCLUDED.last_read_post_id)
)
SELECT COALESCE((SELECT last_read_post_id FROM old), 0)
"""


def advance(user, thread: Thread, post_id: int) -> int:
    """Record that the member has now seen up to `post_id`; return where they were before.

    One statement (read the old position, upsert the new one), so the thread page, which
    needs both, spends a single query on read positions.
    """
    if not user.is_authenticated:
        return 0
    if not post_id:
        return last_read(user, thread)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(_ADVANCE, [user.pk, thread.pk, user.pk, thread.pk, post_id])
        return cursor.fetchone()[0]
