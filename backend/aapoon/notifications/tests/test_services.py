"""notify(): outbox rows per recipient and channel, written in the caller's transaction, once per key."""

import pytest
from django.db import transaction

from aapoon.accounts.tests.factories import make_user
from aapoon.notifications import services
from aapoon.notifications.models import Notification
from aapoon.notifications.selectors import reminder_minutes_for
from aapoon.notifications.services import Event, Recipient, notify
from aapoon.notifications.tests.factories import PAYLOAD

pytestmark = pytest.mark.django_db


def _rows() -> list[tuple[str, str, str, str]]:
    return sorted(
        (str(n.user_id) if n.user_id else "", n.to_email, n.channel, n.status)
        for n in Notification.objects.all()
    )


def test_defaults_per_event_and_email_only_for_people_without_an_account(user):
    added = notify(
        event=Event.REMINDER,
        recipients=[Recipient(user_id=user.pk, email=user.email), Recipient(email=" Guest@Example.com ")],
        payload=PAYLOAD,
        dedupe_key="reminder:m1:20270104T090000Z",
    )
    assert added == 4
    assert _rows() == [
        ("", "guest@example.com", "email", "pending"),
        (str(user.pk), "", "email", "pending"),
        (str(user.pk), "", "inapp", "pending"),
        (str(user.pk), "", "push", "pending"),
    ]
    row = Notification.objects.get(to_email="guest@example.com")
    assert (row.event, row.payload, row.dedupe_key, row.attempts) == (
        "meeting_reminder",
        dict(PAYLOAD),
        "reminder:m1:20270104T090000Z",
        0,
    )


@pytest.mark.parametrize(
    ("event", "channels"),
    [
        (Event.INVITATION, ["email", "inapp"]),
        (Event.UPDATE, ["email", "inapp"]),
        (Event.CANCELLATION, ["email", "inapp"]),
        (Event.WAITING, ["inapp", "push"]),
        (Event.RSVP, ["email", "inapp"]),
    ],
)
def test_default_channels(user, event, channels):
    notify(event=event, recipients=[Recipient(user_id=user.pk)], payload=PAYLOAD, dedupe_key="k")
    assert sorted(Notification.objects.values_list("channel", flat=True)) == channels


def test_same_key_twice_adds_nothing(user):
    recipients = [Recipient(user_id=user.pk), Recipient(email="guest@example.com")]
    assert notify(event=Event.INVITATION, recipients=recipients, payload=PAYLOAD, dedupe_key="k") == 3
    assert notify(event=Event.INVITATION, recipients=recipients, payload=PAYLOAD, dedupe_key="k") == 0
    # A recipient named twice in one call still gets one row per channel.
    assert notify(event=Event.INVITATION, recipients=recipients * 2, payload=PAYLOAD, dedupe_key="k2") == 3
    assert Notification.objects.count() == 6


def test_preferences_decide_the_channels(user):
    phone_user = make_user(email="sms@example.com", phone="+919812345678", phone_verified=True)
    services.preferences_update(user=user, channels={Event.INVITATION: {"email": False}})
    services.preferences_update(user=phone_user, channels={Event.INVITATION: {"sms": True, "inapp": False}})
    notify(
        event=Event.INVITATION,
        recipients=[Recipient(user_id=user.pk), Recipient(user_id=phone_user.pk)],
        payload=PAYLOAD,
        dedupe_key="k",
    )
    assert _rows() == sorted(
        [
            (str(user.pk), "", "inapp", "pending"),
            (str(phone_user.pk), "", "email", "pending"),
            (str(phone_user.pk), "", "sms", "pending"),
        ]
    )


def test_rows_vanish_with_the_causing_transaction(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(RuntimeError), transaction.atomic():
        notify(
            event=Event.INVITATION,
            recipients=[Recipient(user_id=user.pk)],
            payload=PAYLOAD,
            dedupe_key="k",
        )
        raise RuntimeError("the meeting change failed")
    assert Notification.objects.count() == 0
    assert callbacks == []  # no delivery queued either


def test_delivery_is_queued_after_commit(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        notify(
            event=Event.INVITATION, recipients=[Recipient(user_id=user.pk)], payload=PAYLOAD, dedupe_key="k"
        )
    assert [c.__name__ for c in callbacks] == ["_schedule_delivery"]
    with django_capture_on_commit_callbacks() as callbacks:
        notify(
            event=Event.INVITATION, recipients=[Recipient(user_id=user.pk)], payload=PAYLOAD, dedupe_key="k"
        )
    assert callbacks == []  # nothing new, nothing to deliver


def test_programming_errors_are_refused(user):
    with pytest.raises(ValueError, match="unknown event"):
        notify(event="birthday", recipients=[Recipient(user_id=user.pk)], payload=PAYLOAD, dedupe_key="k")
    with pytest.raises(ValueError, match="payload lacks"):
        notify(
            event=Event.INVITATION,
            recipients=[Recipient(user_id=user.pk)],
            payload={"subject": "x"},  # type: ignore[typeddict-item]
            dedupe_key="k",
        )
    assert Notification.objects.count() == 0


def test_reminder_minutes_for_every_user(user, other_user):
    services.preferences_update(user=user, reminder_minutes=30)
    assert reminder_minutes_for(user_ids=[user.pk, other_user.pk]) == {user.pk: 30, other_user.pk: 10}
    assert reminder_minutes_for(user_ids=[]) == {}


def test_the_lookup_by_key_uses_an_index(user):
    """notify() reads existing rows by key alone; the partial unique indexes cannot serve that."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        notify(
            event=Event.INVITATION, recipients=[Recipient(user_id=user.pk)], payload=PAYLOAD, dedupe_key="k"
        )
    [lookup] = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("SELECT") and 'FROM "notifications_notification"' in q["sql"]
    ]
    assert "dedupe_key" in lookup
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # On a table this small the planner prefers a scan anyway: ask whether it could avoid one.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {lookup}")
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {lookup}")
        plan = " | ".join(str(row[-1]) for row in cursor.fetchall())
    assert "notification_dedupe" in plan, plan
    assert "SCAN notifications_notification" not in plan and "Seq Scan" not in plan, plan
