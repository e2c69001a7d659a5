"""Publishing to the live streams from any process, and the bridge that delivers it.

With Redis (`REDIS_URL`) the channel layer itself crosses processes; while Redis is unreachable
an event is dropped with a warning (no socket is open to hear it). Without it, each server
process runs Channels' in-memory layer, which only reaches sockets of its own process; so a
publish is sent as a PostgreSQL NOTIFY instead, and every server process LISTENs and forwards
what it hears into its in-memory layer. That carries an event from the worker (or a second
server process) to the right sockets, and because NOTIFY is transactional, a change that is
rolled back never announces itself; with Redis the event is sent on commit for the same reason.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import InMemoryChannelLayer, get_channel_layer

from django.conf import settings
from django.db import connection, transaction

from .cache_faults import REDIS_UNAVAILABLE_ERRORS

logger = logging.getLogger(__name__)

NOTIFY_CHANNEL = "idiaspora_live"
MAX_NOTIFY_BYTES = 7900  # PostgreSQL refuses NOTIFY payloads of 8000 bytes or more
SITE_GROUP = "site"


def user_group(user_id: int) -> str:
    return f"user-{user_id}"


# --- Revocation: permission is checked at subscribe time, so taking it away must reach sockets.
# A revoke carries no verdict, only "re-check": each socket it reaches asks every affected
# stream's `group_for` again with the member as they are now (their session may be gone, their
# account suspended, their membership ended) and drops what it may no longer read. Three
# control groups say which sockets: those of one member, those following one object, and those
# following any object of a stream (a change that touches many objects at once, such as a
# forum turning private; rare, so re-checking every follower of the stream is affordable).

_SAFE_ID = re.compile(r"^[A-Za-z0-9_.-]{1,40}$")


def member_control_group(user_id: int) -> str:
    return f"live-member-{user_id}"


def stream_control_group(stream: str, object_id: str | None = None) -> str | None:
    """The control group of a stream, or of one object of it (None for an unusable id)."""
    if object_id is None:
        return f"live-stream-{stream}"
    object_id = str(object_id)
    return f"live-stream-{stream}-{object_id}" if _SAFE_ID.match(object_id) else None


def revoke_user(user_id: int) -> None:
    """Make every open socket of this member re-check all it follows (on commit).

    For whoever takes a permission away from one person: log-out, a suspension or ban (the
    moderation slice), the end of an organisation membership.
    """
    _revoke(member_control_group(user_id), None, None)


def revoke_object(stream: str, object_id: str | int) -> None:
    """Make every socket following this object re-check it (a thread hidden, moved, deleted)."""
    group = stream_control_group(stream, str(object_id))
    if group:
        _revoke(group, stream, str(object_id))


def revoke_stream(stream: str) -> None:
    """Make every socket following any object of `stream` re-check it (a forum made private)."""
    _revoke(stream_control_group(stream), stream, None)


def _revoke(group: str, stream: str | None, object_id: str | None) -> None:
    message = {"type": "live.revoke", "stream": stream, "id": object_id}
    if not uses_postgres_bridge():
        transaction.on_commit(lambda: _send_through_layer(group, message))
        return
    payload = json.dumps({"group": group, "message": message}, separators=(",", ":"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_notify(%s, %s)", [NOTIFY_CHANNEL, payload])


# Either in-memory layer (ours below, or Channels' own that a test may configure) needs the bridge.
_IN_MEMORY_BACKENDS = {"core.live.LocalChannelLayer", "channels.layers.InMemoryChannelLayer"}


def uses_postgres_bridge() -> bool:
    return settings.CHANNEL_LAYERS["default"]["BACKEND"] in _IN_MEMORY_BACKENDS


class LocalChannelLayer(InMemoryChannelLayer):
    """Channels' in-memory layer, sweeping out expired messages at most once a second.

    Channels sweeps on every `receive`, and every open socket keeps a queue in the layer while it
    waits, so each delivered message cost a pass over all the process's sockets: an event to
    1,000 subscribers was a million steps (bench/live.py measured over a second). Messages expire
    after a minute, so sweeping a second late changes nothing a reader could notice.
    """

    SWEEP_SECONDS = 1.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._next_sweep = 0.0

    def _clean_expired(self) -> None:
        now = time.monotonic()
        if now < self._next_sweep:
            return
        self._next_sweep = now + self.SWEEP_SECONDS
        super()._clean_expired()


def publish(group: str, stream: str, data: dict[str, Any], object_id: str | None = None) -> None:
    """Send an event to every socket that joined `group`, in this or any other process.

    The message names its group: each server process receives it once, on the one channel
    through which it follows that group for all its sockets (core.consumers.ProcessFanout).
    """
    message = {"type": "live.event", "group": group, "stream": stream, "id": object_id,
               "data": data}  # fmt: skip
    if not uses_postgres_bridge():
        # Like NOTIFY, only once the change is committed: a rolled-back change never announces
        # itself (outside a transaction this sends at once).
        transaction.on_commit(lambda: _send_through_layer(group, message))
        return
    payload = json.dumps({"group": group, "message": message}, separators=(",", ":"))
    if len(payload.encode()) > MAX_NOTIFY_BYTES:
        raise ValueError("Live events carry references, not documents: this one is too large.")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_notify(%s, %s)", [NOTIFY_CHANNEL, payload])


def _send_through_layer(group: str, message: dict[str, Any]) -> None:
    send = async_to_sync(get_channel_layer().group_send)
    try:
        if _loop_runs_here():
            # Sync code called inside a running event loop (a browser driver's, in the tests)
            # cannot wait on the layer from this thread: send from a thread of its own.
            with ThreadPoolExecutor(1) as pool:
                pool.submit(send, group, message).result()
        else:
            send(group, message)
    except REDIS_UNAVAILABLE_ERRORS as error:
        # Without Redis no page holds a live socket (core.consumers closes them), so the
        # event has nobody to reach; the change that sent it must not fail for that.
        logger.warning("Dropped a live event for %s: Redis is unreachable (%s)", group, error)


def _loop_runs_here() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


class PostgresBridge:
    """Listens for NOTIFY in a server process and forwards events into its channel layer."""

    def __init__(self) -> None:
        self._task: asyncio.Task | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self.ready = asyncio.Event()

    def ensure_running(self) -> asyncio.Event:
        loop = asyncio.get_running_loop()
        if self._task is None or self._task.done() or self._loop is not loop:
            self._loop = loop
            self.ready = asyncio.Event()
            self._task = loop.create_task(self._listen_forever())
        return self.ready

    @staticmethod
    def _conninfo() -> dict[str, Any]:
        params = connection.get_connection_params()
        keys = ("dbname", "user", "password", "host", "port", "sslmode")
        return {key: params[key] for key in keys if params.get(key)}

    async def _listen_forever(self) -> None:
        import psycopg

        layer = get_channel_layer()
        pause = 0.5
        lost = False
        while True:
            try:
                conn = await psycopg.AsyncConnection.connect(**self._conninfo(), autocommit=True)
                async with conn:
                    await conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
                    self.ready.set()
                    if lost:
                        logger.warning("Live bridge reconnected to the database.")
                    lost, pause = False, 0.5
                    async for notification in conn.notifies():
                        await self._forward(layer, notification.payload)
            except asyncio.CancelledError:
                raise
            except Exception as error:
                self.ready.clear()
                # One line when the database goes away (a restart is not a crash), then quiet
                # retries with a growing pause until it is back.
                if not lost:
                    logger.warning("Live bridge lost its database connection (%s); retrying", error)
                else:
                    logger.debug("Live bridge still cannot reach the database: %s", error)
                lost = True
                await asyncio.sleep(pause)
                pause = min(5.0, pause * 2)

    @staticmethod
    async def _forward(layer, payload: str) -> None:
        try:
            event = json.loads(payload)
            message = event["message"]
            message.setdefault("group", event["group"])  # sent by an older release
            await layer.group_send(event["group"], message)
        except (ValueError, KeyError, TypeError, AttributeError):
            logger.warning("Ignored a malformed live event: %.200s", payload)


bridge = PostgresBridge()
