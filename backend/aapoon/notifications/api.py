import uuid
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import LimitOffsetPagination, paginate

from aapoon.accounts.models import User
from aapoon.core.errors import InvalidInput
from aapoon.notifications import selectors, services
from aapoon.notifications.channels.inapp import inapp_item
from aapoon.notifications.models import Event, Notification
from aapoon.notifications.schemas import (
    CountOut,
    NotificationOut,
    PreferencesIn,
    PreferencesOut,
    PushEndpointIn,
    PushKeyOut,
    PushSubscriptionIn,
    UnsubscribeOut,
)
from aapoon.notifications.tokens import unsubscribe_link_read
from aapoon.notifications.vapid import vapid_public_key

router = Router(tags=["notifications"])


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # guaranteed by the API's auth
    return user


def _preferences_out(preferences: selectors.Preferences) -> PreferencesOut:
    return PreferencesOut.model_validate(
        {
            "reminder_minutes": preferences.reminder_minutes,
            "events": [
                {"event": event, "label": Event(event).label, "channels": channels}
                for event, channels in preferences.channels.items()
            ],
        }
    )


class _InboxPagination(LimitOffsetPagination):
    """Rows become NotificationOut through the same shape the live message uses."""

    def paginate_queryset(
        self,
        queryset: QuerySet[Notification],
        pagination: LimitOffsetPagination.Input,
        request: HttpRequest,
        **params: Any,
    ) -> dict[str, Any]:
        page: dict[str, Any] = super().paginate_queryset(queryset, pagination, request, **params)
        page["items"] = [inapp_item(n) for n in page["items"]]
        return page


@router.get("/notifications", response=list[NotificationOut], operation_id="notifications_list")
@paginate(_InboxPagination)
def notifications_list(request: HttpRequest) -> QuerySet[Notification]:
    return selectors.notification_inbox(user_id=_user(request).pk)


@router.get("/notifications/unread-count", response=CountOut, operation_id="notifications_unread_count")
def notifications_unread_count(request: HttpRequest) -> CountOut:
    return CountOut(count=selectors.notification_unread_count(user_id=_user(request).pk))


@router.post("/notifications/read-all", response=CountOut, operation_id="notifications_read_all")
def notifications_read_all(request: HttpRequest) -> CountOut:
    """Marks every unread notification read; `count` is how many were marked."""
    return CountOut(count=services.notifications_mark_all_read(user=_user(request)))


@router.get("/notifications/preferences", response=PreferencesOut, operation_id="notification_preferences")
def notification_preferences(request: HttpRequest) -> PreferencesOut:
    return _preferences_out(selectors.preferences_get(user_id=_user(request).pk))


@router.put(
    "/notifications/preferences", response=PreferencesOut, operation_id="notification_preferences_update"
)
def notification_preferences_update(request: HttpRequest, payload: PreferencesIn) -> PreferencesOut:
    events = [item.event for item in payload.events]
    if len(set(events)) != len(events):
        raise InvalidInput("Each event may appear once.", field="events")
    preferences = services.preferences_update(
        user=_user(request),
        reminder_minutes=payload.reminder_minutes,
        channels={item.event: item.channels.dict() for item in payload.events},
    )
    return _preferences_out(preferences)


@router.get("/notifications/push/key", response=PushKeyOut, operation_id="push_key")
def push_key(request: HttpRequest) -> PushKeyOut:
    return PushKeyOut(public_key=vapid_public_key())


@router.post(
    "/notifications/push/subscriptions", response={204: None}, operation_id="push_subscription_create"
)
def push_subscription_create(request: HttpRequest, payload: PushSubscriptionIn) -> Status[None]:
    services.push_subscription_save(
        user=_user(request), endpoint=payload.endpoint, p256dh=payload.keys.p256dh, auth=payload.keys.auth
    )
    return Status(204, None)


@router.post(
    "/notifications/push/subscriptions/delete", response={204: None}, operation_id="push_subscription_delete"
)
def push_subscription_delete(request: HttpRequest, payload: PushEndpointIn) -> Status[None]:
    services.push_subscription_delete(user=_user(request), endpoint=payload.endpoint)
    return Status(204, None)


@router.get(
    "/notifications/unsubscribe/{token}", response=UnsubscribeOut, auth=None, operation_id="unsubscribe_get"
)
def unsubscribe_get(request: HttpRequest, token: str) -> UnsubscribeOut:
    event = unsubscribe_link_read(token).event
    return UnsubscribeOut(event=event, label=Event(event).label)


@router.post(
    "/notifications/unsubscribe/{token}", response=UnsubscribeOut, auth=None, operation_id="unsubscribe"
)
def unsubscribe(request: HttpRequest, token: str) -> UnsubscribeOut:
    event = services.unsubscribe(token=token)
    return UnsubscribeOut(event=event, label=Event(event).label)


@router.post(
    "/notifications/{notification_id}/read", response=NotificationOut, operation_id="notification_read"
)
def notification_read(request: HttpRequest, notification_id: uuid.UUID) -> NotificationOut:
    notification = services.notification_mark_read(user=_user(request), notification_id=notification_id)
    return NotificationOut.model_validate(inapp_item(notification))
