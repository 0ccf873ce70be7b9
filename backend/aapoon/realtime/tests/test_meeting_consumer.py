"""/ws/meetings/<code>/: the live room through the real ASGI stack (origin check, session auth, routes).

Every test runs with the in-memory channel layer and with Redis (RedisPubSubChannelLayer, the
production choice, under a prefix of its own). Sessions are opened with tickets from
`meeting_join`, as the REST join hands them out.
"""

import asyncio
import datetime as dt
import json
import threading
import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, NamedTuple

import pytest
import time_machine
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client
from django.utils import timezone

from aapoon.accounts.models import User
from aapoon.accounts.tests.factories import make_user
from aapoon.meetings import room as meetings_room
from aapoon.meetings import services
from aapoon.meetings import sfu as meetings_sfu
from aapoon.meetings.models import Meeting, MeetingParticipant
from aapoon.meetings.participant_tokens import participant_token_read
from aapoon.meetings.tests.factories import add_member, make_meeting, newcomer_payload
from config.asgi import application

ORIGIN = (b"origin", b"http://localhost:8000")
TIMEOUT = 3
Status = MeetingParticipant.Status

pytestmark = pytest.mark.django_db(transaction=True)


# ---- helpers ------------------------------------------------------------------------------------


def _meeting(**values: Any) -> tuple[User, Meeting]:
    host = make_user(email=f"host-{uuid.uuid4().hex[:8]}@example.com", display_name="Hema")
    return host, make_meeting(host=host, title="Weekly", **values)


def _member(meeting: Meeting, name: str) -> User:
    user = make_user(email=f"{name.lower()}-{uuid.uuid4().hex[:8]}@example.com", display_name=name)
    add_member(meeting.account, user)
    return user


def _join(meeting: Meeting, *, user: User | None = None, name: str = "") -> services.JoinResult:
    return services.meeting_join(
        code=meeting.meeting_code,
        user=user,
        display_name=name,
        passcode=meeting.passcode,
        guest_key="" if user else f"key-{name}",
        ip="10.0.0.1",
    )


meeting_for = sync_to_async(_meeting)
member_of = sync_to_async(_member)
join = sync_to_async(_join)


def _participant(pk: Any) -> MeetingParticipant:
    return MeetingParticipant.objects.select_related("meeting").get(pk=pk)


participant = sync_to_async(_participant)


def _session_cookie(user: User) -> bytes:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}".encode()


async def socket_for(
    sockets: list, code: str, ticket: str, headers: list[tuple[bytes, bytes]] | None = None
) -> WebsocketCommunicator:
    socket = WebsocketCommunicator(
        application, f"/ws/meetings/{code}/?ticket={ticket}", headers=headers or [ORIGIN]
    )
    sockets.append(socket)
    connected, _ = await socket.connect(timeout=TIMEOUT)
    assert connected  # accepted first, so a refusal can carry its close code
    return socket


async def enter(
    sockets: list, result: services.JoinResult, ticket: str = "", **kwargs: Any
) -> tuple[WebsocketCommunicator, dict]:
    """Open the session's socket (with its join ticket, or another one) and read the welcome."""
    socket = await socket_for(
        sockets, result.participant.meeting.meeting_code, ticket or result.ticket, **kwargs
    )
    welcome = await recv(socket)
    assert welcome["type"] == "welcome", welcome
    assert welcome["participant_id"] == str(result.participant.pk)
    return socket, welcome


async def recv(socket: WebsocketCommunicator) -> dict[str, Any]:
    return json.loads(await socket.receive_from(timeout=TIMEOUT))


async def recv_n(socket: WebsocketCommunicator, n: int) -> list[dict[str, Any]]:
    return [await recv(socket) for _ in range(n)]


async def closed_with(socket: WebsocketCommunicator) -> int:
    output = await socket.receive_output(timeout=TIMEOUT)
    assert output["type"] == "websocket.close", output
    return output["code"]


async def refused_with(sockets: list, code: str, ticket: str, **kwargs: Any) -> int:
    socket = await socket_for(sockets, code, ticket, **kwargs)
    return await closed_with(socket)


async def quiet(*sockets: WebsocketCommunicator) -> bool:
    for socket in sockets:
        assert await socket.receive_nothing(timeout=0.15), await socket.receive_output()
    return True


async def send(socket: WebsocketCommunicator, **message: Any) -> None:
    await socket.send_json_to(message)


