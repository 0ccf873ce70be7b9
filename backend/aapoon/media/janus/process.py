"""Run Janus as a child process from a generated configuration folder."""

import contextlib
import ctypes
import secrets
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from aapoon.media.janus.config import JanusSetup, write_janus_config

# What a usable node has loaded: start_janus waits for all of them.
REQUIRED_MODULES = ("janus.plugin.videoroom", "janus.transport.http", "janus.transport.websockets")
STOP_TIMEOUT_SECONDS = 10.0
LOG_TAIL_CHARS = 3000
FATAL_MARK = "[FATAL]"
_PR_SET_PDEATHSIG = 1


class JanusStartError(RuntimeError):
    """Janus exited or did not answer in time; the message ends with the tail of its log."""


@dataclass
class JanusProcess:
    """A running `janus -F <dir>` child."""

    api_url: str
    admin_url: str
    ws_url: str
    pid: int
    setup: JanusSetup
    log_path: Path
    _popen: subprocess.Popen[bytes] = field(repr=False)

    def running(self) -> bool:
        return self._popen.poll() is None

    def stop(self) -> None:
        """SIGTERM and wait (Janus tears its sessions down); SIGKILL if it hangs."""
        if not self.running():
            return
        self._popen.send_signal(signal.SIGTERM)
        try:
            self._popen.wait(timeout=STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            self.kill()

    def kill(self) -> None:
        """SIGKILL, as when a node dies (tests of node failure)."""
        if self.running():
            self._popen.kill()
        self._popen.wait()


def start_janus(
    setup: JanusSetup, *, log_path: Path | None = None, ready_timeout: float = 15
) -> JanusProcess:
    """Write the configuration, start Janus, and wait until its HTTP API answers `info` with
    VideoRoom, HTTP and WebSockets loaded.

    The child gets SIGTERM when the thread that started it ends (Linux parent-death signal), so an
    app killed outright leaves no Janus behind: call this from a thread that outlives the node.
    """
    binary = shutil.which("janus")
    if binary is None:
        raise JanusStartError("the janus binary is not installed (apt-get install janus)")
    directory = write_janus_config(setup)
    log_path = log_path or directory / "janus.log"
    # A name only this process answers with, so a stale Janus on the same port is not taken for it.
    server_name = f"aapoon-{directory.name}-{secrets.token_hex(4)}"
    command = [
        binary,
        f"--configs-folder={directory}",
        f"--config={directory / 'janus.jcfg'}",
        f"--server-name={server_name}",
        "--disable-colors",
    ]
    with log_path.open("ab") as log:
        popen = subprocess.Popen(  # noqa: S603 (fixed arguments, no shell)
            command,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=directory,
            # Its own process group (a terminal's Ctrl-C reaches us, and we stop it in order),
            # and it dies with us if we are killed.
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )
    host = "127.0.0.1" if setup.bind_address in ("0.0.0.0", "") else setup.bind_address  # noqa: S104
    process = JanusProcess(
        api_url=f"http://{host}:{setup.http_port}/janus",
        admin_url=f"http://{host}:{setup.admin_port}/admin",
        ws_url=f"ws://{host}:{setup.ws_port}/",
        pid=popen.pid,
        setup=setup,
        log_path=log_path,
        _popen=popen,
    )
    try:
        _wait_ready(process, server_name, ready_timeout)
    except BaseException:
        process.kill()
        raise
    return process


def _wait_ready(process: JanusProcess, server_name: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    last_problem = "no answer yet"
    with httpx.Client(timeout=1.0) as http:
        while True:
            if not process.running():
                raise JanusStartError(
                    f"janus exited with code {process._popen.returncode}: {_log_tail(process.log_path)}"
                )
            # Janus keeps running when a transport cannot bind its port: fail now, not at the timeout.
            if FATAL_MARK in _log_tail(process.log_path):
                raise JanusStartError(f"janus reported a fatal error: {_log_tail(process.log_path)}")
            info = _info(http, process.api_url)
            if info is not None:
                missing = _missing_modules(info)
                if info.get("server-name") != server_name:
                    last_problem = f"another server answers on {process.api_url}: {info.get('server-name')}"
                elif not missing:
                    return
                else:
                    last_problem = f"not loaded yet: {', '.join(missing)}"
            if time.monotonic() >= deadline:
                raise JanusStartError(
                    f"janus did not become ready in {timeout:g}s ({last_problem}): "
                    + _log_tail(process.log_path)
                )
            time.sleep(0.05)


def _info(http: httpx.Client, api_url: str) -> dict[str, Any] | None:
    try:
        answer = http.post(api_url, json={"janus": "info", "transaction": "ready"}).json()
    except (httpx.HTTPError, ValueError):
        return None
    return answer if isinstance(answer, dict) and answer.get("janus") == "server_info" else None


def _missing_modules(info: dict[str, Any]) -> list[str]:
    loaded = {**info.get("plugins", {}), **info.get("transports", {})}
    return [name for name in REQUIRED_MODULES if name not in loaded]


def _log_tail(path: Path) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return "(no log)"
    return text[-LOG_TAIL_CHARS:].strip() or "(empty log)"


def _die_with_parent() -> None:
    """Runs in the child before exec: Linux sends it SIGTERM when its parent dies."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
