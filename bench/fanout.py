"""Benchmark: chat fan-out to N WebSocket participants of one meeting, beside a raw broadcast server.

For each N, N Python WebSocket clients join one meeting on the real server (uvicorn, one worker,
on a fresh DATA_DIR) and a few of them send chat messages as fast as the server delivers them
(closed loop: each sender keeps a fixed window of messages that not every participant has
received yet). Every participant receives every message; the send timestamp travels inside the
text. The same clients, senders and window then drive `raw_broadcast.py` (bare `websockets`
re-broadcasting every frame to every client). Prints one JSON object.

`--raw-only` measures the raw server alone (to check the harness). Environment:
BENCH_FANOUT_N ("50,200,500"), BENCH_FANOUT_SECONDS (10), BENCH_FANOUT_SENDERS (5),
BENCH_FANOUT_WINDOW (1 per sender), BENCH_FANOUT_WORKERS (receiver processes besides the senders'
one: 1 on 2 CPUs, else 2).
"""

import argparse
import asyncio
import json
import multiprocessing
import os
import resource
import subprocess
import sys
import tempfile
import time
from array import array
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
from server import PYTHON, REPO, free_port, product_env, product_server, sign_in
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed
from websockets.typing import Origin

NS = [int(n) for n in os.environ.get("BENCH_FANOUT_N", "50,200,500").split(",")]
SECONDS = float(os.environ.get("BENCH_FANOUT_SECONDS", "10"))
SENDERS = int(os.environ.get("BENCH_FANOUT_SENDERS", "5"))
WINDOW = int(os.environ.get("BENCH_FANOUT_WINDOW", "1"))
# Receiver processes: the senders' process plus one more fills 2 CPUs beside the server.
WORKERS = int(os.environ.get("BENCH_FANOUT_WORKERS", str(min(2, max(1, (os.cpu_count() or 2) - 1)))))
WARMUP_SECONDS = 1.0
STALL_SECONDS = 5.0  # a message not delivered to everyone by then frees its sender's window slot
DRAIN_LIMIT_SECONDS = 60.0  # after the last send: wait for stragglers while the server still works
JOIN_CONCURRENCY = 20  # joins (REST + WebSocket + welcome) in flight at once, over all processes
CLK_TCK = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Target:
    kind: str  # "raw" or "product"
    port: int
    code: str = ""


class SetupError(Exception):
    pass


# ---- what every client process does: connect, then count and time chat deliveries ----


def chat_text(frame: str | bytes) -> str | None:
    """The text of a chat delivery: the product's `chat.message` event or the raw server's echo."""
    if not isinstance(frame, str):
        return None
    data = json.loads(frame)
    kind = data.get("type")
    if kind == "chat.message":
        text = data["message"]["text"]
    elif kind == "chat":
        text = data["text"]
    elif kind == "error":
        return "error"
    else:
        return None
    return text if isinstance(text, str) else None


@dataclass
class Tally:
    """Deliveries seen by one process's sockets; `on_complete(id)` once all of them had a message."""

    sockets: int
    on_complete: Callable[[int], None]
    counts: dict[int, int] = field(default_factory=dict)
    latencies_ns: array = field(default_factory=lambda: array("q"))
    last_ns: int = 0
    errors: int = 0
    closed: int = 0

    def on_frame(self, frame: str | bytes, now_ns: int) -> None:
        text = chat_text(frame)
        if text is None:
            return
        if text == "error":
            self.errors += 1
            return
        phase, msg_id, sent_ns = text.split(":")
        if phase == "m":
            self.latencies_ns.append(now_ns - int(sent_ns))
            self.last_ns = max(self.last_ns, now_ns)
        key = int(msg_id)
        seen = self.counts.get(key, 0) + 1
        if seen == self.sockets:
            del self.counts[key]
            self.on_complete(key)
        else:
            self.counts[key] = seen

    def summary(self) -> dict[str, Any]:
        return {
            "latencies_ns": self.latencies_ns.tobytes(),
            "last_ns": self.last_ns,
            "errors": self.errors,
            "closed": self.closed,
        }


