"""SFU mode in the browser tests: Janus nodes, product servers that use them, Redis, media probes.

Everything runs inside the test network namespace: Janus gathers its ICE candidates on veth0
(it never uses loopback), its signalling listens on 127.0.0.1. A product server gets the nodes
through JANUS_NODES (the way production configures them), with a fast health check so a killed
node counts as dead within about two seconds.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

import pytest
from support import Server

BACKEND_DIR = Path(__file__).resolve().parent.parent / "backend"
if str(BACKEND_DIR) not in sys.path:
    sys.path.insert(0, str(BACKEND_DIR))

from aapoon.media.janus.client import JanusClient, JanusError  # noqa: E402
from aapoon.media.janus.process import JanusProcess, start_janus  # noqa: E402
from aapoon.media.testing import janus_setup, require_janus_binary  # noqa: E402

# Each node gets its own RTP port range: NODE_RTP_BASE + index * NODE_RTP_SPAN.
NODE_RTP_BASE = 20000
NODE_RTP_SPAN = 2000
# How the product server watches the nodes (docs/sfu.md "Failover": dead within 5 s).
HEALTH_ENV = {"JANUS_HEALTH_INTERVAL_SECONDS": "0.5", "JANUS_DEAD_AFTER_FAILURES": "2"}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --------------------------------------------------------------------------------------------
# Janus nodes.
# --------------------------------------------------------------------------------------------


@dataclass
class JanusNode:
    """One running Janus and how the product is told about it."""

    name: str
    process: JanusProcess

    @property
    def log_path(self) -> Path:
        return Path(self.process.log_path)

    def settings_entry(self, capacity: int = 100) -> dict[str, object]:
        setup = self.process.setup
        return {
            "name": self.name,
            "api_url": self.process.api_url,
            "admin_url": self.process.admin_url,
            "public_url": self.process.ws_url,
            "admin_secret": setup.admin_secret,
            "token_secret": setup.token_secret,
            "capacity": capacity,
        }

    def client(self) -> JanusClient:
        """A server-side client for this node (VideoRoom requests, admin API)."""
        setup = self.process.setup
        return JanusClient(
            api_url=self.process.api_url,
            admin_url=self.process.admin_url,
            admin_secret=setup.admin_secret,
            token_secret=setup.token_secret,
            timeout=3.0,
        )

    def room_participants(self, room_id: str) -> list[dict[str, Any]]:
        """VideoRoom `listparticipants` of `room_id`; [] when the room is not on this node."""
        client = self.client()
        try:
            answer = client.videoroom({"request": "listparticipants", "room": room_id})
        except JanusError:
            return []
        finally:
            client.close()
        participants: list[dict[str, Any]] = answer.get("participants") or []
        return participants

    def kill(self) -> None:
        """SIGKILL: the node dies the way a crashed machine would, without tearing anything down."""
        self.process.kill()


@contextmanager
def janus_nodes(directory: Path, names: Sequence[str]) -> Iterator[list[JanusNode]]:
    """Start one Janus per name (free ports, media on veth0, RTP ranges that cannot overlap),
    all writing recordings under `directory`/recordings; stop them all on exit."""
    require_janus_binary()
    with ExitStack() as stack:
        nodes: list[JanusNode] = []
        for index, name in enumerate(names):
            low = NODE_RTP_BASE + index * NODE_RTP_SPAN
            setup = replace(
                janus_setup(directory, f"janus-{name}"),
                rtp_port_range=(low, low + NODE_RTP_SPAN - 1),
                recordings_dir=directory / "recordings",
            )
            process = start_janus(setup, log_path=directory / f"janus-{name}.log")
            stack.callback(process.stop)
            nodes.append(JanusNode(name=name, process=process))
        yield nodes


def janus_nodes_env(nodes: Sequence[JanusNode], *, recordings_dir: Path | None = None) -> dict[str, str]:
    """The product's environment for SFU mode on these nodes."""
    env = {
        "JANUS_NODES": json.dumps([node.settings_entry() for node in nodes]),
        "JANUS_AUTOSTART": "false",
        **HEALTH_ENV,
    }
    if recordings_dir is not None:
        env["RECORDINGS_DIR"] = str(recordings_dir)
    return env


