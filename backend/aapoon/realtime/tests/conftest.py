import uuid

import pytest
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator

from aapoon.realtime import meeting_consumer

LAYERS = {
    # The embedded default.
    "local": {"BACKEND": "aapoon.realtime.layers.LocalChannelLayer"},
    # Several app nodes; a prefix of our own, so parallel runs never see each other's messages.
    "redis": {
        "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
        "CONFIG": {"hosts": ["redis://127.0.0.1:6379/0"]},
    },
}


@pytest.fixture(params=list(LAYERS))
def channel_layer(request, settings):
    """Each socket test runs on both channel layers the product uses."""
    config = {**LAYERS[request.param]}
    if request.param == "redis":
        config["CONFIG"] = {**config["CONFIG"], "prefix": f"test-{uuid.uuid4().hex[:8]}"}
    settings.CHANNEL_LAYERS = {"default": config}
    assert type(get_channel_layer()).__name__ == config["BACKEND"].rsplit(".", 1)[1]
    return request.param


@pytest.fixture
async def sockets(channel_layer, settings):
    """Every socket a test opens, disconnected at the end (as a browser tab closing would)."""
    opened: list[WebsocketCommunicator] = []
    yield opened
    # Closing them must not set sessions leaving in the background while the database is reset.
    settings.MEETING_RECONNECT_GRACE_SECONDS = 3600
    for socket in opened:
        await socket.disconnect(timeout=3)
    for task in list(meeting_consumer._grace_tasks):
        task.cancel()
