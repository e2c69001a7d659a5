"""Publishing to the live streams from synchronous code (views, signal handlers, tasks)."""

from __future__ import annotations

from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer


def publish(group: str, stream: str, data: dict[str, Any], object_id: str | None = None) -> None:
    """Send an event to every socket that joined `group`, in this or any other process."""
    layer = get_channel_layer()
    if layer is None:
        return
    async_to_sync(layer.group_send)(
        group, {"type": "live.event", "stream": stream, "id": object_id, "data": data}
    )


def user_group(user_id: int) -> str:
    return f"user-{user_id}"


SITE_GROUP = "site"
