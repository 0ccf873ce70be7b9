"""Benchmark: GET /api/v1/me with a JWT against a bare Django view doing the same lookup.

Starts the real server (uvicorn, one worker) on a fresh DATA_DIR, signs a user in through the
allauth app client to get a real access token, drives both URLs with wrk at 50 connections,
and prints one JSON object with both results and their ratio.
"""

import json
import os
import subprocess
import tempfile
from pathlib import Path

from server import REPO, product_env, product_server, sign_in

CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "50"))
DURATION = os.environ.get("BENCH_DURATION", "10s")


def wrk(url: str, token: str, duration: str = DURATION) -> dict[str, float]:
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{CONNECTIONS}",
            f"-d{duration}",
            "--latency",
            "-s",
            str(REPO / "bench" / "wrk_json.lua"),
            "-H",
            f"Authorization: Bearer {token}",
            url,
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return result


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="aapoon-bench-") as data_dir:
        env = product_env(data_dir)
        # The server's own log stays out of the JSON on stdout (requests that wrk leaves in
        # flight when it stops are cut off at shutdown and logged there).
        log = Path(data_dir) / "server.log"
        with product_server(env, log) as (base, _server):
            token = sign_in(base)
            api_url, bare_url = f"{base}/api/v1/me", f"{base}/bench/bare-me"
            for url in (api_url, bare_url):  # warm both paths before measuring either
                wrk(url, token, duration="2s")
            api = wrk(api_url, token)
            bare = wrk(bare_url, token)
    print(
        json.dumps(
            {
                "benchmark": "GET /api/v1/me with JWT vs bare Django view",
                "connections": CONNECTIONS,
                "duration": DURATION,
                "server": "uvicorn, 1 worker, SQLite (embedded default)",
                "api_me": api,
                "bare_view": bare,
                "throughput_ratio_api_to_bare": round(api["requests_per_s"] / bare["requests_per_s"], 3),
                "p50_ratio_api_to_bare": round(api["p50_ms"] / bare["p50_ms"], 3),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
