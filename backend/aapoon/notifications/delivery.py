"""The outbox worker: claim due rows, send each, record each outcome as soon as it is known.

Several workers may run at once. A claim moves rows to SENDING with a lease (`claimed_until`)
in one short transaction; on PostgreSQL `SKIP LOCKED` lets workers claim disjoint rows without
waiting, on SQLite the write lock serializes claims. A row's outcome is committed right after
its send, so a worker that dies mid-batch loses nothing: once its lease runs out the rows it
had not finished are due again, and only the one in flight can be sent a second time (emails
carry a Message-ID derived from the row, so mail clients drop that copy). Before each send the
worker extends its lease on that row, and skips the row if the lease was lost: a worker that
stalled past its lease does not send what another worker has taken over.
"""

import datetime as dt
import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from aapoon.notifications.channels import SENT, DeliveryError, email, inapp, push, sms
from aapoon.notifications.models import Channel, Notification

logger = logging.getLogger(__name__)
Status = Notification.Status

# Waits after the 1st, 2nd, ... failed attempt; after the last one the row is given up (FAILED).
BACKOFF = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
    dt.timedelta(hours=12),
)
SENDERS: dict[str, Callable[[Notification], str]] = {
    Channel.EMAIL: email.send,
    Channel.SMS: sms.send,
    Channel.PUSH: push.send,
    Channel.INAPP: inapp.send,
}


def _due(now: dt.datetime) -> Q:
    return Q(status=Status.PENDING, next_attempt_at__lte=now) | Q(
        status=Status.SENDING, claimed_until__lte=now
    )


def _claim(*, limit: int) -> list[Notification]:
    now = timezone.now()
    lease = now + dt.timedelta(seconds=settings.NOTIFICATIONS_LEASE_SECONDS)
    with transaction.atomic():
        ids = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(_due(now))
            .order_by("next_attempt_at")
            .values_list("pk", flat=True)[:limit]
        )
        if not ids:
            return []
        # Counted when claimed: an attempt a dead worker never finished still counts.
        Notification.objects.filter(pk__in=ids).update(
            status=Status.SENDING, claimed_until=lease, attempts=F("attempts") + 1
        )
    return list(
        Notification.objects.filter(pk__in=ids, claimed_until=lease)
        .select_related("user")
        .order_by("next_attempt_at")
    )


def _still_ours(notification: Notification) -> bool:
    """Just before a send: extend the lease, if this worker still holds it.

    A worker that stalled past its lease (a slow SMTP server, a paused process) may have had
    its rows claimed by another worker meanwhile; it must not send those. One UPDATE both checks
    and extends, so the row cannot be taken over between the check and the send (short of the
    send itself outlasting a whole lease, which the mailer's timeout prevents).
    """
    lease = timezone.now() + dt.timedelta(seconds=settings.NOTIFICATIONS_LEASE_SECONDS)
    extended = Notification.objects.filter(
        pk=notification.pk, status=Status.SENDING, claimed_until=notification.claimed_until
    ).update(claimed_until=lease)
    if extended:
        notification.claimed_until = lease  # what _record checks the outcome against
    return bool(extended)


def _record(notification: Notification, **fields: object) -> bool:
    """Save the outcome unless the lease was lost meanwhile (another worker owns the row now)."""
    return bool(
        Notification.objects.filter(
            pk=notification.pk, status=Status.SENDING, claimed_until=notification.claimed_until
        ).update(claimed_until=None, **fields)
    )


def _reason(exc: Exception) -> str:
    """Short and without personal data: exception messages may hold addresses, so only the
    type and a numeric code (SMTP reply, provider error) are kept."""
    if isinstance(exc, DeliveryError):
        return exc.reason[:200]
    code = getattr(exc, "smtp_code", None) or getattr(exc, "code", None)
    return f"{type(exc).__name__} {code}" if isinstance(code, int) else type(exc).__name__


def _failed(notification: Notification, exc: Exception) -> None:
    reason = _reason(exc)
    if notification.attempts > len(BACKOFF):
        _record(notification, status=Status.FAILED, last_error=reason)
    else:
        retry_at = timezone.now() + BACKOFF[notification.attempts - 1]
        _record(notification, status=Status.PENDING, last_error=reason, next_attempt_at=retry_at)
    logger.warning(
        "notification %s (%s) attempt %s failed: %s",
        notification.pk,
        notification.channel,
        notification.attempts,
        reason,
    )


def _deliver(notification: Notification) -> None:
    if not _still_ours(notification):
        logger.info("notification %s: lease lost before sending, left to its new worker", notification.pk)
        return
    try:
        outcome = SENDERS[notification.channel](notification)
    except Exception as exc:  # any failure of one send is retried later, never lost
        _failed(notification, exc)
        return
    sent_at = timezone.now() if outcome == SENT else None
    if _record(notification, status=outcome, sent_at=sent_at, last_error="") and (
        outcome == SENT and notification.channel == Channel.INAPP
    ):
        transaction.on_commit(lambda: inapp.publish(notification))


def deliver_due(*, limit: int | None = None) -> int:
    """Claim up to `limit` due notifications and deliver them; returns how many were claimed."""
    batch = _claim(limit=limit or settings.NOTIFICATIONS_BATCH)
    with email.one_session():
        for notification in batch:
            _deliver(notification)
    return len(batch)


def deliver_until_idle(*, max_seconds: float) -> int:
    """Batch after batch until nothing is due (or time is up: the next periodic run goes on)."""
    deadline = time.monotonic() + max_seconds
    total = 0
    while time.monotonic() < deadline:
        claimed = deliver_due()
        total += claimed
        if claimed < settings.NOTIFICATIONS_BATCH:
            break
    return total
