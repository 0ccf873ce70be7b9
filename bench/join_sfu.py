"""Benchmark: click "Join now" -> first decoded frame from the other participant, SFU mode (Janus).

One Janus inside the test network namespace (media on veth0) and the real server configured
with it (JANUS_NODES). Two ways to join, measured in the same run against the same Janus and
interleaved run by run:
- ours: an anchor sits in a meeting; a guest opens the link and clicks "Join now" (REST join,
  room socket, welcome with the SFU grant, Janus session, publish, subscribe);
- bare: bench/pages/ (janus-gateway alone, bundled on the fly with esbuild): an anchor page
  publishes in a VideoRoom room of its own; a joiner page clicks "Join now" and opens a Janus
  session, publishes its camera and subscribes to the anchor.
Both pages have their camera open before the click; the page times from the click to the
first `inbound-rtp` video entry with `framesDecoded > 0`. Prints one JSON object.

Run inside the test network namespace: `e2e/run-in-netns.sh backend/.venv/bin/python bench/join_sfu.py`.
"""

import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlencode

from join_probes import (
    TIMEOUT_MS,
    Run,
    instant_meeting_url,
    join_meeting,
    leave_meeting,
    measure_script,
    summary,
    timed,
)
from playwright.sync_api import Page, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "e2e"))
from chromium import CHROMIUM_ARGS, CHROMIUM_PATH
from janus_nodes import peer_token
from server import product_env, product_server
from sfu import janus_nodes, janus_nodes_env

REPO = Path(__file__).resolve().parents[1]
RUNS = int(os.environ.get("BENCH_JOIN_RUNS", "10"))
PAGES_DIR = Path(__file__).resolve().parent / "pages"
ESBUILD = REPO / "frontend" / "node_modules" / ".bin" / "esbuild"
BARE_ROOM = "bench-bare"

# Marks the steps on the way (see join_probes.measure_script): the app's room socket and its
# welcome, the Janus socket, the first peer connection and when one connects.
MEASURE = measure_script(
    """
  const NativePC = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends NativePC {
    constructor(...args) {
      super(...args);
      pcs.push(this);
      mark("peer_created");
      this.addEventListener("connectionstatechange", () => {
        if (this.connectionState === "connected") mark("peer_connected");
      });
    }
  };
  const NativeSocket = window.WebSocket;
  window.WebSocket = class extends NativeSocket {
    constructor(...args) {
      super(...args);
      const janus = String(args[1] || "").includes("janus");
      mark(janus ? "janus_socket_created" : "room_socket_created");
      this.addEventListener("open", () => mark(janus ? "janus_socket_open" : "room_socket_open"));
      if (janus) return;
      this.addEventListener("message", (e) => String(e.data).includes('"welcome"') && mark("welcome"));
    }
  };
"""
)


# --------------------------------------------------------------------------------------------
# The bare page: bundled with esbuild from the web app's node_modules, served on loopback.
# --------------------------------------------------------------------------------------------


def build_bare_page(out: Path) -> None:
    if not ESBUILD.exists():
        sys.exit(f"{ESBUILD} is missing: cd frontend && npm ci")
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            str(ESBUILD),
            str(PAGES_DIR / "bare_janus.js"),
            "--bundle",
            "--format=esm",
            f"--outfile={out / 'bare_janus.bundle.js'}",
            "--log-level=warning",
        ],
        env={**os.environ, "NODE_PATH": str(REPO / "frontend" / "node_modules")},
        check=True,
    )
    shutil.copy(PAGES_DIR / "index.html", out / "index.html")


@contextmanager
def static_site(directory: Path) -> Iterator[str]:
    """Serve `directory` on a free loopback port (a secure context, so getUserMedia works)."""
    handler = partial(_QuietHandler, directory=str(directory))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


# --------------------------------------------------------------------------------------------
# The bare page's join (the app's is join_probes.join_meeting); each timed by join_probes.timed.
# --------------------------------------------------------------------------------------------


def join_bare(page: Page, url: str) -> None:
    page.goto(url)
    join = page.get_by_role("button", name="Join now")
    page.wait_for_function("!document.getElementById('join').disabled", timeout=TIMEOUT_MS)
    join.click()


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="aapoon-bench-join-sfu-") as tmp:
        work = Path(tmp)
        build_bare_page(work / "pages")
        with janus_nodes(work, ["bench"]) as nodes, static_site(work / "pages") as site:
            node = nodes[0]
            data_dir = work / "data"
            data_dir.mkdir()
            env = product_env(str(data_dir), MEETING_RECONNECT_GRACE_SECONDS="1", **janus_nodes_env(nodes))
            with product_server(env, work / "server.log") as (base, _):
                ours_url = instant_meeting_url(base)

                # The bare page's room on the same Janus, made the way the app makes its rooms.
                pin = secrets.token_hex(8)
                client = node.client()
                client.videoroom({"request": "create", "room": BARE_ROOM, "pin": pin, "publishers": 20})
                client.close()
                query = {
                    "server": node.process.ws_url,
                    "token": peer_token(node.process),
                    "room": BARE_ROOM,
                    "pin": pin,
                }

                def bare_url(role: str, name: str) -> str:
                    return f"{site}/index.html?{urlencode({**query, 'role': role, 'name': name})}"

                with sync_playwright() as playwright:
                    browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
                    anchor_ours = browser.new_context().new_page()
                    join_meeting(anchor_ours, ours_url, "Anchor")
                    anchor_bare = browser.new_context().new_page()
                    anchor_bare.goto(bare_url("anchor", "Anchor"))
                    anchor_bare.get_by_role("status").filter(has_text="joined").wait_for(timeout=TIMEOUT_MS)

                    def ours(index: int) -> Run:
                        return timed(
                            browser,
                            MEASURE,
                            lambda p: join_meeting(p, ours_url, f"Joiner {index}"),
                            leave_meeting,
                        )

                    def bare(index: int) -> Run:
                        return timed(
                            browser,
                            MEASURE,
                            lambda p: join_bare(p, bare_url("joiner", f"Joiner {index}")),
                            None,
                        )

                    ours(0), bare(0)  # warm-up: first page loads, codecs
                    measured_ours: list[Run] = []
                    measured_bare: list[Run] = []
                    for index in range(1, RUNS + 1):
                        measured_ours.append(ours(index))
                        measured_bare.append(bare(index))
                    browser.close()
    ours_p50, bare_p50 = (statistics.median(e for e, _ in m) for m in (measured_ours, measured_bare))
    result = {
        "benchmark": "join_sfu",
        "how": "click 'Join now' -> first inbound-rtp video framesDecoded > 0, timed in the page; "
        "ours (the app, SFU mode) and a bare janus-gateway page against the same Janus in the same "
        "run, interleaved; headless Chromium (fake 640x480 camera), namespace veth0, embedded "
        "server; 1 warm-up run each",
        "ours": summary(measured_ours),
        "bare": summary(measured_bare),
        "ratio_p50_ours_over_bare": round(ours_p50 / bare_p50, 2),
        "aim": {"ratio_p50": 1.2, "ours_p50_ms": 400},
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
