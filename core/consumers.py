"""The one websocket of a browser page, multiplexing every live stream the page follows.

A page opens `/ws/live/?lang=xx` once and subscribes to the streams it shows (a thread, the
member's notifications, site-wide publishing news). Apps declare stream kinds in
`core.registries.live_streams`; each declaration decides which channel-layer group a user may
join, so this consumer never knows about forums or notifications themselves.

Frames from the browser are JSON objects: `{"type": "subscribe", "stream": "...", "id": "..."}`,
`{"type": "unsubscribe", ...}` or `{"type": "ping"}`. Anything else gets an `error` frame with a
message in the page's language, and the connection stays open.

Taking a permission away reaches open sockets through `core.live.revoke_user`, `revoke_object`
and `revoke_stream`: a socket joins the control groups of its member and of what it follows, and
on a revoke it loads its member afresh (from the session, which a log-out has emptied) and asks
each affected stream's `group_for` again; a stream it may no longer read is left, and the page is
told with a `revoked` frame. A socket that sends too much is slowed down (`rate_limited` errors),
then closed.

Events reach sockets through the process, not one by one: a process follows each group once,
on one channel of its own (`ProcessFanout`), encodes each event's frame once and writes it to
every socket of the process that follows the group. An event to 1,000 readers is one
channel-layer message per process instead of 1,000 (and, with Redis, one read instead of 1,000).
While a socket re-checks its permissions (a revoke) or subscribes, the frames for it wait, and
those of a stream it has just lost are dropped: nothing reaches a page after "revoked".

With Redis as the channel layer, a Redis restart loses every socket's subscriptions (the groups
lived in Redis). The process's sockets are then all closed with code 1012 ("service restart"),
and each page's script reconnects and subscribes again once Redis answers (static/js/site.js).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
import weakref
from importlib import import_module
from types import SimpleNamespace
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from .cache_faults import REDIS_UNAVAILABLE_ERRORS, report_outage
from .live import bridge, member_control_group, stream_control_group, uses_postgres_bridge
from .ratelimit import hit
from .registries import live_streams
from .sanctions import refusal

logger = logging.getLogger(__name__)

MAX_FRAME_BYTES = 4096
SERVICE_RESTART = 1012  # RFC 6455 close code: "reconnect, the server is restarting"
MAX_SUBSCRIPTIONS = 20
POLICY_VIOLATION = 1008  # RFC 6455: the socket is closed for what it sent
# What one socket may send: a page sends a handful of subscriptions and a ping now and then.
FRAMES_PER_WINDOW = 30
FRAME_WINDOW_SECONDS = 10
# Subscriptions cost a permission check each: counted per member (or address) across sockets.
SUBSCRIBES_PER_MINUTE = 120


def _group_for(stream_key: str, user, object_id: str | None) -> str | None:
    stream = live_streams.get(stream_key)
    if stream is None:
        return None
    return stream.group_for(user, object_id)


def _unsanctioned(user):
    """`user`, or an anonymous one when the moderators suspended or banned the account: its
    session still holds it until its next page request (`SanctionMiddleware`), a socket must
    not wait for that."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import AnonymousUser

    if not isinstance(user, get_user_model()):
        return user  # anonymous, or a stand-in from a tool or test: no account to sanction
    return AnonymousUser() if refusal(user) is not None else user


def _without_second_factor(session, user):
    """`user`, restricted to an ordinary member's permissions when its session has not given the
    second factor its account needs (`core.privilege`): a password alone follows no stream a
    member could not."""
    from .guards import restrict_without_second_factor

    if session is None:
        return user  # a socket without a session (tests, tools): nothing to read it from
    return restrict_without_second_factor(SimpleNamespace(session=session), user)


def _current_user(scope):
    """The socket's member as they are now: a log-out, a suspension or a ban shows here."""
    from django.contrib.auth import get_user, get_user_model
    from django.contrib.auth.models import AnonymousUser

    session = scope.get("session")
    key = getattr(session, "session_key", None) if session is not None else None
    if key:
        store = import_module(settings.SESSION_ENGINE).SessionStore(key)
        user = _unsanctioned(get_user(SimpleNamespace(session=store)))
        return _without_second_factor(store, user)
    user = scope.get("user")
    if user is None or not getattr(user, "is_authenticated", False):
        return AnonymousUser()
    model = get_user_model()
    if isinstance(user, model):  # a socket without a session (tests, tools): reload the row
        found = model._default_manager.filter(pk=user.pk, is_active=True).first()
        return _unsanctioned(found) if found is not None else AnonymousUser()
    return _unsanctioned(user)


def _control_groups(keys) -> set[str]:
    groups = set()
    for stream, object_id in keys:
        groups.add(stream_control_group(stream))
        if object_id is not None and (one := stream_control_group(stream, object_id)):
            groups.add(one)
    return groups


# Every open live socket of this process: when Redis is lost, all of them have lost their groups.
_open_sockets: weakref.WeakSet[LiveConsumer] = weakref.WeakSet()


