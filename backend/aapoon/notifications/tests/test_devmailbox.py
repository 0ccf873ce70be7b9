"""The dev mailbox: every email and SMS of the embedded default, shown at /dev/mailbox."""

from datetime import datetime, timedelta

import pytest
from django.core.mail import EmailMessage, send_mail

from aapoon.notifications.models import DevMailboxMessage
from aapoon.notifications.sms import sms_send

MAILBOX = "/dev/mailbox"


@pytest.fixture(autouse=True)
def _dev_providers(settings):
    # Email goes to the dev mailbox through the shared conftest's MAILERS; SMS is pinned here.
    settings.SMS_PROVIDER = "aapoon.notifications.sms.DevMailboxSmsProvider"


def test_send_mail_lands_in_the_mailbox(db):
    assert send_mail("Your code", "It is ABCD-EFGH.", None, ["asha@example.com"]) == 1
    message = DevMailboxMessage.objects.get()
    assert (message.channel, message.to, message.subject, message.body) == (
        "email",
        "asha@example.com",
        "Your code",
        "It is ABCD-EFGH.",
    )


def test_one_row_per_recipient(db):
    EmailMessage("Hi", "Body", to=["a@example.com"], cc=["b@example.com"], bcc=["c@example.com"]).send()
    assert sorted(DevMailboxMessage.objects.values_list("to", flat=True)) == [
        "a@example.com",
        "b@example.com",
        "c@example.com",
    ]


def test_sms_lands_in_the_mailbox(db):
    sms_send(to="+919812345678", body="Your code is 123456")
    message = DevMailboxMessage.objects.get()
    assert (message.channel, message.to, message.subject, message.body) == (
        "sms",
        "+919812345678",
        "",
        "Your code is 123456",
    )


def test_json_lists_email_and_sms_newest_first(client, db):
    send_mail("First", "email body", None, ["asha@example.com"])
    sms_send(to="+919812345678", body="sms body")
    send_mail("Third", "another", None, ["ravi@example.com"])
    response = client.get(MAILBOX, {"format": "json"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    items = response.json()
    assert [{k: v for k, v in item.items() if k != "sent_at"} for item in items] == [
        {"channel": "email", "to": "ravi@example.com", "subject": "Third", "body": "another"},
        {"channel": "sms", "to": "+919812345678", "subject": "", "body": "sms body"},
        {"channel": "email", "to": "asha@example.com", "subject": "First", "body": "email body"},
    ]
    assert all(set(item) == {"channel", "to", "subject", "body", "sent_at"} for item in items)
    times = [datetime.fromisoformat(item["sent_at"]) for item in items]
    assert all(t.utcoffset() == timedelta(0) for t in times)
    assert times == sorted(times, reverse=True)


def test_json_orders_by_time_not_insertion(client, db):
    older = DevMailboxMessage.objects.create(channel="email", to="late@example.com", body="x")
    newer = DevMailboxMessage.objects.create(channel="email", to="early@example.com", body="y")
    DevMailboxMessage.objects.filter(pk=newer.pk).update(sent_at=older.sent_at + timedelta(minutes=1))
    DevMailboxMessage.objects.filter(pk=older.pk).update(sent_at=older.sent_at - timedelta(minutes=1))
    assert [m["to"] for m in client.get(MAILBOX, {"format": "json"}).json()] == [
        "early@example.com",
        "late@example.com",
    ]


def test_json_shows_the_latest_200(client, db):
    DevMailboxMessage.objects.bulk_create(
        DevMailboxMessage(channel="sms", to=f"+9198123{i:05d}", body=str(i)) for i in range(205)
    )
    items = client.get(MAILBOX, {"format": "json"}).json()
    assert len(items) == 200
    assert items[0]["body"] == "204"


def test_empty_mailbox(client, db):
    assert client.get(MAILBOX, {"format": "json"}).json() == []
    response = client.get(MAILBOX)
    assert response.status_code == 200
    assert b"No messages yet" in response.content


def test_html_shows_messages_escaped(client, db):
    send_mail("<b>Welcome</b>", "<script>alert('x')</script>\nline two", None, ["a&b@example.com"])
    sms_send(to="+919812345678", body="<img src=x onerror=alert(1)>")
    response = client.get(MAILBOX)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "<b>Welcome</b>" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&lt;b&gt;Welcome&lt;/b&gt;" in html
    assert "a&amp;b@example.com" in html
    # Newest first in the page too.
    assert html.index("onerror") < html.index("Welcome")
