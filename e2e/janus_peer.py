"""Synthetic Janus VideoRoom participants made with aiortc, for tests and benchmarks.

They speak the Janus WebSocket API directly (no browser, no product server):

- `JanusPublisher` replays the pre-encoded clip (`clip.py`) as audio (mid "0") and video
  (mid "1"), like the web app's camera feed, without encoding anything;
- `JanusSubscriber` subscribes to feeds with one multistream handle and counts what arrives:
  RTP packets per kind (`packets_received()`) and, when decoding, decoded frames (`frames`).

Decoding costs CPU: a benchmark that only counts packets calls `skip_decoding_in_this_process()`.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import secrets
import time
from collections import Counter
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

import aiortc.rtcrtpreceiver
import av
from aiortc import (
    MediaStreamTrack,
    RTCBundlePolicy,
    RTCConfiguration,
    RTCPeerConnection,
    RTCRtpSender,
    RTCSessionDescription,
)
from aiortc.codecs.base import Decoder
from aiortc.jitterbuffer import JitterFrame
from aiortc.mediastreams import MediaStreamError
from aiortc.sdp import candidate_from_sdp
from websockets.asyncio.client import ClientConnection, connect

VIDEOROOM = "janus.plugin.videoroom"
KEEPALIVE_SECONDS = 20.0
REQUEST_TIMEOUT_SECONDS = 15.0


class JanusPeerError(Exception):
    """Janus (or the VideoRoom plugin) answered a request with an error."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(f"Janus error {code}: {reason}")
        self.code = code
        self.reason = reason


# --------------------------------------------------------------------------------------------
# The clip, replayed packet by packet.
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClipStream:
    kind: str
    time_base: Fraction
    packets: tuple[tuple[int, bytes], ...]  # (pts from 0, encoded payload), in order
    period: int  # length of one loop, in time_base units


@dataclass(frozen=True)
class Clip:
    audio: ClipStream
    video: ClipStream


@cache
def load_clip(path: Path) -> Clip:
    """All packets of the clip, read once per process and shared by every publisher."""
    packets: dict[str, list[tuple[int, bytes, int]]] = {"audio": [], "video": []}
    time_bases: dict[str, Fraction] = {}
    with av.open(str(path)) as container:
        for packet in container.demux():
            kind = packet.stream.type
            if packet.size == 0 or packet.pts is None or kind not in packets:
                continue
            assert packet.time_base is not None
            time_bases[kind] = Fraction(packet.time_base.numerator, packet.time_base.denominator)
            packets[kind].append((packet.pts, bytes(packet), packet.duration or 0))

    def stream(kind: str) -> ClipStream:
        items = sorted(packets[kind], key=lambda item: item[0])
        if not items:
            raise ValueError(f"{path} has no {kind} packets")
        first = items[0][0]
        last_pts, _, last_duration = items[-1]
        return ClipStream(
            kind=kind,
            time_base=time_bases[kind],
            packets=tuple((pts - first, data) for pts, data, _ in items),
            period=last_pts - first + max(last_duration, 1),
        )

    return Clip(audio=stream("audio"), video=stream("video"))


class ClipTrack(MediaStreamTrack):
    """Replays one stream of the clip in real time, looping with ever-rising timestamps
    (aiortc's MediaPlayer restarts them at 0 on each loop and then stops pacing)."""

    def __init__(self, stream: ClipStream) -> None:
        super().__init__()
        self.kind = stream.kind
        self._stream = stream
        self._index = 0
        self._start: float | None = None

    async def recv(self) -> av.Packet:
        if self.readyState != "live":
            raise MediaStreamError
        loop, position = divmod(self._index, len(self._stream.packets))
        pts, data = self._stream.packets[position]
        pts += loop * self._stream.period
        self._index += 1
        now = time.monotonic()
        if self._start is None:
            self._start = now
        wait = self._start + float(pts * self._stream.time_base) - now
        if wait > 0:
            await asyncio.sleep(wait)
        packet = av.Packet(data)
        packet.pts = pts
        packet.time_base = self._stream.time_base
        return packet


# --------------------------------------------------------------------------------------------
# The Janus WebSocket API.
# --------------------------------------------------------------------------------------------


