"""Meeting services and series: recurrence on create and update, the SEQUENCE, the next
occurrence, and the invitation hooks they call."""

import datetime as dt

import pytest
import time_machine

from aapoon.core.errors import Conflict, InvalidInput
from aapoon.meetings import services
from aapoon.meetings.models import Meeting
from aapoon.meetings.services import Invitee, MeetingSettings
from aapoon.meetings.tests.factories import db_state, make_meeting, make_participant
from aapoon.scheduling.models import OccurrenceOverride
from aapoon.scheduling.recurrence import Recurrence
from aapoon.scheduling.tests.factories import Invitations, at, make_series

pytestmark = pytest.mark.django_db
NOW = at("UTC", 2026, 6, 1, 12)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def invitations(monkeypatch) -> Invitations:
    box = Invitations()
    for name in ("invitations_send", "invitations_update", "invitations_cancel"):
        monkeypatch.setattr(f"aapoon.meetings.services.{name}", box.hook(name.removeprefix("invitations_")))
    return box


def weekly(user, **values):
    return make_series(
        host=user, timezone="Europe/London", starts_at=at("Europe/London", 2026, 7, 6, 9), **values
    )


def test_create_a_series_invites_everyone_once(user, invitations):
    meeting = weekly(
        user, weekdays=("MO", "TH"), until=dt.date(2026, 12, 31), invitees=["b@example.com", "a@example.com"]
    )
    assert meeting.recurrence_rule == "FREQ=WEEKLY;BYDAY=MO,TH;UNTIL=20261231T235959Z"
    assert (meeting.ics_sequence, meeting.next_occurrence_at) == (0, at("Europe/London", 2026, 7, 6, 9))
    assert invitations.calls == [("send", meeting.meeting_code, 0, ["a@example.com", "b@example.com"])]


def test_instant_meetings_do_not_repeat_and_nothing_is_written(user, invitations):
    with pytest.raises(InvalidInput) as refused:
        services.meeting_create(
            user=user, kind="instant", values=MeetingSettings(recurrence=Recurrence(frequency="daily"))
        )
    assert refused.value.detail == [{"loc": ["recurrence"], "msg": "Only a scheduled meeting can repeat."}]
    with pytest.raises(InvalidInput):
        weekly(user, frequency="weekly", weekdays=("TU",), invitees=["a@example.com"])
    assert not any(db_state().values())
    assert invitations.calls == []
    # An instant meeting is no calendar event: its invitees get no invitation.
    instant = make_meeting(host=user, invitees=["a@example.com"])
    services.meeting_update(user=user, code=instant.meeting_code, values=MeetingSettings(title="Now"))
    assert instant.next_occurrence_at is None
    assert invitations.calls == []


def test_update_sends_the_change_to_those_still_invited_and_invites_the_new_ones_once(user, invitations):
    meeting = weekly(user, invitees=["a@example.com", "b@example.com"])
    invitations.calls.clear()
    services.meeting_update(
        user=user,
        code=meeting.meeting_code,
        values=MeetingSettings(
            title="Renamed", invitees=[Invitee(email="b@example.com"), Invitee(email="c@example.com")]
        ),
    )
    assert invitations.calls == [
        ("cancel", meeting.meeting_code, 1, ["a@example.com"]),
        ("update", meeting.meeting_code, 1, ["b@example.com"]),
        ("send", meeting.meeting_code, 1, ["c@example.com"]),
    ]
    invitations.calls.clear()
    # Settings an invitee's calendar doesn't show change nothing for them.
    services.meeting_update(
        user=user, code=meeting.meeting_code, values=MeetingSettings(guests_allowed=False, title="Renamed")
    )
    assert invitations.calls == []
    assert Meeting.objects.get(pk=meeting.pk).ics_sequence == 1


