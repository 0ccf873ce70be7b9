"""Breakout rooms in SFU mode: four people split into two rooms, each room with its own media room
and its own chat, the host moving between rooms, a broadcast, a request for help, and everyone back
in the main room after the closing countdown.

Runs on the session's shared `sfu_server` (one Janus, media on veth0). Media is read from the
browsers' own WebRTC statistics, per participant tile (sfu.tile_stats).
"""

from __future__ import annotations

from conftest import Browsers
from playwright.sync_api import Page, expect
from sfu import JanusNode, sfu_room_of, wait_for_tiles_rising
from support import Server
from test_meeting_room import (
    GUEST_NAME,
    MEDIA_TIMEOUT_S,
    THIRD_NAME,
    button,
    chat_list,
    host_and_guests_walk_in,
    open_chat,
    send_chat,
    tile,
)
from test_sfu_room import FOURTH_NAME

COUNTDOWN_S = 10


def open_breakout_panel(page: Page) -> None:
    toggle = button(page, "Breakout rooms")
    if toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    expect(page.get_by_role("region", name="Breakout rooms")).to_be_visible()


def choose(page: Page, combobox: str, option: str) -> None:
    page.get_by_role("combobox", name=combobox).click()
    page.get_by_role("option", name=option, exact=True).click()


def publishers(node: JanusNode, room_id: str) -> int:
    """How many feeds are being published in one of the node's VideoRooms."""
    return sum(1 for p in node.room_participants(room_id) if p.get("publisher"))


def breakout_room_ids(page: Page, code: str) -> list[str]:
    """The ids of the meeting's breakout rooms, in order (GET .../breakouts, the host's session)."""
    result = page.evaluate(
        """async (code) => {
            const response = await fetch(`/api/v1/meetings/${code}/breakouts`);
            return { status: response.status, body: await response.json() };
        }""",
        code,
    )
    assert result["status"] == 200, result
    return [room["id"] for room in result["body"]["rooms"]]


def test_four_people_split_into_two_rooms_see_and_hear_only_their_room_then_return(
    sfu_browsers: Browsers, sfu_server: tuple[Server, JanusNode]
) -> None:
    srv, node = sfu_server
    host, guests, code = host_and_guests_walk_in(
        sfu_browsers, srv, (("guest", GUEST_NAME), ("third", THIRD_NAME), ("fourth", FOURTH_NAME))
    )
    guest, third, fourth = guests
    everyone = [host, *guests]
    main_room, _ = sfu_room_of(host.page, code, [node], publishers=4)

    # The host makes two rooms, puts the guest in Room 1 and the others in Room 2 (the keyboard's
    # way: each name's "Room for ..." list), a short closing countdown, and opens them.
    page = host.page
    open_breakout_panel(page)
    count = page.get_by_role("spinbutton", name="Number of rooms")
    count.fill("2")
    button(page, "Create rooms").click()
    expect(page.get_by_role("textbox", name="Room 2 name")).to_have_value("Room 2")
    choose(page, f"Room for {GUEST_NAME}", "Room 1")
    choose(page, f"Room for {THIRD_NAME}", "Room 2")
    choose(page, f"Room for {FOURTH_NAME}", "Room 2")
    choose(page, "Countdown before closing", f"{COUNTDOWN_S} seconds")
    expect(page.get_by_role("region", name="Room 2").get_by_text(FOURTH_NAME, exact=True)).to_be_visible()
    button(page, "Open all rooms").click()
    expect(guest.page.get_by_role("status").filter(has_text="You are in Room 1")).to_be_visible()
    for person in (third, fourth):
        expect(person.page.get_by_role("status").filter(has_text="You are in Room 2")).to_be_visible()
    # The host goes to help out in Room 1.
    button(page, "Join Room 1").click()
    expect(page.get_by_role("status").filter(has_text="You are in Room 1")).to_be_visible()

    # Each room sees and hears only itself: the tiles, the decoded video, and Janus's own rooms.
    pairs = ((host, guest), (guest, host), (third, fourth), (fourth, third))
    for person, other in pairs:
        for name in {p.name for p in everyone} - {person.name, other.name}:
            expect(tile(person.page, name)).to_have_count(0, timeout=15_000)
        wait_for_tiles_rising(person.page, [other.name], timeout_s=MEDIA_TIMEOUT_S, who=person.name)
    room_one, room_two = breakout_room_ids(host.page, code)
    assert (publishers(node, room_one), publishers(node, room_two), publishers(node, main_room)) == (2, 2, 0)

    # Each room's chat stays in the room.
    send_chat(guest.page, "hello from room one")
    send_chat(third.page, "hello from room two")
    open_chat(host.page)
    expect(chat_list(host.page).get_by_text("hello from room one")).to_be_visible()
    open_chat(fourth.page)
    expect(chat_list(fourth.page).get_by_text("hello from room two")).to_be_visible()
    expect(chat_list(fourth.page).get_by_text("hello from room one")).to_have_count(0)
    expect(chat_list(guest.page).get_by_text("hello from room two")).to_have_count(0)

    # Someone in Room 2 asks for help; the host's broadcast reaches every room.
    button(third.page, "Ask for help").click()
    expect(
        host.page.get_by_role("alert").filter(has_text=f"{THIRD_NAME} in Room 2 asks for help")
    ).to_be_visible()
    open_breakout_panel(page)
    page.get_by_role("textbox", name="Message to all rooms").fill("2 minutes left")
    button(page, "Send to all rooms").click()
    for person in everyone:
        expect(
            person.page.get_by_role("alert").filter(has_text="to all rooms: 2 minutes left")
        ).to_be_visible()

    # Closing: everyone sees the countdown, then everyone is back in the main room with everyone.
    button(page, "Close all rooms").click()
    for person in everyone:
        expect(person.page.get_by_role("status").filter(has_text="Breakout rooms close in")).to_be_visible()
    for person in everyone:
        expect(person.page.get_by_role("status").filter(has_text="Breakout rooms close in")).to_have_count(
            0, timeout=(COUNTDOWN_S + 15) * 1000
        )
    for person in everyone:
        others = [p.name for p in everyone if p is not person]
        wait_for_tiles_rising(person.page, others, timeout_s=MEDIA_TIMEOUT_S, who=person.name)
        open_chat(person.page)
        expect(chat_list(person.page).get_by_text("Breakout rooms closed.", exact=False)).to_be_visible()
        expect(chat_list(person.page).get_by_text("hello from room")).to_have_count(0)
    assert publishers(node, main_room) == 4