# --------------------------------------------------------------------------------------------
# Redis for several app nodes (the namespace cannot reach the machine's own Redis).
# --------------------------------------------------------------------------------------------


@contextmanager
def running_redis(directory: Path) -> Iterator[str]:
    """E2E_REDIS_URL when set (reachable from inside the namespace), else a private redis-server
    on a free loopback port, without persistence; yields its URL."""
    configured = os.environ.get("E2E_REDIS_URL")
    if configured:
        yield configured
        return
    binary = shutil.which("redis-server")
    if binary is None:
        reason = "redis-server is missing (apt-get install redis-server) and E2E_REDIS_URL is not set"
        if os.environ.get("CI"):
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    port = free_port()
    directory.mkdir(parents=True, exist_ok=True)
    log = (directory / "redis.log").open("ab")
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=directory,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        _wait_for_port(port, process, what="redis-server")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def _wait_for_port(port: int, process: subprocess.Popen[bytes], *, what: str, timeout_s: float = 15) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"{what} exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"{what} did not listen on {port} within {timeout_s} s")


# --------------------------------------------------------------------------------------------
# The meeting as the API and Janus see it.
# --------------------------------------------------------------------------------------------


def meeting_from_api(page: Any, code: str) -> dict[str, Any]:
    """GET /api/v1/meetings/{code} with the page's own session (the host's page)."""
    result: dict[str, Any] = page.evaluate(
        """async (code) => {
            const response = await fetch(`/api/v1/meetings/${code}`, { credentials: "same-origin" });
            return { status: response.status, body: await response.json().catch(() => null) };
        }""",
        code,
    )
    assert result["status"] == 200, f"GET /api/v1/meetings/{code}: {result}"
    body: dict[str, Any] = result["body"]
    return body


def node_holding(nodes: Sequence[JanusNode], room_id: str, *, publishers: int) -> JanusNode:
    """The one node whose VideoRoom `room_id` has `publishers` publishing participants (polled)."""
    deadline = time.monotonic() + 20
    seen: dict[str, int] = {}
    while time.monotonic() < deadline:
        seen = {
            node.name: sum(1 for p in node.room_participants(room_id) if p.get("publisher"))
            for node in nodes
            if node.process.running()
        }
        holding = [node for node in nodes if seen.get(node.name) == publishers]
        if len(holding) == 1:
            return holding[0]
        time.sleep(0.5)
    raise AssertionError(f"no single node has {publishers} publishers in room {room_id}: {seen}")


def sfu_room_of(
    page: Any, code: str, nodes: Sequence[JanusNode], *, publishers: int
) -> tuple[str, JanusNode]:
    """The meeting `code` runs in SFU mode (asked with `page`'s session): its room id and the one
    node of `nodes` whose VideoRoom holds its `publishers` publishers."""
    meeting = meeting_from_api(page, code)
    assert meeting["media_mode"] == "sfu", meeting
    room_id = str(meeting["id"])
    return room_id, node_holding(nodes, room_id, publishers=publishers)


class InRoom(Protocol):
    """Someone in the meeting room (test_meeting_room.Person)."""

    name: str
    page: Any


def expect_media_through(node: JanusNode, people: Sequence[InRoom], *, timeout_s: float) -> None:
    """Each person's page has its one Janus connection to `node` and decodes rising video in the
    tiles of all the others."""
    for me in people:
        assert janus_sockets(me.page) == [node.process.ws_url], me.name
        others = [person.name for person in people if person is not me]
        wait_for_tiles_rising(me.page, others, timeout_s=timeout_s, who=me.name)


# --------------------------------------------------------------------------------------------
# Media probes: per participant tile, the inbound counters of the tracks it plays.
# --------------------------------------------------------------------------------------------

