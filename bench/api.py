"""Benchmark: GET /api/v1/me with a JWT against a bare Django view doing the same lookup.

Starts the real server (uvicorn, one worker) on a fresh DATA_DIR, signs a user in through the
allauth app client to get a real access token, drives both URLs with wrk at 50 connections,
and prints one JSON object with both results and their ratio.
"""

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
BACKEND = REPO / "backend"
PYTHON = BACKEND / ".venv" / "bin" / "python"
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "50"))
DURATION = os.environ.get("BENCH_DURATION", "10s")
EMAIL, PASSWORD = "bench@example.com", "Bench-Password-42"

# A user as sign-up leaves one (verified email, own account), built the way the tests build them.
CREATE_USER = f"""
import django; django.setup()
from aapoon.accounts.tests.factories import make_user
make_user(email={EMAIL!r}, password={PASSWORD!r})
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_ready(base: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"server exited before it was ready:\n{log.read_text()}")
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    sys.exit("server did not become ready in 60 s")


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
        env = {
            **os.environ,
            "DATA_DIR": data_dir,
            "DJANGO_SETTINGS_MODULE": "bench_settings",
            "PYTHONPATH": f"{REPO / 'bench'}:{BACKEND}",
            "TASK_RUNNER_IN_PROCESS": "false",
            "JWT_ACCESS_TOKEN_SECONDS": "3600",
            "LOG_LEVEL": "WARNING",
        }
        env.pop("DATABASE_URL", None)  # the embedded default: SQLite in DATA_DIR
        run = {"cwd": BACKEND, "env": env, "check": True}
        subprocess.run([PYTHON, "manage.py", "migrate", "-v0"], **run)  # type: ignore[call-overload]
        subprocess.run([PYTHON, "-c", CREATE_USER], **run)  # type: ignore[call-overload]
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        # The server's own log stays out of the JSON on stdout (requests that wrk leaves in
        # flight when it stops are cut off at shutdown and logged there).
        log = Path(data_dir) / "server.log"
        server = subprocess.Popen(
            [PYTHON, "manage.py", "serve", "--port", str(port), "--workers", "1"],
            cwd=BACKEND,
            env=env,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
        )
        try:
            wait_ready(base, server, log)
            login = httpx.post(
                f"{base}/_allauth/app/v1/auth/login", json={"email": EMAIL, "password": PASSWORD}
            )
            token = login.json()["meta"]["access_token"]
            api_url, bare_url = f"{base}/api/v1/me", f"{base}/bench/bare-me"
            for url in (api_url, bare_url):  # warm both paths before measuring either
                wrk(url, token, duration="2s")
            api = wrk(api_url, token)
            bare = wrk(bare_url, token)
        finally:
            server.terminate()
            server.wait(timeout=20)
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
