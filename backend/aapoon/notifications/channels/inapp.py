"""In-app: the row itself is the notification; delivering it means showing it live."""

from typing import Any

from aapoon.notifications.channels import SENT
from aapoon.notifications.live import user_event_send
from aapoon.notifications.models import Notification
from aapoon.notifications.selectors import notification_unread_count


def inapp_item(notification: Notification) -> dict[str, Any]:
    """The shape of NotificationOut (the API's list and the live message use it alike)."""
    payload = notification.payload
    return {
        "id": str(notification.pk),
        "event": notification.event,
        "title": payload["subject"],
        "body": payload["short"],
        "url": payload.get("url", ""),
        "created_at": notification.created_at.isoformat(),
        "read_at": notification.read_at.isoformat() if notification.read_at else None,
    }


def send(notification: Notification) -> str:
    return SENT


def publish(notification: Notification) -> None:
    """To the user's open sockets, with the new unread count (call after the row is saved as sent)."""
    assert notification.user_id is not None
    user_event_send(
        user_id=notification.user_id,
        payload={
            "type": "notification",
            "notification": inapp_item(notification),
            "unread": notification_unread_count(user_id=notification.user_id),
        },
    )
