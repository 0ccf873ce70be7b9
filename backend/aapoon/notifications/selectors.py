import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet

from aapoon.core.errors import NotFound
from aapoon.notifications.models import (
    Channel,
    DevMailboxMessage,
    Event,
    Notification,
    NotificationPreference,
)

DEFAULT_REMINDER_MINUTES = 10
# SMS is off everywhere until the user turns it on (it needs a verified phone).
DEFAULT_CHANNELS: dict[str, frozenset[str]] = {
    Event.INVITATION: frozenset({Channel.EMAIL, Channel.INAPP}),
    Event.UPDATE: frozenset({Channel.EMAIL, Channel.INAPP}),
    Event.CANCELLATION: frozenset({Channel.EMAIL, Channel.INAPP}),
    Event.REMINDER: frozenset({Channel.EMAIL, Channel.PUSH, Channel.INAPP}),
    Event.WAITING: frozenset({Channel.PUSH, Channel.INAPP}),
    Event.RSVP: frozenset({Channel.INAPP, Channel.EMAIL}),
}


@dataclass(frozen=True)
class Preferences:
    reminder_minutes: int
    # event -> channel -> on, for every event and channel
    channels: dict[str, dict[str, bool]]


def _channels(overrides: dict[str, dict[str, bool]], event: str) -> dict[str, bool]:
    chosen = overrides.get(event, {})
    return {ch: chosen.get(ch, ch in DEFAULT_CHANNELS[event]) for ch in Channel.values}


def dev_mailbox_list(*, limit: int) -> list[DevMailboxMessage]:
    return list(DevMailboxMessage.objects.order_by("-sent_at", "-id")[:limit])


def _stored(user_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, NotificationPreference]:
    return {p.user_id: p for p in NotificationPreference.objects.filter(user_id__in=set(user_ids))}


def preferences_get(*, user_id: uuid.UUID) -> Preferences:
    stored = _stored([user_id]).get(user_id)
    overrides = stored.channels if stored else {}
    return Preferences(
        reminder_minutes=stored.reminder_minutes if stored else DEFAULT_REMINDER_MINUTES,
        channels={event: _channels(overrides, event) for event in Event.values},
    )


def enabled_channels_for(*, user_ids: Iterable[uuid.UUID], event: str) -> dict[uuid.UUID, list[str]]:
    """The channels each user gets `event` on (one query for all of them)."""
    ids = set(user_ids)
    stored = _stored(ids)
    result = {}
    for user_id in ids:
        overrides = stored[user_id].channels if user_id in stored else {}
        result[user_id] = [ch for ch, on in _channels(overrides, event).items() if on]
    return result


def reminder_minutes_for(*, user_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, int]:
    """Minutes before a meeting each user wants a reminder (0: none); every id is in the answer."""
    ids = set(user_ids)
    stored = dict(
        NotificationPreference.objects.filter(user_id__in=ids).values_list("user_id", "reminder_minutes")
    )
    return {user_id: stored.get(user_id, DEFAULT_REMINDER_MINUTES) for user_id in ids}


def _inbox(user_id: uuid.UUID) -> QuerySet[Notification]:
    return Notification.objects.filter(
        user_id=user_id, channel=Channel.INAPP, status=Notification.Status.SENT
    )


def notification_inbox(*, user_id: uuid.UUID) -> QuerySet[Notification]:
    """The user's in-app notifications that were delivered, newest first."""
    return _inbox(user_id).order_by("-created_at", "-id")


def notification_unread_count(*, user_id: uuid.UUID) -> int:
    return _inbox(user_id).filter(read_at__isnull=True).count()


def notification_get_own(*, user_id: uuid.UUID, notification_id: uuid.UUID) -> Notification:
    notification = _inbox(user_id).filter(pk=notification_id).first()
    if notification is None:
        raise NotFound("No such notification.")
    return notification
