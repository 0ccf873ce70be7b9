"""The outbox worker against a real SMTP server: content, retries, racing workers, restarts."""

import datetime as dt
import threading

import pytest
import time_machine
from django.core.mail.backends.smtp import EmailBackend
from django.db import connection
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from aapoon.accounts.tests.factories import make_user
from aapoon.notifications import delivery
from aapoon.notifications.channels.email import message_id
from aapoon.notifications.delivery import deliver_due
from aapoon.notifications.models import DevMailboxMessage, EmailOptOut, Notification, NotificationPreference
from aapoon.notifications.services import Event, Recipient, notify
from aapoon.notifications.tests.factories import PAYLOAD, make_notification
from aapoon.notifications.tests.smtp import free_port, smtp_mailer

Status = Notification.Status
ICS = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//aapoon//meet//EN\r\nMETHOD:REQUEST\r\n"
    "BEGIN:VEVENT\r\nUID:42@meet.example.com\r\nSEQUENCE:0\r\nDTSTAMP:20270101T000000Z\r\n"
    "DTSTART:20270104T090000Z\r\nDTEND:20270104T093000Z\r\nSUMMARY:Weekly stand-up\r\n"
    "END:VEVENT\r\nEND:VCALENDAR\r\n"
)


class WorkerDied(BaseException):
    """Stands for the process being killed: nothing in the worker catches it."""


def _text(message) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    return body.get_content().replace("\r\n", "\n")


@pytest.fixture
def site(settings):
    settings.SITE_URL = "https://meet.example.com"


@pytest.mark.django_db
def test_email_to_a_user_with_the_invite_and_a_working_unsubscribe_link(smtp_server, site, user):
    payload = {**PAYLOAD, "ics": ICS, "ics_method": "REQUEST"}
    notify(event=Event.INVITATION, recipients=[Recipient(user_id=user.pk)], payload=payload, dedupe_key="k")
    user.email = "owner.new@example.com"  # the address is read when the email is sent
    user.save(update_fields=["email"])

    assert deliver_due() == 2  # email and in-app

    [message] = smtp_server.messages
    row = Notification.objects.get(channel="email")
    assert (row.status, row.attempts, row.last_error) == (Status.SENT, 1, "")
    assert row.sent_at is not None
    assert message["To"] == "owner.new@example.com"
    assert message["Subject"] == "Invitation: Weekly stand-up"
    assert message["Message-ID"] == f"<{row.pk}@meet.example.com>" == message_id(row)
    text = _text(message)
    assert text.startswith(PAYLOAD["text"] + "\n\n-- \n")
    assert "Manage notifications: https://meet.example.com/account/notifications\n" in text
    [link] = [line.split(": ", 1)[1] for line in text.splitlines() if line.startswith("Stop emails")]
    assert link.startswith("https://meet.example.com/unsubscribe/")
    assert (
        message["List-Unsubscribe"]
        == f"<https://meet.example.com/api/v1/notifications/unsubscribe/{link.rsplit('/', 1)[1]}>"
    )
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    [part] = list(message.iter_attachments())
    assert part.get_filename() == "invite.ics"
    assert part.get_content_type() == "text/calendar"
    assert part.get_param("method") == "REQUEST"
    assert part.get_content_charset() == "utf-8"
    calendar = Calendar.from_ical(part.get_content())
    assert calendar["METHOD"] == "REQUEST"
    assert [str(e["UID"]) for e in calendar.walk("VEVENT")] == ["42@meet.example.com"]

    token = link.rsplit("/", 1)[1]
    client = Client()
    got = client.get(f"/api/v1/notifications/unsubscribe/{token}")
    assert (got.status_code, got.json()) == (200, {"event": "invitation", "label": "Meeting invitations"})
    assert not NotificationPreference.objects.exists()  # a GET (a link scanner) changes nothing
    done = client.post(f"/api/v1/notifications/unsubscribe/{token}")
    assert (done.status_code, done.json()) == (200, {"event": "invitation", "label": "Meeting invitations"})
    assert NotificationPreference.objects.get(user=user).channels == {"invitation": {"email": False}}
    notify(event=Event.INVITATION, recipients=[Recipient(user_id=user.pk)], payload=payload, dedupe_key="k2")
    assert list(Notification.objects.filter(dedupe_key="k2").values_list("channel", flat=True)) == ["inapp"]


