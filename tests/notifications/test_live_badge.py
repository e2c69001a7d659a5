"""The unread count reaches the member's open page over the real live socket, and only theirs."""

from __future__ import annotations

import json

from asgiref.sync import sync_to_async
from channels.layers import channel_layers

from tests.core.test_live import connect, run, send
from tests.members.conftest import make_member
from tests.organisations.conftest import make_organisation


def test_a_new_notification_pushes_the_unread_count_to_the_members_socket_only(committed_db):
    from core.notify import notify

    channel_layers.backends = {}
    member, _ = make_member()
    other, _ = make_member()
    organisation = make_organisation(name="Live Badge Association")
    try:

        async def scenario():
            mine, theirs = await connect(member), await connect(other)
            for socket in (mine, theirs):
                reply = await send(socket, {"type": "subscribe", "stream": "notifications"})
                assert reply["type"] == "subscribed"
            await sync_to_async(notify)(
                "organisations.verification", member, target=organisation,
                decision="approved", organisation=organisation.name,
            )  # fmt: skip
            event = json.loads(await mine.receive_from(timeout=5))
            assert event["stream"] == "notifications"
            assert event["data"] == {"event": "unread", "unread": 1}  # a count, no content
            assert await theirs.receive_nothing(timeout=0.3)
            await mine.disconnect()
            await theirs.disconnect()

        run(scenario)
    finally:
        organisation.delete()
        member.delete()
        other.delete()
        channel_layers.backends = {}
