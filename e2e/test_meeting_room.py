"""The live meeting room in real browsers: a host and a guest (and a third person) in one P2P meeting.

Each person is a separate browser context (own cookies), at most three pages at once. Elements are
found by role and accessible name as listed in docs/ui-contract.md ("Meeting room"). Media is
checked from the browser's own WebRTC statistics: an init script (support.ROOM_PROBES_SCRIPT)
keeps every RTCPeerConnection in window.__pcs and every WebSocket in window.__sockets, so the
product needs no test hooks.
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass

from conftest import Browsers
from playwright.sync_api import Locator, Page, expect
from support import (
    ROOM_PROBES_SCRIPT,
    Server,
    inbound_stats,
    make_user,
    wait_for_rising,
)

PASSWORD = "Harbor-Lantern-7391!"
HOST_NAME = "Asha Host"
GUEST_NAME = "Ravi Guest"
THIRD_NAME = "Meera Third"
# Media on a busy 2-core machine: first frames and rising counters get this long.
MEDIA_TIMEOUT_S = 45
MEDIA_TIMEOUT_MS = MEDIA_TIMEOUT_S * 1000
CODE_IN_URL = re.compile(r"/m/([a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4})(?:[/?#].*)?$")

WAITING = "Waiting for the host to let you in"


# --------------------------------------------------------------------------------------------
# Locators.
# --------------------------------------------------------------------------------------------


def field_name(text: str) -> re.Pattern[str]:
    """A field's accessible name or label text, allowing the "*" that marks a required field."""
    return re.compile(rf"^\s*{re.escape(text)}\s*\*?\s*$")


def button(page: Page | Locator, name: str) -> Locator:
    return page.get_by_role("button", name=name, exact=True)


def menu_choice(page: Page, name: str) -> Locator:
    """An item of an open menu (role menuitem; a plain button in a popover is accepted too)."""
    return page.get_by_role("menuitem", name=name, exact=True).or_(button(page, name))


def tile(page: Page, name: str) -> Locator:
    """A participant's video tile: <figure aria-label="{name}"> (screen share: "{name} (screen)")."""
    return page.get_by_role("figure", name=name, exact=True)


def chat_list(page: Page) -> Locator:
    return page.get_by_role("list", name="Chat messages")


def reconnecting_banner(page: Page) -> Locator:
    return page.get_by_text(re.compile(r"Reconnecting(…|\.\.\.)"))


# --------------------------------------------------------------------------------------------
# Steps.
# --------------------------------------------------------------------------------------------


@dataclass
class Person:
    name: str
    page: Page


def new_person(browsers: Browsers, key: str, name: str) -> Person:
    ctx = browsers.new_context(key, init_scripts=(ROOM_PROBES_SCRIPT,))
    return Person(name=name, page=ctx.new_page())


def sign_in(page: Page, email: str, password: str) -> None:
    page.goto("/signin")
    page.get_by_role("textbox", name=field_name("Email")).fill(email)
    page.get_by_label(field_name("Password")).fill(password)
    button(page, "Sign in").click()
    expect(page).to_have_url(re.compile(r"/dashboard/?(\?.*)?$"))


def expect_in_room(page: Page) -> None:
    """Admitted: the room's controls are there and the waiting message is gone."""
    expect(button(page, "Participants")).to_be_visible()
    expect(button(page, "Chat")).to_be_visible()
    expect(page.get_by_text(WAITING)).to_have_count(0)


def turn_media_off(page: Page) -> None:
    """On the pre-join page: camera and microphone off (once the browser has answered for them)."""
    for device in ("camera", "microphone"):
        off = button(page, f"Turn off {device}")
        expect(off).to_be_enabled()
        off.click()
        expect(button(page, f"Turn on {device}")).to_be_visible()


def host_starts_instant_meeting(
    browsers: Browsers, server: Server, *, media: bool = True
) -> tuple[Person, str]:
    """A signed-in host: /meetings, "New meeting" -> "Start an instant meeting" -> pre-join -> in
    (with camera and microphone off unless `media`)."""
    email = f"host.{secrets.token_hex(4)}@example.com"
    make_user(server, email=email, password=PASSWORD, full_name=HOST_NAME, display_name=HOST_NAME)
    host = new_person(browsers, "host", HOST_NAME)
    page = host.page
    sign_in(page, email, PASSWORD)
    page.get_by_role("link", name="Meetings", exact=True).click()
    expect(page.get_by_role("heading", name="Meetings", exact=True)).to_be_visible()
    button(page, "New meeting").click()
    menu_choice(page, "Start an instant meeting").click()
    expect(page).to_have_url(CODE_IN_URL)
    match = CODE_IN_URL.search(page.url)
    assert match, page.url
    code = match.group(1)
    if not media:
        turn_media_off(page)
    button(page, "Join now").click()
    expect_in_room(page)
    return host, code


