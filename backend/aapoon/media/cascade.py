"""Cascading: one meeting over two Janus nodes, through VideoRoom remote publishers.

A publisher on the source node is announced on the target node (`add_remote_publisher`, same
room id and publisher id there, so subscribers on the target see it like a local one); the
target answers with the UDP ports it listens on, and the source forwards the publisher's RTP
there (`publish_remotely`). Both rooms must exist with the same room secret.

Janus 1.1.2 demultiplexes the forwarded packets by SSRC: the source sends stream number
`mindex` with SSRC 1000 + 10 * mindex, and the target numbers the streams it is told about in
list order. So the target's list must hold every stream of the source in mindex order.
"""

import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from aapoon.media.janus.client import JanusClient
from aapoon.media.janus.errors import NO_SUCH_FEED, NO_SUCH_ROOM, JanusError

AUDIO_LEVEL_EXTENSION = "urn:ietf:params:rtp-hdrext:ssrc-audio-level"
# Janus adds (and removes) a remote publisher from a thread of its own, a moment after answering.
LISTING_WAIT_SECONDS = 2.0
LISTING_POLL_SECONDS = 0.02


class CascadeError(Exception):
    """The publisher cannot be cascaded as asked (nothing was left behind on either node)."""


@dataclass(frozen=True)
class RemoteStream:
    """One stream of a publisher, as `add_remote_publisher` wants it described."""

    mindex: int
    mid: str
    type: str  # "audio", "video" or "data"
    codec: str | None = None  # e.g. "opus", "vp8"; not for data
    description: str | None = None
    simulcast: bool = False
    audio_level_ext_id: int | None = None

    def as_request(self) -> dict[str, Any]:
        stream: dict[str, Any] = {"mindex": self.mindex, "mid": self.mid, "type": self.type}
        if self.codec is not None:
            stream["codec"] = self.codec
        if self.description is not None:
            stream["description"] = self.description
        if self.simulcast:
            stream["simulcast"] = True
        if self.audio_level_ext_id is not None:
            stream["audiolevel_ext_id"] = self.audio_level_ext_id
        return stream


@dataclass(frozen=True)
class Cascade:
    """A publisher forwarded from its node to another node."""

    room_id: str
    publisher_id: str
    remote_id: str  # names the target on the source node (one forwarding per target)
    target_host: str
    port: int
    rtcp_port: int
    streams: tuple[RemoteStream, ...]


def cascade_publisher(
    *,
    source: JanusClient,
    target: JanusClient,
    room_id: str,
    publisher_id: str,
    target_host: str,
    room_secret: str,
    remote_id: str,
    streams: Sequence[RemoteStream] | None = None,
    display: str | None = None,
) -> Cascade:
    """Make the publisher `publisher_id` of `room_id` on `source` appear in the same room on
    `target`. `target_host` is the target's address as the source node reaches it; `remote_id`
    names the target (e.g. its node name) and is needed again to undo it. The streams are read
    from the source node (admin API) unless given.

    Raises CascadeError for bad arguments or a publisher that cannot be forwarded, JanusError
    when a node refuses; on any failure nothing is left on either node.
    """
    for name, value in (
        ("room_id", room_id),
        ("publisher_id", publisher_id),
        ("target_host", target_host),
        ("remote_id", remote_id),
    ):
        if not value or not value.strip():
            raise CascadeError(f"{name} must not be empty")
    chosen = tuple(streams) if streams is not None else publisher_streams(source, room_id, publisher_id)
    _check_streams(chosen)

    announce: dict[str, Any] = {
        "request": "add_remote_publisher",
        "room": room_id,
        "secret": room_secret,
        "id": publisher_id,
        "streams": [stream.as_request() for stream in chosen],
    }
    if display is not None:
        announce["display"] = display
    announced = target.videoroom(announce)
    port, rtcp_port = int(announced["port"]), int(announced["rtcp_port"])
    try:
        source.videoroom(
            {
                "request": "publish_remotely",
                "room": room_id,
                "secret": room_secret,
                "publisher_id": publisher_id,
                "remote_id": remote_id,
                "host": target_host,
                "port": port,
                # Keyframe requests from the target's subscribers come back this way.
                "rtcp_port": rtcp_port,
            }
        )
    except JanusError:
        # The target adds the announced publisher from its own thread after answering: removing
        # it before it is there would miss it, and it would stay.
        _wait_until_listed(target, room_id, publisher_id, listed=True)
        _remove_remote_publisher(target, room_id, publisher_id, room_secret)
        _wait_until_listed(target, room_id, publisher_id, listed=False)
        raise
    # Subscribers on the target may ask for the feed as soon as we return.
    _wait_until_listed(target, room_id, publisher_id, listed=True)
    return Cascade(
        room_id=room_id,
        publisher_id=publisher_id,
        remote_id=remote_id,
        target_host=target_host,
        port=port,
        rtcp_port=rtcp_port,
        streams=chosen,
    )