async def _close_all_for_restart() -> None:
    for socket in list(_open_sockets):
        await socket.close_for_restart()


class ProcessFanout:
    """This process's sockets that follow each live group, behind one channel of the layer.

    A socket that subscribes joins the group here; the process's channel joins the group in the
    channel layer when its first socket does and leaves it with its last. Each `live.event`
    then arrives once per process (it names its group, see `core.live.publish`), its frame is
    encoded once, and written to every following socket in turn. One per event loop and layer
    (`for_layer`): a test that swaps the layer gets a fresh one.
    """

    def __init__(self, layer) -> None:
        self.layer = layer
        self.loop = asyncio.get_running_loop()
        self.channel: str | None = None
        self.readers: dict[str, set[LiveConsumer]] = {}
        self.lock = asyncio.Lock()
        self.task: asyncio.Task | None = None

    @classmethod
    def for_layer(cls, layer) -> ProcessFanout:
        fanout = _fanouts.get(layer)
        if fanout is None or fanout.loop is not asyncio.get_running_loop():
            fanout = _fanouts[layer] = cls(layer)
        return fanout

    async def join(self, group: str, socket: LiveConsumer) -> None:
        async with self.lock:
            if self.task is None or self.task.done():
                # First use, or the receiving task died with Redis: start afresh (the groups
                # went with Redis, and every socket that followed them was closed).
                self.readers.clear()
                self.channel = await self.layer.new_channel()
                self.task = self.loop.create_task(self._receive_forever(self.channel))
            # Added again for every socket that joins: a Redis restarted in a flash forgot the
            # groups without an error anyone saw, and the membership expires (a day) unless
            # renewed. What reaches each socket stays one message per process.
            await self.layer.group_add(group, self.channel)
            self.readers.setdefault(group, set()).add(socket)

    async def leave(self, group: str, socket: LiveConsumer) -> None:
        readers = self.readers.get(group)
        if readers is None:
            return
        readers.discard(socket)  # at once: no frame of this group reaches it any more
        async with self.lock:
            if self.readers.get(group) == set():
                del self.readers[group]
                await self.layer.group_discard(group, self.channel)

    async def _receive_forever(self, channel: str) -> None:
        try:
            while True:
                message = await self.layer.receive(channel)
                try:
                    self.deliver(message)
                except Exception:  # one bad message must not stop every page's events
                    logger.exception("Could not deliver a live event")
        except REDIS_UNAVAILABLE_ERRORS as error:
            report_outage("The live channel layer lost Redis (%s); the pages reconnect", error)
            self.readers.clear()
            await _close_all_for_restart()

    def deliver(self, message: dict) -> None:
        """Encode a `live.event` once and hand the frame to every socket of its group here."""
        if message.get("type") != "live.event":
            logger.warning("Ignored a %s message on the live fan-out channel", message.get("type"))
            return
        group = message.get("group")
        readers = self.readers.get(group)
        if not readers:
            return
        text = json.dumps(
            {
                "type": "event",
                "stream": message.get("stream"),
                "id": message.get("id"),
                "data": message.get("data", {}),
            }
        )
        for socket in list(readers):
            socket.forward(group, text)


