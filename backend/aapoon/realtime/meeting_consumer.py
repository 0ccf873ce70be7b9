"""One WebSocket per meeting participant: `/ws/meetings/<code>/?ticket=…` (see docs/meetings.md).

Glue only: each client message calls one meetings service; what the services send out arrives
here as pre-encoded text and is forwarded as it is.
"""

import asyncio
import collections
import json
import logging
import uuid
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings

from aapoon.core.errors import ApplicationError
from aapoon.meetings import away, breakouts, polls, recording_actions, room, selectors, services, sfu
from aapoon.meetings.events import hosts_group, meeting_group, participant_group, room_group
from aapoon.meetings.models import Meeting, MeetingParticipant
from aapoon.realtime.layers import LocalChannelLayer

logger = logging.getLogger(__name__)
MAX_MESSAGE_BYTES = 64 * 1024
CLOSE_BAD_TICKET, CLOSE_REFUSED, CLOSE_REPLACED, CLOSE_ENDED = 4401, 4403, 4409, 4410
# Direct events after which this socket is finished, and the close code that tells the client why.
CLOSING_EVENTS = {"removed": CLOSE_REFUSED, "denied": CLOSE_REFUSED, "meeting.ended": CLOSE_ENDED}
CLOSING_REASONS = {"left": 1000, "replaced": CLOSE_REPLACED, "disconnected": CLOSE_BAD_TICKET}
# Direct events after which this socket sends its session a fresh welcome (new status, role or room).
REWELCOME_EVENTS = {"admitted", "role", "breakout.moved"}
STATEFUL_EVENTS = {*CLOSING_EVENTS, "session.closed", *REWELCOME_EVENTS}
# Breakout plan settings a message may carry; left out, they stay as they are.
BREAKOUT_SETTINGS = ("allow_choosing", "duration_minutes", "countdown_seconds")

Handler = Callable[[uuid.UUID, dict[str, Any]], object]

