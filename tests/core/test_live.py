"""The page's one websocket: subscriptions, permissions, bad frames, and delivery.

Each test runs on both real set-ups: the embedded default (in-memory layer per process, bridged
across processes by PostgreSQL LISTEN/NOTIFY) and Redis where REDIS_TEST_URL names a server
(CI sets it). Publishing happens outside a test transaction, as it does in a real process.
"""

from __future__ import annotations

import json
import os
from types import SimpleNamespace

import pytest
from asgiref.sync import sync_to_async
from channels import DEFAULT_CHANNEL_LAYER
from channels.layers import channel_layers
from channels.testing import WebsocketCommunicator

from django.contrib.auth.models import AnonymousUser
from django.utils import translation
from django.utils.translation import gettext

from core.consumers import LiveConsumer
from core.live import SITE_GROUP, publish, user_group
from tests.conftest import require, run_async


@pytest.fixture(params=["postgres", "redis"])
def layer(request, settings, django_db_setup, django_db_blocker):
    if request.param == "redis":
        url = os.environ.get("REDIS_TEST_URL")
        require(bool(url), "REDIS_TEST_URL is not set: the Redis channel layer is not tested")
        settings.CHANNEL_LAYERS = {
            "default": {
                "BACKEND": "channels_redis.core.RedisChannelLayer",
                "CONFIG": {"hosts": [url], "prefix": f"test-{os.getpid()}"},
            }
        }
    channel_layers.backends = {}
    with django_db_blocker.unblock():  # the PostgreSQL layer keeps its messages in tables
        yield request.param
    channel_layers.backends = {}


def run(scenario):
    run_async(scenario)


async def connect(user=None, lang="en") -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(LiveConsumer.as_asgi(), f"/ws/live/?lang={lang}")
    communicator.scope["user"] = user or AnonymousUser()
    connected, _ = await communicator.connect()
    assert connected
    return communicator


async def send(communicator: WebsocketCommunicator, frame) -> dict:
    text = frame if isinstance(frame, str) else json.dumps(frame)
    await communicator.send_to(text_data=text)
    return json.loads(await communicator.receive_from(timeout=5))


def test_unreadable_frames_get_a_translated_error_and_the_socket_stays_open(layer):
    async def scenario():
        socket = await connect(lang="fr")
        error = await send(socket, "{not json")
        assert error["type"] == "error" and error["code"] == "bad_frame"
        with translation.override("fr"):
            french = gettext("This message could not be read.")
        assert error["message"] == french != "This message could not be read."
        assert (await send(socket, "[1, 2]"))["code"] == "bad_frame"
        assert (await send(socket, {"type": "dance"}))["code"] == "unknown_type"
        assert (await send(socket, "x" * 5000))["code"] == "bad_frame"
        assert (await send(socket, {"type": "ping"})) == {"type": "pong"}
        await socket.disconnect()

    run(scenario)


def test_errors_are_in_the_language_of_the_page(layer):
    async def scenario():
        english = await connect(lang="en")
        arabic = await connect(lang="ar")
        frame = {"type": "subscribe", "stream": "no-such-stream"}
        assert (await send(english, frame))["message"] == "There is no such live stream."
        assert (await send(arabic, frame))["message"] != "There is no such live stream."
        await english.disconnect()
        await arabic.disconnect()

    run(scenario)


def test_anonymous_visitors_cannot_follow_notifications(layer):
    async def scenario():
        socket = await connect()
        reply = await send(socket, {"type": "subscribe", "stream": "notifications"})
        assert reply["type"] == "error" and reply["code"] == "forbidden"
        await socket.disconnect()

    run(scenario)


def test_a_member_receives_their_own_notifications_and_not_anothers(layer):
    alice = SimpleNamespace(pk=101, is_authenticated=True)
    bob = SimpleNamespace(pk=102, is_authenticated=True)

    async def scenario():
        alice_socket = await connect(alice)
        bob_socket = await connect(bob)
        for socket in (alice_socket, bob_socket):
            reply = await send(socket, {"type": "subscribe", "stream": "notifications"})
            assert reply == {"type": "subscribed", "stream": "notifications", "id": None}
        await sync_to_async(publish)(user_group(alice.pk), "notifications", {"text": "Hi Alice"})
        event = json.loads(await alice_socket.receive_from(timeout=5))
        assert event == {"type": "event", "stream": "notifications", "id": None,
                         "data": {"text": "Hi Alice"}}  # fmt: skip
        assert await bob_socket.receive_nothing(timeout=0.5)
        await alice_socket.disconnect()
        await bob_socket.disconnect()

    run(scenario)


