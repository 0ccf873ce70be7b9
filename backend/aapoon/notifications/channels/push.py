"""Web Push (RFC 8030/8291/8292) to each of the user's browsers, signed with the server's VAPID key."""

import json
import logging

import requests
from django.conf import settings
from pywebpush import WebPushException, webpush

from aapoon.notifications.channels import SENT, SKIPPED, DeliveryError
from aapoon.notifications.models import Notification, PushSubscription
from aapoon.notifications.vapid import vapid_signer

logger = logging.getLogger(__name__)
TTL_SECONDS = 24 * 3600  # the push service keeps it this long for a browser that is offline
TIMEOUT_SECONDS = 10
GONE = {404, 410}  # the subscription expired or the user revoked it


def send(notification: Notification) -> str:
    subscriptions = list(PushSubscription.objects.filter(user=notification.user))
    if not subscriptions:
        return SKIPPED
    payload = notification.payload
    data = json.dumps(
        {
            "title": payload["subject"],
            "body": payload["short"],
            "url": payload.get("url") or settings.SITE_URL,
            "tag": notification.dedupe_key,
        }
    )
    signer = vapid_signer()
    delivered, failures = 0, []
    for subscription in subscriptions:
        try:
            webpush(
                subscription_info={
                    "endpoint": subscription.endpoint,
                    "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
                },
                data=data,
                vapid_private_key=signer,
                # A new dict each time: webpush fills in `aud` from the first endpoint it sees.
                vapid_claims={"sub": settings.VAPID_SUBJECT},
                ttl=TTL_SECONDS,
                timeout=TIMEOUT_SECONDS,
            )
            delivered += 1
        except WebPushException as exc:
            status = exc.response.status_code if exc.response is not None else None
            if status in GONE:
                logger.info("push subscription %s is gone (%s): removed", subscription.pk, status)
                subscription.delete()
            else:
                failures.append(f"push service answered {status}")
        except requests.RequestException as exc:
            failures.append(f"push service unreachable ({type(exc).__name__})")
    # Sent to at least one browser: done (retrying would repeat it on those that got it).
    if delivered or not failures:
        return SENT if delivered else SKIPPED
    raise DeliveryError(failures[0])