def guest_asks_to_join(page: Page, code: str, name: str, *, media: bool = True) -> None:
    """Signed out: open the link, give a name, "Join now" (camera and microphone off unless `media`)."""
    page.goto(f"/m/{code}")
    your_name = page.get_by_role("textbox", name=field_name("Your name"))
    expect(your_name).to_be_editable()
    your_name.fill(name)
    if not media:
        turn_media_off(page)
    button(page, "Join now").click()


def open_participants(page: Page) -> None:
    """Opens the participants panel unless it is open already (the button toggles it)."""
    participants = button(page, "Participants")
    expect(participants).to_be_visible()
    state = participants.get_attribute("aria-pressed") or participants.get_attribute("aria-expanded")
    if state != "true":
        participants.click()


def open_chat(page: Page) -> None:
    chat = button(page, "Chat")
    state = chat.get_attribute("aria-pressed") or chat.get_attribute("aria-expanded")
    if state != "true":
        chat.click()
    expect(chat_list(page)).to_be_visible()


def admit(host: Person, name: str) -> None:
    open_participants(host.page)
    button(host.page, f"Admit {name}").click()
    expect(button(host.page, f"Admit {name}")).to_have_count(0)


def participant_action(host: Person, name: str, action: str) -> None:
    """Participants -> "More actions for {name}" -> `action`."""
    open_participants(host.page)
    button(host.page, f"More actions for {name}").click()
    menu_choice(host.page, action).click()


def host_and_admitted_guest(browsers: Browsers, server: Server) -> tuple[Person, Person, str]:
    host, code = host_starts_instant_meeting(browsers, server)
    guest = new_person(browsers, "guest", GUEST_NAME)
    guest_asks_to_join(guest.page, code, GUEST_NAME)
    expect(guest.page.get_by_text(WAITING)).to_be_visible()
    admit(host, GUEST_NAME)
    expect_in_room(guest.page)
    return host, guest, code


def host_and_guests_walk_in(
    browsers: Browsers,
    server: Server,
    guests: Sequence[tuple[str, str]] = (("guest", GUEST_NAME),),
    *,
    media: bool = True,
    **settings: object,
) -> tuple[Person, list[Person], str]:
    """A host starts an instant meeting and turns its waiting room off (and sets any other
    `settings`); the guests ((context key, name) each) click "Join now" one after the other, so
    their pages load side by side, then each is checked to be in the room. Without `media`,
    everyone joins with camera and microphone off."""
    host, code = host_starts_instant_meeting(browsers, server, media=media)
    host_patches_meeting(host, code, {"waiting_room_enabled": False, **settings})
    people = [new_person(browsers, key, name) for key, name in guests]
    for person in people:
        guest_asks_to_join(person.page, code, person.name, media=media)
    for person in people:
        expect_in_room(person.page)
    return host, people, code


def host_patches_meeting(host: Person, code: str, changes: dict[str, object]) -> None:
    """PATCH /api/v1/meetings/{code} from the host's page, with its session and CSRF cookie (the
    room has no control for these settings)."""
    result = host.page.evaluate(
        """async ([code, changes]) => {
            const csrf = document.cookie.split("; ").find((c) => c.startsWith("csrftoken="));
            const response = await fetch(`/api/v1/meetings/${code}`, {
                method: "PATCH",
                credentials: "same-origin",
                headers: {
                    "Content-Type": "application/json",
                    "X-CSRFToken": csrf ? decodeURIComponent(csrf.split("=")[1]) : "",
                },
                body: JSON.stringify(changes),
            });
            return { status: response.status, body: await response.text() };
        }""",
        [code, changes],
    )
    assert result["status"] == 200, f"PATCH /api/v1/meetings/{code} {changes}: {result}"


def send_chat(page: Page, text: str) -> None:
    open_chat(page)
    message = page.get_by_role("textbox", name=field_name("Message"))
    message.fill(text)
    button(page, "Send").click()
    expect(message).to_have_value("")


