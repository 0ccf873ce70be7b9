"""Invitation emails as they reach a real SMTP server: one per invitee with their own RSVP links and
an .ics calendars accept; updates raise SEQUENCE; cancellations send METHOD:CANCEL; the host is
never mailed; nothing is sent twice."""

import datetime as dt
import re
from email.message import EmailMessage

import pytest
import time_machine
from django.test import Client
from icalendar import Calendar

from aapoon.accounts.models import User
from aapoon.accounts.tests.factories import make_user
from aapoon.meetings import services as meeting_services
from aapoon.meetings.models import Meeting
from aapoon.meetings.services import Invitee, MeetingSettings
from aapoon.notifications.delivery import deliver_due
from aapoon.notifications.models import Notification
from aapoon.notifications.tests.smtp import SmtpInbox, smtp_server  # noqa: F401
from aapoon.scheduling.ics import join_url, meeting_uid
from aapoon.scheduling.invitations import invitations_cancel, invitations_send, invitations_update
from aapoon.scheduling.tests.factories import at, make_series

pytestmark = pytest.mark.django_db
NOW = at("UTC", 2026, 3, 10, 12)
START = at("Europe/London", 2026, 3, 16, 9)
INVITED = ["ravi@example.com", "guest@example.net"]


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def host(db) -> User:
    return make_user(email="Host@example.com", full_name="Hema Host")


@pytest.fixture
def standup(host) -> Meeting:
    make_user(email="ravi@example.com", full_name="Ravi")
    return make_series(
        host=host,
        title="Weekly stand-up",
        starts_at=START,
        duration=dt.timedelta(minutes=15),
        timezone="Europe/London",
        weekdays=("MO",),
        passcode="4321",
        invitees=[
            Invitee(email="ravi@example.com", name="Ravi"),
            Invitee(email="guest@example.net", name="Gita"),
            Invitee(email="host@example.com"),  # the host invited themself
        ],
    )


@pytest.fixture
def inbox(smtp_server) -> SmtpInbox:  # noqa: F811
    return smtp_server


def delivered(inbox: SmtpInbox) -> dict[str, EmailMessage]:
    """Deliver the outbox; the emails that arrived (each address at most once), by address."""
    while deliver_due():
        pass
    emails = {m["To"]: m for m in inbox.messages}
    assert len(emails) == len(inbox.messages)
    inbox.messages.clear()
    return emails


def calendar_of(message: EmailMessage) -> Calendar:
    [part] = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    return Calendar.from_ical(part.get_content())


def body_of(message: EmailMessage) -> str:
    text = message.get_body(preferencelist=("plain",))
    assert text is not None
    return str(text.get_content()).replace("\r\n", "\n")


def test_each_invitee_gets_their_own_invitation_and_the_host_none(standup, inbox):
    emails = delivered(inbox)
    assert sorted(emails) == sorted(INVITED)
    url = join_url(standup)
    for address, name in (("ravi@example.com", "Ravi"), ("guest@example.net", "Gita")):
        message = emails[address]
        assert message["Subject"] == ("Invitation: Weekly stand-up @ Weekly on Monday 09:00 (Europe/London)")
        assert message.get_content_type() == "multipart/mixed"
        [part] = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
        assert part.get_param("method") == "REQUEST"
        calendar = calendar_of(message)
        assert calendar["METHOD"] == "REQUEST"
        [event] = calendar.walk("VEVENT")
        assert str(event["UID"]) == meeting_uid(standup)
        assert event["SEQUENCE"] == 0
        assert event.decoded("DTSTART") == START.astimezone(event.decoded("DTSTART").tzinfo)
        assert event["DTSTART"].params["TZID"] == "Europe/London"
        assert event["RRULE"].to_ical() == b"FREQ=WEEKLY;BYDAY=MO"
        assert str(event["ORGANIZER"]) == "mailto:Host@example.com"
        # Each invitation names only its own invitee: the others' addresses stay private.
        assert str(event["ATTENDEE"]) == f"mailto:{address}"
        assert event["ATTENDEE"].params["CN"] == name
        assert event["ATTENDEE"].params["PARTSTAT"] == "NEEDS-ACTION"
        body = body_of(message)
        assert body.startswith(
            "Hema Host invited you to Weekly stand-up.\n\n"
            "When: Weekly on Monday, 09:00 to 09:15 (Europe/London), from Mon 16 Mar 2026\n"
            f"Join: {url}\n"
            "Passcode: 4321\n\n"
            "Will you attend?\n"
        )
        links = re.findall(r"^(Yes|Maybe|No): (\S+)$", body, flags=re.MULTILINE)
        assert [label for label, _ in links] == ["Yes", "Maybe", "No"]
        assert [link.rsplit("?", 1)[1] for _, link in links] == [
            "answer=accepted",
            "answer=tentative",
            "answer=declined",
        ]
    # The links work without signing in and answer for that invitee only.
    ravi_yes = re.search(r"^Yes: \S+/rsvp/(\S+)\?answer=accepted$", body_of(emails["ravi@example.com"]), re.M)
    assert ravi_yes is not None
    answered = Client().post(
        f"/api/v1/rsvp/{ravi_yes[1]}", data={"answer": "accepted"}, content_type="application/json"
    )
    assert answered.status_code == 200
    assert dict(standup.invitees.values_list("email", "rsvp")) == {
        "ravi@example.com": "accepted",
        "guest@example.net": "pending",
        "host@example.com": "pending",
    }


