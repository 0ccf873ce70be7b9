"""Notifications: write outbox rows inside the causing transaction; preferences; push subscriptions."""

import base64
import binascii
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, TypedDict
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from aapoon.accounts.models import User
from aapoon.core.errors import InvalidInput
from aapoon.notifications import selectors
from aapoon.notifications.models import (
    Channel,
    EmailOptOut,
    Event,
    Notification,
    NotificationPreference,
    PushSubscription,
)
from aapoon.notifications.tokens import InvalidUnsubscribeLink, email_digest, unsubscribe_link_read

REMINDER_MINUTES_MAX = 1440


class _PayloadRequired(TypedDict):
    subject: str  # email subject, push title, in-app title
    text: str  # the email's plain-text body
    short: str  # one line for push, SMS and in-app


class NotificationPayload(_PayloadRequired, total=False):
    url: str  # absolute link to open
    ics: str  # iCalendar text, attached as invite.ics
    ics_method: Literal["REQUEST", "CANCEL"]
    meeting_code: str


@dataclass(frozen=True)
class Recipient:
    """A user, or only an email address (someone without an account: email only)."""

    user_id: uuid.UUID | None = None
    email: str = ""


def _schedule_delivery() -> None:
    from aapoon.notifications.tasks import notifications_deliver  # the task module imports delivery

    notifications_deliver.enqueue()


def notify(
    *, event: str, recipients: Iterable[Recipient], payload: NotificationPayload, dedupe_key: str
) -> int:
    """Write one outbox row per recipient and enabled channel; returns the rows added.

    Call inside the transaction of the event that causes it: the rows commit (or vanish) with
    it, and delivery is queued after commit. Rows are unique on (dedupe_key, channel,
    recipient), so calling again with the same key adds nothing.
    """
    if event not in Event.values:
        raise ValueError(f"unknown event {event!r}")
    missing = {"subject", "text", "short"} - set(payload)
    if missing:
        raise ValueError(f"payload lacks {sorted(missing)}")
    people = list(recipients)
    channels = selectors.enabled_channels_for(
        user_ids=[r.user_id for r in people if r.user_id is not None], event=event
    )
    guests = {p.email.strip().lower() for p in people if p.user_id is None and p.email.strip()}
    opted_out = _opted_out(emails=guests, event=event)
    wanted: dict[tuple[uuid.UUID | None, str, str], Notification] = {}
    for person in people:
        if person.user_id is not None:
            for channel in channels[person.user_id]:
                wanted[(person.user_id, "", channel)] = Notification(user_id=person.user_id, channel=channel)
        elif person.email.strip():
            email = person.email.strip().lower()
            if email not in opted_out:
                wanted[(None, email, Channel.EMAIL)] = Notification(to_email=email, channel=Channel.EMAIL)
    existing = set(
        Notification.objects.filter(dedupe_key=dedupe_key).values_list("user_id", "to_email", "channel")
    )
    rows = [row for key, row in wanted.items() if key not in existing]
    for row in rows:
        row.event, row.payload, row.dedupe_key = event, dict(payload), dedupe_key
    # A concurrent transaction with the same key: the unique constraints keep one of each.
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    if rows:
        transaction.on_commit(_schedule_delivery)
    return len(rows)


def _opted_out(*, emails: set[str], event: str) -> set[str]:
    """The addresses (of people without an account) that turned `event` email off."""
    if not emails:
        return set()
    digests = {email_digest(email): email for email in emails}
    stored = EmailOptOut.objects.filter(event=event, email_hash__in=digests).values_list(
        "email_hash", flat=True
    )
    return {digests[digest] for digest in stored}


# ---- preferences ------------------------------------------------------------------------


def preferences_update(
    *,
    user: User,
    reminder_minutes: int | None = None,
    channels: dict[str, dict[str, bool]] | None = None,
) -> selectors.Preferences:
    """Change the reminder lead time and/or channels (only the events and channels given)."""
    if reminder_minutes is not None and not 0 <= reminder_minutes <= REMINDER_MINUTES_MAX:
        raise InvalidInput(
            f"Reminders are 0 to {REMINDER_MINUTES_MAX} minutes before.", field="reminder_minutes"
        )
    for event, choice in (channels or {}).items():
        if event not in Event.values:
            raise InvalidInput(f"Unknown event “{event}”.", field="events")
        if set(choice) - set(Channel.values):
            raise InvalidInput("Channels are email, sms, push and inapp.", field="events")
        if choice.get(Channel.SMS) and not (user.phone and user.phone_verified):
            raise InvalidInput("Add and verify a phone number to get SMS.", field="events")
    with transaction.atomic():
        stored, _ = NotificationPreference.objects.select_for_update().get_or_create(user=user)
        if reminder_minutes is not None:
            stored.reminder_minutes = reminder_minutes
        for event, choice in (channels or {}).items():
            stored.channels[event] = {**stored.channels.get(event, {}), **choice}
        stored.save()
    return selectors.preferences_get(user_id=user.pk)


def unsubscribe(*, token: str) -> str:
    """Turn off email for the event the link names, for a user or for an address without an
    account; returns the event. Bad links change nothing."""
    link = unsubscribe_link_read(token)
    if link.user_id is None:
        EmailOptOut.objects.get_or_create(email_hash=link.email_hash, event=link.event)
        return link.event
    user = User.objects.filter(pk=link.user_id).first()
    if user is None:
        raise InvalidUnsubscribeLink()
    preferences_update(user=user, channels={link.event: {Channel.EMAIL: False}})
    return link.event


# ---- the in-app list ----------------------------------------------------------------------


def notification_mark_read(*, user: User, notification_id: uuid.UUID) -> Notification:
    notification = selectors.notification_get_own(user_id=user.pk, notification_id=notification_id)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at", "updated_at"])
    return notification


def notifications_mark_all_read(*, user: User) -> int:
    return (
        selectors.notification_inbox(user_id=user.pk)
        .filter(read_at__isnull=True)
        .update(read_at=timezone.now(), updated_at=timezone.now())
    )


# ---- web push subscriptions -------------------------------------------------------------


def _allowed_endpoint(endpoint: str) -> bool:
    parts = urlsplit(endpoint)
    host = (parts.hostname or "").lower()
    scheme_ok = parts.scheme == "https" or (parts.scheme == "http" and settings.WEBPUSH_ALLOW_HTTP)
    return scheme_ok and any(
        host == allowed or (allowed.startswith(".") and host.endswith(allowed))
        for allowed in settings.WEBPUSH_ALLOWED_HOSTS
    )


def _key_bytes(value: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        return b""


def push_subscription_save(*, user: User, endpoint: str, p256dh: str, auth: str) -> PushSubscription:
    """Keep a browser's subscription. An endpoint belongs to one browser, so it moves to
    whoever signed in there last."""
    if not _allowed_endpoint(endpoint):
        raise InvalidInput("This is not a push service this server sends to.", field="endpoint")
    raw_key = _key_bytes(p256dh)
    if len(raw_key) != 65 or raw_key[0] != 4:
        raise InvalidInput("p256dh is not a P-256 public key.", field="p256dh")
    if len(_key_bytes(auth)) != 16:
        raise InvalidInput("auth is not a 16-byte secret.", field="auth")
    subscription, _ = PushSubscription.objects.update_or_create(
        endpoint=endpoint, defaults={"user": user, "p256dh": p256dh, "auth": auth}
    )
    return subscription


def push_subscription_delete(*, user: User, endpoint: str) -> None:
    """Forget the caller's subscription (nothing happens to anyone else's)."""
    PushSubscription.objects.filter(user=user, endpoint=endpoint).delete()