async def read(ws: ClientConnection, tally: Tally) -> None:
    try:
        async for frame in ws:
            tally.on_frame(frame, time.monotonic_ns())
    except ConnectionClosed:
        pass
    tally.closed += 1


async def open_participant(target: Target, i: int, pool: httpx.AsyncHTTPTransport) -> ClientConnection:
    """Raw: connect. Product: as a browser would, load the meeting page (CSRF cookie), join over
    REST as guest `p{i}` with its own cookies, connect with the ticket, and await `welcome`."""
    origin = f"http://127.0.0.1:{target.port}"
    uri = f"ws://127.0.0.1:{target.port}/"
    if target.kind == "product":
        http = httpx.AsyncClient(base_url=origin, transport=pool, timeout=60, trust_env=False)
        await http.get(f"/m/{target.code}")  # sets csrftoken (the page itself may be unbuilt: 503)
        joined = await http.post(
            f"/api/v1/meetings/{target.code}/join",
            json={"display_name": f"p{i}"},
            headers={"X-CSRFToken": http.cookies.get("csrftoken", "")},
        )
        if joined.status_code != 200:
            raise SetupError(f"join p{i}: HTTP {joined.status_code} {joined.text[:500]}")
        result = joined.json()
        if result.get("status") != "joined":
            raise SetupError(f"join p{i}: {result}")
        uri = f"ws://127.0.0.1:{target.port}{result['ws_path']}?{urlencode({'ticket': result['ticket']})}"
    ws = await connect(
        uri,
        origin=Origin(origin),
        compression=None,
        ping_interval=None,
        max_size=None,
        open_timeout=60,
    )
    while target.kind == "product":
        try:
            frame = await asyncio.wait_for(ws.recv(), 30)
        except (TimeoutError, ConnectionClosed) as exc:
            raise SetupError(f"p{i}: no welcome ({exc!r})") from exc
        data = json.loads(frame)
        if data.get("type") == "welcome":
            if data.get("status") != "joined":
                raise SetupError(f"p{i}: welcome status {data.get('status')!r}")
            break
    return ws


async def open_all(
    target: Target, indices: Iterable[int], tally: Tally, concurrency: int
) -> tuple[list[ClientConnection], list[asyncio.Task[None]]]:
    gate = asyncio.Semaphore(concurrency)
    readers: list[asyncio.Task[None]] = []

    async def one(i: int) -> ClientConnection:
        async with gate:
            ws = await open_participant(target, i, pool)
        readers.append(asyncio.create_task(read(ws, tally)))  # keep reading from the first moment
        return ws

    async with httpx.AsyncHTTPTransport() as pool:  # one connection pool; cookies per participant
        sockets = await asyncio.gather(*(one(i) for i in indices))
    return list(sockets), readers


async def close_all(sockets: list[ClientConnection], readers: list[asyncio.Task[None]]) -> None:
    await asyncio.wait([asyncio.ensure_future(ws.close()) for ws in sockets], timeout=10)
    for task in readers:
        task.cancel()


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime + stime


# ---- receiver worker processes ----


def worker_entry(conn: Connection, target: Target, indices: list[int], concurrency: int) -> None:
    asyncio.run(worker_main(conn, target, indices, concurrency))


async def worker_main(conn: Connection, target: Target, indices: list[int], concurrency: int) -> None:
    tally = Tally(len(indices), lambda key: conn.send(("done", key)))
    try:
        sockets, readers = await open_all(target, indices, tally, concurrency)
    except Exception as exc:
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready", len(sockets)))
    loop = asyncio.get_running_loop()
    stop = loop.create_future()

    def on_command() -> None:
        while conn.poll():
            conn.recv()  # the only command is "stop"
            if not stop.done():
                stop.set_result(None)

    loop.add_reader(conn.fileno(), on_command)
    await stop
    loop.remove_reader(conn.fileno())
    conn.send(("stats", tally.summary()))
    await close_all(sockets, readers)


# ---- the coordinator: senders, window, workers, results ----