def participant_left(result: services.JoinResult, *, seq: int, reason: str) -> dict[str, Any]:
    """The broadcast that this session has left the room."""
    return {
        "type": "participant.left",
        "seq": seq,
        "participant_id": str(result.participant.pk),
        "reason": reason,
    }


class Entered(NamedTuple):
    """Someone in the room: their join, their socket and the welcome it read."""

    joined: services.JoinResult
    ws: WebsocketCommunicator
    welcome: dict[str, Any]


async def host_bea_and_cal(sockets: list) -> list[Entered]:
    """The host and the guests Bea and Cal, all connected to a meeting without a waiting room.

    Each socket has read the others connecting after it.
    """
    host, meeting = await meeting_for(waiting_room_enabled=False)
    joined = [
        await join(meeting, user=host),
        await join(meeting, name="Bea"),
        await join(meeting, name="Cal"),
    ]
    people = [Entered(result, *(await enter(sockets, result))) for result in joined]
    await recv_n(people[0].ws, 2)  # Bea and Cal connected
    await recv_n(people[1].ws, 1)  # Cal connected
    return people


@dataclass
class HostAndGita:
    meeting: Meeting
    host: Entered
    gita: Entered
    host_heard: list[dict[str, Any]]  # after the host's welcome: Gita joining, then connecting


async def host_and_gita(sockets: list) -> HostAndGita:
    """The host and the guest Gita, both connected to a meeting without a waiting room."""
    host, meeting = await meeting_for(waiting_room_enabled=False)
    host_join = await join(meeting, user=host)
    host_entered = Entered(host_join, *(await enter(sockets, host_join)))
    gita = await join(meeting, name="Gita")
    gita_entered = Entered(gita, *(await enter(sockets, gita)))
    host_heard = await recv_n(host_entered.ws, 2)
    assert [m["type"] for m in host_heard] == ["participant.joined", "participant.updated"]
    return HostAndGita(meeting, host_entered, gita_entered, host_heard)


# ---- tickets ------------------------------------------------------------------------------------


async def test_bad_used_and_expired_tickets_are_closed_with_4401(sockets):
    _, meeting = await meeting_for()
    code = meeting.meeting_code
    assert await refused_with(sockets, code, "") == 4401
    assert await refused_with(sockets, code, "made-up-ticket") == 4401

    used = await join(meeting, name="Gita")
    await enter(sockets, used)
    assert await refused_with(sockets, code, used.ticket) == 4401

    late = await join(meeting, name="Ravi")
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=61)):
        assert await refused_with(sockets, code, late.ticket) == 4401
    assert (await participant(late.participant.pk)).disconnected_at is not None


async def test_a_ticket_only_opens_its_own_meeting(sockets):
    host, meeting = await meeting_for(waiting_room_enabled=False)
    _, elsewhere = await meeting_for()
    host_ws, _ = await enter(sockets, await join(meeting, user=host))
    guest = await join(meeting, name="Gita")
    assert (await recv(host_ws))["type"] == "participant.joined"
    assert await refused_with(sockets, elsewhere.meeting_code, guest.ticket) == 4401
    # Refused means untouched: still not connected, and the room heard nothing.
    assert (await participant(guest.participant.pk)).disconnected_at is not None
    assert await quiet(host_ws)


async def test_a_signed_in_socket_cannot_use_someone_elses_ticket(sockets):
    host, meeting = await meeting_for(waiting_room_enabled=False)
    member = await member_of(meeting, "Mia")
    watcher, _ = await enter(sockets, await join(meeting, user=member))
    stranger = await sync_to_async(make_user)(email="stranger@example.com")
    stolen = await join(meeting, user=host)
    await recv(watcher)  # participant.joined (host)
    stranger_cookie = [ORIGIN, (b"cookie", await sync_to_async(_session_cookie)(stranger))]
    assert await refused_with(sockets, meeting.meeting_code, stolen.ticket, headers=stranger_cookie) == 4401
    assert (await participant(stolen.participant.pk)).disconnected_at is not None
    assert await quiet(watcher)

    # The host's own cookie opens the host's session; a guest's ticket works on any socket.
    own = await join(meeting, user=host)
    host_cookie = [ORIGIN, (b"cookie", await sync_to_async(_session_cookie)(host))]
    _, welcome = await enter(sockets, own, headers=host_cookie)
    assert welcome["role"] == "host"
    await enter(sockets, await join(meeting, name="Gita"), headers=stranger_cookie)


