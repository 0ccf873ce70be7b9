"""The signed-in user's live group: the `/ws/me/` consumer joins it, notifications publish to it."""

from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer


def user_group(user_id: object) -> str:
    return f"user.{user_id}"


def user_event_send(*, user_id: object, payload: dict[str, Any]) -> None:
    """Send `payload` to every open socket of the user (the consumer forwards it as it is)."""
    layer = get_channel_layer()
    assert layer is not None
    async_to_sync(layer.group_send)(user_group(user_id), {"type": "user.event", "payload": payload})