class Run:
    """One measurement: N participants on one target."""

    def __init__(self, target: Target, n: int) -> None:
        self.target, self.n = target, n
        self.senders = min(SENDERS, n)
        rest = list(range(self.senders, n))
        workers = min(WORKERS, len(rest))
        self.shares = [rest[w::workers] for w in range(workers)]
        self.loop = asyncio.get_running_loop()
        self.waiting: dict[int, list[Any]] = {}  # message id -> [parts still to report, future]
        self.parts = len(self.shares) + 1  # each worker, plus the senders' own sockets here
        self.replies: list[asyncio.Queue[tuple[str, Any]]] = []
        self.next_id = 0
        self.incomplete = 0

    def part_done(self, key: int) -> None:
        entry = self.waiting.get(key)
        if entry is None:
            return  # abandoned already
        entry[0] -= 1
        if entry[0] == 0:
            del self.waiting[key]
            entry[1].set_result(None)

    def listen(self, conn: Connection, replies: asyncio.Queue[tuple[str, Any]]) -> None:
        def on_message() -> None:
            try:
                while conn.poll():
                    kind, value = conn.recv()
                    if kind == "done":
                        self.part_done(value)
                    else:
                        replies.put_nowait((kind, value))
            except EOFError:
                self.loop.remove_reader(conn.fileno())
                replies.put_nowait(("failed", "worker process exited"))

        self.loop.add_reader(conn.fileno(), on_message)

    async def reply(self, replies: asyncio.Queue[tuple[str, Any]], expected: str) -> Any:
        kind, value = await asyncio.wait_for(replies.get(), 600)
        if kind != expected:
            raise SetupError(f"{self.target.kind} N={self.n}: worker {kind}: {value}")
        return value

    async def send_loop(self, ws: ClientConnection, sender: int, phase: str, seconds: float) -> int:
        window = asyncio.Semaphore(WINDOW)
        in_flight: set[asyncio.Task[None]] = set()
        deadline = time.monotonic() + seconds
        sent = 0

        async def release(future: asyncio.Future[None]) -> None:
            try:
                await asyncio.wait_for(asyncio.shield(future), STALL_SECONDS)
            except TimeoutError:
                pass  # still awaited by drain(); only the window slot moves on
            finally:
                window.release()

        while True:
            await window.acquire()
            if time.monotonic() >= deadline:
                window.release()
                break
            key = self.next_id = self.next_id + 1
            future = self.loop.create_future()
            self.waiting[key] = [self.parts, future]
            text = f"{phase}:{key}:{time.monotonic_ns()}"
            await ws.send(json.dumps({"type": "chat", "text": text, "client_id": f"s{sender}-{key}"}))
            sent += 1
            task = asyncio.create_task(release(future))
            in_flight.add(task)
            task.add_done_callback(in_flight.discard)
        if in_flight:
            await asyncio.wait(in_flight)
        return sent

    async def phase(
        self, sockets: list[ClientConnection], phase: str, seconds: float, server_pid: int
    ) -> int:
        sent = await asyncio.gather(*(self.send_loop(ws, k, phase, seconds) for k, ws in enumerate(sockets)))
        await self.drain(server_pid)
        self.incomplete = len(self.waiting)
        self.waiting.clear()
        return sum(sent)

    async def drain(self, server_pid: int) -> None:
        """Until every message reached everyone, or the server has been idle for 1 s (what is still
        missing then is lost, not late), or DRAIN_LIMIT_SECONDS."""
        deadline, idle = time.monotonic() + DRAIN_LIMIT_SECONDS, 0
        while self.waiting and idle < 4 and time.monotonic() < deadline:
            before = cpu_seconds(server_pid)
            await asyncio.sleep(0.25)
            idle = idle + 1 if cpu_seconds(server_pid) - before < 0.01 else 0

    async def measure(
        self, server_pid: int, teardown: Callable[[], Awaitable[object]] | None = None
    ) -> dict[str, Any]:
        started = time.monotonic()
        ctx = multiprocessing.get_context("spawn")
        per_process = max(1, JOIN_CONCURRENCY // (len(self.shares) + 1))
        processes, conns = [], []
        for share in self.shares:
            parent, child = ctx.Pipe()
            process = ctx.Process(target=worker_entry, args=(child, self.target, share, per_process))
            process.start()
            child.close()
            replies: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()
            self.listen(parent, replies)
            processes.append(process)
            conns.append(parent)
            self.replies.append(replies)
        tally = Tally(self.senders, self.part_done)
        try:
            sockets, readers = await open_all(self.target, range(self.senders), tally, per_process)
            for replies in self.replies:
                await self.reply(replies, "ready")
            setup_s = time.monotonic() - started
            await wait_idle(server_pid)
            await self.phase(sockets, "w", WARMUP_SECONDS, server_pid)
            clients = [os.getpid(), *(p.pid for p in processes if p.pid is not None)]
            cpu_before = [cpu_seconds(pid) for pid in (server_pid, *clients)]
            t0 = time.monotonic_ns()
            messages = await self.phase(sockets, "m", SECONDS, server_pid)
            wall = (time.monotonic_ns() - t0) / 1e9
            cpu_after = [cpu_seconds(pid) for pid in (server_pid, *clients)]
            for conn in conns:
                conn.send(("stop", None))
            summaries = [tally.summary()] + [await self.reply(replies, "stats") for replies in self.replies]
            if teardown is not None:
                await teardown()
            await close_all(sockets, readers)
        finally:
            for conn in conns:
                self.loop.remove_reader(conn.fileno())
            for process in processes:
                process.join(timeout=30)
                if process.is_alive():
                    process.kill()
        latencies = array("q")
        for summary in summaries:
            latencies.frombytes(summary["latencies_ns"])
        ordered = sorted(latencies)
        last_ns = max(summary["last_ns"] for summary in summaries)
        span = max((last_ns - t0) / 1e9, 1e-9)
        expected = messages * self.n

        def pct(q: float) -> float:
            return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] / 1e6, 2) if ordered else 0.0

        used = [after - before for before, after in zip(cpu_before, cpu_after, strict=True)]
        result = {
            "deliveries_per_s": round(len(ordered) / span),
            "p50_ms": pct(0.50),
            "p99_ms": pct(0.99),
            "lost": expected - len(ordered),
            "messages": messages,
            "receivers": self.n,
            "server_cpu_pct": round(100 * used[0] / wall),
            "clients_cpu_pct": round(100 * sum(used[1:]) / wall),
            "setup_s": round(setup_s, 1),
        }
        # Anomalies, reported only when they happen: `error` events, sockets the server closed
        # before the end, messages that some participant had still not received after the drain.
        for name, count in (
            ("error_events", sum(summary["errors"] for summary in summaries)),
            ("closed_early", sum(summary["closed"] for summary in summaries)),
            ("incomplete_messages", self.incomplete),
        ):
            if count:
                result[name] = count
        return result