# Client message type -> the service it calls with (acting participant id, message).
ACTIONS: dict[str, Handler] = {
    "state": lambda pid, m: room.state_set(
        participant_id=pid,
        audio_on=m.get("audio_on"),
        video_on=m.get("video_on"),
        screen_on=m.get("screen_on"),
        screen_track_id=m.get("screen_track_id"),
    ),
    "hand": lambda pid, m: room.hand_set(participant_id=pid, raised=m.get("raised")),
    "tab": lambda pid, m: away.tab_visibility_set(participant_id=pid, hidden=m.get("hidden")),
    "reaction": lambda pid, m: room.reaction_send(participant_id=pid, emoji=m.get("emoji")),
    "chat": lambda pid, m: room.chat_send(
        participant_id=pid, text=m.get("text"), to=m.get("to"), client_id=m.get("client_id")
    ),
    "admit": lambda pid, m: room.lobby_admit(participant_id=pid, target_id=m.get("participant_id")),
    "admit_all": lambda pid, m: room.lobby_admit_all(participant_id=pid),
    "deny": lambda pid, m: room.lobby_deny(participant_id=pid, target_id=m.get("participant_id")),
    "mute": lambda pid, m: room.participant_mute(participant_id=pid, target_id=m.get("participant_id")),
    "mute_all": lambda pid, m: room.mute_all(participant_id=pid),
    "ask_unmute": lambda pid, m: room.ask_unmute(participant_id=pid, target_id=m.get("participant_id")),
    "stop_video": lambda pid, m: room.video_stop(participant_id=pid, target_id=m.get("participant_id")),
    "remove": lambda pid, m: room.participant_remove(participant_id=pid, target_id=m.get("participant_id")),
    "lock": lambda pid, m: room.meeting_lock_set(participant_id=pid, locked=True),
    "unlock": lambda pid, m: room.meeting_lock_set(participant_id=pid, locked=False),
    "make_cohost": lambda pid, m: room.cohost_set(
        participant_id=pid, target_id=m.get("participant_id"), cohost=True
    ),
    "remove_cohost": lambda pid, m: room.cohost_set(
        participant_id=pid, target_id=m.get("participant_id"), cohost=False
    ),
    "transfer_host": lambda pid, m: room.host_transfer(participant_id=pid, target_id=m.get("participant_id")),
    "end": lambda pid, m: room.meeting_end_by_participant(participant_id=pid),
    "leave": lambda pid, m: services.participant_leave(participant_id=pid),
    "breakout_configure": lambda pid, m: breakouts.breakout_configure(
        participant_id=pid, rooms=m.get("rooms"), **{k: m[k] for k in BREAKOUT_SETTINGS if k in m}
    ),
    "breakout_assign": lambda pid, m: breakouts.breakout_assign(
        participant_id=pid, target_id=m.get("participant_id"), room_id=m.get("room_id")
    ),
    "breakout_auto_assign": lambda pid, m: breakouts.breakout_auto_assign(participant_id=pid),
    "breakout_open": lambda pid, m: breakouts.breakout_open(participant_id=pid),
    "breakout_close": lambda pid, m: breakouts.breakout_close(participant_id=pid),
    "breakout_broadcast": lambda pid, m: breakouts.breakout_broadcast(participant_id=pid, text=m.get("text")),
    "breakout_join": lambda pid, m: breakouts.breakout_join(participant_id=pid, room_id=m.get("room_id")),
    "breakout_help": lambda pid, m: breakouts.breakout_help(participant_id=pid),
    "recording_start": lambda pid, m: recording_actions.recording_start_by_participant(participant_id=pid),
    "recording_stop": lambda pid, m: recording_actions.recording_stop_by_participant(participant_id=pid),
    "poll_create": lambda pid, m: polls.poll_create(
        participant_id=pid,
        question=m.get("question"),
        options=m.get("options"),
        multiple=m.get("multiple"),
        anonymous=m.get("anonymous"),
        launch=m.get("launch"),
    ),
    "poll_launch": lambda pid, m: polls.poll_launch(participant_id=pid, poll_id=m.get("poll_id")),
    "poll_vote": lambda pid, m: polls.poll_vote(
        participant_id=pid, poll_id=m.get("poll_id"), choices=m.get("choices")
    ),
    "poll_close": lambda pid, m: polls.poll_close(participant_id=pid, poll_id=m.get("poll_id")),
    "poll_share": lambda pid, m: polls.poll_share(participant_id=pid, poll_id=m.get("poll_id")),
    "poll_delete": lambda pid, m: polls.poll_delete(participant_id=pid, poll_id=m.get("poll_id")),
}
# Actions whose service may call Janus over HTTP: directly (recording), or in the after-commit
# callbacks that run when its transaction commits, inside the same call (moderation at the SFU,
# revoking the entry of someone who leaves, closing the room at the end; admitting first makes
# stale sessions leave). They run on MEDIA_THREADS, never on the one thread that every socket's
# other sync calls share: one slow media node must not hold up everyone's chat.
MEDIA_ACTIONS = frozenset(
    {
        "state",
        "admit",
        "admit_all",
        "mute",
        "mute_all",
        "stop_video",
        "remove",
        "end",
        "leave",
        "recording_start",
        "recording_stop",
        # Moving people between breakout rooms takes their entry to the room they leave.
        "breakout_configure",
        "breakout_assign",
        "breakout_auto_assign",
        "breakout_open",
        "breakout_close",
        "breakout_join",
    }
)
MEDIA_THREADS = ThreadPoolExecutor(max_workers=16, thread_name_prefix="meeting-media")


def _may_call_janus[**P, R](func: Callable[P, R]) -> Callable[P, Awaitable[R]]:
    """`func` as a coroutine on MEDIA_THREADS; like every database_sync_to_async call it closes
    the thread's stale database connections before and after."""
    return database_sync_to_async(func, thread_sensitive=False, executor=MEDIA_THREADS)


