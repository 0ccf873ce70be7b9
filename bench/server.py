"""Shared by the benchmarks: start the real server on a fresh DATA_DIR and sign a user in."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
BACKEND = REPO / "backend"
PYTHON = BACKEND / ".venv" / "bin" / "python"
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


def product_env(data_dir: str, **extra: str) -> dict[str, str]:
    """The embedded default (SQLite in DATA_DIR) with the bench settings and a quiet log."""
    env = {
        **os.environ,
        "DATA_DIR": data_dir,
        "DJANGO_SETTINGS_MODULE": "bench_settings",
        "PYTHONPATH": f"{REPO / 'bench'}:{BACKEND}",
        "TASK_RUNNER_IN_PROCESS": "false",
        "JWT_ACCESS_TOKEN_SECONDS": "3600",  # one token lasts the whole run
        "LOG_LEVEL": "WARNING",
        **extra,
    }
    env.pop("DATABASE_URL", None)  # the embedded default: SQLite in DATA_DIR
    return env


@contextmanager
def product_server(env: dict[str, str], log: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """Migrate, create the bench user, serve (uvicorn, one worker); yields the base URL and process."""
    run = {"cwd": BACKEND, "env": env, "check": True}
    subprocess.run([PYTHON, "manage.py", "migrate", "-v0"], **run)  # type: ignore[call-overload]
    subprocess.run([PYTHON, "-c", CREATE_USER], **run)  # type: ignore[call-overload]
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [PYTHON, "manage.py", "serve", "--port", str(port), "--workers", "1"],
        cwd=BACKEND,
        env={**env, "PORT": str(port)},
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    try:
        wait_ready(base, server, log)
        yield base, server
    finally:
        server.terminate()
        server.wait(timeout=20)


def sign_in(base: str) -> str:
    """The bench user's JWT access token, through the allauth app client."""
    login = httpx.post(f"{base}/_allauth/app/v1/auth/login", json={"email": EMAIL, "password": PASSWORD})
    token: str = login.json()["meta"]["access_token"]
    return token
