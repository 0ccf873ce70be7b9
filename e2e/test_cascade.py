"""Cascading one meeting over two Janus nodes (VideoRoom remote publishers), with aiortc peers.

A publisher replays the clip into node A; `aapoon.media.cascade` announces it on node B and
makes A forward it there; a subscriber on B decodes its video. Undoing the cascade removes the
publisher from B. No product server or browser is needed: run inside the namespace,

    e2e/run-in-netns.sh backend/.venv/bin/pytest e2e/test_cascade.py
"""

from __future__ import annotations

import asyncio
import secrets
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from clip import clip_path
from janus_nodes import RunningJanus, janus_node, media_address, peer_token
from janus_peer import JanusPublisher, JanusSubscriber, load_clip

from aapoon.media.cascade import NO_SUCH_FEED, cascade_publisher, publisher_streams, uncascade_publisher
from aapoon.media.janus.client import JanusError

WAIT_SECONDS = 15.0


@pytest.fixture(scope="module")
def nodes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[RunningJanus, RunningJanus]]:
    base = tmp_path_factory.mktemp("cascade")
    with janus_node(base, "a") as node_a, janus_node(base, "b") as node_b:
        yield node_a, node_b


class Room:
    """The same VideoRoom on every node, made the way the app makes it (secret, pin, allowed)."""

    def __init__(self, nodes: tuple[RunningJanus, ...]) -> None:
        self.id = f"meeting-{secrets.token_hex(4)}"
        self.secret = secrets.token_urlsafe(12)
        self.pin = secrets.token_urlsafe(8)
        self.publisher_token = secrets.token_urlsafe(12)
        self.subscriber_token = secrets.token_urlsafe(12)
        for node in nodes:
            node.client.videoroom(
                {
                    "request": "create",
                    "room": self.id,
                    "secret": self.secret,
                    "pin": self.pin,
                    "allowed": [self.publisher_token, self.subscriber_token],
                    "publishers": 10,
                    "audiocodec": "opus",
                    "videocodec": "vp8",
                }
            )


def participants(node: RunningJanus, room: Room) -> list[dict[str, Any]]:
    answer = node.client.videoroom({"request": "listparticipants", "room": room.id})
    return sorted(answer["participants"], key=lambda p: str(p["id"]))


async def wait_for(check: Callable[[], Awaitable[bool]], what: str) -> None:
    deadline = asyncio.get_running_loop().time() + WAIT_SECONDS
    while not await check():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"not within {WAIT_SECONDS:g} s: {what}")
        await asyncio.sleep(0.2)


async def wait_for_rising(read: Callable[[], Awaitable[Counter[str]]], kind: str) -> None:
    """`read()[kind]` rises between two samples half a second apart."""
    previous = (await read())[kind]

    async def rose() -> bool:
        nonlocal previous
        await asyncio.sleep(0.5)
        current = (await read())[kind]
        grew, previous = current > previous, current
        return grew

    await wait_for(rose, f"{kind} counter rising")


def test_publisher_on_node_a_is_seen_on_node_b_until_uncascaded(
    nodes: tuple[RunningJanus, RunningJanus], tmp_path: Path
) -> None:
    node_a, node_b = nodes
    room = Room(nodes)
    clip = load_clip(clip_path())
    publisher_id = "participant-1"

    async def scenario() -> None:
        publisher = await JanusPublisher.start(
            node_a.process.ws_url,
            room=room.id,
            publisher_id=publisher_id,
            clip=clip,
            token=peer_token(node_a.process),
            pin=room.pin,
            room_token=room.publisher_token,
            display="Ada",
        )
        subscriber: JanusSubscriber | None = None
        try:
            await wait_for_rising(publisher.packets_sent, "video")
            streams = await asyncio.to_thread(publisher_streams, node_a.client, room.id, publisher_id)
            assert [(s.mindex, s.mid, s.type, s.codec) for s in streams] == [
                (0, "0", "audio", "opus"),
                (1, "1", "video", "vp8"),
            ]
            # aiortc sends audio levels; carried over, they let B tell who is talking.
            assert streams[0].audio_level_ext_id is not None
            assert participants(node_b, room) == []

            cascade = await asyncio.to_thread(
                lambda: cascade_publisher(
                    source=node_a.client,
                    target=node_b.client,
                    room_id=room.id,
                    publisher_id=publisher_id,
                    target_host=media_address(),
                    room_secret=room.secret,
                    remote_id="node-b",
                    display="Ada",
                )
            )
            assert cascade.streams == streams
            assert participants(node_b, room) == [
                {"id": publisher_id, "display": "Ada", "remote": True, "publisher": True, "talking": False}
            ]

            subscriber = await JanusSubscriber.start(
                node_b.process.ws_url,
                room=room.id,
                feeds=[publisher_id],
                token=peer_token(node_b.process),
                pin=room.pin,
                room_token=room.subscriber_token,
                decode=True,
            )
            # The forwarded VP8 decodes on B (keyframes reach it), and the audio flows too.
            frames = subscriber.frames

            async def frames_read() -> Counter[str]:
                return Counter(frames)

            await wait_for_rising(frames_read, "video")
            await wait_for_rising(subscriber.packets_received, "audio")

            await asyncio.to_thread(
                lambda: uncascade_publisher(
                    source=node_a.client,
                    target=node_b.client,
                    room_id=room.id,
                    publisher_id=publisher_id,
                    room_secret=room.secret,
                    remote_id="node-b",
                )
            )
            assert participants(node_b, room) == []
            # A forgot the forwarding (Janus hides remotizations from listforwarders).
            with pytest.raises(JanusError) as gone:
                node_a.client.videoroom(
                    {
                        "request": "unpublish_remotely",
                        "room": room.id,
                        "secret": room.secret,
                        "publisher_id": publisher_id,
                        "remote_id": "node-b",
                    }
                )
            assert gone.value.code == NO_SUCH_FEED
            # Nothing reaches B's subscriber any more, while A still has its publisher.
            await asyncio.sleep(1.0)  # packets already in flight
            before = await subscriber.packets_received()
            await asyncio.sleep(1.0)
            assert await subscriber.packets_received() == before
            assert [p["id"] for p in participants(node_a, room)] == [publisher_id]
        finally:
            if subscriber is not None:
                await subscriber.close()
            await publisher.close()

    # Its own thread: a browser test earlier in the session leaves Playwright's loop running here.
    with ThreadPoolExecutor(max_workers=1) as thread:
        thread.submit(asyncio.run, scenario()).result()
