"""Breakout rooms over real sockets (the ASGI stack, both channel layers): the host opens two rooms,
each moved session gets a fresh welcome for its room, chat and signals stay inside a room, and
closing brings everyone back with the main room's chat.
"""

from typing import Any

import pytest
from channels.testing import WebsocketCommunicator

from aapoon.realtime.tests.test_meeting_consumer import (
    Entered,
    enter,
    host_bea_and_cal,
    join,
    recv,
    send,
)

pytestmark = pytest.mark.django_db(transaction=True)


async def until(socket: WebsocketCommunicator, kind: str) -> list[dict[str, Any]]:
    """Everything the socket hears up to and including the next message of type `kind`."""
    heard = []
    while True:
        heard.append(await recv(socket))
        if heard[-1]["type"] == kind:
            return heard


async def pending(socket: WebsocketCommunicator) -> list[dict[str, Any]]:
    """Everything the socket has been sent and not read yet."""
    heard = []
    while not await socket.receive_nothing(timeout=0.2):
        heard.append(await recv(socket))
    return heard


async def chat_heard(socket: WebsocketCommunicator, text: str) -> dict[str, Any]:
    """The next chat message with this text (past the room's other news)."""
    while True:
        message = (await until(socket, "chat.message"))[-1]
        if message["message"]["text"] == text:
            return message


async def rooms_opened(people: list[Entered]) -> tuple[str, str]:
    """Rooms One (Bea, Dan) and Two (Cal) opened by the host; everyone has read up to the open."""
    host, bea, cal, dan = people
    await send(
        host.ws, type="breakout_configure", rooms=[{"name": "One"}, {"name": "Two"}], countdown_seconds=0
    )
    state = (await until(host.ws, "breakout.updated"))[-1]["breakout"]
    one, two = (room["id"] for room in state["rooms"])
    for person, room in ((bea, one), (cal, two), (dan, one)):
        await send(
            host.ws, type="breakout_assign", participant_id=str(person.joined.participant.pk), room_id=room
        )
        await until(host.ws, "breakout.updated")
    await send(host.ws, type="breakout_open")
    await until(host.ws, "chat.message")  # who is where, in the main room's chat
    return one, two


async def four_in_a_meeting(sockets: list) -> list[Entered]:
    people = await host_bea_and_cal(sockets)
    meeting = people[0].joined.participant.meeting
    dan = await join(meeting, name="Dan")
    people.append(Entered(dan, *(await enter(sockets, dan))))
    for person in people[:3]:
        await until(person.ws, "participant.updated")  # Dan connected
    return people


async def test_moved_sessions_get_their_room_and_hear_only_it(sockets):
    host, bea, cal, dan = people = await four_in_a_meeting(sockets)
    one, two = await rooms_opened(people)

    # Bea is told she moved, then welcomed again on the same socket: into room One.
    heard = await until(bea.ws, "welcome")
    assert {"type": "breakout.moved", "room_id": one} in heard
    welcome = heard[-1]
    roster = {p["display_name"]: p["breakout_room_id"] for p in welcome["roster"]}
    assert roster == {"Hema": None, "Bea": one, "Cal": two, "Dan": one}
    assert welcome["breakout"]["status"] == "open"
    assert welcome["chat"] == []  # room One's chat: nothing said there yet
    for person in (cal, dan):
        await until(person.ws, "welcome")

    # Chat in room One reaches Bea and Dan, not Cal and not the host in the main room.
    await send(bea.ws, type="chat", text="hello one", client_id="b1")
    for person in (bea, dan):
        message = await chat_heard(person.ws, "hello one")
        assert (message["message"]["text"], message["message"]["room_id"]) == ("hello one", one)
        assert "seq" not in message  # room chat is not a numbered broadcast
    # Signals cross no room: Bea can't reach Cal, only Dan.
    await send(bea.ws, type="signal", to=str(cal.joined.participant.pk), data={"candidate": None})
    assert (await until(bea.ws, "error"))[-1]["code"] == "not_found"
    await send(bea.ws, type="signal", to=str(dan.joined.participant.pk), data={"candidate": None})
    assert (await until(dan.ws, "signal"))[-1]["from"] == str(bea.joined.participant.pk)
    for person in (cal, host):  # neither heard room One's chat
        assert "hello one" not in [m["message"]["text"] for m in await pending(person.ws) if "message" in m]

    # Closing (no countdown) brings everyone back, with the main room's chat in their welcome.
    await send(host.ws, type="breakout_close")
    heard = await until(bea.ws, "welcome")
    assert {"type": "breakout.moved", "room_id": None} in heard
    back = heard[-1]
    assert {p["breakout_room_id"] for p in back["roster"]} == {None}
    assert back["breakout"]["status"] == "closed"
    assert [m["text"].split("\n")[0] for m in back["chat"] if m["type"] == "system"] == [
        "Breakout rooms are open.",
        "Breakout rooms closed. Everyone is back in the main room.",
    ]
    assert "hello one" not in [m["text"] for m in back["chat"]]  # that stays in room One's history


async def test_participants_ask_for_help_and_cannot_wander(sockets):
    host, bea, cal, dan = people = await four_in_a_meeting(sockets)
    one, two = await rooms_opened(people)
    await until(bea.ws, "welcome")
    await send(bea.ws, type="breakout_join", room_id=two)
    assert (await until(bea.ws, "error"))[-1]["code"] == "permission_denied"
    await send(bea.ws, type="breakout_help")
    help_request = (await until(host.ws, "breakout.help"))[-1]
    assert (help_request["display_name"], help_request["room_name"]) == ("Bea", "One")
    # The host goes to help: welcomed into room One.
    await send(host.ws, type="breakout_join", room_id=one)
    assert (await until(host.ws, "welcome"))[-1]["roster"][0]["breakout_room_id"] == one
    await send(host.ws, type="breakout_broadcast", text="2 minutes left")
    for person in (bea, cal, dan, host):
        message = (await until(person.ws, "breakout.message"))[-1]
        assert (message["text"], message["sender_name"]) == ("2 minutes left", "Hema")