class JanusSession:
    """One Janus session over one WebSocket, with its keepalive."""

    def __init__(self, ws: ClientConnection, token: str | None) -> None:
        self._ws = ws
        self._token = token
        self._transactions = (f"t{n}-{secrets.token_hex(3)}" for n in itertools.count())
        self._pending: dict[str, tuple[asyncio.Future[dict[str, Any]], bool]] = {}
        self._handles: dict[int, JanusHandle] = {}
        self.id = 0
        self._reader = asyncio.create_task(self._read())
        self._keepalive: asyncio.Task[None] | None = None

    @classmethod
    async def open(cls, url: str, *, token: str | None = None) -> JanusSession:
        ws = await connect(url, subprotocols=["janus-protocol"], max_size=None)  # type: ignore[list-item]
        session = cls(ws, token)
        try:
            answer = await session.call({"janus": "create"})
        except BaseException:
            await session.close()
            raise
        session.id = int(answer["data"]["id"])
        session._keepalive = asyncio.create_task(session._keep_alive())
        return session

    async def call(self, body: dict[str, Any], *, ack_is_answer: bool = False) -> dict[str, Any]:
        """Send one request and wait for its answer (the first reply that is not an "ack",
        unless `ack_is_answer`). Raises JanusPeerError for {"janus": "error"}."""
        transaction = next(self._transactions)
        message = {**body, "transaction": transaction}
        if self._token is not None:
            message["token"] = self._token
        if self.id:
            message["session_id"] = self.id
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._pending[transaction] = (future, ack_is_answer)
        try:
            await self._ws.send(json.dumps(message))
            answer = await asyncio.wait_for(future, REQUEST_TIMEOUT_SECONDS)
        finally:
            self._pending.pop(transaction, None)
        if answer.get("janus") == "error":
            error = answer.get("error", {})
            raise JanusPeerError(int(error.get("code", 0)), str(error.get("reason", "")))
        return answer

    async def attach(self, plugin: str = VIDEOROOM) -> JanusHandle:
        answer = await self.call({"janus": "attach", "plugin": plugin})
        handle = JanusHandle(self, int(answer["data"]["id"]))
        self._handles[handle.id] = handle
        return handle

    async def close(self) -> None:
        if self._keepalive is not None:
            self._keepalive.cancel()
        if self.id and self._ws.state.name == "OPEN":
            with contextlib.suppress(Exception):
                await self.call({"janus": "destroy"})
        await self._ws.close()
        self._reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._reader

    async def _keep_alive(self) -> None:
        while True:
            await asyncio.sleep(KEEPALIVE_SECONDS)
            with contextlib.suppress(JanusPeerError, TimeoutError):
                await self.call({"janus": "keepalive"}, ack_is_answer=True)

    async def _read(self) -> None:
        try:
            async for raw in self._ws:
                message = json.loads(raw)
                pending = self._pending.get(str(message.get("transaction")))
                if pending is not None:
                    future, ack_is_answer = pending
                    if (message.get("janus") != "ack" or ack_is_answer) and not future.done():
                        future.set_result(message)
                        continue
                    if message.get("janus") == "ack":
                        continue
                handle = self._handles.get(int(message.get("sender") or 0))
                if handle is not None:
                    handle.dispatch(message)
        finally:
            for future, _ in self._pending.values():
                if not future.done():
                    future.set_exception(ConnectionError("the Janus WebSocket closed"))


class JanusHandle:
    """A plugin handle: requests, and the events Janus sends to it on its own."""

    def __init__(self, session: JanusSession, handle_id: int) -> None:
        self.session = session
        self.id = handle_id
        self.events: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.pc: RTCPeerConnection | None = None
        self._trickles: set[asyncio.Task[None]] = set()

    async def message(
        self, body: dict[str, Any], jsep: dict[str, Any] | None = None
    ) -> tuple[dict[str, Any], dict[str, Any] | None]:
        """A plugin request; returns (plugindata.data, jsep or None). VideoRoom errors raise."""
        request: dict[str, Any] = {"janus": "message", "handle_id": self.id, "body": body}
        if jsep is not None:
            request["jsep"] = jsep
        answer = await self.session.call(request)
        data = answer.get("plugindata", {}).get("data", {})
        if "error_code" in data or "error" in data:
            raise JanusPeerError(int(data.get("error_code", 0)), str(data.get("error", "")))
        return data, answer.get("jsep")

    async def wait_for(self, janus: str) -> dict[str, Any]:
        """The next event of this kind (e.g. "webrtcup"); events before it are dropped."""
        while True:
            event = await self.events.get()
            if event.get("janus") == janus:
                return event

    def dispatch(self, message: dict[str, Any]) -> None:
        # Janus may trickle candidates it gathers after its SDP went out.
        if message.get("janus") == "trickle" and self.pc is not None:
            candidate = message.get("candidate") or {}
            if candidate.get("candidate"):
                ice = candidate_from_sdp(str(candidate["candidate"]).removeprefix("candidate:"))
                ice.sdpMid = candidate.get("sdpMid")
                ice.sdpMLineIndex = candidate.get("sdpMLineIndex")
                task = asyncio.create_task(self.pc.addIceCandidate(ice))
                self._trickles.add(task)
                task.add_done_callback(self._trickles.discard)
            return
        self.events.put_nowait(message)


