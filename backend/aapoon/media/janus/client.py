"""A synchronous client for one Janus node: VideoRoom requests over the HTTP API, and the admin API.

One Janus session with one VideoRoom handle is kept and shared by every thread: a request is then
a single HTTP round trip. Janus drops a session after `session_timeout` seconds without requests;
the next call sees error 458 (or 459 for the handle), attaches again and retries once.

Every VideoRoom request carries the plugin's `admin_key` (the node's admin secret): with it set, a
participant's Janus token cannot create rooms or forward media anywhere.
"""

import contextlib
import secrets
import threading
import time
from typing import Any

import httpx

from aapoon.media.janus.errors import (
    HANDLE_NOT_FOUND,
    SESSION_NOT_FOUND,
    UNKNOWN_ERROR,
    JanusError,
    JanusUnreachable,
)
from aapoon.media.janus.tokens import janus_token

__all__ = ["VIDEOROOM_PLUGIN", "JanusClient", "JanusError", "JanusUnreachable"]

VIDEOROOM_PLUGIN = "janus.plugin.videoroom"
# The server's own token is renewed this long before it expires.
SERVER_TOKEN_TTL_SECONDS = 24 * 3600
SERVER_TOKEN_RENEW_BEFORE_SECONDS = 3600


class JanusClient:
    def __init__(
        self, *, api_url: str, admin_url: str, admin_secret: str, token_secret: str, timeout: float
    ) -> None:
        self.api_url = api_url.rstrip("/")
        self.admin_url = admin_url.rstrip("/")
        self._admin_secret = admin_secret
        self._token_secret = token_secret
        self._http = httpx.Client(timeout=timeout)
        # Guards the shared session/handle; requests themselves run unlocked, in parallel.
        self._lock = threading.Lock()
        self._attachment: tuple[int, int] | None = None
        self._token_lock = threading.Lock()
        self._token = ""
        self._token_renew_at = 0.0

    def videoroom(self, body: dict[str, Any]) -> dict[str, Any]:
        """Send one synchronous VideoRoom request and return the plugin's answer (plugindata.data)."""
        for attempt in range(2):
            session_id, handle_id = self._attached()
            try:
                answer = self._call(
                    f"{self.api_url}/{session_id}/{handle_id}",
                    {"janus": "message", "body": {**body, "admin_key": self._admin_secret}},
                )
            except JanusError as error:
                if attempt == 0 and error.code in (SESSION_NOT_FOUND, HANDLE_NOT_FOUND):
                    self._forget(session_id)
                    continue
                raise
            return _plugin_data(answer)
        raise AssertionError("unreachable: the loop returns or raises")

    def admin(self, body: dict[str, Any]) -> dict[str, Any]:
        """Send one admin API request (e.g. {"janus": "ping"}) and return the whole answer."""
        payload = {**body, "transaction": _transaction(), "admin_secret": self._admin_secret}
        return self._post(self.admin_url, payload)

    def close(self) -> None:
        """Destroy the shared session (best effort: Janus would time it out anyway) and the pool."""
        with self._lock:
            attachment, self._attachment = self._attachment, None
        if attachment is not None:
            with contextlib.suppress(JanusError):
                self._call(f"{self.api_url}/{attachment[0]}", {"janus": "destroy"})
        self._http.close()

    def _attached(self) -> tuple[int, int]:
        with self._lock:
            if self._attachment is None:
                session = self._call(self.api_url, {"janus": "create"})
                session_id = int(session["data"]["id"])
                handle = self._call(
                    f"{self.api_url}/{session_id}", {"janus": "attach", "plugin": VIDEOROOM_PLUGIN}
                )
                self._attachment = (session_id, int(handle["data"]["id"]))
            return self._attachment

    def _forget(self, session_id: int) -> None:
        with self._lock:
            # Another thread may already have attached again: keep its fresh session.
            if self._attachment is not None and self._attachment[0] == session_id:
                self._attachment = None

    def _call(self, url: str, body: dict[str, Any]) -> dict[str, Any]:
        """A Janus API request, with a transaction id and our token."""
        return self._post(url, {**body, "transaction": _transaction(), "token": self._server_token()})

    def _server_token(self) -> str:
        now = time.time()
        with self._token_lock:
            if now >= self._token_renew_at:
                self._token = janus_token(
                    secret=self._token_secret,
                    plugins=[VIDEOROOM_PLUGIN],
                    ttl_seconds=SERVER_TOKEN_TTL_SECONDS,
                    now=now,
                )
                self._token_renew_at = now + SERVER_TOKEN_TTL_SECONDS - SERVER_TOKEN_RENEW_BEFORE_SECONDS
            return self._token

    def _post(self, url: str, payload: dict[str, Any]) -> dict[str, Any]:
        try:
            response = self._http.post(url, json=payload)
            answer = response.json()
        except (httpx.HTTPError, httpx.InvalidURL) as error:
            # Transport failures, but also a broken answer (e.g. DecodingError) or a bad URL.
            raise JanusUnreachable(f"{type(error).__name__}: {error}") from error
        except RuntimeError as error:
            # httpx refuses requests once close() ran (e.g. clients closed at shutdown).
            raise JanusUnreachable(f"client closed: {error}") from error
        except ValueError as error:
            raise JanusUnreachable(f"not a Janus answer (HTTP {response.status_code})") from error
        if not isinstance(answer, dict):
            raise JanusUnreachable("not a Janus answer (JSON but not an object)")
        if answer.get("janus") == "error":
            error_info = answer.get("error") or {}
            raise JanusError(int(error_info.get("code", UNKNOWN_ERROR)), str(error_info.get("reason", "")))
        return answer


def _plugin_data(answer: dict[str, Any]) -> dict[str, Any]:
    if answer.get("janus") != "success" or "plugindata" not in answer:
        # "ack" means Janus queued it: only synchronous VideoRoom requests are supported here.
        raise JanusError(UNKNOWN_ERROR, f"no synchronous VideoRoom answer (got {answer.get('janus')!r})")
    data = answer["plugindata"].get("data") or {}
    if "error_code" in data or "error" in data:
        raise JanusError(int(data.get("error_code", UNKNOWN_ERROR)), str(data.get("error", "")))
    return dict(data)


def _transaction() -> str:
    return secrets.token_hex(8)
