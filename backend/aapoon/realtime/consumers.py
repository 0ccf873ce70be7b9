"""The signed-in user's own live channel: the web app keeps one open while signed in.

Notifications publish to the user's group (named by the notifications app, which may not
import realtime).
"""

from typing import Any

from channels.generic.websocket import AsyncJsonWebsocketConsumer

from aapoon.notifications.live import user_group


class UserEventsConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            # Accept first: a close before the handshake becomes an HTTP 403 (the browser sees
            # only 1006), and the client needs 4401 to know retrying cannot help.
            await self.accept()
            await self.close(code=4401)
            return
        self.group = user_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self.send_json({"type": "hello", "user_id": str(user.pk)})

    async def disconnect(self, code: int) -> None:
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"type": "pong"})
        else:
            await self.send_json({"type": "error", "code": "unknown_message"})

    async def user_event(self, event: dict[str, Any]) -> None:
        await self.send_json(event["payload"])
