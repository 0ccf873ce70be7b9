"""How each channel sends one notification.

A sender returns SENT or SKIPPED (nowhere to send it) and raises when sending failed, so the
worker retries it later. Exceptions it raises itself carry a short reason without personal data.
"""

from aapoon.notifications.models import Notification

SENT = Notification.Status.SENT
SKIPPED = Notification.Status.SKIPPED


class DeliveryError(Exception):
    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)
