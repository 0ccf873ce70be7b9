"""Benchmark: opening and closing breakout rooms for N people in one meeting.

For each N, N Python WebSocket clients join one meeting on the real server (uvicorn, one worker,
SQLite) as guests, and the host (signed in, JWT) joins too: once without a media server (P2P: a
move is the database and the sockets), once with the local Janus that `serve` starts (SFU: each
move also takes the entry to one VideoRoom away and grants another; clients open no media). The host
makes N/4 rooms (a class split into groups of four), assigns everyone automatically, then opens
and closes the rooms (countdown 0) ROUNDS times. For each open and each close it times, from the
host sending the message, each participant's fresh `welcome` for its new room (the server's
answer to a move: that room's roster, chat and state). Prints one JSON object.

Environment: BENCH_BREAKOUT_N ("12,100,300"), BENCH_BREAKOUT_ROUNDS (3).
"""

import asyncio
import json
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
from fanout import SetupError, Tally, Target, as_host, close_all, cpu_seconds, open_all, wait_idle
from server import product_env, product_server, sign_in
from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Origin

NS = [int(n) for n in os.environ.get("BENCH_BREAKOUT_N", "12,100,300").split(",")]
ROUNDS = int(os.environ.get("BENCH_BREAKOUT_ROUNDS", "3"))
GROUP = 4  # people per room
MOVE_LIMIT_SECONDS = 60.0


class Welcomes:
    """When each participant's socket got a `welcome` after a given moment (its room changed)."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.since_ns = 0
        self.at_ns: dict[int, int] = {}
        self.done = asyncio.Event()

    def start(self) -> None:
        self.since_ns, self.at_ns = time.monotonic_ns(), {}
        self.done.clear()

    def saw(self, index: int, frame: str | bytes) -> None:
        if not isinstance(frame, str) or '"type": "welcome"' not in frame[:40] or not self.since_ns:
            return
        self.at_ns.setdefault(index, time.monotonic_ns())
        if len(self.at_ns) == self.n:
            self.done.set()


async def watch(ws: ClientConnection, index: int, welcomes: Welcomes) -> None:
    async for frame in ws:
        welcomes.saw(index, frame)


async def host_socket(base: str, token: str, code: str) -> ClientConnection:
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=60) as http:
        joined = (await http.post(f"/api/v1/meetings/{code}/join", json={})).json()
    port = base.rsplit(":", 1)[1]
    ws = await connect(
        f"ws://127.0.0.1:{port}{joined['ws_path']}?{urlencode({'ticket': joined['ticket']})}",
        origin=Origin(base),
        compression=None,
        ping_interval=None,
        max_size=None,
    )
    while json.loads(await ws.recv()).get("type") != "welcome":
        pass
    return ws


async def until(ws: ClientConnection, kind: str) -> dict[str, Any]:
    while True:
        message = json.loads(await asyncio.wait_for(ws.recv(), MOVE_LIMIT_SECONDS))
        if message.get("type") == kind:
            return message
        if message.get("type") == "error":
            raise SetupError(f"the server refused: {message}")


async def move_everyone(host: ClientConnection, welcomes: Welcomes, message: dict[str, Any]) -> list[float]:
    """Send `message` as the host; ms from sending to each participant's fresh welcome."""
    welcomes.start()
    await host.send(json.dumps(message))
    await asyncio.wait_for(welcomes.done.wait(), MOVE_LIMIT_SECONDS)
    return [(at - welcomes.since_ns) / 1e6 for at in welcomes.at_ns.values()]


def summary(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50_ms": round(statistics.median(ordered), 1),
        "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))], 1),
        "max_ms": round(ordered[-1], 1),
    }


