"""The one websocket of a browser page, multiplexing every live stream the page follows.

A page opens `/ws/live/?lang=xx` once and subscribes to the streams it shows (a thread, the
member's notifications, site-wide publishing news). Apps declare stream kinds in
`core.registries.live_streams`; each declaration decides which channel-layer group a user may
join, so this consumer never knows about forums or notifications themselves.

Frames from the browser are JSON objects: `{"type": "subscribe", "stream": "...", "id": "..."}`,
`{"type": "unsubscribe", ...}` or `{"type": "ping"}`. Anything else gets an `error` frame with a
message in the page's language, and the connection stays open.

With Redis as the channel layer, a Redis restart loses every socket's subscriptions (the groups
lived in Redis). The process's sockets are then all closed with code 1012 ("service restart"),
and each page's script reconnects and subscribes again once Redis answers (static/js/site.js).
"""

from __future__ import annotations

import asyncio
import json
import logging
import weakref
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from .cache_faults import REDIS_UNAVAILABLE_ERRORS, report_outage
from .live import bridge, uses_postgres_bridge
from .registries import live_streams

logger = logging.getLogger(__name__)

MAX_FRAME_BYTES = 4096
SERVICE_RESTART = 1012  # RFC 6455 close code: "reconnect, the server is restarting"
MAX_SUBSCRIPTIONS = 20


def _group_for(stream_key: str, user, object_id: str | None) -> str | None:
    stream = live_streams.get(stream_key)
    if stream is None:
        return None
    return stream.group_for(user, object_id)


# Every open live socket of this process: when Redis is lost, all of them have lost their groups.
_open_sockets: weakref.WeakSet[LiveConsumer] = weakref.WeakSet()


class LiveConsumer(AsyncWebsocketConsumer):
    async def __call__(self, scope, receive, send) -> None:
        self._closing = False
        _open_sockets.add(self)
        try:
            await super().__call__(scope, receive, send)
        except REDIS_UNAVAILABLE_ERRORS as error:
            # The channel layer lost Redis, and every socket's groups with it. Only the socket
            # whose turn it was to read from Redis sees the error (channels_redis reads for the
            # whole process through one connection): close them all, so that every page
            # reconnects and subscribes again rather than stay open and deaf.
            report_outage("The live channel layer lost Redis (%s); the pages reconnect", error)
            self._closing = True
            try:
                await send({"type": "websocket.close", "code": SERVICE_RESTART})
            except Exception:  # the client may be gone already
                logger.debug("The live socket was already closed", exc_info=True)
            for other in list(_open_sockets):
                await other.close_for_restart()
        finally:
            _open_sockets.discard(self)

    async def close_for_restart(self) -> None:
        """Close this socket with "service restart", so that the page's script reconnects."""
        if self._closing:
            return
        self._closing = True
        try:
            await self.close(code=SERVICE_RESTART)
        except Exception:
            logger.debug("The live socket was already closed", exc_info=True)

    async def connect(self) -> None:
        query = parse_qs(self.scope.get("query_string", b"").decode())
        requested = (query.get("lang") or [settings.LANGUAGE_CODE])[0]
        codes = {code for code, _name in settings.LANGUAGES}
        self.language = requested if requested in codes else settings.LANGUAGE_CODE
        self.subscriptions: dict[tuple[str, str | None], str] = {}
        if uses_postgres_bridge():
            # Events from other processes arrive through the bridge: listen before accepting.
            await asyncio.wait_for(bridge.ensure_running().wait(), timeout=10)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        try:
            for group in set(self.subscriptions.values()):
                await self.channel_layer.group_discard(group, self.channel_name)
        except REDIS_UNAVAILABLE_ERRORS:
            pass  # the groups went with Redis; nothing left to leave

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        with translation.override(self.language):
            if text_data is None or len(text_data.encode()) > MAX_FRAME_BYTES:
                await self._error("bad_frame", _("This message could not be read."))
                return
            try:
                frame = json.loads(text_data)
            except ValueError:
                await self._error("bad_frame", _("This message could not be read."))
                return
            if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
                await self._error("bad_frame", _("This message could not be read."))
                return
            kind = frame["type"]
            if kind == "ping":
                await self._send({"type": "pong"})
            elif kind in {"subscribe", "unsubscribe"}:
                await self._subscription(kind, frame)
            else:
                await self._error("unknown_type", _("This kind of message is not supported."))

    async def _subscription(self, kind: str, frame: dict) -> None:
        stream = frame.get("stream")
        object_id = frame.get("id")
        if object_id is not None:
            object_id = str(object_id)
        if not isinstance(stream, str) or stream not in live_streams:
            await self._error("unknown_stream", _("There is no such live stream."))
            return
        key = (stream, object_id)
        if kind == "unsubscribe":
            group = self.subscriptions.pop(key, None)
            if group and group not in self.subscriptions.values():
                await self.channel_layer.group_discard(group, self.channel_name)
            await self._send({"type": "unsubscribed", "stream": stream, "id": object_id})
            return
        if len(self.subscriptions) >= MAX_SUBSCRIPTIONS:
            await self._error("too_many", _("This page follows too many live streams."))
            return
        user = self.scope.get("user")
        group = await database_sync_to_async(_group_for)(stream, user, object_id)
        if group is None:
            await self._error("forbidden", _("You may not follow this live stream."), stream=stream)
            return
        self.subscriptions[key] = group
        await self.channel_layer.group_add(group, self.channel_name)
        await self._send({"type": "subscribed", "stream": stream, "id": object_id})

    async def live_event(self, message: dict) -> None:
        """A `live.event` sent to a group this socket joined: forward it to the page."""
        await self._send(
            {
                "type": "event",
                "stream": message.get("stream"),
                "id": message.get("id"),
                "data": message.get("data", {}),
            }
        )

    async def _error(self, code: str, message: str, **extra) -> None:
        await self._send({"type": "error", "code": code, "message": message, **extra})

    async def _send(self, payload: dict) -> None:
        await self.send(text_data=json.dumps(payload))