@pytest.mark.django_db
def test_email_to_someone_without_an_account_with_a_working_unsubscribe_link(smtp_server, site, user):
    guest = Recipient(email="Guest@Example.com")
    notify(event=Event.REMINDER, recipients=[guest], payload=PAYLOAD, dedupe_key="k")
    assert deliver_due() == 1
    [message] = smtp_server.messages
    assert message["To"] == "guest@example.com"
    text = _text(message)
    assert text.startswith(PAYLOAD["text"] + "\n\n-- \nSent by aapoon meet because someone invited")
    assert "/account/notifications" not in text  # no account to manage
    [link] = [line.split(": ", 1)[1] for line in text.splitlines() if line.startswith("Stop emails")]
    token = link.removeprefix("https://meet.example.com/unsubscribe/")
    assert token != link and "." not in token  # the web app's /unsubscribe/<token> route takes no dots
    assert "guest" not in token.lower() and "example" not in token.lower()  # the address is not in it
    assert (
        message["List-Unsubscribe"] == f"<https://meet.example.com/api/v1/notifications/unsubscribe/{token}>"
    )
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    client = Client()
    label = {"event": "meeting_reminder", "label": "Reminders before a meeting starts"}
    got = client.get(f"/api/v1/notifications/unsubscribe/{token}")
    assert (got.status_code, got.json()) == (200, label)
    assert not EmailOptOut.objects.exists()  # a GET (a link scanner) changes nothing
    for _ in range(2):  # the one-click POST may come twice
        done = client.post(f"/api/v1/notifications/unsubscribe/{token}")
        assert (done.status_code, done.json()) == (200, label)
    assert EmailOptOut.objects.count() == 1

    # Reminders to that address stop; other kinds of email, and other addresses, do not.
    also = Recipient(email="other@example.com")
    assert notify(event=Event.REMINDER, recipients=[guest, also], payload=PAYLOAD, dedupe_key="k2") == 1
    assert list(Notification.objects.filter(dedupe_key="k2").values_list("to_email", flat=True)) == [
        "other@example.com"
    ]
    assert notify(event=Event.UPDATE, recipients=[guest], payload=PAYLOAD, dedupe_key="k3") == 1
    # A user with that address is not affected: users have their own settings.
    user.email = "guest@example.com"
    user.save(update_fields=["email"])
    assert notify(
        event=Event.REMINDER, recipients=[Recipient(user_id=user.pk)], payload=PAYLOAD, dedupe_key="k4"
    )


@pytest.mark.django_db
def test_an_invitation_is_inline_in_the_alternative_for_outlook_and_attached(smtp_server, site):
    notify(
        event=Event.CANCELLATION,
        recipients=[Recipient(email="guest@example.com")],
        payload={**PAYLOAD, "ics": ICS.replace("METHOD:REQUEST", "METHOD:CANCEL"), "ics_method": "CANCEL"},
        dedupe_key="k",
    )
    assert deliver_due() == 1
    [message] = smtp_server.messages
    # multipart/mixed { multipart/alternative { text/plain, text/calendar (inline) }, invite.ics }
    assert message.get_content_type() == "multipart/mixed"
    alternative, attached = message.get_payload()
    assert alternative.get_content_type() == "multipart/alternative"
    text, inline = alternative.get_payload()
    assert text.get_content_type() == "text/plain"
    assert text.get_content().replace("\r\n", "\n").startswith(PAYLOAD["text"])
    assert inline.get_content_type() == "text/calendar"
    assert inline.get_content_disposition() in (None, "inline")
    assert inline.get_filename() is None
    for part in (inline, attached):
        assert part.get_content_type() == "text/calendar"
        assert part.get_param("method") == "CANCEL"
        assert part.get_content_charset() == "utf-8"
        calendar = Calendar.from_ical(part.get_content())
        assert calendar["METHOD"] == "CANCEL"
        assert [str(e["UID"]) for e in calendar.walk("VEVENT")] == ["42@meet.example.com"]
    assert attached.get_content_disposition() == "attachment"
    assert attached.get_filename() == "invite.ics"
    assert list(message.iter_attachments()) == [attached]
    assert _text(message).startswith(PAYLOAD["text"])


@pytest.mark.django_db
def test_an_inactive_user_is_skipped(smtp_server, user):
    user.status = "suspended"
    user.save()
    make_notification(user=user)
    assert deliver_due() == 1
    assert Notification.objects.get().status == Status.SKIPPED
    assert smtp_server.messages == []


