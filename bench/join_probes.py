"""Shared by the join benchmarks (join_p2p.py, join_sfu.py): the in-page timer from the click on
"Join now" to the first decoded remote frame, the app's join and leave, one timed join in a fresh
browser context, and the summary of the runs."""

import statistics
from collections.abc import Callable

import httpx
from playwright.sync_api import Browser, Page
from server import sign_in

TIMEOUT_MS = 30_000

# (ms from the click to the first decoded frame, {step: ms after the click})
type Run = tuple[float, dict[str, float]]

# The start of the init script: the peer connections to poll and the step marks (ms after the click).
_MEASURE_HEAD = """
(() => {
  const pcs = [];
  const marks = (window.__marks = {});
  const mark = (name) => {
    if (window.__clickAt && !(name in marks)) marks[name] = performance.now() - window.__clickAt;
  };
"""

# The end: on the click on "Join now", poll every peer connection for the first `inbound-rtp`
# video entry with `framesDecoded > 0` and keep the time in window.__firstFrameMs.
_MEASURE_TAIL = """
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


def measure_script(wrappers: str) -> str:
    """The init script that times the first remote decoded frame after the click on "Join now",
    inside the page. `wrappers` (JavaScript) replaces the page's constructors it wants to watch:
    it pushes every RTCPeerConnection onto `pcs` and calls `mark(name)` at the steps to time."""
    return _MEASURE_HEAD + wrappers + _MEASURE_TAIL


def instant_meeting_url(base: str) -> str:
    """Signs the bench user in and starts an instant meeting without a waiting room; its link."""
    token = sign_in(base)
    created = httpx.post(
        f"{base}/api/v1/meetings",
        json={"kind": "instant", "waiting_room_enabled": False},
        headers={"Authorization": f"Bearer {token}"},
    )
    created.raise_for_status()
    return f"{base}/m/{created.json()['code']}"


def join_meeting(page: Page, url: str, name: str) -> None:
    """The app's pre-join: open the link, give a name, "Join now", wait for the room."""
    page.goto(url)
    page.get_by_role("textbox", name="Your name").fill(name)
    page.get_by_role("button", name="Join now").click()  # waits until it is enabled
    page.get_by_role("main", name="Meeting room").wait_for(timeout=TIMEOUT_MS)


def leave_meeting(page: Page) -> None:
    page.get_by_role("button", name="Leave meeting").click()
    page.get_by_role("heading", name="You left the meeting").wait_for(timeout=10_000)


def timed(
    browser: Browser,
    script: str,
    join: Callable[[Page], None],
    leave: Callable[[Page], None] | None,
) -> Run:
    """One join in a fresh context with `script` (see measure_script) added: the page's time to
    the first decoded frame and its step marks; then `leave`, if any, and the context is closed."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.add_init_script(script)
        join(page)
        page.wait_for_function("window.__firstFrameMs !== undefined", timeout=TIMEOUT_MS)
        elapsed = float(page.evaluate("window.__firstFrameMs"))
        marks = {k: float(v) for k, v in page.evaluate("window.__marks").items()}
        if leave is not None:
            leave(page)
        return elapsed, marks
    finally:
        context.close()


def summary(measured: list[Run]) -> dict[str, object]:
    """p50, p95, min, max and every run (ms), and where the time goes: the median moment (ms
    after the click) of each step."""
    runs = [elapsed for elapsed, _ in measured]
    runs_sorted = sorted(runs)
    steps = sorted({name for _, marks in measured for name in marks}, key=lambda n: measured[0][1].get(n, 0))
    breakdown = {
        name: round(statistics.median(m[name] for _, m in measured if name in m), 1) for name in steps
    }
    return {
        "runs": len(runs),
        "p50_ms": round(statistics.median(runs), 1),
        "p95_ms": round(runs_sorted[max(0, round(0.95 * len(runs)) - 1)], 1),
        "min_ms": round(runs_sorted[0], 1),
        "max_ms": round(runs_sorted[-1], 1),
        "all_ms": [round(r, 1) for r in runs],
        "median_step_ms_after_click": {**breakdown, "first_frame": round(statistics.median(runs), 1)},
    }
