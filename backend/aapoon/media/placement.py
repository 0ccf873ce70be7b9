"""VideoRoom rooms on Janus nodes: where a meeting goes, the room's life, and who may enter it.

Rooms are private and created with a secret and a pin both derived from SECRET_KEY and the room
id, so any app node can compute them and nothing secret is stored. Entry is checked with the
room's `allowed` list: a participant's grant adds their room token, leaving removes it; and only
a publisher in the room can subscribe (its `private_id`, `require_pvtid`), so a kick also ends
what the kicked publisher was watching.
Everything here talks to Janus: never call it inside a database transaction.
"""

import hashlib
import hmac
import logging
import uuid
from typing import Any, TypedDict

from django.conf import settings

from aapoon.media import selectors
from aapoon.media.ice import IceServer, ice_servers_for
from aapoon.media.janus.client import VIDEOROOM_PLUGIN
from aapoon.media.janus.errors import NO_SUCH_FEED, NO_SUCH_ROOM, ROOM_EXISTS, JanusError
from aapoon.media.janus.tokens import janus_token
from aapoon.media.models import MediaNode
from aapoon.media.nodes import client_for, node_secrets

logger = logging.getLogger(__name__)

# A publisher's camera feed: audio at mid "0", video at mid "1" (docs/sfu.md).
AUDIO_MID, VIDEO_MID = "0", "1"
SCREEN_SUFFIX = ":screen"
# The room's cap on a publisher's bitrate (REMB): room for three simulcast layers of a camera.
ROOM_BITRATE = 2_000_000
# How often (seconds) Janus asks publishers for a keyframe, so a new subscriber gets one quickly.
ROOM_FIR_FREQ = 10
# Janus defaults, stated so the talking events that drive the active speaker are explicit.
AUDIO_ACTIVE_PACKETS, AUDIO_LEVEL_AVERAGE = 100, 25


class SfuGrant(TypedDict):
    """What a joined participant needs to enter the meeting's room (docs/sfu.md)."""

    server_url: str
    token: str
    room: str
    pin: str
    room_token: str
    publisher_id: str
    screen_publisher_id: str
    # Fresh TURN credentials: a reconnect hours into a meeting must not use the join's, expired.
    ice_servers: list[IceServer]


def _derive(purpose: str, value: str) -> str:
    message = f"aapoon.sfu.{purpose}.{value}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def room_secret(room_id: str) -> str:
    return _derive("room-secret", room_id)


def room_pin(room_id: str) -> str:
    return _derive("room-pin", room_id)[:32]


def room_token(participant_id: uuid.UUID) -> str:
    return _derive("room-token", str(participant_id))


def publisher_ids(participant_id: uuid.UUID) -> tuple[str, str]:
    """The camera/microphone feed and the screen-share feed of one participant."""
    return str(participant_id), f"{participant_id}{SCREEN_SUFFIX}"


# ---- where a meeting lives: `conference_server_id` is "<node name>/<room id>" -----------------


def conference_id(*, node: MediaNode, room_id: str) -> str:
    return f"{node.name}/{room_id}"


def conference_parse(conference_server_id: str) -> tuple[str, str] | None:
    """The node name and the room id, or None if the value names no room (e.g. P2P: "")."""
    name, slash, room_id = conference_server_id.partition("/")
    return (name, room_id) if slash and name and room_id else None


def conference_room(conference_server_id: str) -> tuple[MediaNode, str] | None:
    """The registered node and the room id a meeting's `conference_server_id` names, if any."""
    parsed = conference_parse(conference_server_id)
    node = selectors.node_by_name(parsed[0]) if parsed is not None else None
    return (node, parsed[1]) if node is not None and parsed is not None else None


# ---- rooms ---------------------------------------------------------------------------------------


def _request(node: MediaNode, body: dict[str, Any], *, ignore: tuple[int, ...] = ()) -> dict[str, Any]:
    try:
        return client_for(node).videoroom(body)
    except JanusError as exc:
        if exc.code in ignore:
            return {}
        raise