def without_rtx(sdp: str) -> str:
    """The SDP without RTX (retransmissions then come on the media SSRC). aiortc reports the
    statistics of a receiver's RTX SSRC in place of its media SSRC's, so once anything is
    retransmitted the received-packet counts would collapse."""
    sections = re.split(r"(?=^m=)", sdp, flags=re.MULTILINE)
    return "".join(_section_without_rtx(section) for section in sections)


def _section_without_rtx(section: str) -> str:
    rtx = set(re.findall(r"^a=rtpmap:(\d+) rtx/", section, flags=re.MULTILINE))
    if not rtx:
        return section
    # The second SSRC of each FID group is the RTX one.
    rtx_ssrcs = set(re.findall(r"^a=ssrc-group:FID \d+ (\d+)", section, flags=re.MULTILINE))
    kept: list[str] = []
    for line in section.splitlines(keepends=True):
        if line.startswith("m="):
            words = line.split()
            line = " ".join(word for i, word in enumerate(words) if i < 3 or word not in rtx) + "\r\n"
        elif (
            (re.match(r"a=(rtpmap|fmtp|rtcp-fb):(\d+) ", line) and line.split(":", 1)[1].split()[0] in rtx)
            or line.startswith("a=ssrc-group:FID")
            or (line.startswith("a=ssrc:") and line[len("a=ssrc:") :].split()[0] in rtx_ssrcs)
        ):
            continue
        kept.append(line)
    return "".join(kept)


def _local_jsep(pc: RTCPeerConnection) -> dict[str, Any]:
    description = pc.localDescription
    return {"type": description.type, "sdp": description.sdp}


def new_peer_connection() -> RTCPeerConnection:
    # No STUN/TURN: tests and benchmarks stay inside the machine (or the test namespace).
    # Max-bundle: with aiortc's default ("balanced") an answer to a Janus offer with two video
    # m-lines leaves the second one on a transport that never connects (aiortc 1.16).
    return RTCPeerConnection(RTCConfiguration(iceServers=[], bundlePolicy=RTCBundlePolicy.MAX_BUNDLE))


@contextlib.asynccontextmanager
async def _attached_peer(
    url: str, token: str | None
) -> AsyncIterator[tuple[JanusSession, JanusHandle, RTCPeerConnection]]:
    """A new session with one handle and the peer connection it negotiates; if the body fails,
    both are closed before the error goes on (on success they stay open for the caller)."""
    session = await JanusSession.open(url, token=token)
    pc = new_peer_connection()
    try:
        handle = await session.attach()
        handle.pc = pc
        yield session, handle, pc
    except BaseException:
        await pc.close()
        await session.close()
        raise


async def _packets(pc: RTCPeerConnection, stats_type: str, counter: str) -> Counter[str]:
    """`counter` summed by kind over the `stats_type` entries ("inbound-rtp", "outbound-rtp")."""
    counts: Counter[str] = Counter()
    for stats in (await pc.getStats()).values():
        if getattr(stats, "type", None) == stats_type:
            counts[stats.kind] += getattr(stats, counter)
    return counts


# --------------------------------------------------------------------------------------------
# Participants.
# --------------------------------------------------------------------------------------------