async def test_a_foreign_origin_is_rejected(sockets):
    host, meeting = await meeting_for()
    result = await join(meeting, user=host)
    socket = WebsocketCommunicator(
        application,
        f"/ws/meetings/{meeting.meeting_code}/?ticket={result.ticket}",
        headers=[(b"origin", b"https://evil.example")],
    )
    connected, _ = await socket.connect(timeout=TIMEOUT)
    assert connected is False
    assert (await participant(result.participant.pk)).disconnected_at is not None


# ---- the welcome snapshot -------------------------------------------------------------------------


async def test_welcome_snapshots(sockets):
    host, meeting = await meeting_for()
    member = await member_of(meeting, "Mia")
    bob = await member_of(meeting, "Bob")
    host_join = await join(meeting, user=host)
    host_ws, host_welcome = await enter(sockets, host_join)
    mia_join = await join(meeting, user=member)
    mia_ws, mia_welcome = await enter(sockets, mia_join)
    bob_ws, _ = await enter(sockets, await join(meeting, user=bob))
    assert len(await recv_n(host_ws, 4)) == 4  # Mia and Bob joined and connected
    assert len(await recv_n(mia_ws, 2)) == 2  # Bob joined and connected
    await send(mia_ws, type="chat", text="for everyone", client_id="c1")
    assert (await recv(mia_ws))["message"]["text"] == "for everyone"
    await send(mia_ws, type="chat", text="just for the host", to=str(host_join.participant.pk))
    assert (await recv(mia_ws))["message"]["text"] == "just for the host"
    await send(bob_ws, type="chat", text="bob to mia", to=str(mia_join.participant.pk))
    assert [m["message"]["text"] for m in await recv_n(bob_ws, 2)] == ["for everyone", "bob to mia"]
    assert (await recv(mia_ws))["message"]["text"] == "bob to mia"
    knock = await join(meeting, name="Gita")
    assert [m["type"] for m in await recv_n(host_ws, 3)] == ["chat.message", "chat.message", "lobby"]
    knock_ws, knock_welcome = await enter(sockets, knock)

    # The host's first welcome, before anyone else was there.
    assert host_welcome == {
        "type": "welcome",
        "participant_id": str(host_join.participant.pk),
        "role": "host",
        "status": "joined",
        "seq": 2,  # joined, then connected
        "reconnect_ticket": host_welcome["reconnect_ticket"],
        "meeting": {
            "code": meeting.meeting_code,
            "title": "Weekly",
            "is_locked": False,
            "recording_allowed": False,
            "recording": {"active": False, "started_at": None},
            "media_mode": "p2p",
            "host_participant_id": str(host_join.participant.pk),
        },
        "roster": [
            newcomer_payload(host_join.participant.pk, display_name="Hema", role="host", connected=True)
        ],
        "chat": [],
        "lobby": [],
        "sfu": None,
        "participant_token": host_welcome["participant_token"],
        "breakout": {
            "status": "closed",
            "allow_choosing": False,
            "duration_minutes": None,
            "countdown_seconds": 60,
            "opened_at": None,
            "ends_at": None,
            "closes_at": None,
            "rooms": [],
            "assignments": {},
        },
        "polls": [],
        "poll_votes": {},
    }
    assert participant_token_read(token=host_welcome["participant_token"]) == host_join.participant.pk
    assert mia_welcome["role"] == "participant" and mia_welcome["lobby"] == []
    assert [p["display_name"] for p in mia_welcome["roster"]] == ["Hema", "Mia"]
    assert knock_welcome["status"] == "waiting"
    assert (knock_welcome["roster"], knock_welcome["chat"], knock_welcome["lobby"]) == ([], [], [])

    # Fresh snapshots now: chat is filtered per person, the lobby is for hosts only.
    _, host_now = await enter(sockets, await join(meeting, user=host))
    assert [m["text"] for m in host_now["chat"]] == ["for everyone", "just for the host"]
    assert [p["display_name"] for p in host_now["lobby"]] == ["Gita"]
    assert host_now["lobby"][0]["was_removed"] is False
    assert [p["display_name"] for p in host_now["roster"]] == ["Mia", "Bob", "Hema"]
    _, bob_now = await enter(sockets, await join(meeting, user=bob))
    assert [m["text"] for m in bob_now["chat"]] == ["for everyone", "bob to mia"]
    assert bob_now["lobby"] == []
    _, mia_now = await enter(sockets, await join(meeting, user=member))
    assert [m["text"] for m in mia_now["chat"]] == ["for everyone", "just for the host", "bob to mia"]
    assert mia_now["chat"][0]["client_id"] == "c1"
    assert mia_now["chat"][1]["to_participant_id"] == str(host_join.participant.pk)
    assert await quiet(knock_ws)