def expect_chat_exactly_once_in_order(page: Page, texts: list[str]) -> None:
    """Every text appears in exactly one item of "Chat messages", and in this order."""
    items = chat_list(page).get_by_role("listitem")
    for text in texts:
        expect(items.filter(has_text=text)).to_have_count(1)
    shown = items.all_inner_texts()
    positions = [next(i for i, item in enumerate(shown) if text in item) for text in texts]
    assert positions == sorted(positions), f"chat out of order: {shown}"


def chat_reaches(sender: Person, reader: Person, text: str) -> None:
    """`sender` sends `text`; `reader` opens the chat and has it exactly once."""
    send_chat(sender.page, text)
    open_chat(reader.page)
    expect_chat_exactly_once_in_order(reader.page, [text])


def chat_both_ways(first: Person, second: Person, hello: str, reply: str) -> None:
    """`first` says `hello`, `second` reads it and answers `reply`: both have the two, in order."""
    chat_reaches(first, second, hello)
    send_chat(second.page, reply)
    for me in (first, second):
        expect_chat_exactly_once_in_order(me.page, [hello, reply])


def wait_for_video_size(page: Page, tile_name: str, *, timeout_s: float = MEDIA_TIMEOUT_S) -> int:
    """The <video> in the tile `tile_name` shows frames (videoWidth > 0); returns its width."""
    video = tile(page, tile_name).locator("video")
    expect(video.first).to_be_attached(timeout=MEDIA_TIMEOUT_MS)
    deadline = time.monotonic() + timeout_s
    width = 0
    while time.monotonic() < deadline:
        width = int(video.first.evaluate("v => v.videoWidth", timeout=5000))
        if width > 0:
            return width
        time.sleep(0.5)
    raise AssertionError(f"the video in tile {tile_name!r} still has videoWidth {width} after {timeout_s} s")


def audio_packets_per_connection(page: Page) -> dict[int, int]:
    return {pc["index"]: int(pc["audio"]["packetsReceived"]) for pc in inbound_stats(page)}


def open_sockets(page: Page) -> int:
    return int(page.evaluate("window.__sockets.filter((s) => s.readyState === WebSocket.OPEN).length"))


def guest_drops_off_while_host_chats(
    host: Person, guest: Person, texts: list[str], *, offline_s: float
) -> None:
    """The guest's WebSocket closes and its network is down for `offline_s` seconds; meanwhile the
    host sends `texts`. Returns once the guest's "Reconnecting…" banner is gone again."""
    assert open_sockets(guest.page) == 1, "expected one open WebSocket in the guest's page"
    sockets_before = int(guest.page.evaluate("window.__sockets.length"))
    # Close first, then go offline: offline, Chromium holds a close handshake until the network
    # is back. The client's first retry comes 0.5 s after the close, by then it is offline.
    guest.page.evaluate(
        """() => new Promise((resolve) => {
            const socket = window.__sockets.filter((s) => s.readyState === WebSocket.OPEN).at(-1);
            socket.addEventListener("close", () => resolve(), { once: true });
            socket.close(4000, "e2e: dropped");
        })"""
    )
    guest.page.context.set_offline(True)
    dropped_at = time.monotonic()
    expect(reconnecting_banner(guest.page)).to_be_visible()

    for text in texts:
        send_chat(host.page, text)
    expect(chat_list(host.page).get_by_role("listitem").filter(has_text=texts[-1])).to_have_count(1)
    # The guest really missed them: they can only come through the reconnection.
    for text in texts:
        expect(chat_list(guest.page).get_by_role("listitem").filter(has_text=text)).to_have_count(0)

    down_for = time.monotonic() - dropped_at
    assert down_for < offline_s, (
        f"sending took {down_for:.1f} s, longer than the planned outage ({offline_s} s)"
    )
    time.sleep(offline_s - down_for)
    guest.page.context.set_offline(False)

    expect(reconnecting_banner(guest.page)).to_have_count(0, timeout=30_000)
    expect_in_room(guest.page)
    assert open_sockets(guest.page) == 1, "expected one open WebSocket in the guest's page after reconnecting"
    assert int(guest.page.evaluate("window.__sockets.length")) > sockets_before, "no new WebSocket was opened"


def expect_both_see_and_hear_each_other(host: Person, guest: Person) -> None:
    for me, other in ((host, guest), (guest, host)):
        wait_for_rising(me.page, "video", "framesDecoded", timeout_s=MEDIA_TIMEOUT_S, who=me.name)
        wait_for_rising(me.page, "audio", "packetsReceived", timeout_s=MEDIA_TIMEOUT_S, who=me.name)
        assert wait_for_video_size(me.page, other.name) > 0