def uncascade_publisher(
    *,
    source: JanusClient | None,
    target: JanusClient,
    room_id: str,
    publisher_id: str,
    room_secret: str,
    remote_id: str,
) -> None:
    """Stop forwarding (on `source`, unless None: e.g. a dead node) and remove the remote
    publisher from `target`. Things already gone are fine; other errors are raised after both
    steps were tried."""
    errors: list[JanusError] = []
    if source is not None:
        try:
            source.videoroom(
                {
                    "request": "unpublish_remotely",
                    "room": room_id,
                    "secret": room_secret,
                    "publisher_id": publisher_id,
                    "remote_id": remote_id,
                }
            )
        except JanusError as error:
            if error.code not in (NO_SUCH_ROOM, NO_SUCH_FEED):
                errors.append(error)
    try:
        _remove_remote_publisher(target, room_id, publisher_id, room_secret)
        _wait_until_listed(target, room_id, publisher_id, listed=False)
    except JanusError as error:
        errors.append(error)
    if errors:
        raise errors[0]


def publisher_streams(client: JanusClient, room_id: str, publisher_id: str) -> tuple[RemoteStream, ...]:
    """The streams a local publisher sends, found through the node's admin API (the VideoRoom
    API lists participants without their streams). Raises CascadeError if it is not there."""
    for info in _handle_infos(client):
        plugin = info.get("plugin_specific") or {}
        if (
            plugin.get("type") == "publisher"
            and str(plugin.get("room")) == room_id
            and str(plugin.get("id")) == publisher_id
        ):
            offer = str((info.get("sdps") or {}).get("remote") or "")
            streams = tuple(_stream_from_info(item, offer) for item in plugin.get("streams") or ())
            if not streams:
                raise CascadeError(f"publisher {publisher_id} in room {room_id} sends no media")
            return streams
    raise CascadeError(f"no local publisher {publisher_id} in room {room_id} on this node")


def _remove_remote_publisher(target: JanusClient, room_id: str, publisher_id: str, room_secret: str) -> None:
    try:
        target.videoroom(
            {"request": "remove_remote_publisher", "room": room_id, "secret": room_secret, "id": publisher_id}
        )
    except JanusError as error:
        if error.code not in (NO_SUCH_ROOM, NO_SUCH_FEED):
            raise


def _wait_until_listed(client: JanusClient, room_id: str, publisher_id: str, *, listed: bool) -> None:
    """Wait (briefly, bounded) until the room lists the publisher, or no longer does."""
    deadline = time.monotonic() + LISTING_WAIT_SECONDS
    while True:
        try:
            answer = client.videoroom({"request": "listparticipants", "room": room_id})
        except JanusError as error:
            if error.code == NO_SUCH_ROOM and not listed:
                return
            raise
        ids = {str(participant.get("id")) for participant in answer.get("participants") or ()}
        if (publisher_id in ids) == listed or time.monotonic() >= deadline:
            return
        time.sleep(LISTING_POLL_SECONDS)


def _check_streams(streams: Sequence[RemoteStream]) -> None:
    if not streams:
        raise CascadeError("a cascaded publisher needs at least one stream")
    mindexes = [stream.mindex for stream in streams]
    if mindexes != list(range(len(streams))):
        # The target numbers streams by position and the source tags packets by mindex.
        raise CascadeError(f"streams must be listed in mindex order 0..{len(streams) - 1}, got {mindexes}")
    for stream in streams:
        if stream.type not in ("audio", "video", "data"):
            raise CascadeError(f"stream {stream.mid}: unknown type {stream.type!r}")
        if stream.type != "data" and not stream.codec:
            raise CascadeError(f"stream {stream.mid}: {stream.type} needs a codec")


def _handle_infos(client: JanusClient) -> Iterable[dict[str, Any]]:
    sessions = client.admin({"janus": "list_sessions"}).get("sessions") or []
    for session_id in sessions:
        try:
            handles = client.admin({"janus": "list_handles", "session_id": session_id}).get("handles") or []
            for handle_id in handles:
                answer = client.admin(
                    {"janus": "handle_info", "session_id": session_id, "handle_id": handle_id}
                )
                yield answer.get("info") or {}
        except JanusError as error:
            # Sessions and handles come and go while we look: skip the ones that went.
            if error.code == 0:
                raise


def _stream_from_info(item: dict[str, Any], offer: str) -> RemoteStream:
    stream_type = str(item.get("type"))
    mid = str(item.get("mid"))
    return RemoteStream(
        mindex=int(item.get("mindex", 0)),
        mid=mid,
        type=stream_type,
        codec=str(item["codec"]) if item.get("codec") else None,
        description=str(item["description"]) if item.get("description") else None,
        simulcast=bool(item.get("simulcast")),
        audio_level_ext_id=_audio_level_ext_id(offer, mid) if stream_type == "audio" else None,
    )


def _audio_level_ext_id(sdp: str, mid: str) -> int | None:
    """The audio-level header extension id in the m-section `mid` of the publisher's offer:
    the target needs it to tell who is talking."""
    for section in re.split(r"\r?\nm=", sdp)[1:]:
        if re.search(rf"^a=mid:{re.escape(mid)}\r?$", section, re.MULTILINE):
            match = re.search(
                rf"^a=extmap:(\d+)(?:/\w+)? {re.escape(AUDIO_LEVEL_EXTENSION)}", section, re.MULTILINE
            )
            return int(match.group(1)) if match else None
    return None