# ---- signaling ---------------------------------------------------------------------------------


async def test_signals_reach_only_the_addressed_participant(sockets):
    (a, a_ws, _), (b, b_ws, _), (_, c_ws, _) = await host_bea_and_cal(sockets)

    offer = {"description": {"type": "offer", "sdp": "v=0\r\n..."}}
    await send(a_ws, type="signal", to=str(b.participant.pk), data=offer)
    assert await recv(b_ws) == {"type": "signal", "from": str(a.participant.pk), "data": offer}
    candidate = {"candidate": {"candidate": "candidate:1 1 udp 1 127.0.0.1 5000 typ host", "sdpMid": "0"}}
    await send(b_ws, type="signal", to=str(a.participant.pk), data=candidate)
    assert await recv(a_ws) == {"type": "signal", "from": str(b.participant.pk), "data": candidate}
    assert await quiet(a_ws, b_ws, c_ws)


async def test_a_private_message_reaches_only_sender_and_recipient(sockets):
    (a, a_ws, _), (b, b_ws, _), (_, c_ws, c_welcome) = await host_bea_and_cal(sockets)

    await send(b_ws, type="chat", text="psst", to=str(a.participant.pk), client_id="p1")
    to_sender, to_recipient = await recv(b_ws), await recv(a_ws)
    assert to_sender == to_recipient
    assert set(to_sender) == {"type", "message"}  # direct: no seq
    message = to_sender["message"]
    assert (message["sender_participant_id"], message["to_participant_id"], message["text"]) == (
        str(b.participant.pk),
        str(a.participant.pk),
        "psst",
    )
    assert await quiet(c_ws)
    await send(c_ws, type="resume", since=c_welcome["seq"])
    assert await recv(c_ws) == {"type": "replay", "events": []}


async def test_signals_to_no_one_valid_are_refused(sockets):
    host, meeting = await meeting_for()
    _, elsewhere = await meeting_for(waiting_room_enabled=False)
    a = await join(meeting, user=host)
    a_ws, _ = await enter(sockets, a)
    waiting = await join(meeting, name="Wes")
    waiting_ws, _ = await enter(sockets, waiting)
    await recv(a_ws)  # lobby
    other = await join(elsewhere, name="Ola")
    other_ws, _ = await enter(sockets, other)
    for to in (waiting.participant.pk, a.participant.pk, other.participant.pk, "nope"):
        await send(a_ws, type="signal", to=str(to), data={"x": 1})
        reply = await recv(a_ws)
        assert (reply["type"], reply["code"]) == ("error", "not_found")
    assert await quiet(waiting_ws, other_ws)


async def test_someone_waiting_cannot_chat_or_signal(sockets):
    host, meeting = await meeting_for()
    a = await join(meeting, user=host)
    a_ws, _ = await enter(sockets, a)
    waiting_ws, _ = await enter(sockets, await join(meeting, name="Wes"))
    assert (await recv(a_ws))["type"] == "lobby"
    for message in (
        {"type": "chat", "text": "let me in"},
        {"type": "signal", "to": str(a.participant.pk), "data": {}},
        {"type": "reaction", "emoji": "👍"},
        {"type": "admit", "participant_id": str(a.participant.pk)},
    ):
        await send(waiting_ws, **message)
        reply = await recv(waiting_ws)
        assert (reply["type"], reply["code"]) == ("error", "permission_denied")
    assert await quiet(a_ws)


# ---- the waiting room ---------------------------------------------------------------------------


