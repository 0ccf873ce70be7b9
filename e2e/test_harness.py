"""The harness itself: the namespace, the server process, the dev mailbox and Chromium."""

import os
import socket

from playwright.sync_api import Page, expect
from support import Server, extract_code


def test_runs_inside_the_private_network_namespace() -> None:
    assert os.environ.get("E2E_NETNS") == "1" or os.environ.get("E2E_ALLOW_HOST_NETWORK") == "1"
    if os.environ.get("E2E_NETNS") == "1":
        names = {name for _, name in socket.if_nameindex()}
        assert {"lo", "veth0", "veth1"} <= names, names


def test_server_health_and_dev_mailbox(server: Server) -> None:
    with server.http() as client:
        assert client.get("/healthz").json() == {"status": "ok"}
        ready = client.get("/readyz")
        assert ready.status_code == 200, ready.text
        mailbox = client.get("/dev/mailbox", params={"format": "json"})
        assert mailbox.status_code == 200
        assert isinstance(mailbox.json(), list)


def test_code_extraction() -> None:
    body = (
        "Hello from 127.0.0.1:8000!\n\nYour email verification code is listed below.\n\nFTFC-VPMK\n\nThanks"
    )
    assert extract_code(body) == "FTFC-VPMK"
    assert extract_code("Your code: AB12-CD34.") == "AB12-CD34"
    assert extract_code("no code at 127.0.0.1:8000") is None


def test_chromium_renders_the_admin_login_page(page: Page) -> None:
    page.goto("/admin/login/")
    expect(page.get_by_role("button", name="Log in")).to_be_visible()
    expect(page.get_by_label("Password")).to_be_visible()
