"""The forums' live stream: a thread page follows `thread:<id>` over the page's one websocket.

Events carry ids only (`{"event": "created", "posts": [12]}`): each browser then fetches its own
rendering from `forums:thread_posts`, through the same templates and permission checks as the
thread page, so a protected name, a blocked member's collapsed post or a hidden post never
travels in a shared message. Joining the stream asks `permissions.can_read_thread`; taking that
away (a thread hidden, moved or deleted, a forum made private) sends a revoke through
`core.live`, and the sockets concerned ask again.
"""

from __future__ import annotations

from core.live import publish, revoke_object, revoke_stream

from . import permissions
from .models import Thread

STREAM = "thread"


def thread_live_group(thread_id: int) -> str:
    return f"forum-thread-{thread_id}"


def group_for(user, object_id: str | None) -> str | None:
    """The group of a thread's readers, for a user who may read it (else None)."""
    if object_id is None or not str(object_id).isdigit() or len(str(object_id)) > 18:
        return None
    thread = Thread.objects.select_related("forum__organisation").filter(pk=int(object_id)).first()
    if thread is None or thread.deleted or not permissions.can_read_thread(user, thread):
        return None
    return thread_live_group(thread.pk)


def announce(thread_id: int, event: str, post_ids: list[int] | None = None) -> None:
    """Tell the thread's readers that `post_ids` changed (`event` says how), on commit."""
    data = {"event": event, "posts": [pk for pk in (post_ids or []) if pk]}
    publish(thread_live_group(thread_id), STREAM, data, str(thread_id))


def access_changed(thread_id: int) -> None:
    """Who may read this thread may have changed: its followers' sockets ask again."""
    revoke_object(STREAM, thread_id)


def forum_access_changed() -> None:
    """A forum changed who may read it: every thread follower asks again (a rare event)."""
    revoke_stream(STREAM)