def test_set_change_and_clear_the_recurrence(user, invitations):
    meeting = make_meeting(
        host=user,
        kind="scheduled",
        timezone="Europe/London",
        starts_at=at("Europe/London", 2026, 7, 6, 9),
        ends_at=at("Europe/London", 2026, 7, 6, 10),
    )
    services.meeting_update(
        user=user,
        code=meeting.meeting_code,
        values=MeetingSettings(recurrence=Recurrence(frequency="daily", count=3)),
    )
    meeting.refresh_from_db()
    assert (meeting.recurrence_rule, meeting.ics_sequence) == ("FREQ=DAILY;COUNT=3", 1)
    OccurrenceOverride.objects.create(
        meeting=meeting, original_start=at("Europe/London", 2026, 7, 7, 9), cancelled=True
    )
    services.meeting_update(
        user=user, code=meeting.meeting_code, values=MeetingSettings(recurrence_clear=True)
    )
    meeting.refresh_from_db()
    assert (meeting.recurrence_rule, meeting.ics_sequence, OccurrenceOverride.objects.count()) == ("", 2, 0)
    # Clearing what isn't there changes nothing.
    services.meeting_update(
        user=user, code=meeting.meeting_code, values=MeetingSettings(recurrence_clear=True)
    )
    assert Meeting.objects.get(pk=meeting.pk).ics_sequence == 2


def test_moving_the_first_meeting_moves_the_weekly_days_with_it(user, invitations):
    meeting = weekly(user, count=4)
    services.meeting_update(
        user=user,
        code=meeting.meeting_code,
        values=MeetingSettings(
            starts_at=at("Europe/London", 2026, 7, 8, 9), ends_at=at("Europe/London", 2026, 7, 8, 9, 30)
        ),
    )
    meeting.refresh_from_db()
    assert meeting.recurrence_rule == "FREQ=WEEKLY;BYDAY=WE;COUNT=4"
    assert meeting.next_occurrence_at == at("Europe/London", 2026, 7, 8, 9)


def test_a_bad_rule_on_update_changes_nothing(user, invitations):
    meeting = weekly(user, invitees=["a@example.com"])
    invitations.calls.clear()
    before = db_state()
    with pytest.raises(InvalidInput):
        services.meeting_update(
            user=user,
            code=meeting.meeting_code,
            values=MeetingSettings(title="New", recurrence=Recurrence(frequency="daily", count=0)),
        )
    assert db_state() == before
    assert invitations.calls == []


def test_cancel_tells_every_invitee_and_clears_the_next_occurrence(user, invitations):
    meeting = weekly(user, invitees=["a@example.com"])
    services.meeting_cancel(user=user, code=meeting.meeting_code)
    meeting.refresh_from_db()
    assert (meeting.status, meeting.ics_sequence, meeting.next_occurrence_at) == ("cancelled", 1, None)
    assert invitations.calls[-1] == ("cancel", meeting.meeting_code, 1, ["a@example.com"])


def test_a_series_that_ends_a_meeting_waits_for_the_next_one(user, invitations):
    meeting = weekly(user, count=2)
    make_participant(meeting, name="Host", user=user, role="host")
    Meeting.objects.filter(pk=meeting.pk).update(status="live")
    with time_machine.travel(at("Europe/London", 2026, 7, 6, 9, 40), tick=False):
        ended = services.meeting_end(meeting_id=meeting.pk)
    assert (ended.status, ended.next_occurrence_at) == ("scheduled", at("Europe/London", 2026, 7, 13, 9))
    Meeting.objects.filter(pk=meeting.pk).update(status="live")
    with time_machine.travel(at("Europe/London", 2026, 7, 13, 9, 40), tick=False):
        ended = services.meeting_end(meeting_id=meeting.pk)
    assert (ended.status, ended.next_occurrence_at) == ("ended", None)