async def test_knock_admit_deny(sockets):
    host, meeting = await meeting_for()
    a = await join(meeting, user=host)
    host_ws, _ = await enter(sockets, a)

    gita = await join(meeting, name="Gita")
    lobby = await recv(host_ws)
    assert lobby["type"] == "lobby"
    assert [(p["id"], p["display_name"], p["is_guest"]) for p in lobby["waiting"]] == [
        (str(gita.participant.pk), "Gita", True)
    ]
    gita_ws, _ = await enter(sockets, gita)
    ravi = await join(meeting, name="Ravi")
    assert [p["display_name"] for p in (await recv(host_ws))["waiting"]] == ["Gita", "Ravi"]
    ravi_ws, _ = await enter(sockets, ravi)

    await send(host_ws, type="admit", participant_id=str(gita.participant.pk))
    joined, lobby = await recv_n(host_ws, 2)
    assert (joined["type"], joined["participant"]["id"]) == ("participant.joined", str(gita.participant.pk))
    assert lobby == {"type": "lobby", "waiting": [lobby["waiting"][0]]}
    assert lobby["waiting"][0]["display_name"] == "Ravi"
    assert await recv(gita_ws) == {"type": "admitted"}
    welcome = await recv(gita_ws)
    assert (welcome["type"], welcome["status"]) == ("welcome", "joined")
    assert [p["display_name"] for p in welcome["roster"]] == ["Hema", "Gita"]
    assert welcome["seq"] == joined["seq"]

    # Once in, Gita hears the room.
    await send(host_ws, type="chat", text="welcome!")
    assert (await recv(gita_ws))["message"]["text"] == "welcome!"
    assert (await recv(host_ws))["type"] == "chat.message"

    await send(host_ws, type="deny", participant_id=str(ravi.participant.pk))
    assert await recv(ravi_ws) == {"type": "denied"}
    assert await closed_with(ravi_ws) == 4403
    assert await recv(host_ws) == {"type": "lobby", "waiting": []}
    assert (await participant(ravi.participant.pk)).status == Status.DENIED
    assert await quiet(gita_ws)


async def test_admit_all_over_the_socket(sockets):
    host, meeting = await meeting_for()
    host_ws, _ = await enter(sockets, await join(meeting, user=host))
    waiting = [await join(meeting, name=name) for name in ("Gita", "Ravi")]
    await recv_n(host_ws, 2)
    waiting_ws = [(await enter(sockets, result))[0] for result in waiting]
    await send(host_ws, type="admit_all")
    for socket in waiting_ws:
        assert await recv(socket) == {"type": "admitted"}
        assert (await recv(socket))["status"] == "joined"
    messages = await recv_n(host_ws, 3)
    assert [m["type"] for m in messages] == ["participant.joined", "participant.joined", "lobby"]


# ---- moderation ---------------------------------------------------------------------------------


async def test_remove_closes_the_socket_and_its_reconnect_ticket_is_refused(sockets):
    room = await host_and_gita(sockets)
    host_ws, (gita, gita_ws, gita_welcome) = room.host.ws, room.gita

    await send(host_ws, type="remove", participant_id=str(gita.participant.pk))
    left = await recv(host_ws)
    assert left == participant_left(gita, seq=gita_welcome["seq"] + 1, reason="removed")
    assert await recv(gita_ws) == left
    assert await recv(gita_ws) == {"type": "removed"}
    assert await closed_with(gita_ws) == 4403
    assert await refused_with(sockets, room.meeting.meeting_code, gita_welcome["reconnect_ticket"]) == 4403
    assert (await participant(gita.participant.pk)).status == Status.REMOVED
    assert await quiet(host_ws)


async def test_mute_and_roles_over_the_socket(sockets):
    host, meeting = await meeting_for(waiting_room_enabled=False)
    host_ws, _ = await enter(sockets, await join(meeting, user=host))
    mia = await member_of(meeting, "Mia")
    mia_join = await join(meeting, user=mia)
    mia_ws, _ = await enter(sockets, mia_join)
    await recv_n(host_ws, 2)
    pid = str(mia_join.participant.pk)

    await send(mia_ws, type="state", audio_on=True)
    assert (await recv(host_ws))["participant"]["audio_on"] is True
    assert (await recv(mia_ws))["participant"]["audio_on"] is True

    await send(host_ws, type="mute", participant_id=pid)
    updated = await recv(mia_ws)
    assert (updated["type"], updated["participant"]["audio_on"]) == ("participant.updated", False)
    assert await recv(mia_ws) == {"type": "muted_by_host"}
    assert (await recv(host_ws))["participant"]["audio_on"] is False

    await send(host_ws, type="ask_unmute", participant_id=pid)
    assert await recv(mia_ws) == {"type": "unmute_requested", "by": "Hema"}

    # A co-host gets a fresh welcome with the lobby and from then on hears the waiting room.
    await send(host_ws, type="make_cohost", participant_id=pid)
    assert (await recv(host_ws))["participant"]["role"] == "cohost"
    assert (await recv(mia_ws))["participant"]["role"] == "cohost"
    assert await recv(mia_ws) == {"type": "role", "role": "cohost"}
    welcome = await recv(mia_ws)
    assert (welcome["type"], welcome["role"], welcome["lobby"]) == ("welcome", "cohost", [])
    await sync_to_async(Meeting.objects.filter(pk=meeting.pk).update)(waiting_room_enabled=True)
    await join(meeting, name="Gita")
    assert [p["display_name"] for p in (await recv(mia_ws))["waiting"]] == ["Gita"]
    assert [p["display_name"] for p in (await recv(host_ws))["waiting"]] == ["Gita"]

    await send(host_ws, type="remove_cohost", participant_id=pid)
    assert (await recv(host_ws))["participant"]["role"] == "participant"
    assert (await recv(mia_ws))["participant"]["role"] == "participant"
    assert await recv(mia_ws) == {"type": "role", "role": "participant"}
    assert (await recv(mia_ws))["role"] == "participant"
    await join(meeting, name="Ravi")
    assert [p["display_name"] for p in (await recv(host_ws))["waiting"]] == ["Gita", "Ravi"]
    assert await quiet(mia_ws)

    await send(mia_ws, type="mute", participant_id=pid)
    assert (await recv(mia_ws))["code"] == "permission_denied"


