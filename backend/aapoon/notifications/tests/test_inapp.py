"""In-app: a delivered notification reaches the user's open /ws/me/ socket, with the unread count."""

import pytest
from asgiref.sync import sync_to_async
from channels.routing import get_default_application
from channels.testing import WebsocketCommunicator
from django.test import Client

from aapoon.notifications.delivery import deliver_due
from aapoon.notifications.models import Notification
from aapoon.notifications.services import Event, Recipient, notify
from aapoon.notifications.tests.factories import PAYLOAD

pytestmark = pytest.mark.django_db(transaction=True)


def _cookie(user) -> bytes:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}".encode()


async def _socket(user) -> WebsocketCommunicator:
    cookie = await sync_to_async(_cookie)(user)
    communicator = WebsocketCommunicator(
        get_default_application(),
        "/ws/me/",
        headers=[(b"origin", b"http://localhost:8000"), (b"cookie", cookie)],
    )
    connected, _ = await communicator.connect(timeout=3)
    assert connected
    assert (await communicator.receive_json_from(timeout=3))["type"] == "hello"
    return communicator


def _notify_and_deliver(user_id, key: str) -> None:
    notify(event=Event.WAITING, recipients=[Recipient(user_id=user_id)], payload=PAYLOAD, dedupe_key=key)
    deliver_due()


async def test_delivered_notification_is_pushed_live(user, other_user):
    mine, theirs = await _socket(user), await _socket(other_user)

    await sync_to_async(_notify_and_deliver)(user.pk, "waiting:1")

    message = await mine.receive_json_from(timeout=3)
    row = await Notification.objects.aget(channel="inapp")
    assert message == {
        "type": "notification",
        "notification": {
            "id": str(row.pk),
            "event": "waiting_room",
            "title": PAYLOAD["subject"],
            "body": PAYLOAD["short"],
            "url": PAYLOAD["url"],
            "created_at": row.created_at.isoformat(),
            "read_at": None,
        },
        "unread": 1,
    }
    await sync_to_async(_notify_and_deliver)(user.pk, "waiting:2")
    assert (await mine.receive_json_from(timeout=3))["unread"] == 2
    assert await theirs.receive_nothing(timeout=0.3)
    await mine.disconnect()
    await theirs.disconnect()