def test_a_started_series_cannot_be_rescheduled(user, invitations):
    meeting = weekly(user)
    Meeting.objects.filter(pk=meeting.pk).update(status="live")
    with pytest.raises(Conflict):
        services.meeting_update(
            user=user, code=meeting.meeting_code, values=MeetingSettings(recurrence_clear=True)
        )


def test_removing_an_invitee_raises_the_sequence_before_the_cancel(user, invitations):
    meeting = weekly(user, invitees=["a@example.com", "b@example.com"])
    invitations.calls.clear()
    services.meeting_update(
        user=user,
        code=meeting.meeting_code,
        values=MeetingSettings(invitees=[Invitee(email="b@example.com")]),
    )
    # Their calendars hold SEQUENCE 0: the CANCEL must be above it. Nothing else is sent.
    assert invitations.calls == [("cancel", meeting.meeting_code, 1, ["a@example.com"])]
    assert Meeting.objects.get(pk=meeting.pk).ics_sequence == 1
    # Adding someone alone doesn't raise it.
    invitations.calls.clear()
    services.meeting_update(
        user=user,
        code=meeting.meeting_code,
        values=MeetingSettings(invitees=[Invitee(email="b@example.com"), Invitee(email="c@example.com")]),
    )
    assert invitations.calls == [("send", meeting.meeting_code, 1, ["c@example.com"])]
    assert Meeting.objects.get(pk=meeting.pk).ics_sequence == 1


def test_update_computes_the_rule_from_the_locked_row(user, invitations, monkeypatch):
    meeting = weekly(user, count=4)
    read = services.selectors.meeting_get_visible
    calls = []

    def stale_read(**kwargs):
        found = read(**kwargs)
        if not calls:  # another request changes the series after this read, before the lock
            Meeting.objects.filter(pk=meeting.pk).update(recurrence_rule="FREQ=WEEKLY;BYDAY=MO;COUNT=2")
        calls.append(found)
        return found

    monkeypatch.setattr(services.selectors, "meeting_get_visible", stale_read)
    services.meeting_update(
        user=user,
        code=meeting.meeting_code,
        values=MeetingSettings(
            starts_at=at("Europe/London", 2026, 7, 8, 9), ends_at=at("Europe/London", 2026, 7, 8, 9, 30)
        ),
    )
    meeting.refresh_from_db()
    # The other change (two meetings) is kept, moved with the first meeting.
    assert meeting.recurrence_rule == "FREQ=WEEKLY;BYDAY=WE;COUNT=2"
    assert meeting.starts_at == at("Europe/London", 2026, 7, 8, 9)


def test_a_stale_read_cannot_reschedule_a_meeting_that_has_started(user, invitations, monkeypatch):
    meeting = weekly(user, count=4)
    read = services.selectors.meeting_get_visible
    seen = {}

    def stale_read(**kwargs):
        found = read(**kwargs)
        Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.LIVE)  # it starts meanwhile
        seen["before"] = db_state()
        return found

    monkeypatch.setattr(services.selectors, "meeting_get_visible", stale_read)
    with pytest.raises(Conflict) as refused:
        services.meeting_update(
            user=user,
            code=meeting.meeting_code,
            values=MeetingSettings(starts_at=at("Europe/London", 2026, 7, 8, 9)),
        )
    assert refused.value.message == "A meeting that has started can't be moved."
    assert db_state() == seen["before"]
    assert invitations.calls == []


def test_a_series_ending_in_year_9999_is_refused_and_nothing_is_written(user, invitations):
    with pytest.raises(InvalidInput) as refused:
        make_series(
            host=user,
            timezone="Asia/Tokyo",
            starts_at=at("Asia/Tokyo", 2026, 7, 6, 9),
            frequency="daily",
            until=dt.date(9999, 12, 31),
            invitees=["a@example.com"],
        )
    assert refused.value.detail == [
        {"loc": ["recurrence"], "msg": "End the series within ten years of its first meeting."}
    ]
    assert not any(db_state().values())
    assert invitations.calls == []