# Matches each tile's <video>/<audio> tracks (srcObject) to inbound-rtp stats by trackIdentifier,
# over every open RTCPeerConnection (support.ROOM_PROBES_SCRIPT keeps them in window.__pcs).
TILE_STATS_SCRIPT = """
async () => {
  const pcs = (window.__pcs || []).filter((pc) => pc.connectionState !== "closed");
  const byTrack = new Map();
  for (const pc of pcs) {
    const report = await pc.getStats().catch(() => null);
    if (!report) continue;
    report.forEach((stat) => {
      if (stat.type === "inbound-rtp" && stat.trackIdentifier) byTrack.set(stat.trackIdentifier, stat);
    });
  }
  const out = {};
  for (const figure of document.querySelectorAll("figure[aria-label]")) {
    const name = figure.getAttribute("aria-label");
    const sums = {
      audio: { packetsReceived: 0, tracks: 0 },
      video: { packetsReceived: 0, framesDecoded: 0, tracks: 0 },
    };
    for (const media of figure.querySelectorAll("video, audio")) {
      const stream = media.srcObject;
      if (!stream || typeof stream.getTracks !== "function") continue;
      for (const track of stream.getTracks()) {
        const stat = byTrack.get(track.id);
        if (!stat || !(stat.kind in sums)) continue;
        const s = sums[stat.kind];
        s.tracks += 1;
        s.packetsReceived += stat.packetsReceived || 0;
        if (stat.kind === "video") s.framesDecoded += stat.framesDecoded || 0;
      }
    }
    out[name] = sums;
  }
  return out;
}
"""

# Janus WebSockets (janus-gateway speaks the "janus-protocol" subprotocol) the page has open.
JANUS_SOCKETS_SCRIPT = """
() => (window.__sockets || [])
  .filter((s) => s.protocol === "janus-protocol" && s.readyState === WebSocket.OPEN)
  .map((s) => s.url)
"""


def tile_stats(page: Any) -> dict[str, dict[str, dict[str, int]]]:
    """{tile name: {"audio": {...}, "video": {...}}} summed over the tracks each tile plays."""
    stats: dict[str, dict[str, dict[str, int]]] = page.evaluate(TILE_STATS_SCRIPT)
    return stats


def janus_sockets(page: Any) -> list[str]:
    urls: list[str] = page.evaluate(JANUS_SOCKETS_SCRIPT)
    return urls


def wait_for_tiles_rising(
    page: Any,
    names: Sequence[str],
    *,
    kind: str = "video",
    counter: str = "framesDecoded",
    timeout_s: float = 45,
    interval_s: float = 1.0,
    who: str = "page",
) -> dict[str, tuple[int, int]]:
    """Polls until, for every tile in `names`, `kind` `counter` is above zero and rose between two
    samples `interval_s` apart (each tile may rise in a different pair of samples)."""
    deadline = time.monotonic() + timeout_s
    risen: dict[str, tuple[int, int]] = {}
    before = tile_stats(page)
    after = before
    while time.monotonic() < deadline and len(risen) < len(names):
        time.sleep(interval_s)
        after = tile_stats(page)
        for name in names:
            if name in risen:
                continue
            old = _counter(before, name, kind, counter)
            new = _counter(after, name, kind, counter)
            if new > old > 0:
                risen[name] = (old, new)
        before = after
    missing = [name for name in names if name not in risen]
    if missing:
        raise AssertionError(
            f"{who}: {kind} {counter} did not rise within {timeout_s} s for {missing}; "
            f"last tile stats: {json.dumps(after)[:2000]}"
        )
    return risen


def _counter(stats: dict[str, dict[str, dict[str, int]]], name: str, kind: str, counter: str) -> int:
    return int(stats.get(name, {}).get(kind, {}).get(counter, 0))


def counters_of(page: Any, name: str, kind: str, counter: str) -> int:
    return _counter(tile_stats(page), name, kind, counter)


def extra_logs(servers: Sequence[Server], nodes: Sequence[JanusNode]) -> tuple[Path, ...]:
    """Logs worth keeping when a test fails (the first server's own log is kept anyway)."""
    return (*(srv.log_path for srv in servers[1:]), *(node.log_path for node in nodes))


# --------------------------------------------------------------------------------------------
# Raw counters: every inbound video track, and what this page sends.
# --------------------------------------------------------------------------------------------