async def group_members(group: str) -> int:
    """How many channels the layer sends a message for `group` to."""
    layer = channel_layers[DEFAULT_CHANNEL_LAYER]
    if hasattr(layer, "groups"):  # the in-memory layer
        return len(layer.groups.get(group, {}))
    connection = layer.connection(layer.consistent_hash(group))
    return await connection.zcard(layer._group_key(group))


def test_site_news_reaches_every_subscribed_page_until_it_unsubscribes(layer):
    async def scenario():
        socket, other = await connect(), await connect()
        for page in (socket, other):
            await send(page, {"type": "subscribe", "stream": "site"})
        # The process follows the group once for all its pages: one message per event.
        assert await group_members(SITE_GROUP) == 1
        await sync_to_async(publish)(SITE_GROUP, "site", {"event": "page_changed", "page": 1})
        for page in (socket, other):
            event = json.loads(await page.receive_from(timeout=5))
            assert event["data"] == {"event": "page_changed", "page": 1}
        reply = await send(socket, {"type": "unsubscribe", "stream": "site"})
        assert reply["type"] == "unsubscribed"
        await sync_to_async(publish)(SITE_GROUP, "site", {"event": "page_changed", "page": 2})
        assert json.loads(await other.receive_from(timeout=5))["data"]["page"] == 2
        assert await socket.receive_nothing(timeout=0.5)
        await other.disconnect()  # its last page gone, the process leaves the group
        assert await group_members(SITE_GROUP) == 0
        await socket.disconnect()

    run(scenario)


def test_a_page_cannot_follow_unlimited_streams(layer):
    async def scenario():
        socket = await connect()
        for index in range(20):
            reply = await send(socket, {"type": "subscribe", "stream": "site", "id": str(index)})
            assert reply["type"] == "subscribed"
        reply = await send(socket, {"type": "subscribe", "stream": "site", "id": "21"})
        assert reply["code"] == "too_many"
        await socket.disconnect()

    run(scenario)


def test_a_change_that_is_rolled_back_never_announces_itself(layer):
    from django.db import transaction

    def publish_then_roll_back(page: int) -> None:
        try:
            with transaction.atomic():
                publish(SITE_GROUP, "site", {"event": "page_changed", "page": page})
                raise RuntimeError("the change failed")
        except RuntimeError:
            pass

    async def scenario():
        socket = await connect()
        await send(socket, {"type": "subscribe", "stream": "site"})
        await sync_to_async(publish_then_roll_back)(3)
        assert await socket.receive_nothing(timeout=0.5)
        await sync_to_async(publish)(SITE_GROUP, "site", {"event": "page_changed", "page": 4})
        event = json.loads(await socket.receive_from(timeout=5))
        assert event["data"]["page"] == 4
        await socket.disconnect()

    run(scenario)


def test_a_socket_that_floods_is_told_to_slow_down_then_closed(layer):
    async def scenario():
        socket = await connect(lang="fr")
        for _ in range(30):
            await socket.send_to(text_data='{"type": "ping"}')
            assert json.loads(await socket.receive_from(timeout=5)) == {"type": "pong"}
        error = await send(socket, {"type": "ping"})
        with translation.override("fr"):
            french = gettext("Too many messages: slow down.")
        assert (error["code"], error["message"]) == ("rate_limited", french)
        for _ in range(29):  # still too many: ignored without an answer
            await socket.send_to(text_data='{"type": "ping"}')
        assert await socket.receive_nothing(timeout=0.2)
        await socket.send_to(text_data='{"type": "ping"}')
        closed = await socket.receive_output(timeout=5)
        assert closed == {"type": "websocket.close", "code": 1008}

    run(scenario)
