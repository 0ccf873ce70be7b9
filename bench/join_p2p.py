"""Benchmark: click "Join now" -> first decoded frame from the other participant, P2P mesh.

Starts the real server (embedded default) and headless Chromium with fake camera/mic. One
guest sits in a meeting without a waiting room; ten times a second guest opens the link,
clicks "Join now", and the page itself times from the click to the first `inbound-rtp` video
stats entry with `framesDecoded > 0`, then leaves. Prints one JSON object (p50, p95, runs).

Run inside the test network namespace (loopback P2P needs it): `make bench` does.
"""

import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

import httpx
from playwright.sync_api import Browser, Page, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "e2e"))
from chromium import CHROMIUM_ARGS, CHROMIUM_PATH
from server import product_env, product_server, sign_in

RUNS = int(os.environ.get("BENCH_JOIN_RUNS", "10"))

# Times the first remote decoded frame after the click on "Join now", inside the page.
MEASURE = """
(() => {
  const pcs = [];
  const marks = (window.__marks = {});
  const mark = (name) => {
    if (window.__clickAt && !(name in marks)) marks[name] = performance.now() - window.__clickAt;
  };
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
  document.addEventListener("click", (event) => {
    const button = event.target.closest && event.target.closest("button");
    if (!button || !button.textContent.includes("Join now") || window.__clickAt) return;
    window.__clickAt = performance.now();
    const poll = async () => {
      for (const pc of pcs) {
        const stats = await pc.getStats();
        for (const s of stats.values()) {
          if (s.type === "inbound-rtp" && s.kind === "video" && s.framesDecoded > 0) {
            window.__firstFrameMs = performance.now() - window.__clickAt;
            return;
          }
        }
      }
      setTimeout(poll, 5);
    };
    poll();
  }, true);
})();
"""


def _join(page: Page, url: str, name: str) -> None:
    page.goto(url)
    page.get_by_role("textbox", name="Your name").fill(name)
    page.get_by_role("button", name="Join now").click()
    page.get_by_role("main", name="Meeting room").wait_for(timeout=30_000)


def _one_run(browser: Browser, url: str, index: int) -> tuple[float, dict[str, float]]:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.add_init_script(MEASURE)
        _join(page, url, f"Joiner {index}")
        page.wait_for_function("window.__firstFrameMs !== undefined", timeout=30_000)
        elapsed = float(page.evaluate("window.__firstFrameMs"))
        marks = {k: float(v) for k, v in page.evaluate("window.__marks").items()}
        page.get_by_role("button", name="Leave meeting").click()
        page.get_by_role("heading", name="You left the meeting").wait_for(timeout=10_000)
        return elapsed, marks
    finally:
        context.close()


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="aapoon-bench-join-") as data_dir:
        env = product_env(data_dir, MEETING_RECONNECT_GRACE_SECONDS="1")
        with product_server(env, Path(data_dir) / "server.log") as (base, _):
            token = sign_in(base)
            created = httpx.post(
                f"{base}/api/v1/meetings",
                json={"kind": "instant", "waiting_room_enabled": False},
                headers={"Authorization": f"Bearer {token}"},
            )
            created.raise_for_status()
            url = f"{base}/m/{created.json()['code']}"
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
                anchor = browser.new_context().new_page()
                _join(anchor, url, "Anchor")
                _one_run(browser, url, 0)  # warm-up: first page load, codecs
                measured = [_one_run(browser, url, i) for i in range(1, RUNS + 1)]
                browser.close()
    runs = [elapsed for elapsed, _ in measured]
    runs_sorted = sorted(runs)
    # Where the time goes: the median moment (ms after the click) of each step.
    steps = sorted({name for _, marks in measured for name in marks}, key=lambda n: measured[0][1].get(n, 0))
    breakdown = {
        name: round(statistics.median(m[name] for _, m in measured if name in m), 1) for name in steps
    }
    result = {
        "benchmark": "join_p2p",
        "how": "click 'Join now' -> first inbound-rtp video framesDecoded > 0, timed in the page; "
        "2 headless Chromium pages (fake 640x480 camera), loopback, embedded server; 1 warm-up run",
        "runs": len(runs),
        "p50_ms": round(statistics.median(runs), 1),
        "p95_ms": round(runs_sorted[max(0, round(0.95 * len(runs)) - 1)], 1),
        "min_ms": round(runs_sorted[0], 1),
        "max_ms": round(runs_sorted[-1], 1),
        "all_ms": [round(r, 1) for r in runs],
        "median_step_ms_after_click": {**breakdown, "first_frame": round(statistics.median(runs), 1)},
        "aim_p50_ms": 300,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
