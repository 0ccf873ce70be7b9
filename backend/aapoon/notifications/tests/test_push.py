"""Web push to a local push service that checks the VAPID signature and decrypts the payload."""

import base64
import json
import os
import threading
import time
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import http_ece
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from aapoon.notifications.delivery import deliver_due
from aapoon.notifications.models import Notification, PushSubscription, VapidKey
from aapoon.notifications.services import push_subscription_save
from aapoon.notifications.tests.factories import PAYLOAD, make_notification
from aapoon.notifications.vapid import vapid_public_key

pytestmark = pytest.mark.django_db


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Browser:
    """The keys a browser makes when it subscribes."""

    def __init__(self) -> None:
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.p256dh = b64(
            self.private_key.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
        )
        self.auth_secret = os.urandom(16)
        self.auth = b64(self.auth_secret)


class PushService:
    """Accepts a push only with a valid VAPID token (RFC 8292); keeps what it decrypted."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.browsers: dict[str, Browser] = {}
        self.errors: list[str] = []
        self.answer: dict[str, int] = {}  # path -> status, e.g. 410 for an expired subscription
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                status = service.answer.get(self.path, 201)
                if status == 201:
                    try:
                        service.accept(self.path, self.headers, body)
                    except Exception as exc:  # a bad signature or payload: refused, and the test fails
                        service.errors.append(repr(exc))
                        status = 400
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_port}"

    def accept(self, path: str, headers: Message, body: bytes) -> None:
        scheme, params = headers["Authorization"].split(" ", 1)
        assert scheme == "vapid"
        fields = dict(part.split("=", 1) for part in params.split(","))
        server_key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64(fields["k"]))
        # Signature (ES256 with the key in the header), audience and expiry: pyjwt checks all three.
        claims = jwt.decode(fields["t"], key=server_key, algorithms=["ES256"], audience=self.origin)
        assert time.time() < claims["exp"] <= time.time() + 24 * 3600
        browser = self.browsers[path]
        assert headers["Content-Encoding"] == "aes128gcm"
        plain = http_ece.decrypt(
            body, private_key=browser.private_key, auth_secret=browser.auth_secret, version="aes128gcm"
        )
        self.received.append(
            {"path": path, "k": fields["k"], "sub": claims["sub"], "data": json.loads(plain)}
        )

    def subscribe(self, user, path: str) -> PushSubscription:
        browser = self.browsers[path] = Browser()
        return push_subscription_save(
            user=user, endpoint=self.origin + path, p256dh=browser.p256dh, auth=browser.auth
        )


@pytest.fixture
def push_service(settings):
    settings.WEBPUSH_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.WEBPUSH_ALLOW_HTTP = True
    settings.VAPID_SUBJECT = "mailto:ops@example.com"
    service = PushService()
    thread = threading.Thread(target=service.server.serve_forever, daemon=True)
    thread.start()
    yield service
    assert service.errors == []
    service.server.shutdown()
    service.server.server_close()


def test_push_is_signed_and_encrypted_for_each_browser(push_service, user):
    push_service.subscribe(user, "/push/laptop")
    push_service.subscribe(user, "/push/phone")
    row = make_notification(user=user, channel="push", event="meeting_reminder", dedupe_key="reminder:m1:x")

    assert deliver_due() == 1

    row.refresh_from_db()
    assert (row.status, row.attempts) == (Notification.Status.SENT, 1)
    expected = {
        "title": PAYLOAD["subject"],
        "body": PAYLOAD["short"],
        "url": PAYLOAD["url"],
        "tag": "reminder:m1:x",
    }
    assert sorted((r["path"], r["sub"], r["data"] == expected) for r in push_service.received) == [
        ("/push/laptop", "mailto:ops@example.com", True),
        ("/push/phone", "mailto:ops@example.com", True),
    ]
    assert {r["k"] for r in push_service.received} == {vapid_public_key()}


def test_an_expired_subscription_is_removed(push_service, user):
    push_service.subscribe(user, "/push/gone")
    push_service.subscribe(user, "/push/alive")
    push_service.answer["/push/gone"] = 410
    make_notification(user=user, channel="push")
    deliver_due()
    assert list(PushSubscription.objects.values_list("endpoint", flat=True)) == [
        push_service.origin + "/push/alive"
    ]
    assert [r["path"] for r in push_service.received] == ["/push/alive"]
    assert Notification.objects.get().status == Notification.Status.SENT


def test_no_subscription_is_skipped_and_a_failing_service_is_retried(push_service, user, other_user):
    make_notification(user=other_user, channel="push", dedupe_key="a")
    push_service.subscribe(user, "/push/busy")
    push_service.answer["/push/busy"] = 503
    make_notification(user=user, channel="push", dedupe_key="b")
    deliver_due()
    assert dict(Notification.objects.values_list("dedupe_key", "status")) == {"a": "skipped", "b": "pending"}
    row = Notification.objects.get(dedupe_key="b")
    assert (row.attempts, row.last_error) == (1, "push service answered 503")
    assert PushSubscription.objects.count() == 1


def test_the_key_pair_is_made_once_and_the_private_key_is_not_stored_in_the_clear(user):
    first = vapid_public_key()
    assert vapid_public_key() == first
    stored = VapidKey.objects.get()
    assert stored.public_key == first
    assert len(unb64(first)) == 65
    assert "BEGIN" not in stored.private_key_encrypted and len(stored.private_key_encrypted) > 43
