"""Benchmark: streams one Janus forwards, and the Janus CPU each one costs.

One Janus (VideoRoom, media on veth0) inside the test network namespace. P aiortc publishers
replay the pre-encoded clip (VP8 640x360 15 fps + Opus, `e2e/clip.py`), and subscribers,
each with one multistream subscription to every publisher, are added in steps. At each step,
after a settling pause, the benchmark measures over a window:

- streams forwarded = publishers x 2 (video + audio) x subscribers;
- Janus CPU seconds per second (utime + stime of /proc/<pid>/stat), CPU per stream and streams
  per core (streams / Janus CPU);
- delivery: RTP packets the subscribers received / (packets the publishers sent x subscribers),
  so a figure is only trusted when Janus really forwarded everything (close to 1.0);
- the CPU of the synthetic participants, which share the machine with Janus.

Subscribers only count packets (`skip_decoding_in_this_process`): decoding would spend the CPU
Janus is measured on. They run in worker processes (one asyncio loop each), the publishers in
this one. Prints one JSON object; the headline is the largest step with full delivery.

    e2e/run-in-netns.sh backend/.venv/bin/python bench/sfu_streams.py [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import secrets
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "e2e"))
from clip import FPS, HEIGHT, SECONDS, VIDEO_BITRATE, WIDTH, clip_path
from janus_nodes import janus_node, peer_token
from janus_peer import JanusPublisher, JanusSubscriber, load_clip, skip_decoding_in_this_process

AIM_STREAMS_PER_CORE = 500
# Delivery below this means Janus (or the participants) could not keep up: not a valid figure.
FULL_DELIVERY = 0.97
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Plan:
    publishers: int
    subscriber_steps: tuple[int, ...]  # total subscribers at each step
    settle_seconds: float
    window_seconds: float
    workers: int


FULL = Plan(publishers=8, subscriber_steps=(4, 8, 16, 24, 32), settle_seconds=4, window_seconds=10, workers=2)
QUICK = Plan(publishers=4, subscriber_steps=(2, 8), settle_seconds=3, window_seconds=4, workers=1)


@dataclass(frozen=True)
class Step:
    publishers: int
    subscribers: int
    streams: int
    janus_cpu_per_s: float
    janus_cpu_ms_per_stream_per_s: float
    streams_per_core: float | None
    # Leaving out what Janus spends receiving the publishers (measured with no subscribers).
    forwarding_streams_per_core: float | None
    delivery: float
    participants_cpu_per_s: float


# --------------------------------------------------------------------------------------------
# Subscriber worker processes.
# --------------------------------------------------------------------------------------------


def subscriber_worker(conn: Connection, ws_url: str, token: str, room: str) -> None:
    """Hosts subscribers on one asyncio loop; obeys ("subscribe", n, feeds), ("packets",),
    ("close",) from the main process, answering each."""
    skip_decoding_in_this_process()
    asyncio.run(_serve_worker(conn, ws_url, token, room))


async def _serve_worker(conn: Connection, ws_url: str, token: str, room: str) -> None:
    loop = asyncio.get_running_loop()
    subscribers: list[JanusSubscriber] = []
    try:
        while True:
            command = await loop.run_in_executor(None, conn.recv)
            if command[0] == "subscribe":
                _, count, feeds = command
                try:
                    for _ in range(count):
                        subscribers.append(
                            await JanusSubscriber.start(
                                ws_url, room=room, feeds=feeds, token=token, decode=False
                            )
                        )
                    conn.send(("ok", len(subscribers)))
                except Exception as error:
                    conn.send(("error", f"{type(error).__name__}: {error}"))
            elif command[0] == "packets":
                total: Counter[str] = Counter()
                for subscriber in subscribers:
                    total.update(await subscriber.packets_received())
                conn.send(("ok", dict(total)))
            else:
                conn.send(("ok", None))
                return
    finally:
        for subscriber in subscribers:
            await subscriber.close()


class Worker:
    def __init__(self, context: Any, ws_url: str, token: str, room: str) -> None:
        self.conn, child = context.Pipe()
        self.process = context.Process(
            target=subscriber_worker, args=(child, ws_url, token, room), daemon=True
        )
        self.process.start()
        self.subscribers = 0

    async def subscribe(self, count: int, feeds: list[str]) -> None:
        if count > 0:
            self.subscribers = await self.ask("subscribe", count, feeds)

    async def ask(self, *command: Any) -> Any:
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, self.conn.send, command)
        status, value = await loop.run_in_executor(None, self.conn.recv)
        if status != "ok":
            raise RuntimeError(f"subscriber worker: {value}")
        return value


# --------------------------------------------------------------------------------------------
# Measuring.
# --------------------------------------------------------------------------------------------


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process (fields 14 and 15 of /proc/<pid>/stat)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()  # the command name may hold spaces
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


async def packets_sent(publishers: list[JanusPublisher]) -> int:
    return sum([sum((await p.packets_sent()).values()) for p in publishers])


async def packets_received(workers: list[Worker]) -> int:
    counts = await asyncio.gather(*(worker.ask("packets") for worker in workers))
    return sum(sum(count.values()) for count in counts)


async def measure(
    plan: Plan,
    janus_pid: int,
    publishers: list[JanusPublisher],
    workers: list[Worker],
    subscribers: int,
    ingest_cpu_per_s: float = 0.0,
) -> Step:
    participant_pids = [os.getpid(), *(worker.process.pid for worker in workers)]
    await asyncio.sleep(plan.settle_seconds)
    started = time.monotonic()
    janus_before = cpu_seconds(janus_pid)
    peers_before = sum(cpu_seconds(pid) for pid in participant_pids)
    sent_before, received_before = await packets_sent(publishers), await packets_received(workers)
    await asyncio.sleep(plan.window_seconds)
    sent_after, received_after = await packets_sent(publishers), await packets_received(workers)
    elapsed = time.monotonic() - started
    janus_cpu = (cpu_seconds(janus_pid) - janus_before) / elapsed
    peers_cpu = (sum(cpu_seconds(pid) for pid in participant_pids) - peers_before) / elapsed
    streams = len(publishers) * 2 * subscribers
    expected = (sent_after - sent_before) * subscribers
    return Step(
        publishers=len(publishers),
        subscribers=subscribers,
        streams=streams,
        janus_cpu_per_s=round(janus_cpu, 4),
        janus_cpu_ms_per_stream_per_s=round(1000 * janus_cpu / streams, 4) if streams else 0.0,
        streams_per_core=round(streams / janus_cpu, 1) if streams and janus_cpu > 0 else None,
        forwarding_streams_per_core=(
            round(streams / (janus_cpu - ingest_cpu_per_s), 1)
            if streams and janus_cpu > ingest_cpu_per_s
            else None
        ),
        delivery=round((received_after - received_before) / expected, 4) if expected else 0.0,
        participants_cpu_per_s=round(peers_cpu, 3),
    )


# --------------------------------------------------------------------------------------------
# The run.
# --------------------------------------------------------------------------------------------


async def run(plan: Plan, base: Path) -> dict[str, Any]:
    load_at_start = round(os.getloadavg()[0], 2)
    clip = load_clip(clip_path())
    context = multiprocessing.get_context("spawn")
    with janus_node(base, "bench") as node:
        room = f"bench-{secrets.token_hex(4)}"
        node.client.videoroom({"request": "create", "room": room, "publishers": plan.publishers + 1})
        ws_url, token = node.process.ws_url, peer_token(node.process)
        publishers: list[JanusPublisher] = []
        workers = [Worker(context, ws_url, token, room) for _ in range(plan.workers)]
        steps: list[Step] = []
        try:
            for index in range(plan.publishers):
                publishers.append(
                    await JanusPublisher.start(
                        ws_url, room=room, publisher_id=f"pub{index}", clip=clip, token=token
                    )
                )
            feeds = [publisher.publisher_id for publisher in publishers]
            # Publishers alone: what Janus spends on receiving, before forwarding anything.
            ingest = await measure(plan, node.process.pid, publishers, workers, 0)
            for total in plan.subscriber_steps:
                # Spread the new subscribers over the workers, fewest first; workers subscribe in parallel.
                wanted = {id(worker): worker.subscribers for worker in workers}
                for _ in range(total - sum(wanted.values())):
                    fewest = min(workers, key=lambda w: wanted[id(w)])
                    wanted[id(fewest)] += 1
                await asyncio.gather(
                    *(worker.subscribe(wanted[id(worker)] - worker.subscribers, feeds) for worker in workers)
                )
                steps.append(
                    await measure(plan, node.process.pid, publishers, workers, total, ingest.janus_cpu_per_s)
                )
        finally:
            for worker in workers:
                try:
                    await worker.ask("close")
                except (RuntimeError, OSError, EOFError):
                    worker.process.kill()
                worker.process.join(timeout=10)
            for publisher in publishers:
                await publisher.close()
        janus_version = node.client.admin({"janus": "info"}).get("version_string")
    valid = [step for step in steps if step.delivery >= FULL_DELIVERY and step.streams_per_core]
    headline = max(valid, key=lambda step: step.streams) if valid else None
    return {
        "benchmark": "sfu_streams",
        "janus": janus_version,
        "clip": {
            "video": f"VP8 {WIDTH}x{HEIGHT} {FPS} fps {VIDEO_BITRATE}b/s",
            "audio": "Opus",
            "seconds": SECONDS,
        },
        "cpus": os.cpu_count(),
        "ingest_only": asdict(ingest),
        "steps": [asdict(step) for step in steps],
        "streams_per_core": headline.streams_per_core if headline else None,
        "at_streams": headline.streams if headline else None,
        "aim_streams_per_core": AIM_STREAMS_PER_CORE,
        "meets_aim": bool(
            headline and headline.streams_per_core and headline.streams_per_core >= AIM_STREAMS_PER_CORE
        ),
        # The synthetic participants share the cores with Janus (participants_cpu_per_s); a busy
        # machine lowers delivery and makes CPU figures noisy.
        "load_average_1m": {"start": load_at_start, "end": round(os.getloadavg()[0], 2)},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer, shorter steps (a smoke run)")
    args = parser.parse_args()
    if os.environ.get("E2E_NETNS") != "1":
        sys.exit(
            "Run inside the test network namespace:\n"
            "    e2e/run-in-netns.sh backend/.venv/bin/python bench/sfu_streams.py"
        )
    plan = QUICK if args.quick else FULL
    with tempfile.TemporaryDirectory(prefix="sfu-streams-") as base:
        result = asyncio.run(run(plan, Path(base)))
    result["mode"] = "quick" if args.quick else "full"
    print(json.dumps(result))


if __name__ == "__main__":
    main()