_fanouts: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


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
            await _close_all_for_restart()
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
        self.controls: set[str] = set()
        self.fanout = ProcessFanout.for_layer(self.channel_layer)
        # Frames held while this socket subscribes or re-checks (None: write them at once).
        self._held: list[tuple[str, str]] | None = None
        self._too_slow = False
        self._window, self._frames = -FRAME_WINDOW_SECONDS, 0
        if uses_postgres_bridge():
            # Events from other processes arrive through the bridge: listen before accepting.
            await asyncio.wait_for(bridge.ensure_running().wait(), timeout=10)
        user = self.scope.get("user")
        if user is not None and getattr(user, "is_authenticated", False):
            # A suspended or banned member's session opens a socket as anyone would; one that
            # has not given its second factor, as an ordinary member.
            self.scope["user"] = user = await database_sync_to_async(_without_second_factor)(
                self.scope.get("session"), _unsanctioned(user)
            )
        if user is not None and getattr(user, "is_authenticated", False):
            await self._join_controls({member_control_group(user.pk)})
        await self.accept()

    async def _join_controls(self, wanted: set[str]) -> None:
        for group in wanted - self.controls:
            await self.channel_layer.group_add(group, self.channel_name)
        self.controls |= wanted

    async def _leave_unused_controls(self) -> None:
        user = self.scope.get("user")
        keep = _control_groups(self.subscriptions)
        if user is not None and getattr(user, "is_authenticated", False):
            keep.add(member_control_group(user.pk))
        for group in self.controls - keep:
            await self.channel_layer.group_discard(group, self.channel_name)
        self.controls &= keep

    async def disconnect(self, code: int) -> None:
        try:
            for group in set(getattr(self, "subscriptions", {}).values()):
                await self.fanout.leave(group, self)
            for group in getattr(self, "controls", set()):
                await self.channel_layer.group_discard(group, self.channel_name)
        except REDIS_UNAVAILABLE_ERRORS:
            pass  # the groups went with Redis; nothing left to leave

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        with translation.override(self.language):
            if not await self._within_rate():
                return
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

    async def _within_rate(self) -> bool:
        # The window opens with the first frame it counts, so a burst is never split in two.
        now = time.monotonic()
        if now - self._window >= FRAME_WINDOW_SECONDS:
            self._window, self._frames = now, 0
        self._frames += 1
        if self._frames <= FRAMES_PER_WINDOW:
            return True
        if self._frames > 2 * FRAMES_PER_WINDOW:  # told, and still flooding: hang up
            await self.close(code=POLICY_VIOLATION)
        elif self._frames == FRAMES_PER_WINDOW + 1:
            await self._error("rate_limited", _("Too many messages: slow down."))
        return False

    def _rate_key(self) -> str:
        user = self.scope.get("user")
        if user is not None and getattr(user, "is_authenticated", False):
            return f"u{user.pk}"
        client = self.scope.get("client") or ("?",)
        return f"a{client[0]}"

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
                await self.fanout.leave(group, self)
            await self._leave_unused_controls()
            await self._send({"type": "unsubscribed", "stream": stream, "id": object_id})
            return
        if len(self.subscriptions) >= MAX_SUBSCRIPTIONS:
            await self._error("too_many", _("This page follows too many live streams."))
            return
        allowed = await database_sync_to_async(hit)(
            "live-subscribe", self._rate_key(), SUBSCRIBES_PER_MINUTE, 60
        )
        if not allowed:
            await self._error("rate_limited", _("Too many messages: slow down."))
            return
        user = self.scope.get("user")
        group = await database_sync_to_async(_group_for)(stream, user, object_id)
        if group is None:
            await self._error("forbidden", _("You may not follow this live stream."), stream=stream)
            return
        self.subscriptions[key] = group
        # The control groups first: a revoke sent meanwhile must not miss this socket.
        await self._join_controls(_control_groups([key]))
        self._hold()  # an event sent meanwhile follows the "subscribed" frame
        try:
            await self.fanout.join(group, self)
            await self._send({"type": "subscribed", "stream": stream, "id": object_id})
        finally:
            await self._release()

    def _hold(self) -> None:
        if self._held is None:
            self._held = []

    async def _release(self) -> None:
        """Write the frames held meanwhile, except those of a stream no longer followed."""
        held = self._held
        while held:
            group, text = held.pop(0)
            if group in self.subscriptions.values():
                await self.send(text_data=text)
        self._held = None

    def forward(self, group: str, text: str) -> None:
        """An event's frame for this socket (from `ProcessFanout`): written now, or held."""
        if self._held is not None:
            self._held.append((group, text))
            return
        if self._closing or self._too_slow:
            return
        # Written without a task of its own: the server's send returns at once unless the
        # socket's write buffer is full (a page that stopped reading). That page is dropped
        # rather than let it stall every other socket; its script reconnects and catches up.
        write = self.base_send({"type": "websocket.send", "text": text})
        try:
            write.send(None)
        except StopIteration:
            return
        except Exception:  # the client is gone; its disconnect is on its way
            logger.debug("Could not write a live event to a closed socket", exc_info=True)
            return
        write.close()
        self._too_slow = True
        logger.info("Closed a live socket that stopped reading its events")
        self._slow_close = asyncio.ensure_future(self.close_for_restart())

    async def live_revoke(self, message: dict) -> None:
        """A revoke reached this socket: re-check what it concerns, leave what is no longer ours."""
        stream, object_id = message.get("stream"), message.get("id")
        affected = [
            key
            for key in self.subscriptions
            if stream is None or (key[0] == stream and object_id in (None, key[1]))
        ]
        if not affected:
            return
        self._hold()  # until the re-check says which streams this socket still follows
        try:
            await self._recheck(affected)
        finally:
            await self._release()

    async def _recheck(self, affected: list[tuple[str, str | None]]) -> None:
        user = await database_sync_to_async(_current_user)(self.scope)
        self.scope["user"] = user
        for key in affected:
            old = self.subscriptions[key]
            group = await database_sync_to_async(_group_for)(key[0], user, key[1])
            if group == old:
                continue
            if group is None:
                del self.subscriptions[key]
            else:
                self.subscriptions[key] = group
                await self.fanout.join(group, self)
            if old not in self.subscriptions.values():
                await self.fanout.leave(old, self)
            if group is None:
                with translation.override(self.language):
                    text = _("You can no longer follow this live stream.")
                await self._send({"type": "revoked", "stream": key[0], "id": key[1],
                                  "message": text})  # fmt: skip
        await self._leave_unused_controls()

    async def _error(self, code: str, message: str, **extra) -> None:
        await self._send({"type": "error", "code": code, "message": message, **extra})

    async def _send(self, payload: dict) -> None:
        await self.send(text_data=json.dumps(payload))