@pytest.mark.django_db
def test_retries_back_off_then_give_up(settings, caplog):
    settings.MAILERS = {"default": smtp_mailer(free_port())}  # nothing listens there
    row = make_notification(to_email="guest@example.com")
    start = timezone.now()
    waits = []
    with time_machine.travel(start, tick=False) as clock:
        for attempt in range(1, 7):
            assert deliver_due() == 1
            row.refresh_from_db()
            assert (row.attempts, row.last_error) == (attempt, "ConnectionRefusedError")
            if row.status == Status.FAILED:
                break
            assert row.status == Status.PENDING
            waits.append(row.next_attempt_at - timezone.now())
            clock.shift(row.next_attempt_at - timezone.now() - dt.timedelta(seconds=1))
            assert deliver_due() == 0  # not due yet
            clock.shift(dt.timedelta(seconds=1))
        assert waits == [dt.timedelta(minutes=m) for m in (1, 5, 30, 120, 720)]
        assert (row.status, row.attempts, row.sent_at) == (Status.FAILED, 6, None)
        clock.shift(dt.timedelta(days=30))
        assert deliver_due() == 0  # given up for good
    assert "guest@example.com" not in caplog.text


@pytest.mark.django_db
def test_a_retry_succeeds_once_the_server_is_back(smtp_server, settings):
    working = settings.MAILERS
    settings.MAILERS = {"default": smtp_mailer(free_port())}
    make_notification(to_email="guest@example.com")
    deliver_due()
    settings.MAILERS = working
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=1)):
        assert deliver_due() == 1
    row = Notification.objects.get()
    assert (row.status, row.attempts, row.last_error) == (Status.SENT, 2, "")
    assert len(smtp_server.messages) == 1


@pytest.mark.django_db
def test_a_refused_recipient_is_recorded_without_the_address(smtp_server):
    smtp_server.refuse.add("nobody@example.com")
    make_notification(to_email="nobody@example.com")
    deliver_due()
    row = Notification.objects.get()
    assert (row.status, row.attempts, row.last_error) == (Status.PENDING, 1, "SMTPRecipientsRefused")


@pytest.mark.django_db
def test_a_batch_shares_one_smtp_session_and_a_refusal_spoils_only_its_own_email(smtp_server, monkeypatch):
    sessions: list[object] = []
    real_open = EmailBackend.open

    def counting_open(mailer):
        opened = real_open(mailer)
        if opened:
            sessions.append(mailer)
        return opened

    monkeypatch.setattr(EmailBackend, "open", counting_open)
    smtp_server.refuse.add("nobody@example.com")
    for address in ("a@example.com", "nobody@example.com", "b@example.com", "c@example.com"):
        make_notification(to_email=address)
    deliver_due()
    assert sorted(m["To"] for m in smtp_server.messages) == [
        "a@example.com",
        "b@example.com",
        "c@example.com",
    ]
    assert Notification.objects.filter(status=Status.SENT).count() == 3
    assert len(sessions) == 2  # one for the batch, one more after the refusal closed it


@pytest.mark.django_db
def test_sms_only_to_a_verified_phone(settings):
    settings.SMS_PROVIDER = "aapoon.notifications.sms.DevMailboxSmsProvider"
    verified = make_user(email="v@example.com", phone="+919812345678", phone_verified=True)
    unverified = make_user(email="u@example.com", phone="+919812345679", phone_verified=False)
    no_phone = make_user(email="n@example.com")
    for person in (verified, unverified, no_phone):
        make_notification(user=person, channel="sms")
    assert deliver_due() == 3
    assert dict(Notification.objects.values_list("user__email", "status")) == {
        "v@example.com": "sent",
        "u@example.com": "skipped",
        "n@example.com": "skipped",
    }
    assert list(DevMailboxMessage.objects.values_list("channel", "to", "body")) == [
        ("sms", "+919812345678", f"{PAYLOAD['short']} {PAYLOAD['url']}")
    ]


# ---- crashes and several workers (real commits: each worker thread has its own connection) ----


def _guests(n: int) -> list[Notification]:
    return [make_notification(to_email=f"guest{i}@example.com", dedupe_key=f"k{i}") for i in range(n)]


