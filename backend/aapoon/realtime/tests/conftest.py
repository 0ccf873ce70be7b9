import uuid

import pytest
from channels.layers import get_channel_layer

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