@dataclass
class JanusPublisher:
    """A camera feed replaying the clip: audio at mid "0", video at mid "1"."""

    session: JanusSession
    handle: JanusHandle
    pc: RTCPeerConnection
    publisher_id: str

    @classmethod
    async def start(
        cls,
        url: str,
        *,
        room: str,
        publisher_id: str,
        clip: Clip,
        token: str | None = None,
        pin: str | None = None,
        room_token: str | None = None,
        display: str | None = None,
    ) -> JanusPublisher:
        async with _attached_peer(url, token) as (session, handle, pc):
            join: dict[str, Any] = {"request": "join", "ptype": "publisher", "room": room, "id": publisher_id}
            join.update(_optional(pin=pin, token=room_token, display=display))
            await handle.message(join)
            for stream in (clip.audio, clip.video):
                transceiver = pc.addTransceiver(ClipTrack(stream), direction="sendonly")
                # The clip is VP8 + Opus: offer nothing else, so Janus cannot pick another codec.
                codec_name = "opus" if stream.kind == "audio" else "VP8"
                capabilities = RTCRtpSender.getCapabilities(stream.kind)
                transceiver.setCodecPreferences([c for c in capabilities.codecs if c.name == codec_name])
            await pc.setLocalDescription(await pc.createOffer())
            _, answer = await handle.message({"request": "publish"}, _local_jsep(pc))
            if answer is None:
                raise JanusPeerError(0, "Janus did not answer the publish offer")
            await pc.setRemoteDescription(RTCSessionDescription(sdp=answer["sdp"], type=answer["type"]))
            # Subscribing to the feed fails ("no such feed") until its PeerConnection is up.
            await asyncio.wait_for(handle.wait_for("webrtcup"), REQUEST_TIMEOUT_SECONDS)
        return cls(session=session, handle=handle, pc=pc, publisher_id=publisher_id)

    async def packets_sent(self) -> Counter[str]:
        return await _packets(self.pc, "outbound-rtp", "packetsSent")

    async def close(self) -> None:
        await self.pc.close()
        await self.session.close()


@dataclass
class JanusSubscriber:
    """One multistream subscription to some feeds of a room."""

    session: JanusSession
    handle: JanusHandle
    pc: RTCPeerConnection
    decode: bool
    frames: Counter[str] = field(default_factory=Counter)  # decoded frames per kind
    tasks: list[asyncio.Task[None]] = field(default_factory=list)

    @classmethod
    async def start(
        cls,
        url: str,
        *,
        room: str,
        feeds: Sequence[str],
        token: str | None = None,
        pin: str | None = None,
        room_token: str | None = None,
        decode: bool = True,
    ) -> JanusSubscriber:
        async with _attached_peer(url, token) as (session, handle, pc):
            subscriber = cls(session=session, handle=handle, pc=pc, decode=decode)
            pc.on("track", subscriber._on_track)
            join: dict[str, Any] = {
                "request": "join",
                "ptype": "subscriber",
                "room": room,
                "streams": [{"feed": feed} for feed in feeds],
            }
            join.update(_optional(pin=pin, token=room_token))
            _, offer = await handle.message(join)
            if offer is None:
                raise JanusPeerError(0, "Janus sent no offer for the subscription")
            await subscriber._answer(offer)
            subscriber.tasks.append(asyncio.create_task(subscriber._follow_updates()))
        return subscriber

    async def packets_received(self) -> Counter[str]:
        return await _packets(self.pc, "inbound-rtp", "packetsReceived")

    async def close(self) -> None:
        for task in self.tasks:
            task.cancel()
        await self.pc.close()
        await self.session.close()

    async def _answer(self, offer: dict[str, Any]) -> None:
        sdp = without_rtx(offer["sdp"])
        await self.pc.setRemoteDescription(RTCSessionDescription(sdp=sdp, type=offer["type"]))
        await self.pc.setLocalDescription(await self.pc.createAnswer())
        await self.handle.message({"request": "start"}, _local_jsep(self.pc))

    async def _follow_updates(self) -> None:
        # Janus renegotiates when a subscribed publisher goes away (its m-lines turn inactive).
        while True:
            event = await self.handle.events.get()
            jsep = event.get("jsep")
            if jsep and jsep.get("type") == "offer":
                await self._answer(jsep)

    def _on_track(self, track: MediaStreamTrack) -> None:
        if self.decode:
            self.tasks.append(asyncio.create_task(self._count_frames(track)))

    async def _count_frames(self, track: MediaStreamTrack) -> None:
        with contextlib.suppress(MediaStreamError):
            while True:
                await track.recv()
                self.frames[track.kind] += 1


def _optional(**values: str | None) -> dict[str, str]:
    return {name: value for name, value in values.items() if value is not None}


# --------------------------------------------------------------------------------------------
# Cheap receiving for benchmarks.
# --------------------------------------------------------------------------------------------


class _DiscardingDecoder(Decoder):
    def decode(self, encoded_frame: JitterFrame) -> list[av.frame.Frame]:
        return []


def skip_decoding_in_this_process() -> None:
    """Make every aiortc receiver in this process drop reassembled frames instead of decoding
    them (aiortc always decodes); RTP statistics still count every packet. For benchmarks,
    whose synthetic subscribers would otherwise spend the CPU that Janus is measured on."""
    aiortc.rtcrtpreceiver.get_decoder = lambda codec: _DiscardingDecoder()