# --------------------------------------------------------------------------------------------
# Tests.
# --------------------------------------------------------------------------------------------


def test_host_admits_a_guest_and_both_get_video_and_audio(browsers: Browsers, server: Server) -> None:
    host, code = host_starts_instant_meeting(browsers, server)

    guest = new_person(browsers, "guest", GUEST_NAME)
    guest_asks_to_join(guest.page, code, GUEST_NAME)
    expect(guest.page.get_by_text(WAITING)).to_be_visible()

    admit(host, GUEST_NAME)
    expect_in_room(guest.page)

    expect_both_see_and_hear_each_other(host, guest)


def test_chat_screen_share_mute_and_remove(browsers: Browsers, server: Server) -> None:
    host, guest, code = host_and_admitted_guest(browsers, server)
    token = secrets.token_hex(3)

    # Chat both ways.
    chat_both_ways(host, guest, f"Hello from the host {token}", f"Hi host, guest here {token}")

    # The host shares a screen (Chromium's fake picker takes one at once); the guest gets it.
    button(host.page, "Share screen").click()
    assert wait_for_video_size(guest.page, f"{HOST_NAME} (screen)") > 0

    # The host mutes the guest: the guest is told, and the guest's audio stops reaching the host.
    wait_for_rising(host.page, "audio", "packetsReceived", timeout_s=MEDIA_TIMEOUT_S, who=host.name)
    participant_action(host, GUEST_NAME, "Mute")
    expect(guest.page.get_by_text("The host muted you")).to_be_visible()
    time.sleep(1)  # settle: packets already in flight
    before = audio_packets_per_connection(host.page)
    time.sleep(2)
    after = audio_packets_per_connection(host.page)
    assert before, "the host has no open peer connection"
    assert after == before, f"the host still receives the muted guest's audio: {before} -> {after}"

    # The host removes the guest.
    participant_action(host, GUEST_NAME, "Remove from meeting")
    dialog = host.page.get_by_role("dialog", name=f"Remove {GUEST_NAME} from the meeting?")
    button(dialog, "Remove").click()
    expect(dialog).to_be_hidden()
    expect(guest.page.get_by_text("You were removed from the meeting")).to_be_visible()
    open_participants(host.page)
    expect(button(host.page, f"More actions for {GUEST_NAME}")).to_have_count(0)

    # Opening the link again gets the guest only as far as the waiting room, even with the
    # waiting room turned off (without it, anyone else with the link walks straight in).
    host_patches_meeting(host, code, {"waiting_room_enabled": False})
    guest_asks_to_join(guest.page, code, GUEST_NAME)
    expect(guest.page.get_by_text(WAITING)).to_be_visible()
    expect(button(host.page, f"Admit {GUEST_NAME}")).to_be_visible()
    expect(button(guest.page, "Chat")).to_have_count(0)


def test_locked_meeting_refuses_a_third_person_and_chat_survives_a_dropped_socket(
    browsers: Browsers, server: Server
) -> None:
    host, guest, code = host_and_admitted_guest(browsers, server)
    token = secrets.token_hex(3)

    # The host locks the meeting; a third person is refused with the API's message.
    open_participants(host.page)
    button(host.page, "Lock meeting").click()
    expect(button(host.page, "Unlock meeting")).to_be_visible()  # the server's meeting.updated
    third = new_person(browsers, "third", THIRD_NAME)
    guest_asks_to_join(third.page, code, THIRD_NAME)
    expect(third.page.get_by_text(re.compile(r"The host has locked this meeting"))).to_be_visible()
    expect(third.page.get_by_text(WAITING)).to_have_count(0)
    browsers.close("third")
    expect(button(host.page, f"Admit {THIRD_NAME}")).to_have_count(0)

    # Chat before the drop.
    first = f"Before the drop {token}"
    chat_reaches(host, guest, first)

    # The guest's socket drops and the network stays down while the host sends two messages.
    while_down = [f"While you were away one {token}", f"While you were away two {token}"]
    # Longer than the client's first few retries: the seat is kept and the same ticket reconnects.
    guest_drops_off_while_host_chats(host, guest, while_down, offline_s=8)
    expect_chat_exactly_once_in_order(guest.page, [first, *while_down])

    # The reconnected socket carries chat again, both ways.
    after = f"Back again {token}"
    send_chat(guest.page, after)
    expect_chat_exactly_once_in_order(host.page, [first, *while_down, after])
    expect_chat_exactly_once_in_order(guest.page, [first, *while_down, after])
