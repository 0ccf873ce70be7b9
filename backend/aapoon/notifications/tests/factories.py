from typing import Any

from aapoon.notifications.models import Notification
from aapoon.notifications.services import NotificationPayload

PAYLOAD: NotificationPayload = {
    "subject": "Invitation: Weekly stand-up",
    "text": "Asha invited you to Weekly stand-up.\nJoin: https://meet.example.com/m/abc-defg-hij",
    "short": "Asha invited you to Weekly stand-up",
    "url": "https://meet.example.com/m/abc-defg-hij",
}


def make_notification(**fields: Any) -> Notification:
    values: dict[str, Any] = {
        "event": "invitation",
        "channel": "email",
        "payload": dict(PAYLOAD),
        "dedupe_key": "test",
        **fields,
    }
    return Notification.objects.create(**values)