def test_a_second_call_or_a_retried_transaction_sends_nothing_twice(standup, host, inbox):
    before = Notification.objects.count()
    invitations_send(meeting=standup, invitees=list(standup.invitees.all()))
    assert Notification.objects.count() == before
    assert sorted(delivered(inbox)) == sorted(INVITED)
    changed = meeting_services.meeting_update(
        user=host, code=standup.meeting_code, values=MeetingSettings(title="Stand-up")
    )
    after_update = Notification.objects.count()
    invitations_update(meeting=changed)
    assert Notification.objects.count() == after_update
    assert sorted(delivered(inbox)) == sorted(INVITED)


def test_a_change_raises_sequence_and_everyone_still_invited_hears_of_it(standup, host, inbox):
    delivered(inbox)
    meeting_services.meeting_update(
        user=host, code=standup.meeting_code, values=MeetingSettings(title="Stand-up")
    )
    emails = delivered(inbox)
    assert sorted(emails) == sorted(INVITED)
    for message in emails.values():
        assert message["Subject"] == "Updated invitation: Stand-up @ Weekly on Monday 09:00 (Europe/London)"
        assert body_of(message).startswith("Hema Host changed Stand-up.\n")
        calendar = calendar_of(message)
        assert calendar["METHOD"] == "REQUEST"
        [event] = calendar.walk("VEVENT")
        assert event["SEQUENCE"] == 1
        assert str(event["UID"]) == meeting_uid(standup)
        assert str(event["SUMMARY"]) == "Stand-up"
    # A change no calendar shows (the waiting room) sends nothing.
    meeting_services.meeting_update(
        user=host, code=standup.meeting_code, values=MeetingSettings(waiting_room_enabled=False)
    )
    assert delivered(inbox) == {}


def test_cancelling_sends_method_cancel_to_every_invitee(standup, host, inbox):
    delivered(inbox)
    meeting_services.meeting_cancel(user=host, code=standup.meeting_code)
    emails = delivered(inbox)
    assert sorted(emails) == sorted(INVITED)
    for address, message in emails.items():
        assert message["Subject"] == "Cancelled: Weekly stand-up @ Weekly on Monday 09:00 (Europe/London)"
        assert body_of(message).startswith(
            "Hema Host cancelled Weekly stand-up "
            "(Weekly on Monday, 09:00 to 09:15 (Europe/London), from Mon 16 Mar 2026).\n"
        )
        assert "/rsvp/" not in body_of(message)
        calendar = calendar_of(message)
        assert calendar["METHOD"] == "CANCEL"
        [event] = calendar.walk("VEVENT")
        assert (event["SEQUENCE"], str(event["STATUS"]), str(event["ATTENDEE"])) == (
            1,
            "CANCELLED",
            f"mailto:{address}",
        )


def test_a_removed_invitee_gets_a_cancellation_and_the_others_nothing(standup, host, inbox):
    delivered(inbox)
    keep = [Invitee(email="ravi@example.com", name="Ravi"), Invitee(email="new@example.org")]
    meeting_services.meeting_update(
        user=host, code=standup.meeting_code, values=MeetingSettings(invitees=keep)
    )
    emails = delivered(inbox)
    assert sorted(emails) == ["guest@example.net", "new@example.org"]
    assert calendar_of(emails["guest@example.net"])["METHOD"] == "CANCEL"
    assert calendar_of(emails["new@example.org"])["METHOD"] == "REQUEST"


def test_nothing_is_sent_to_the_host_or_to_nobody(standup, host):
    before = Notification.objects.count()
    invitations_send(meeting=standup, invitees=list(standup.invitees.filter(email="host@example.com")))
    invitations_cancel(meeting=standup, invitees=[])
    assert Notification.objects.count() == before
    assert not Notification.objects.filter(user=host).exists()