@pytest.mark.django_db(transaction=True)
def test_a_worker_dying_mid_batch_loses_nothing_and_sends_nothing_twice(smtp_server, monkeypatch):
    rows = _guests(10)
    send = delivery.SENDERS["email"]
    sent = []

    def dies_before_the_fifth(notification):
        if len(sent) == 4:
            raise WorkerDied()
        sent.append(notification.pk)
        return send(notification)

    monkeypatch.setitem(delivery.SENDERS, "email", dies_before_the_fifth)
    with pytest.raises(WorkerDied):
        deliver_due(limit=10)
    monkeypatch.setitem(delivery.SENDERS, "email", send)
    assert Notification.objects.filter(status=Status.SENT).count() == 4
    assert deliver_due() == 0  # the dead worker's lease still holds the rest
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=11)):
        assert deliver_due() == 6  # a new worker after the lease ran out
    assert sorted(m["To"] for m in smtp_server.messages) == sorted(r.to_email for r in rows)
    assert set(Notification.objects.values_list("status", flat=True)) == {Status.SENT}


@pytest.mark.django_db(transaction=True)
def test_dying_right_after_a_send_repeats_only_that_one_with_the_same_message_id(smtp_server, monkeypatch):
    _guests(5)
    send = delivery.SENDERS["email"]
    count = 0

    def dies_after_the_third(notification):
        nonlocal count
        result = send(notification)
        count += 1
        if count == 3:
            raise WorkerDied()
        return result

    monkeypatch.setitem(delivery.SENDERS, "email", dies_after_the_third)
    with pytest.raises(WorkerDied):
        deliver_due()
    monkeypatch.setitem(delivery.SENDERS, "email", send)
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=11)):
        assert deliver_due() == 3
    ids = [m["Message-ID"] for m in smtp_server.messages]
    assert len(ids) == 6 and len(set(ids)) == 5  # the one in flight twice, under one Message-ID
    [twice] = [i for i in set(ids) if ids.count(i) == 2]
    assert twice == ids[2]


@pytest.mark.django_db
def test_a_worker_that_stalled_past_its_lease_does_not_send_rows_another_worker_took_over(
    smtp_server, monkeypatch
):
    rows = _guests(5)
    send = delivery.SENDERS["email"]
    stalled = False

    def stalls_after_the_first(notification):
        nonlocal stalled
        result = send(notification)
        if not stalled:
            stalled = True
            # Worker A hangs past its lease: its other rows are due again and worker B takes them.
            Notification.objects.exclude(pk=notification.pk).update(
                claimed_until=timezone.now() - dt.timedelta(seconds=1)
            )
            assert deliver_due() == 4
        return result

    monkeypatch.setitem(delivery.SENDERS, "email", stalls_after_the_first)
    assert deliver_due(limit=5) == 5  # worker A goes on with its list
    assert sorted(m["To"] for m in smtp_server.messages) == sorted(r.to_email for r in rows)
    assert Notification.objects.filter(status=Status.SENT, attempts__in=(1, 2)).count() == 5
    assert Notification.objects.filter(attempts=2).count() == 4  # B's claim counted, A's skip did not


@pytest.mark.django_db
def test_each_send_first_extends_the_lease(smtp_server, monkeypatch, settings):
    make_notification(to_email="guest@example.com")
    lease = dt.timedelta(seconds=settings.NOTIFICATIONS_LEASE_SECONDS)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        claim, send = delivery._claim, delivery.SENDERS["email"]

        def claim_then_earlier_sends_take_a_while(*, limit):
            batch = claim(limit=limit)
            clock.shift(dt.timedelta(seconds=90))
            return batch

        leases = []

        def sends(notification):
            leases.append(Notification.objects.get().claimed_until)
            return send(notification)

        monkeypatch.setattr(delivery, "_claim", claim_then_earlier_sends_take_a_while)
        monkeypatch.setitem(delivery.SENDERS, "email", sends)
        assert deliver_due() == 1
    assert leases == [start + dt.timedelta(seconds=90) + lease]
    assert Notification.objects.get().status == Status.SENT
    assert len(smtp_server.messages) == 1


@pytest.mark.django_db(transaction=True)
def test_workers_racing_send_each_row_once(smtp_server):
    rows = _guests(40)
    barrier = threading.Barrier(3)
    claimed: list[int] = []

    def worker():
        try:
            barrier.wait()
            while n := deliver_due(limit=5):
                claimed.append(n)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(claimed) == 40
    assert sorted(m["To"] for m in smtp_server.messages) == sorted(r.to_email for r in rows)
    assert Notification.objects.filter(status=Status.SENT, attempts=1).count() == 40