class MeetingConsumer(AsyncWebsocketConsumer):
    participant_id: uuid.UUID | None = None
    meeting_id: uuid.UUID | None = None
    groups_joined: set[str]
    # The group of the breakout room this session is in, if any.
    breakout_group: str | None = None
    signal_targets: dict[str, uuid.UUID]
    # Everything this socket sends goes through one ordered outbox: written at once while the
    # client keeps up, by a writer task when it doesn't, so a slow client never holds up a sender.
    outbox: collections.deque[str]
    writer: asyncio.Task[None] | None = None
    closing = False
    # While a welcome is being made, what other sockets send this one waits here, to follow it.
    held: list[str] | None = None

    async def connect(self) -> None:
        self.groups_joined, self.signal_targets, self.outbox = set(), {}, collections.deque()
        # Accept first: a close code (why the socket is refused) can only be sent on an open socket.
        await self.accept()
        ticket = parse_qs(self.scope.get("query_string", b"").decode()).get("ticket", [""])[0]
        # A signed-in socket may only open its own session (a guest's ticket works on any socket).
        user = self.scope.get("user")
        connected = await database_sync_to_async(services.participant_connect)(
            ticket=ticket,
            code=self.scope["url_route"]["kwargs"]["code"],
            user_id=user.pk if user is not None and user.is_authenticated else None,
            channel=self.channel_name,
        )
        if connected is None:
            await self.close(code=CLOSE_BAD_TICKET)
            return
        participant = connected.participant
        if connected.superseded_channel:
            await self.channel_layer.send(connected.superseded_channel, {"type": "meeting.superseded"})
        refusal = _close_code_for(participant)
        if refusal:
            await self.close(code=refusal)
            return
        self.participant_id, self.meeting_id = participant.pk, participant.meeting_id
        if isinstance(self.channel_layer, LocalChannelLayer):
            self.channel_layer.attach(self.channel_name, self._forward_inline)
        await self._join_group(participant_group(participant.pk))
        await self._send_welcome(new_socket=True)

    async def _send_welcome(self, *, new_socket: bool = False) -> None:
        """Subscribe as the session's status and role allow, then send the snapshot (in that order,
        so nothing broadcast in between is missed: the client drops what the snapshot covers).
        Events forwarded while the snapshot and the grant are made (Janus may take a while) are
        held and sent after the welcome, so the client sees them on top of the snapshot."""
        assert self.participant_id is not None and self.meeting_id is not None
        participant = await database_sync_to_async(selectors.participant_get)(
            participant_id=self.participant_id
        )
        refusal = _close_code_for(participant)
        if refusal:  # what ended it may have been sent before this socket joined its groups
            await self.close(code=refusal)
            return
        joined = participant.status == MeetingParticipant.Status.JOINED
        if joined:
            await self._join_group(meeting_group(self.meeting_id))
        if joined and participant.is_moderator:
            await self._join_group(hosts_group(self.meeting_id))
        else:
            await self._leave_group(hosts_group(self.meeting_id))
        await self._enter_room_group(participant.breakout_room_id if joined else None)
        self.signal_targets = {}  # peers are checked again: the room may have changed
        self.held = []
        try:
            welcome = await _may_call_janus(services.welcome_for)(participant, new_socket=new_socket)
            self.held.insert(0, json.dumps(welcome))
        finally:
            held, self.held = self.held, None
            for text in held:
                self._write(text)

    async def _enter_room_group(self, room_id: uuid.UUID | None) -> None:
        """Hear the chat of the breakout room the session is in now (None: of no breakout room)."""
        assert self.meeting_id is not None
        wanted = room_group(self.meeting_id, room_id) if room_id is not None else None
        if self.breakout_group is not None and self.breakout_group != wanted:
            await self._leave_group(self.breakout_group)
        if wanted is not None:
            await self._join_group(wanted)
        self.breakout_group = wanted

    async def _join_group(self, group: str) -> None:
        if group not in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
            self.groups_joined.add(group)

    async def _leave_group(self, group: str) -> None:
        if group in self.groups_joined:
            await self.channel_layer.group_discard(group, self.channel_name)
            self.groups_joined.discard(group)

    async def disconnect(self, code: int) -> None:
        self.closing = True
        self.outbox.clear()
        if isinstance(self.channel_layer, LocalChannelLayer):
            self.channel_layer.detach(self.channel_name)
        for group in list(self.groups_joined):
            await self._leave_group(group)
        if self.participant_id is None:
            return
        if await database_sync_to_async(services.participant_disconnect)(
            participant_id=self.participant_id, channel=self.channel_name
        ):
            # The session keeps its place while the client reconnects; after the grace period it leaves.
            task = asyncio.get_running_loop().create_task(_leave_after_grace(self.participant_id))
            _grace_tasks.add(task)
            task.add_done_callback(_grace_tasks.discard)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if self.participant_id is None:
            return
        if text_data is None or len(text_data) > MAX_MESSAGE_BYTES:
            await self._error("invalid_message", "Send JSON text messages of at most 64 KB.")
            return
        try:
            message = json.loads(text_data)
        except (ValueError, RecursionError):  # not JSON, or nested too deep to parse
            message = None
        if not isinstance(message, dict) or not isinstance(message.get("type"), str):
            await self._error("invalid_message", "Messages are JSON objects with a type.")
            return
        try:
            await self._handle(message["type"], message)
        except ApplicationError as exc:
            await self._error(exc.code, exc.message)
        except Exception:
            # A bug must not kill the socket (its session would stay "joined" with no one there).
            logger.exception("meeting socket: %s failed", message["type"][:40])
            await self._error("server_error", "Something went wrong; please try again.")

    async def _handle(self, kind: str, message: dict[str, Any]) -> None:
        assert self.participant_id is not None
        if kind == "ping":
            await self.send(text_data='{"type":"pong"}')
        elif kind == "resume":
            missed = await database_sync_to_async(room.resume)(
                participant_id=self.participant_id, since=message.get("since")
            )
            await self.send(text_data=json.dumps({"type": "replay", "events": missed}))
        elif kind == "signal":
            target = await self._signal_target(message.get("to"))
            relayed = json.dumps(
                {"type": "signal", "from": str(self.participant_id), "data": message.get("data")}
            )
            await self.channel_layer.group_send(
                participant_group(target), {"type": "meeting.event", "event": "signal", "text": relayed}
            )
        elif kind == "sfu_refresh":
            grant = await _may_call_janus(sfu.sfu_refresh)(participant_id=self.participant_id)
            await self.send(text_data=json.dumps({"type": "sfu", "sfu": grant}))
        elif kind in ACTIONS:
            run = _may_call_janus if kind in MEDIA_ACTIONS else database_sync_to_async
            await run(ACTIONS[kind])(self.participant_id, message)
        else:
            await self._error("unknown_message", f"Unknown message type “{kind[:40]}”.")

    async def _signal_target(self, to: object) -> uuid.UUID:
        """Checked once per peer: a connection setup sends a dozen signals to the same one. A target
        that leaves later is harmless: its socket has left its group, so nothing reaches anyone."""
        if isinstance(to, str) and to in self.signal_targets:
            return self.signal_targets[to]
        assert self.participant_id is not None
        target: uuid.UUID = await database_sync_to_async(room.signal_target)(
            participant_id=self.participant_id, to=to
        )
        self.signal_targets[str(to)] = target
        return target

    async def _error(self, code: str, message: str) -> None:
        await self.send(text_data=json.dumps({"type": "error", "code": code, "message": message}))

    async def dispatch(self, message: dict[str, Any]) -> None:
        try:
            await super().dispatch(message)
        finally:
            if message["type"].startswith("meeting.") and isinstance(self.channel_layer, LocalChannelLayer):
                self.channel_layer.settled(self.channel_name)

    async def _forward_inline(self, message: dict[str, Any]) -> bool:
        """Plain events go to the outbox straight from the sender's task (see LocalChannelLayer);
        those that change this socket's state wait for its own task."""
        if message.get("type") != "meeting.event" or message.get("event") in STATEFUL_EVENTS:
            return False
        self._write(message["text"])
        return True

    async def send(
        self, text_data: str | None = None, bytes_data: bytes | None = None, close: bool = False
    ) -> None:
        assert text_data is not None and bytes_data is None and not close  # this socket speaks JSON text
        self._write(text_data)

    def _write(self, text: str) -> None:
        if self.closing:
            return
        if self.held is not None:
            self.held.append(text)
            return
        self.outbox.append(text)
        if self.writer is None or self.writer.done():
            # Eager: when the socket takes the write at once, no task is ever scheduled.
            self.writer = asyncio.eager_task_factory(asyncio.get_running_loop(), self._drain())

    async def _drain(self) -> None:
        try:
            while self.outbox:
                await self.base_send({"type": "websocket.send", "text": self.outbox.popleft()})
        except Exception:  # the client is gone; disconnect() cleans up
            self.outbox.clear()

    async def close(self, code: int | bool | None = None, reason: str | None = None) -> None:
        """Flush what is queued, then close; anything sent afterwards is dropped."""
        if self.closing:
            return
        if self.writer is not None and not self.writer.done():
            await self.writer
        self.closing = True
        await super().close(code=code, reason=reason)

    async def meeting_superseded(self, event: dict[str, Any]) -> None:
        """The same session reconnected on a newer socket before this one's close was noticed."""
        await self.close(code=CLOSE_REPLACED)

    async def meeting_event(self, event: dict[str, Any]) -> None:
        """Forward what a service sent; a few direct events also change this socket's state."""
        await self.send(text_data=event["text"])
        kind = event.get("event")
        if kind in CLOSING_EVENTS:
            await self.close(code=CLOSING_EVENTS[kind])
        elif kind == "session.closed":
            reason = json.loads(event["text"]).get("reason", "left")
            await self.close(code=CLOSING_REASONS.get(reason, 1000))
        elif kind in REWELCOME_EVENTS:
            await self._send_welcome()


def _close_code_for(participant: MeetingParticipant) -> int | None:
    """Why a socket for this session must close now, or None while the session is live."""
    if participant.meeting.status in (Meeting.Status.ENDED, Meeting.Status.CANCELLED):
        return CLOSE_ENDED
    if participant.status in (MeetingParticipant.Status.REMOVED, MeetingParticipant.Status.DENIED):
        return CLOSE_REFUSED
    if participant.status == MeetingParticipant.Status.LEFT:
        return CLOSE_BAD_TICKET
    return None


_grace_tasks: set[asyncio.Task[None]] = set()  # held so the loop doesn't drop them


async def _leave_after_grace(participant_id: uuid.UUID) -> None:
    await asyncio.sleep(settings.MEETING_RECONNECT_GRACE_SECONDS)
    await _may_call_janus(services.participant_leave)(participant_id=participant_id, only_if_gone=True)
