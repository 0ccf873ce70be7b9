"""The meeting room in SFU mode: four people through one Janus, host mute and removal on the SFU.

One Janus (media on veth0) and one product server that knows it through JANUS_NODES (the
session's `sfu_server`, shared with test_recording.py). Media is read from the browsers' own
WebRTC statistics, per participant tile (sfu.tile_stats matches each tile's tracks to
inbound-rtp by track id).
"""

from __future__ import annotations

from conftest import Browsers
from playwright.sync_api import expect
from sfu import (
    KEEP_MICROPHONE_ON_SCRIPT,
    JanusNode,
    counters_of,
    expect_rising_video_tracks,
    janus_sockets,
    node_holding,
    outbound_audio_packets,
    sfu_room_of,
    wait_for_tiles_rising,
)
from support import Server
from test_meeting_room import (
    GUEST_NAME,
    MEDIA_TIMEOUT_S,
    THIRD_NAME,
    Person,
    button,
    host_and_guests_walk_in,
    participant_action,
    tile,
)

FOURTH_NAME = "Kiran Fourth"
SETTLE_S = 1.0  # packets already in flight when a change takes effect
QUIET_S = 2.0  # a counter that does not move for this long has stopped


def others(everyone: list[Person], me: Person) -> list[str]:
    return [person.name for person in everyone if person is not me]


def audio_packets(person: Person, of: str) -> int:
    return counters_of(person.page, of, "audio", "packetsReceived")


def test_four_people_each_receive_three_feeds_and_the_host_mutes_and_removes_on_the_sfu(
    sfu_browsers: Browsers, sfu_server: tuple[Server, JanusNode]
) -> None:
    srv, node = sfu_server
    # A host and three guests; the waiting room is off so the guests walk straight in.
    host, guests, code = host_and_guests_walk_in(
        sfu_browsers, srv, (("guest", GUEST_NAME), ("third", THIRD_NAME), ("fourth", FOURTH_NAME))
    )
    everyone = [host, *guests]
    guest, third, fourth = guests

    # The meeting went through Janus: placed on the node, four publishers in its VideoRoom,
    # every page holding a Janus connection.
    room_id, holding = sfu_room_of(host.page, code, [node], publishers=4)
    assert holding is node
    for person in everyone:
        assert janus_sockets(person.page) == [node.process.ws_url], person.name

    # Each person decodes video from each of the three others.
    for person in everyone:
        wait_for_tiles_rising(
            person.page, others(everyone, person), timeout_s=MEDIA_TIMEOUT_S, who=person.name
        )
        expect_rising_video_tracks(person.page, 3, who=person.name)

    # The host mutes the guest, whose browser is made to keep sending audio regardless: the SFU
    # stops forwarding it, while the third person's audio and the guest's video still flow.
    for listener in (host, third, fourth):
        wait_for_tiles_rising(
            listener.page,
            [GUEST_NAME, THIRD_NAME] if listener is not third else [GUEST_NAME, FOURTH_NAME],
            kind="audio",
            counter="packetsReceived",
            timeout_s=MEDIA_TIMEOUT_S,
            who=listener.name,
        )
    guest.page.evaluate(KEEP_MICROPHONE_ON_SCRIPT)
    participant_action(host, GUEST_NAME, "Mute")
    expect(guest.page.get_by_text("The host muted you")).to_be_visible()
    guest.page.wait_for_timeout(SETTLE_S * 1000)

    sent_before = outbound_audio_packets(guest.page)
    before = {listener.name: audio_packets(listener, GUEST_NAME) for listener in (host, third, fourth)}
    host.page.wait_for_timeout(QUIET_S * 1000)
    after = {listener.name: audio_packets(listener, GUEST_NAME) for listener in (host, third, fourth)}
    assert outbound_audio_packets(guest.page) > sent_before, "the guest's browser stopped sending audio"
    assert after == before, f"the muted guest's audio still reaches the others: {before} -> {after}"
    wait_for_tiles_rising(host.page, [THIRD_NAME], kind="audio", counter="packetsReceived", who=host.name)
    wait_for_tiles_rising(host.page, [GUEST_NAME], who=host.name)

    # The host removes the guest: the guest sees the removed screen, the others lose the guest's
    # tile and stream within seconds, and Janus holds three publishers.
    participant_action(host, GUEST_NAME, "Remove from meeting")
    dialog = host.page.get_by_role("dialog", name=f"Remove {GUEST_NAME} from the meeting?")
    button(dialog, "Remove").click()
    expect(guest.page.get_by_text("You were removed from the meeting")).to_be_visible()
    remaining = [host, third, fourth]
    for person in remaining:
        expect(tile(person.page, GUEST_NAME)).to_have_count(0, timeout=10_000)
    assert node_holding([node], room_id, publishers=3) is node
    for person in remaining:
        wait_for_tiles_rising(person.page, others(remaining, person), who=person.name)
        expect_rising_video_tracks(person.page, 2, who=person.name)