async def test_end_closes_every_socket_with_4410(sockets):
    host, meeting = await meeting_for()
    mia = await member_of(meeting, "Mia")
    host_ws, _ = await enter(sockets, await join(meeting, user=host))
    mia_ws, _ = await enter(sockets, await join(meeting, user=mia))
    knock_ws, _ = await enter(sockets, await join(meeting, name="Gita"))
    await recv_n(host_ws, 3)

    await send(host_ws, type="end")
    ended = await recv(host_ws)
    assert ended["type"] == "meeting.ended" and isinstance(ended["seq"], int)
    assert await recv(mia_ws) == ended
    assert await recv(knock_ws) == {"type": "meeting.ended"}
    for socket in (host_ws, mia_ws, knock_ws):
        assert await closed_with(socket) == 4410
    assert (await sync_to_async(Meeting.objects.get)(pk=meeting.pk)).status == Meeting.Status.ENDED


async def test_a_second_join_closes_the_first_socket(sockets):
    host, meeting = await meeting_for()
    first = await join(meeting, user=host)
    first_ws, _ = await enter(sockets, first)
    await join(meeting, user=host)
    left = await recv(first_ws)
    assert (left["type"], left["reason"]) == ("participant.left", "replaced")
    assert await recv(first_ws) == {"type": "session.closed", "reason": "replaced"}
    assert await closed_with(first_ws) == 4409


# ---- leaving, dropping, coming back --------------------------------------------------------------


async def test_leave_closes_with_1000_and_tells_the_others(sockets):
    room = await host_and_gita(sockets)
    host_ws, (gita, gita_ws, _) = room.host.ws, room.gita

    await send(gita_ws, type="leave")
    left = await recv(host_ws)
    assert (left["type"], left["participant_id"], left["reason"]) == (
        "participant.left",
        str(gita.participant.pk),
        "left",
    )
    assert await recv(gita_ws) == left
    assert await recv(gita_ws) == {"type": "session.closed", "reason": "left"}
    assert await closed_with(gita_ws) == 1000
    assert (await participant(gita.participant.pk)).status == Status.LEFT


async def test_a_dropped_socket_reconnects_and_catches_up_on_what_it_missed(sockets):
    room = await host_and_gita(sockets)
    host_ws, (gita, gita_ws, gita_welcome) = room.host.ws, room.gita
    last_seen = gita_welcome["seq"]

    await gita_ws.disconnect()
    dropped = await recv(host_ws)
    assert (dropped["type"], dropped["seq"]) == ("participant.updated", last_seen + 1)
    assert dropped["participant"]["connected"] is False
    await send(host_ws, type="chat", text="while you were out")
    chat = await recv(host_ws)
    assert chat["seq"] == last_seen + 2
    assert (await participant(gita.participant.pk)).status == Status.JOINED  # place kept

    back_ws, back = await enter(sockets, gita, ticket=gita_welcome["reconnect_ticket"])
    assert back["status"] == "joined"
    assert back["reconnect_ticket"] != gita_welcome["reconnect_ticket"]
    assert back["chat"][-1]["text"] == "while you were out"
    returned = await recv(host_ws)
    assert (returned["type"], returned["seq"], returned["participant"]["connected"]) == (
        "participant.updated",
        last_seen + 3,
        True,
    )
    assert back["seq"] == last_seen + 3

    await send(back_ws, type="resume", since=last_seen)
    assert await recv(back_ws) == {"type": "replay", "events": [dropped, chat, returned]}
    await send(back_ws, type="resume", since=back["seq"])
    assert await recv(back_ws) == {"type": "replay", "events": []}
    # The reconnect ticket was for one connection only.
    assert await refused_with(sockets, room.meeting.meeting_code, gita_welcome["reconnect_ticket"]) == 4401


