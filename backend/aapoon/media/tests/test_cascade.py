"""Cascading against two real Janus nodes, without media: what each node holds after every
step, and that failures leave nothing behind. (Media across a cascade is proven by the browser
harness: e2e/test_cascade.py, inside the test network namespace.)"""

import secrets
from collections.abc import Iterator
from typing import Any

import pytest

from aapoon.media.cascade import (
    CascadeError,
    RemoteStream,
    _audio_level_ext_id,
    _wait_until_listed,
    cascade_publisher,
    publisher_streams,
    uncascade_publisher,
)
from aapoon.media.janus.errors import NO_SUCH_FEED, UNAUTHORIZED, JanusError
from aapoon.media.testing import RunningJanus, require_janus_binary, running_janus_node

CAMERA = (
    RemoteStream(mindex=0, mid="0", type="audio", codec="opus", audio_level_ext_id=1),
    RemoteStream(mindex=1, mid="1", type="video", codec="vp8"),
)


@pytest.fixture(scope="module")
def nodes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[RunningJanus, RunningJanus]]:
    require_janus_binary()
    base = tmp_path_factory.mktemp("cascade")
    with running_janus_node(base, "a") as node_a, running_janus_node(base, "b") as node_b:
        yield node_a, node_b


@pytest.fixture
def room(nodes: tuple[RunningJanus, RunningJanus]) -> dict[str, str]:
    """The same room on both nodes."""
    room = {"id": f"meeting-{secrets.token_hex(4)}", "secret": secrets.token_urlsafe(12)}
    for node in nodes:
        node.client.videoroom({"request": "create", "room": room["id"], "secret": room["secret"]})
    return room


def listed(node: RunningJanus, room: dict[str, str]) -> list[dict[str, Any]]:
    return list(node.client.videoroom({"request": "listparticipants", "room": room["id"]})["participants"])


def announce(target: RunningJanus, room: dict[str, str]) -> None:
    """What cascade_publisher's first step leaves on the target: p1 as a remote publisher, listed
    (Janus lists a new remote publisher a moment after it answers, later on a busy machine)."""
    target.client.videoroom(
        {
            "request": "add_remote_publisher",
            "room": room["id"],
            "secret": room["secret"],
            "id": "p1",
            "streams": [stream.as_request() for stream in CAMERA],
        }
    )
    _wait_until_listed(target.client, room["id"], "p1", listed=True)
    assert [p["id"] for p in listed(target, room)] == ["p1"]


def cascade(nodes: tuple[RunningJanus, RunningJanus], room: dict[str, str], **overrides: Any) -> Any:
    node_a, node_b = nodes
    arguments: dict[str, Any] = {
        "source": node_a.client,
        "target": node_b.client,
        "room_id": room["id"],
        "publisher_id": "p1",
        "target_host": "127.0.0.1",
        "room_secret": room["secret"],
        "remote_id": "b",
        "streams": CAMERA,
    } | overrides
    return cascade_publisher(**arguments)


def test_a_publisher_missing_on_the_source_leaves_nothing_on_the_target(
    nodes: tuple[RunningJanus, RunningJanus], room: dict[str, str]
) -> None:
    # B accepts the announcement, then A refuses to forward a publisher it does not have:
    # the announcement is taken back.
    with pytest.raises(JanusError) as refused:
        cascade(nodes, room)
    assert refused.value.code == NO_SUCH_FEED
    assert listed(nodes[1], room) == []


def test_streams_are_read_from_the_source_and_a_publisher_without_them_is_refused(
    nodes: tuple[RunningJanus, RunningJanus], room: dict[str, str]
) -> None:
    with pytest.raises(CascadeError, match="no local publisher p1 in room"):
        cascade(nodes, room, streams=None)
    with pytest.raises(CascadeError, match="no local publisher p1 in room"):
        publisher_streams(nodes[0].client, room["id"], "p1")
    assert listed(nodes[1], room) == []


def test_a_wrong_room_secret_is_refused_by_the_target(
    nodes: tuple[RunningJanus, RunningJanus], room: dict[str, str]
) -> None:
    with pytest.raises(JanusError) as refused:
        cascade(nodes, room, room_secret="not-the-secret")
    assert refused.value.code == UNAUTHORIZED
    assert listed(nodes[1], room) == []


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"target_host": " "}, "target_host must not be empty"),
        ({"publisher_id": ""}, "publisher_id must not be empty"),
        ({"remote_id": ""}, "remote_id must not be empty"),
        ({"streams": ()}, "needs at least one stream"),
        ({"streams": (CAMERA[1], CAMERA[0])}, r"mindex order 0\.\.1, got \[1, 0\]"),
        ({"streams": (RemoteStream(mindex=0, mid="0", type="video"),)}, "video needs a codec"),
        ({"streams": (RemoteStream(mindex=0, mid="0", type="screen", codec="vp8"),)}, "unknown type"),
    ],
)
def test_bad_arguments_are_refused_before_any_node_is_asked(
    nodes: tuple[RunningJanus, RunningJanus], room: dict[str, str], overrides: dict[str, Any], message: str
) -> None:
    with pytest.raises(CascadeError, match=message):
        cascade(nodes, room, **overrides)
    assert listed(nodes[1], room) == []


def test_uncascade_removes_the_remote_publisher_and_is_idempotent(
    nodes: tuple[RunningJanus, RunningJanus], room: dict[str, str]
) -> None:
    node_a, node_b = nodes
    announce(node_b, room)  # as if the source then died
    arguments: dict[str, Any] = {
        "target": node_b.client,
        "room_id": room["id"],
        "publisher_id": "p1",
        "room_secret": room["secret"],
        "remote_id": "b",
    }
    uncascade_publisher(source=node_a.client, **arguments)
    assert listed(node_b, room) == []
    # Again, and with the source gone: nothing left to undo is not an error.
    uncascade_publisher(source=node_a.client, **arguments)
    uncascade_publisher(source=None, **arguments)


def test_uncascade_reports_a_refusal_after_trying_both_nodes(
    nodes: tuple[RunningJanus, RunningJanus], room: dict[str, str]
) -> None:
    node_a, node_b = nodes
    announce(node_b, room)
    with pytest.raises(JanusError) as refused:
        uncascade_publisher(
            source=node_a.client,
            target=node_b.client,
            room_id=room["id"],
            publisher_id="p1",
            room_secret="not-the-secret",
            remote_id="b",
        )
    assert refused.value.code == UNAUTHORIZED
    assert [p["id"] for p in listed(node_b, room)] == ["p1"]


def test_the_audio_level_extension_is_read_from_the_audio_section_of_the_offer() -> None:
    offer = "\r\n".join(
        [
            "v=0",
            "m=audio 9 UDP/TLS/RTP/SAVPF 111",
            "a=mid:0",
            "a=extmap:1 urn:ietf:params:rtp-hdrext:sdes:mid",
            "a=extmap:4 urn:ietf:params:rtp-hdrext:ssrc-audio-level",
            "m=video 9 UDP/TLS/RTP/SAVPF 96",
            "a=mid:1",
            "a=extmap:5 urn:ietf:params:rtp-hdrext:ssrc-audio-level",
            "",
        ]
    )
    assert _audio_level_ext_id(offer, "0") == 4
    assert _audio_level_ext_id(offer, "1") == 5
    assert _audio_level_ext_id(offer, "2") is None
    assert _audio_level_ext_id("", "0") is None
