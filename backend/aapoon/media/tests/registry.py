"""A running Janus as a node of the registry, and what a node holds (asked as only tests need)."""

from typing import Any

from aapoon.media.models import MediaNode
from aapoon.media.nodes import client_for
from aapoon.media.testing import RunningJanus


def register_node(janus: RunningJanus, settings: Any, *, load: int = 0, capacity: int = 200) -> MediaNode:
    """The running Janus as a healthy node, with its secrets in settings.JANUS_NODES."""
    entry = janus.node_settings(capacity=capacity)
    settings.JANUS_NODES = [*(n for n in settings.JANUS_NODES if n["name"] != janus.name), entry]
    return MediaNode.objects.create(
        name=janus.name,
        api_url=entry["api_url"],
        admin_url=entry["admin_url"],
        public_url=entry["public_url"],
        capacity=capacity,
        healthy=True,
        load=load,
    )


def room_exists(*, node: MediaNode, room_id: str) -> bool:
    return bool(client_for(node).videoroom({"request": "exists", "room": room_id}).get("exists"))