async def test_reconnecting_before_the_old_socket_closes_replaces_it_quietly(sockets):
    """A fast reconnect can open the new socket before the server notices the old one is gone."""
    room = await host_and_gita(sockets)
    host_ws, (gita, old_ws, welcome) = room.host.ws, room.gita

    new_ws, back = await enter(sockets, gita, ticket=welcome["reconnect_ticket"])
    assert back["status"] == "joined"
    assert await closed_with(old_ws) == 4409
    # The old socket's late close must not mark the session disconnected.
    sockets.remove(old_ws)
    await old_ws.disconnect(code=1006, timeout=TIMEOUT)
    assert await quiet(host_ws, new_ws)
    gita_now = await participant(gita.participant.pk)
    assert gita_now.status == Status.JOINED and gita_now.disconnected_at is None


async def test_a_dropped_participant_leaves_after_the_grace_period(sockets, settings):
    room = await host_and_gita(sockets)
    host_ws, (gita, gita_ws, _) = room.host.ws, room.gita
    settings.MEETING_RECONNECT_GRACE_SECONDS = 0

    await gita_ws.disconnect()
    dropped = await recv(host_ws)
    assert (dropped["type"], dropped["participant"]["connected"]) == ("participant.updated", False)
    left = await recv(host_ws)
    assert left == participant_left(gita, seq=dropped["seq"] + 1, reason="disconnected")
    assert (await participant(gita.participant.pk)).status == Status.LEFT


# ---- bad input and sequence numbers --------------------------------------------------------------


async def test_bad_messages_get_an_error_and_the_socket_stays_open(sockets):
    host, meeting = await meeting_for()
    host_ws, _ = await enter(sockets, await join(meeting, user=host))
    for raw, code in [
        ("not json", "invalid_message"),
        ("[1, 2]", "invalid_message"),
        ('{"no": "type"}', "invalid_message"),
        ('{"type": 7}', "invalid_message"),
        ('{"type": "fly"}', "unknown_message"),
        (json.dumps({"type": "chat", "text": "x" * 70_000}), "invalid_message"),
        ('{"type": "chat", "text": ""}', "invalid_input"),
        ('{"type": "reaction", "emoji": "💩"}', "invalid_input"),
        ('{"type": "resume", "since": "yesterday"}', "invalid_input"),
        ("[" * 60_000, "invalid_message"),  # too deeply nested to parse
        ('{"type": "chat", "text": "nul \\u0000 inside"}', "invalid_input"),
    ]:
        await host_ws.send_to(text_data=raw)
        reply = await recv(host_ws)
        assert (reply["type"], reply["code"]) == ("error", code), raw
        assert isinstance(reply["message"], str) and reply["message"]
    await host_ws.send_to(bytes_data=b"\x00\x01")
    assert (await recv(host_ws))["code"] == "invalid_message"
    await send(host_ws, type="ping")
    assert await recv(host_ws) == {"type": "pong"}
    joined = MeetingParticipant.objects.filter(meeting=meeting, status=Status.JOINED)
    assert await sync_to_async(joined.count)() == 1


async def test_every_broadcast_a_socket_sees_is_numbered_without_gaps(sockets):
    room = await host_and_gita(sockets)
    (_, host_ws, host_welcome), (gita, gita_ws, gita_welcome) = room.host, room.gita
    host_seen = room.host_heard  # Gita joining, then connecting
    actions = [
        (gita_ws, {"type": "chat", "text": "hi"}, "chat.message"),
        (gita_ws, {"type": "hand", "raised": True}, "participant.updated"),
        (gita_ws, {"type": "reaction", "emoji": "🎉"}, "reaction"),
        (host_ws, {"type": "lock"}, "meeting.updated"),
        (host_ws, {"type": "unlock"}, "meeting.updated"),
        (gita_ws, {"type": "state", "video_on": True}, "participant.updated"),
        (host_ws, {"type": "chat", "text": "psst", "to": str(gita.participant.pk)}, None),  # direct: no seq
        (gita_ws, {"type": "leave"}, "participant.left"),
    ]
    gita_seen = []
    for socket, message, broadcast in actions:
        await socket.send_json_to(message)
        if broadcast is None:
            private = await recv(host_ws)
            assert await recv(gita_ws) == private
            assert "seq" not in private
            continue
        host_seen.append(await recv(host_ws))
        gita_seen.append(await recv(gita_ws))
        assert host_seen[-1]["type"] == broadcast
    assert await recv(gita_ws) == {"type": "session.closed", "reason": "left"}
    assert [m["seq"] for m in host_seen] == list(range(host_welcome["seq"] + 1, host_welcome["seq"] + 10))
    assert [m["seq"] for m in gita_seen] == list(range(gita_welcome["seq"] + 1, gita_welcome["seq"] + 8))
    assert gita_seen == host_seen[2:]