async def run_n(base: str, token: str, pid: int, n: int) -> dict[str, Any]:
    meeting = {"kind": "instant", "title": "Class", "waiting_room_enabled": False, "max_participants": n + 1}
    created = await as_host(base, token, "/api/v1/meetings", meeting)
    if created.status_code != 201:
        raise SetupError(f"create meeting: HTTP {created.status_code} {created.text[:500]}")
    code = created.json()["code"]
    target = Target("product", int(base.rsplit(":", 1)[1]), code)
    host = await host_socket(base, token, code)
    welcomes = Welcomes(n)

    sockets, readers = await open_all(target, range(n), Tally(n, lambda _: None), 20)
    for task in readers:  # welcomes are watched by readers of our own from here on
        task.cancel()
    watchers = [asyncio.create_task(watch(ws, i, welcomes)) for i, ws in enumerate(sockets)]
    await wait_idle(pid)
    rooms = [{"name": f"Group {i + 1}"} for i in range(max(1, n // GROUP))]
    await host.send(json.dumps({"type": "breakout_configure", "rooms": rooms, "countdown_seconds": 0}))
    await until(host, "breakout.updated")
    await host.send(json.dumps({"type": "breakout_auto_assign"}))
    await until(host, "breakout.updated")
    opens: list[float] = []
    closes: list[float] = []
    cpu_before = cpu_seconds(pid)
    started = time.monotonic()
    for _ in range(ROUNDS):
        opens += await move_everyone(host, welcomes, {"type": "breakout_open"})
        await wait_idle(pid)
        closes += await move_everyone(host, welcomes, {"type": "breakout_close"})
        await wait_idle(pid)
    server_cpu = cpu_seconds(pid) - cpu_before
    wall = time.monotonic() - started
    for task in watchers:
        task.cancel()
    await as_host(base, token, f"/api/v1/meetings/{code}/end")
    await close_all([*sockets, host], [])
    await wait_idle(pid)
    return {
        "rooms": len(rooms),
        "open": summary(opens),
        "close": summary(closes),
        "moves_per_server_cpu_s": round(ROUNDS * 2 * n / server_cpu, 1),
        "wall_s": round(wall, 2),
    }


async def run_all(base: str, token: str, pid: int) -> dict[str, Any]:
    results: dict[str, Any] = {}
    for n in NS:
        results[str(n)] = await run_n(base, token, pid, n)
        print(f"N={n}: {json.dumps(results[str(n)])}", file=sys.stderr, flush=True)
    return results


HOW_MEASURED = (
    "Per mode (p2p: no media server; sfu: the local Janus, meetings placed on it) and N, one new "
    "meeting; N Python websockets clients join it as guests "
    "(meeting page, REST join, ticket, welcome) and the host joins signed in. The host makes N/{group} "
    "rooms and assigns everyone automatically, then {rounds} times: `breakout_open` (everyone moves "
    "to their room), wait until the server is idle, `breakout_close` with a countdown of 0 (everyone "
    "back). open/close: ms from the host's message to each participant's fresh welcome for its new "
    "room, over all participants and rounds. moves_per_server_cpu_s = moves / the server process's "
    "CPU seconds over the rounds (idle waits included; 1 move = 1 participant changing room)."
)


def measure(mode: str) -> dict[str, Any]:
    """All N on a fresh server: "p2p" without a media server, "sfu" with the local Janus."""
    with tempfile.TemporaryDirectory(prefix="aapoon-bench-") as data_dir:
        env = product_env(
            data_dir,
            MEETING_P2P_MAX_PARTICIPANTS="1000",
            MEETING_JOIN_RATE_LIMIT="100000",
            JANUS_AUTOSTART="true" if mode == "sfu" else "false",
        )
        log = Path(data_dir) / "server.log"
        with product_server(env, log) as (base, server):
            try:
                return asyncio.run(run_all(base, sign_in(base), server.pid))
            except (SetupError, TimeoutError):
                print(log.read_text()[-5000:], file=sys.stderr)
                raise


def main() -> None:
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    load_before = os.getloadavg()
    results = {"p2p": measure("p2p")}
    if shutil.which("janus"):
        results["sfu"] = measure("sfu")
    print(
        json.dumps(
            {
                "benchmark": "breakout rooms: moving N people into rooms and back",
                "server": "uvicorn, 1 worker, SQLite (embedded default), in-memory channel layer; "
                "sfu: the local Janus of `serve`",
                "rounds": ROUNDS,
                "load_average_before": [round(x, 2) for x in load_before],
                "results": results,
                "how_measured": HOW_MEASURED.format(group=GROUP, rounds=ROUNDS),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
