"""Helpers shared by the test_auth_* / test_jwt / test_social / test_mfa files (no tests here).

Two allauth headless clients are exercised:
- ``app``: JSON to /_allauth/app/v1/, the session travels in ``X-Session-Token``, JWTs in ``meta``;
- ``browser``: JSON to /_allauth/browser/v1/, the session cookie plus the CSRF token.
"""

import json
import re
from typing import Any

from django.http import HttpResponse
from django.test import Client

from aapoon.notifications.models import DevMailboxMessage

APP = "/_allauth/app/v1"
BROWSER = "/_allauth/browser/v1"
ME = "/api/v1/me"

# allauth's default user code: 8 characters from BCDFGHJKLMNPQRSTVWXZ, dashed in the middle.
_CODE = re.compile(r"\b([BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4})\b")


def messages_to(to: str, channel: str = DevMailboxMessage.Channel.EMAIL) -> list[DevMailboxMessage]:
    return list(DevMailboxMessage.objects.filter(to=to, channel=channel).order_by("id"))


def codes_in(message: DevMailboxMessage) -> list[str]:
    return _CODE.findall(message.body)


def code_from(message: DevMailboxMessage) -> str:
    found = codes_in(message)
    assert len(found) == 1, f"expected exactly one code in {message.body!r}"
    return found[0]


def last_code(to: str, channel: str = DevMailboxMessage.Channel.EMAIL) -> str:
    messages = messages_to(to, channel)
    assert messages, f"nothing was sent to {to} by {channel}"
    return code_from(messages[-1])


def flow_ids(body: dict[str, Any]) -> set[str]:
    return {flow["id"] for flow in body["data"]["flows"]}


def pending_flow(body: dict[str, Any]) -> str | None:
    pending = [flow["id"] for flow in body["data"].get("flows", []) if flow.get("is_pending")]
    assert len(pending) <= 1
    return pending[0] if pending else None


class AppClient:
    """The mobile/desktop app client: no cookies, X-Session-Token between steps, JWT at the end."""

    def __init__(self) -> None:
        self.client = Client()
        self.session_token: str | None = None
        self.access_token: str | None = None
        self.refresh_token: str | None = None

    def _headers(self, extra: dict[str, str] | None) -> dict[str, str]:
        headers = {}
        if self.session_token:
            headers["X-Session-Token"] = self.session_token
        headers.update(extra or {})
        return headers

    def _remember(self, response: HttpResponse) -> HttpResponse:
        # The app client never relies on cookies.
        self.client.cookies.clear()
        if response.get("Content-Type", "").startswith("application/json"):
            meta = response.json().get("meta", {})
            if "session_token" in meta:
                self.session_token = meta["session_token"]
            if "access_token" in meta:
                self.access_token = meta["access_token"]
                self.refresh_token = meta.get("refresh_token")
        return response

    def request(
        self, method: str, path: str, data: Any = None, headers: dict[str, str] | None = None
    ) -> HttpResponse:
        kwargs: dict[str, Any] = {"headers": self._headers(headers)}
        if data is not None:
            kwargs.update(data=json.dumps(data), content_type="application/json")
        response = getattr(self.client, method)(f"{APP}{path}", **kwargs)
        return self._remember(response)

    def get(self, path: str, **kw: Any) -> HttpResponse:
        return self.request("get", path, **kw)

    def post(self, path: str, data: Any = None, **kw: Any) -> HttpResponse:
        return self.request("post", path, data, **kw)

    def delete(self, path: str, data: Any = None, **kw: Any) -> HttpResponse:
        return self.request("delete", path, data, **kw)

    def put(self, path: str, data: Any = None, **kw: Any) -> HttpResponse:
        return self.request("put", path, data, **kw)

    def me(self, access_token: str | None = None) -> HttpResponse:
        token = access_token or self.access_token
        return Client().get(ME, headers={"Authorization": f"Bearer {token}"})


class BrowserClient:
    """The same-origin web app: session cookie, CSRF enforced exactly as in production."""

    def __init__(self) -> None:
        self.client = Client(enforce_csrf_checks=True)

    def csrf(self) -> str:
        if "csrftoken" not in self.client.cookies:
            self.client.get(f"{BROWSER}/config")
        return self.client.cookies["csrftoken"].value

    def request(self, method: str, path: str, data: Any = None, csrf: bool = True) -> HttpResponse:
        kwargs: dict[str, Any] = {}
        if method != "get" and csrf:
            kwargs["headers"] = {"X-CSRFToken": self.csrf()}
        if data is not None:
            kwargs.update(data=json.dumps(data), content_type="application/json")
        url = path if path.startswith("/api/") else f"{BROWSER}{path}"
        return getattr(self.client, method)(url, **kwargs)

    def get(self, path: str) -> HttpResponse:
        return self.request("get", path)

    def post(self, path: str, data: Any = None, csrf: bool = True) -> HttpResponse:
        return self.request("post", path, data, csrf=csrf)

    def delete(self, path: str) -> HttpResponse:
        return self.request("delete", path)

    def patch(self, path: str, data: Any = None) -> HttpResponse:
        return self.request("patch", path, data)

    def put(self, path: str, data: Any = None) -> HttpResponse:
        return self.request("put", path, data)