# ---- calls that may wait on Janus never hold up the room ------------------------------------------


@contextmanager
def held(
    monkeypatch, module: Any, name: str, when: Callable[..., bool] = lambda *a, **k: True
) -> Iterator[Callable[[], Awaitable[bool]]]:
    """`module.name` waits (as on a media node that does not answer) until the block ends. The
    block gets an awaitable that is true once a call is waiting there."""
    entered, release, real = threading.Event(), threading.Event(), getattr(module, name)

    def slow(*args: Any, **kwargs: Any) -> Any:
        if when(*args, **kwargs):
            entered.set()
            release.wait(timeout=20)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, slow)
    try:
        yield lambda: asyncio.to_thread(entered.wait, TIMEOUT)
    finally:
        release.set()


async def chat_gets_through(sender: WebsocketCommunicator, reader: WebsocketCommunicator) -> bool:
    await send(sender, type="chat", text="still moving")
    while (message := await recv(reader))["type"] != "chat.message":
        pass
    return message["message"]["text"] == "still moving"


async def test_a_slow_sfu_refresh_does_not_hold_up_chat(sockets, monkeypatch):
    host, bea, cal = await host_bea_and_cal(sockets)
    with held(monkeypatch, meetings_sfu, "sfu_refresh") as waiting:
        await send(host.ws, type="sfu_refresh")
        assert await waiting()
        assert await chat_gets_through(bea.ws, cal.ws)
    # The host's own answer and the chat, in either order (the host's socket was busy asking).
    answers = {message["type"]: message for message in await recv_n(host.ws, 2)}
    assert set(answers) == {"chat.message", "error"}
    assert answers["error"]["code"] == "sfu_unavailable"  # P2P meeting: nothing to refresh


async def test_a_slow_moderation_call_does_not_hold_up_chat(sockets, monkeypatch):
    host, bea, cal = await host_bea_and_cal(sockets)
    with held(monkeypatch, meetings_room, "participant_mute") as waiting:
        await send(host.ws, type="mute", participant_id=str(bea.joined.participant.pk))
        assert await waiting()
        assert await chat_gets_through(bea.ws, cal.ws)


async def test_a_slow_welcome_does_not_hold_up_chat(sockets, monkeypatch):
    host, bea, cal = await host_bea_and_cal(sockets)
    dan = await join(host.joined.participant.meeting, name="Dan")

    def dan_only(**kwargs: Any) -> bool:
        return kwargs["participant_id"] == dan.participant.pk

    # Dan's welcome has its snapshot; now its SFU grant waits on Janus.
    with held(monkeypatch, meetings_sfu, "sfu_grant", when=dan_only) as waiting:
        dan_ws = await socket_for(sockets, dan.participant.meeting.meeting_code, dan.ticket)
        assert await waiting()
        assert await chat_gets_through(bea.ws, cal.ws)
    # What was said meanwhile reaches Dan after his welcome, on top of its snapshot.
    welcome, chat = await recv_n(dan_ws, 2)
    assert (welcome["type"], chat["type"]) == ("welcome", "chat.message")
    assert chat["seq"] > welcome["seq"] and chat["message"]["text"] == "still moving"


async def test_sfu_refresh_is_rate_limited(sockets, settings):
    settings.SFU_REFRESH_RATE_LIMIT = 2
    host, _, _ = await host_bea_and_cal(sockets)
    codes = []
    for _ in range(3):
        await send(host.ws, type="sfu_refresh")
        codes.append((await recv(host.ws))["code"])
    assert codes == ["sfu_unavailable", "sfu_unavailable", "rate_limited"]
