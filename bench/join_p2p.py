"""Benchmark: click "Join now" -> first decoded frame from the other participant, P2P mesh.

Starts the real server (embedded default) and headless Chromium with fake camera/mic. One
guest sits in a meeting without a waiting room; ten times a second guest opens the link,
clicks "Join now", and the page itself times from the click to the first `inbound-rtp` video
stats entry with `framesDecoded > 0`, then leaves. Prints one JSON object (p50, p95, runs).

Run inside the test network namespace (loopback P2P needs it): `make bench` does.
"""

import json
import os
import sys
import tempfile
from pathlib import Path

from join_probes import Run, instant_meeting_url, join_meeting, leave_meeting, measure_script, summary, timed
from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "e2e"))
from chromium import CHROMIUM_ARGS, CHROMIUM_PATH
from server import product_env, product_server

RUNS = int(os.environ.get("BENCH_JOIN_RUNS", "10"))

# Marks the peer connections and the room socket (see join_probes.measure_script).
MEASURE = measure_script(
    """
  const Native = window.RTCPeerConnection;
  window.RTCPeerConnection = function (...args) {
    const pc = new Native(...args);
    pcs.push(pc);
    mark("peer_created");
    pc.addEventListener("connectionstatechange", () => {
      if (pc.connectionState === "connected") mark("peer_connected");
    });
    return pc;
  };
  window.RTCPeerConnection.prototype = Native.prototype;
  const NativeSocket = window.WebSocket;
  window.WebSocket = function (...args) {
    const ws = new NativeSocket(...args);
    mark("socket_created");  // the REST join has answered
    ws.addEventListener("open", () => mark("socket_open"));
    ws.addEventListener("message", (e) => e.data.includes('"welcome"') && mark("welcome"));
    return ws;
  };
  window.WebSocket.prototype = NativeSocket.prototype;
  Object.assign(window.WebSocket, { OPEN: 1, CLOSED: 3, CLOSING: 2, CONNECTING: 0 });
"""
)


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="aapoon-bench-join-") as data_dir:
        env = product_env(data_dir, MEETING_RECONNECT_GRACE_SECONDS="1")
        with product_server(env, Path(data_dir) / "server.log") as (base, _):
            url = instant_meeting_url(base)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
                anchor = browser.new_context().new_page()
                join_meeting(anchor, url, "Anchor")

                def one_run(index: int) -> Run:
                    return timed(
                        browser, MEASURE, lambda p: join_meeting(p, url, f"Joiner {index}"), leave_meeting
                    )

                one_run(0)  # warm-up: first page load, codecs
                measured = [one_run(i) for i in range(1, RUNS + 1)]
                browser.close()
    result = {
        "benchmark": "join_p2p",
        "how": "click 'Join now' -> first inbound-rtp video framesDecoded > 0, timed in the page; "
        "2 headless Chromium pages (fake 640x480 camera), loopback, embedded server; 1 warm-up run",
        **summary(measured),
        "aim_p50_ms": 300,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