async def wait_idle(pid: int, limit_s: float = 60) -> None:
    """Let the server finish the join storm (or a previous run's teardown) before measuring."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        before = cpu_seconds(pid)
        await asyncio.sleep(0.5)
        if cpu_seconds(pid) - before < 0.05:
            return


async def as_host(base: str, token: str, path: str, payload: dict[str, Any] | None = None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=60) as http:
        return await http.post(path, json=payload)


async def run_all(raw_port: int, raw_pid: int, product: tuple[str, str, int] | None) -> dict[str, Any]:
    results: dict[str, Any] = {}
    for n in NS:
        row: dict[str, Any] = {}
        row["raw"] = await Run(Target("raw", raw_port), n).measure(raw_pid)
        if product is not None:
            base, token, pid = product
            meeting = {
                "kind": "instant",
                "title": "Bench",
                "waiting_room_enabled": False,
                "max_participants": 1000,
            }
            created = await as_host(base, token, "/api/v1/meetings", meeting)
            if created.status_code not in (200, 201):
                raise SetupError(f"create meeting: HTTP {created.status_code} {created.text[:500]}")
            code = created.json()["code"]
            # Afterwards the host ends the meeting, which closes every socket (no reconnect grace).
            end = partial(as_host, base, token, f"/api/v1/meetings/{code}/end")
            target = Target("product", int(base.rsplit(":", 1)[1]), code)
            row["product"] = await Run(target, n).measure(pid, end)
            row["ratio"] = round(row["product"]["deliveries_per_s"] / row["raw"]["deliveries_per_s"], 3)
            await wait_idle(pid)
        results[str(n)] = row
        print(f"N={n}: {json.dumps(row)}", file=sys.stderr, flush=True)
    return results


def start_raw(port: int) -> subprocess.Popen[str]:
    raw = subprocess.Popen(
        [PYTHON, str(REPO / "bench" / "raw_broadcast.py"), str(port)], stdout=subprocess.PIPE, text=True
    )
    assert raw.stdout is not None
    if raw.stdout.readline().strip() != "ready":
        sys.exit("raw broadcast server did not start")
    return raw


HOW_MEASURED = (
    "Per N, one new meeting; N Python websockets clients (no compression) join it as guests (meeting "
    "page for the CSRF cookie, REST join, ticket, welcome) and stay connected. {senders} of them send "
    "{{type: chat, text, client_id}} whose text carries time.monotonic_ns() at send. Closed loop at "
    "saturation: each sender keeps {window} message(s) outstanding and sends the next as soon as all "
    "N participants (sender included) received its previous one; {warmup:g} s warm-up, then "
    "{seconds:g} s measured. deliveries_per_s = deliveries of measured messages / (last delivery - "
    "first send); p50/p99 over every delivery of receive time - send time; lost = messages x N - "
    "deliveries after draining (until all are delivered or the server has been idle 1 s; at most "
    "{drain:g} s). The same clients, senders and window drive raw_broadcast.py (its own process: "
    "websockets.broadcast of each frame, as is, to every client). Clients: the senders in the bench "
    "process plus {workers} receiver process(es), on the same {cpus} CPUs as the server; "
    "server_cpu_pct / clients_cpu_pct = CPU time over the measured wall time (100 = one core). "
    "ratio = product / raw deliveries per second."
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw-only", action="store_true", help="measure the raw broadcast server only")
    args = parser.parse_args()
    load_before = os.getloadavg()  # client and server share this machine with whatever else runs
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    with tempfile.TemporaryDirectory(prefix="aapoon-bench-") as data_dir:
        raw = start_raw(raw_port := free_port())
        try:
            if args.raw_only:
                results = asyncio.run(run_all(raw_port, raw.pid, None))
            else:
                env = product_env(
                    data_dir,
                    MEETING_P2P_MAX_PARTICIPANTS="1000",
                    MEETING_JOIN_RATE_LIMIT="100000",
                    MEETING_MESSAGE_RATE_LIMIT="100000000",
                )
                log = Path(data_dir) / "server.log"
                with product_server(env, log) as (base, server):
                    token = sign_in(base)
                    try:
                        results = asyncio.run(run_all(raw_port, raw.pid, (base, token, server.pid)))
                    except SetupError:
                        print(log.read_text()[-5000:], file=sys.stderr)
                        raise
        finally:
            raw.terminate()
            raw.wait(timeout=20)
    print(
        json.dumps(
            {
                "benchmark": "chat fan-out to N participants of one meeting vs raw websockets broadcast",
                "server": "uvicorn, 1 worker, SQLite (embedded default), "
                + ("Redis channel layer" if os.environ.get("REDIS_URL") else "in-memory channel layer"),
                "senders": SENDERS,
                "window_per_sender": WINDOW,
                "seconds": SECONDS,
                "receiver_processes": WORKERS,
                "load_average_before": [round(x, 2) for x in load_before],
                "results": results,
                "how_measured": HOW_MEASURED.format(
                    senders=SENDERS,
                    window=WINDOW,
                    warmup=WARMUP_SECONDS,
                    seconds=SECONDS,
                    drain=DRAIN_LIMIT_SECONDS,
                    workers=WORKERS,
                    cpus=os.cpu_count(),
                ),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