VIDEO_FRAMES_BY_TRACK_SCRIPT = """
async () => {
  const out = {};
  for (const pc of (window.__pcs || []).filter((pc) => pc.connectionState !== "closed")) {
    const report = await pc.getStats().catch(() => null);
    if (!report) continue;
    report.forEach((stat) => {
      if (stat.type === "inbound-rtp" && stat.kind === "video") {
        out[stat.trackIdentifier || stat.id] = stat.framesDecoded || 0;
      }
    });
  }
  return out;
}
"""

OUTBOUND_AUDIO_PACKETS_SCRIPT = """
async () => {
  let sent = 0;
  for (const pc of (window.__pcs || []).filter((pc) => pc.connectionState !== "closed")) {
    const report = await pc.getStats().catch(() => null);
    if (!report) continue;
    report.forEach((stat) => {
      if (stat.type === "outbound-rtp" && stat.kind === "audio") sent += stat.packetsSent || 0;
    });
  }
  return sent;
}
"""


def video_frames_by_track(page: Any) -> dict[str, int]:
    """framesDecoded of every inbound video track of the page's open connections."""
    frames: dict[str, int] = page.evaluate(VIDEO_FRAMES_BY_TRACK_SCRIPT)
    return frames


def expect_rising_video_tracks(page: Any, count: int, *, interval_s: float = 3.0, who: str = "page") -> None:
    """Exactly `count` inbound video tracks decode new frames over `interval_s` (a busy machine
    may stall a stream for a second; a stream that is gone stays still)."""
    before = video_frames_by_track(page)
    time.sleep(interval_s)
    after = video_frames_by_track(page)
    rising = sum(1 for track, frames in after.items() if frames > before.get(track, frames))
    assert rising == count, (
        f"{who}: {rising} inbound video tracks rose over {interval_s} s, expected {count}; "
        f"framesDecoded by track before: {before}, after: {after}"
    )


def outbound_audio_packets(page: Any) -> int:
    return int(page.evaluate(OUTBOUND_AUDIO_PACKETS_SCRIPT))


# Makes the page's microphone impossible to silence from the page itself: disabling, stopping
# or replacing the audio track is ignored. Whatever the room's code does when the host mutes,
# this browser keeps sending audio, so only the SFU can stop it from reaching the others.
KEEP_MICROPHONE_ON_SCRIPT = """
() => {
  const enabled = Object.getOwnPropertyDescriptor(MediaStreamTrack.prototype, "enabled");
  Object.defineProperty(MediaStreamTrack.prototype, "enabled", {
    configurable: true,
    get() { return enabled.get.call(this); },
    set(value) { if (this.kind !== "audio") enabled.set.call(this, value); },
  });
  const stop = MediaStreamTrack.prototype.stop;
  MediaStreamTrack.prototype.stop = function () { if (this.kind !== "audio") stop.call(this); };
  const replaceTrack = RTCRtpSender.prototype.replaceTrack;
  RTCRtpSender.prototype.replaceTrack = function (track) {
    if (this.track && this.track.kind === "audio") return Promise.resolve();
    return replaceTrack.call(this, track);
  };
  const setParameters = RTCRtpSender.prototype.setParameters;
  RTCRtpSender.prototype.setParameters = function (parameters) {
    if (this.track && this.track.kind === "audio") return Promise.resolve();
    return setParameters.call(this, parameters);
  };
}
"""


# Records whether a text ever appeared in the page from now on (a banner may come and go between
# two polls of a test that watches several pages at once).
WATCH_FOR_TEXT_SCRIPT = """
(text) => {
  window.__sawText = window.__sawText || {};
  window.__sawText[text] = document.body.innerText.includes(text);
  const observer = new MutationObserver(() => {
    if (document.body.innerText.includes(text)) {
      window.__sawText[text] = true;
      observer.disconnect();
    }
  });
  observer.observe(document.body, { childList: true, subtree: true, characterData: true });
}
"""


def watch_for_text(page: Any, text: str) -> None:
    page.evaluate(WATCH_FOR_TEXT_SCRIPT, text)


def saw_text(page: Any, text: str) -> bool:
    return bool(page.evaluate("(text) => Boolean((window.__sawText || {})[text])", text))