def room_create(*, node: MediaNode, room_id: str, max_participants: int) -> None:
    """Create the meeting's room; one that exists already counts as created (error 427)."""
    _request(
        node,
        {
            "request": "create",
            "room": room_id,
            "description": f"meeting {room_id}",
            "secret": room_secret(room_id),
            "pin": room_pin(room_id),
            "is_private": True,
            "allowed": [],
            # Subscribing needs the private_id of a publisher in the room (so only someone who
            # entered with a grant can subscribe), and a kick ends that publisher's subscriptions.
            "require_pvtid": True,
            # Everyone may publish a camera feed and a screen-share feed.
            "publishers": max(1, 2 * max_participants),
            "bitrate": ROOM_BITRATE,
            "fir_freq": ROOM_FIR_FREQ,
            "videocodec": "vp8",
            "audiocodec": "opus",
            "audiolevel_ext": True,
            "audiolevel_event": True,
            "audio_active_packets": AUDIO_ACTIVE_PACKETS,
            "audio_level_average": AUDIO_LEVEL_AVERAGE,
            "notify_joining": True,
            "record": False,
        },
        ignore=(ROOM_EXISTS,),
    )


def room_place(*, room_id: str, max_participants: int, exclude: set[str] | None = None) -> MediaNode | None:
    """Create the room on the least-loaded healthy node that answers; None if none does."""
    tried = set(exclude or ())
    while (node := selectors.node_least_loaded(exclude=tried)) is not None:
        try:
            room_create(node=node, room_id=room_id, max_participants=max_participants)
            return node
        except JanusError as exc:
            # The monitor will mark it unhealthy if it stays this way; try the next one now.
            logger.warning("media node %s could not create a room: %s", node.name, exc)
            tried.add(node.name)
    return None


def room_destroy(*, node: MediaNode, room_id: str) -> None:
    """Destroy the room (everyone in it is disconnected); a room already gone is fine."""
    _request(
        node, {"request": "destroy", "room": room_id, "secret": room_secret(room_id)}, ignore=(NO_SUCH_ROOM,)
    )


def room_allowed(*, node: MediaNode, room_id: str, action: str, tokens: list[str]) -> list[str]:
    """Add or remove entry tokens; returns the room's list afterwards."""
    answer = _request(
        node,
        {
            "request": "allowed",
            "room": room_id,
            "secret": room_secret(room_id),
            "action": action,
            "allowed": tokens,
        },
    )
    return [str(token) for token in answer.get("allowed") or []]


def room_kick(*, node: MediaNode, room_id: str, publisher_id: str) -> None:
    """Disconnect a publisher; one that isn't in the room is fine (error 428)."""
    _request(
        node,
        {"request": "kick", "room": room_id, "secret": room_secret(room_id), "id": publisher_id},
        ignore=(NO_SUCH_FEED,),
    )


def room_moderate(*, node: MediaNode, room_id: str, publisher_id: str, mid: str, mute: bool) -> None:
    """Stop (or let through again) one stream of a publisher at the SFU. A publisher that isn't
    publishing, or has no such stream, answers 428: nothing to enforce then."""
    _request(
        node,
        {
            "request": "moderate",
            "room": room_id,
            "secret": room_secret(room_id),
            "id": publisher_id,
            "mid": mid,
            "mute": mute,
        },
        ignore=(NO_SUCH_FEED,),
    )


def room_participants(*, node: MediaNode, room_id: str) -> list[dict[str, Any]]:
    answer = _request(node, {"request": "listparticipants", "room": room_id})
    return list(answer.get("participants") or [])


# ---- grants --------------------------------------------------------------------------------------


def grant_issue(*, node: MediaNode, room_id: str, participant_id: uuid.UUID, replace_stale: bool) -> SfuGrant:
    """Let this participant into the room and hand them what they need to enter it. With
    `replace_stale`, feeds of theirs still in the room (a previous socket) are kicked first, so
    their new publishers can take the same ids."""
    token = room_token(participant_id)
    camera, screen = publisher_ids(participant_id)
    if replace_stale:
        for publisher_id in (camera, screen):
            room_kick(node=node, room_id=room_id, publisher_id=publisher_id)
    room_allowed(node=node, room_id=room_id, action="add", tokens=[token])
    return {
        "server_url": node.public_url,
        "token": janus_token(
            secret=node_secrets(node.name).token_secret,
            plugins=[VIDEOROOM_PLUGIN],
            ttl_seconds=settings.JANUS_TOKEN_TTL_SECONDS,
        ),
        "room": room_id,
        "pin": room_pin(room_id),
        "room_token": token,
        "publisher_id": camera,
        "screen_publisher_id": screen,
        "ice_servers": ice_servers_for(user_ref=str(participant_id)),
    }


def grant_revoke(*, node: MediaNode, room_id: str, participant_id: uuid.UUID) -> None:
    """Take the participant's token away and disconnect their feeds."""
    room_allowed(node=node, room_id=room_id, action="remove", tokens=[room_token(participant_id)])
    for publisher_id in publisher_ids(participant_id):
        room_kick(node=node, room_id=room_id, publisher_id=publisher_id)
