"""Helpers shared by the browser tests: the server handle, the dev mailbox, an authenticator app."""

from __future__ import annotations

import json
import re
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pyotp

# Email codes from allauth look like "FTFC-VPMK": 4 + 4 uppercase letters/digits.
EMAIL_CODE_ON_ITS_OWN_LINE = re.compile(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", re.MULTILINE)
EMAIL_CODE_ANYWHERE = re.compile(r"(?<![A-Za-z0-9-])([A-Z0-9]{4}-[A-Z0-9]{4})(?![A-Za-z0-9-])")


@dataclass
class Server:
    url: str
    data_dir: Path
    log_path: Path
    process: subprocess.Popen[bytes] | None = None
    # frontend/dist/index.html when the server started (it indexes the built files once, at start).
    frontend_stamp: float | None = None
    # The environment the server runs with (DATA_DIR, DATABASE_URL, ...), for manage.py commands.
    env: dict[str, str] = field(default_factory=dict)

    def log_text(self, last_chars: int | None = None) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return "(no server log)"
        return text[-last_chars:] if last_chars else text

    def http(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=10, trust_env=False)


def extract_code(body: str) -> str | None:
    """The emailed code (e.g. "FTFC-VPMK") in a message body, preferring one on its own line."""
    match = EMAIL_CODE_ON_ITS_OWN_LINE.search(body) or EMAIL_CODE_ANYWHERE.search(body)
    return match.group(1) if match else None


@dataclass
class Mailbox:
    """Reads GET /dev/mailbox?format=json (newest first)."""

    server: Server

    def messages(self, to: str | None = None) -> list[dict[str, Any]]:
        with self.server.http() as client:
            response = client.get("/dev/mailbox", params={"format": "json"})
        response.raise_for_status()
        items: list[dict[str, Any]] = response.json()
        if to is None:
            return items
        return [m for m in items if str(m.get("to", "")).lower() == to.lower()]

    def newest(self, to: str) -> dict[str, Any] | None:
        items = self.messages(to)
        return items[0] if items else None

    def wait_for_code(self, to: str, *, after: dict[str, Any] | None = None, timeout_s: float = 30) -> str:
        """The code in the newest message to `to` that is newer than `after` (the newest one seen before)."""
        deadline = time.monotonic() + timeout_s
        seen: list[dict[str, Any]] = []
        while time.monotonic() < deadline:
            seen = self.messages(to)
            if seen and (after is None or _message_key(seen[0]) != _message_key(after)):
                code = extract_code(str(seen[0].get("body", "")))
                if code:
                    return code
            time.sleep(0.25)
        raise AssertionError(
            f"No new message with a code for {to} within {timeout_s} s. Messages for it (newest first):\n"
            + json.dumps(seen, indent=2)[:4000]
        )


def _message_key(message: dict[str, Any]) -> tuple[str, str, str]:
    return (str(message.get("sent_at")), str(message.get("subject")), str(message.get("body")))


@dataclass
class Authenticator:
    """An authenticator app: gives a code from a 30 s window that has not been used yet.

    The server refuses a code used before (and accepts only the current window), so each new
    code comes from a fresh window with enough time left to type and submit it.
    """

    secret: str
    min_seconds_left: float = 10.0
    used_windows: set[int] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.secret = re.sub(r"[\s-]", "", self.secret).upper()
        self.totp = pyotp.TOTP(self.secret)

    def new_code(self, *, min_seconds_left: float | None = None) -> str:
        """A code from a window not used before, with at least `min_seconds_left` of it to go."""
        interval = self.totp.interval
        needed = self.min_seconds_left if min_seconds_left is None else min_seconds_left
        while True:
            now = time.time()
            window = int(now // interval)
            left = (window + 1) * interval - now
            if window not in self.used_windows and left >= needed:
                self.used_windows.add(window)
                return self.totp.at(now)
            # The only fixed wait in these tests: until the next TOTP window begins.
            time.sleep(left + 0.2)


# --------------------------------------------------------------------------------------------
# Users made in the test server's database, the way the backend tests make them.
# --------------------------------------------------------------------------------------------

BACKEND_DIR = Path(__file__).resolve().parent.parent / "backend"

MAKE_USER = """
import json, os
from aapoon.accounts.tests.factories import make_user
print(make_user(**json.loads(os.environ["E2E_MAKE_USER"])).pk)
"""


def make_user(server: Server, *, email: str, password: str, **fields: Any) -> None:
    """A user as sign-up leaves one (verified email, own account), made with the backend's test
    factory by `manage.py shell` in the test server's database (its DATA_DIR / DATABASE_URL)."""
    result = subprocess.run(
        [
            str(BACKEND_DIR / ".venv" / "bin" / "python"),
            "manage.py",
            "shell",
            "--no-imports",
            "-c",
            MAKE_USER,
        ],
        cwd=BACKEND_DIR,
        env={**server.env, "E2E_MAKE_USER": json.dumps({"email": email, "password": password, **fields})},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if result.returncode != 0:
        raise AssertionError(
            f"make_user({email}) failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
        )


# --------------------------------------------------------------------------------------------
# WebRTC and WebSocket probes for the meeting room (no product hooks needed).
# --------------------------------------------------------------------------------------------

# Added to a browser context before any page script runs: every RTCPeerConnection the page makes
# is kept in window.__pcs and every WebSocket in window.__sockets. Subclasses of the browser's own
# constructors, so `instanceof`, the prototypes and the static members (WebSocket.OPEN) still work.
ROOM_PROBES_SCRIPT = """
(() => {
  if (window.__probesInstalled) return;
  window.__probesInstalled = true;
  window.__pcs = [];
  window.__sockets = [];
  const NativePC = window.RTCPeerConnection;
  if (NativePC) {
    class TrackedPeerConnection extends NativePC {
      constructor(...args) {
        super(...args);
        window.__pcs.push(this);
      }
    }
    window.RTCPeerConnection = TrackedPeerConnection;
    if (window.webkitRTCPeerConnection) window.webkitRTCPeerConnection = TrackedPeerConnection;
  }
  const NativeWS = window.WebSocket;
  class TrackedWebSocket extends NativeWS {
    constructor(...args) {
      super(...args);
      window.__sockets.push(this);
    }
  }
  window.WebSocket = TrackedWebSocket;
})();
"""

# Per open peer connection: the sums of its inbound-rtp counters by kind.
INBOUND_STATS_SCRIPT = """
async () => {
  const pcs = (window.__pcs || []).filter((pc) => pc.connectionState !== "closed");
  const reports = await Promise.all(pcs.map((pc) => pc.getStats().catch(() => null)));
  return reports.map((report, index) => {
    const pc = pcs[index];
    const out = {
      index: window.__pcs.indexOf(pc),
      connectionState: pc.connectionState,
      audio: { packetsReceived: 0, bytesReceived: 0, streams: 0 },
      video: { packetsReceived: 0, bytesReceived: 0, framesDecoded: 0, streams: 0 },
    };
    if (!report) return out;
    report.forEach((stat) => {
      if (stat.type !== "inbound-rtp" || !(stat.kind in out)) return;
      const sums = out[stat.kind];
      sums.streams += 1;
      sums.packetsReceived += stat.packetsReceived || 0;
      sums.bytesReceived += stat.bytesReceived || 0;
      if (stat.kind === "video") sums.framesDecoded += stat.framesDecoded || 0;
    });
    return out;
  });
}
"""


def inbound_stats(page: Any) -> list[dict[str, Any]]:
    """inbound-rtp counters of every open RTCPeerConnection of `page` (see ROOM_PROBES_SCRIPT)."""
    stats: list[dict[str, Any]] = page.evaluate(INBOUND_STATS_SCRIPT)
    return stats


def inbound_total(stats: list[dict[str, Any]], kind: str, counter: str) -> int:
    return sum(int(pc[kind][counter]) for pc in stats)


def wait_for_rising(
    page: Any,
    kind: str,
    counter: str,
    *,
    timeout_s: float = 45,
    interval_s: float = 1.0,
    who: str = "page",
) -> tuple[int, int]:
    """Polls until the inbound `kind` `counter` (summed over the open connections) is above zero
    and rose between two samples `interval_s` apart; returns those two samples."""
    deadline = time.monotonic() + timeout_s
    history: list[Any] = []
    before = inbound_total(inbound_stats(page), kind, counter)
    while time.monotonic() < deadline:
        time.sleep(interval_s)
        stats = inbound_stats(page)
        after = inbound_total(stats, kind, counter)
        history.append(after)
        if after > before > 0:
            return before, after
        before = after
    raise AssertionError(
        f"{who}: inbound {kind} {counter} did not rise within {timeout_s} s "
        f"(samples every {interval_s} s: {history[-10:]}); last stats: {json.dumps(stats)[:2000]}"
    )
