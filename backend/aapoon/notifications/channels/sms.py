"""SMS to the user's verified phone number only."""

from aapoon.notifications.channels import SENT, SKIPPED
from aapoon.notifications.models import Notification
from aapoon.notifications.sms import sms_deliver


def send(notification: Notification) -> str:
    user = notification.user
    if user is None or not user.is_active or not user.phone or not user.phone_verified:
        return SKIPPED
    payload = notification.payload
    sms_deliver(to=user.phone, body=" ".join(filter(None, [payload["short"], payload.get("url")])))
    return SENT
