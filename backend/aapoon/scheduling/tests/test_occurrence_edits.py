"""Editing one occurrence, it and the following ones, or the whole series."""

import datetime as dt

import pytest
import time_machine

from aapoon.accounts.tests.factories import make_user
from aapoon.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from aapoon.meetings.models import Meeting
from aapoon.meetings.tests.factories import db_state, make_meeting
from aapoon.scheduling import selectors, services
from aapoon.scheduling.models import OccurrenceOverride
from aapoon.scheduling.tests.factories import at, make_series

pytestmark = pytest.mark.django_db
NOW = at("UTC", 2026, 6, 1, 12)
KEY_3RD = "20260703T090000Z"


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def series(user, invitations):
    meeting = make_series(
        host=user,
        starts_at=at("UTC", 2026, 7, 1, 9),
        frequency="daily",
        count=5,
        invitees=["ana@example.com"],
    )
    invitations.calls.clear()
    return meeting


def state():
    return {**db_state(), "overrides": list(OccurrenceOverride.objects.order_by("pk").values())}


JUNE_TO_AUGUST = (at("UTC", 2026, 6, 1), at("UTC", 2026, 9, 1))


def starts(meeting, start=JUNE_TO_AUGUST[0], end=JUNE_TO_AUGUST[1]):
    meeting = Meeting.objects.get(pk=meeting.pk)
    return [
        (o.starts_at.strftime("%d %H:%M"), o.overridden)
        for o in selectors.occurrences_between(meeting=meeting, start=start, end=end)
    ]


def test_move_this_one(user, series, invitations):
    out = services.occurrence_move(
        user=user,
        code=series.meeting_code,
        key=KEY_3RD,
        scope="this",
        starts_at=at("UTC", 2026, 7, 3, 15),
        ends_at=at("UTC", 2026, 7, 3, 16),
    )
    assert out.pk == series.pk
    assert starts(series) == [
        ("01 09:00", False),
        ("02 09:00", False),
        ("03 15:00", True),
        ("04 09:00", False),
        ("05 09:00", False),
    ]
    assert invitations.calls == [("update", series.meeting_code, 1, ["ana@example.com"])]
    # Moving it again changes the same exception.
    services.occurrence_move(
        user=user,
        code=series.meeting_code,
        key=KEY_3RD,
        scope="this",
        starts_at=at("UTC", 2026, 7, 3, 8),
        ends_at=at("UTC", 2026, 7, 3, 9),
    )
    assert OccurrenceOverride.objects.count() == 1
    assert Meeting.objects.get(pk=series.pk).ics_sequence == 2


def test_move_the_first_one_only(user, series):
    services.occurrence_move(
        user=user,
        code=series.meeting_code,
        key="20260701T090000Z",
        scope="this",
        starts_at=at("UTC", 2026, 7, 1, 10),
        ends_at=at("UTC", 2026, 7, 1, 11),
    )
    assert starts(series)[:2] == [("01 10:00", True), ("02 09:00", False)]
    assert Meeting.objects.get(pk=series.pk).next_occurrence_at == at("UTC", 2026, 7, 1, 10)


def test_cancel_this_one(user, series, invitations):
    services.occurrence_cancel(user=user, code=series.meeting_code, key=KEY_3RD, scope="this")
    assert [s for s, _ in starts(series)] == ["01 09:00", "02 09:00", "04 09:00", "05 09:00"]
    assert invitations.calls == [("update", series.meeting_code, 1, ["ana@example.com"])]
    with pytest.raises(Conflict):  # it is no longer an occurrence
        services.occurrence_cancel(user=user, code=series.meeting_code, key=KEY_3RD, scope="this")


def test_move_this_and_following_splits_the_series(user, series, invitations):
    services.occurrence_move(
        user=user,
        code=series.meeting_code,
        key="20260701T090000Z",
        scope="this",
        starts_at=at("UTC", 2026, 7, 1, 7),
        ends_at=at("UTC", 2026, 7, 1, 8),
    )
    services.occurrence_cancel(user=user, code=series.meeting_code, key="20260704T090000Z", scope="this")
    invitations.calls.clear()
    rest = services.occurrence_move(
        user=user,
        code=series.meeting_code,
        key=KEY_3RD,
        scope="following",
        starts_at=at("UTC", 2026, 7, 3, 14),
        ends_at=at("UTC", 2026, 7, 3, 15),
    )
    old = Meeting.objects.get(pk=series.pk)
    # It ends on 2 Jul (the end of that day in its zone), as the form reads it back.
    assert old.recurrence_rule == "FREQ=DAILY;UNTIL=20260702T235959Z"
    assert starts(old) == [("01 07:00", True), ("02 09:00", False)]
    assert list(old.overrides.values_list("original_start", flat=True)) == [at("UTC", 2026, 7, 1, 9)]
    assert rest.meeting_code != old.meeting_code
    # Three meetings were left in the old series; the cancelled one (4 Jul) stays cancelled.
    assert (rest.recurrence_rule, rest.title, rest.timezone) == ("FREQ=DAILY;COUNT=3", old.title, "UTC")
    assert starts(rest) == [("03 14:00", False), ("05 14:00", False)]
    assert [(o.original_start, o.cancelled) for o in rest.overrides.all()] == [
        (at("UTC", 2026, 7, 4, 14), True)
    ]
    assert [(i.email, i.rsvp) for i in rest.invitees.all()] == [("ana@example.com", "pending")]
    assert invitations.calls == [
        ("send", rest.meeting_code, 0, ["ana@example.com"]),
        ("update", old.meeting_code, 3, ["ana@example.com"]),
    ]


def test_move_all_shifts_the_series_in_wall_clock_time(user, invitations):
    # Weekly on Monday in London, from winter into summer; moved from Monday 09:00 to Tuesday 10:00.
    meeting = make_series(
        host=user, timezone="Europe/London", starts_at=at("Europe/London", 2026, 3, 16, 9), count=4
    )
    OccurrenceOverride.objects.create(
        meeting=meeting, original_start=at("Europe/London", 2026, 3, 23, 9), cancelled=True
    )
    OccurrenceOverride.objects.create(
        meeting=meeting,
        original_start=at("Europe/London", 2026, 3, 30, 9),
        starts_at=at("Europe/London", 2026, 3, 30, 17),
        ends_at=at("Europe/London", 2026, 3, 30, 18),
    )
    with time_machine.travel(at("UTC", 2026, 3, 1), tick=False):
        services.occurrence_move(
            user=user,
            code=meeting.meeting_code,
            key=selectors.occurrence_key(at("Europe/London", 2026, 4, 6, 9)),
            scope="all",
            starts_at=at("Europe/London", 2026, 4, 7, 10),
            ends_at=at("Europe/London", 2026, 4, 7, 11),
        )
    meeting.refresh_from_db()
    assert meeting.recurrence_rule == "FREQ=WEEKLY;BYDAY=TU;COUNT=4"
    assert (meeting.starts_at, meeting.ends_at) == (
        at("Europe/London", 2026, 3, 17, 10),
        at("Europe/London", 2026, 3, 17, 11),
    )
    # The cancelled one stays cancelled (moved along); the moved one goes back into the series.
    assert starts(meeting, start=at("UTC", 2026, 3, 1), end=at("UTC", 2026, 5, 1)) == [
        ("17 10:00", False),
        ("31 09:00", False),
        ("07 09:00", False),
    ]
    assert meeting.ics_sequence == 1
    assert invitations.calls[-1][:3] == ("update", meeting.meeting_code, 1)


def test_cancel_this_and_following(user, series, invitations):
    services.occurrence_cancel(user=user, code=series.meeting_code, key=KEY_3RD, scope="following")
    assert [s for s, _ in starts(series)] == ["01 09:00", "02 09:00"]
    assert Meeting.objects.get(pk=series.pk).status == "scheduled"
    assert invitations.calls == [("update", series.meeting_code, 1, ["ana@example.com"])]


def test_cancel_following_from_the_first_cancels_the_meeting(user, series, invitations):
    services.occurrence_cancel(user=user, code=series.meeting_code, key="20260701T090000Z", scope="following")
    meeting = Meeting.objects.get(pk=series.pk)
    assert (meeting.status, meeting.next_occurrence_at, meeting.ics_sequence) == ("cancelled", None, 1)
    assert invitations.calls == [("cancel", series.meeting_code, 1, ["ana@example.com"])]


def test_one_off_moves_and_cancels_as_a_whole(user, invitations):
    meeting = make_meeting(
        host=user, kind="scheduled", starts_at=at("UTC", 2026, 7, 1, 9), ends_at=at("UTC", 2026, 7, 1, 10)
    )
    services.occurrence_move(
        user=user,
        code=meeting.meeting_code,
        key="20260701T090000Z",
        scope="this",
        starts_at=at("UTC", 2026, 7, 2, 9),
        ends_at=at("UTC", 2026, 7, 2, 11),
    )
    meeting.refresh_from_db()
    assert (meeting.starts_at, meeting.ends_at, meeting.next_occurrence_at) == (
        at("UTC", 2026, 7, 2, 9),
        at("UTC", 2026, 7, 2, 11),
        at("UTC", 2026, 7, 2, 9),
    )
    services.occurrence_cancel(user=user, code=meeting.meeting_code, key="20260702T090000Z", scope="this")
    assert Meeting.objects.get(pk=meeting.pk).status == "cancelled"


def test_refusals_change_nothing(user, series, invitations):
    stranger = make_user(email="someone@example.com")
    invitee = make_user(email="ana@example.com")
    before = state()
    move = {"starts_at": at("UTC", 2026, 7, 3, 15), "ends_at": at("UTC", 2026, 7, 3, 16)}
    cases = [
        (
            NotFound,
            lambda: services.occurrence_move(
                user=stranger, code=series.meeting_code, key=KEY_3RD, scope="this", **move
            ),
        ),
        (
            NotFound,
            lambda: services.occurrence_cancel(
                user=stranger, code=series.meeting_code, key=KEY_3RD, scope="this"
            ),
        ),
        (
            PermissionDenied,
            lambda: services.occurrence_move(
                user=invitee, code=series.meeting_code, key=KEY_3RD, scope="this", **move
            ),
        ),
        (
            PermissionDenied,
            lambda: services.occurrence_cancel(
                user=invitee, code=series.meeting_code, key=KEY_3RD, scope="this"
            ),
        ),
        (
            Conflict,
            lambda: services.occurrence_move(
                user=user, code=series.meeting_code, key="20260703T100000Z", scope="this", **move
            ),
        ),
        (
            Conflict,
            lambda: services.occurrence_cancel(
                user=user, code=series.meeting_code, key="20260706T090000Z", scope="this"
            ),
        ),
        (
            Conflict,
            lambda: services.occurrence_cancel(
                user=user, code=series.meeting_code, key="nonsense", scope="this"
            ),
        ),
        (
            InvalidInput,
            lambda: services.occurrence_move(
                user=user, code=series.meeting_code, key=KEY_3RD, scope="some", **move
            ),
        ),
        (
            InvalidInput,
            lambda: services.occurrence_cancel(user=user, code=series.meeting_code, key=KEY_3RD, scope="all"),
        ),
        (
            InvalidInput,
            lambda: services.occurrence_move(
                user=user,
                code=series.meeting_code,
                key=KEY_3RD,
                scope="this",
                starts_at=at("UTC", 2026, 7, 3, 15),
                ends_at=at("UTC", 2026, 7, 3, 14),
            ),
        ),
        # The rest would start after the old series' end date.
        (
            InvalidInput,
            lambda: services.occurrence_move(
                user=user,
                code=make_series(
                    host=user,
                    starts_at=at("UTC", 2026, 7, 1, 9),
                    frequency="daily",
                    until=dt.date(2026, 7, 5),
                ).meeting_code,
                key=KEY_3RD,
                scope="following",
                starts_at=at("UTC", 2026, 7, 9, 9),
                ends_at=at("UTC", 2026, 7, 9, 10),
            ),
        ),
    ]
    for error, call in cases:
        with pytest.raises(error):
            call()
    extra = Meeting.objects.exclude(pk=series.pk).get()  # the series made for the last case
    after = state()
    after["meetings"] = [m for m in after["meetings"] if m["id"] != extra.pk]
    assert after == before
    assert invitations.calls == []


def test_cancel_following_then_moving_the_series_keeps_the_split_day_out(user, invitations):
    series = make_series(host=user, starts_at=at("UTC", 2026, 7, 1, 9), frequency="daily")
    services.occurrence_cancel(user=user, code=series.meeting_code, key=KEY_3RD, scope="following")
    old = Meeting.objects.get(pk=series.pk)
    assert old.recurrence_rule == "FREQ=DAILY;UNTIL=20260702T235959Z"
    assert selectors.recurrence_text(meeting=old) == "Daily, until 2 Jul 2026"
    # The whole series an hour later: the rule is written again from the form's view of it.
    services.occurrence_move(
        user=user,
        code=series.meeting_code,
        key="20260701T090000Z",
        scope="all",
        starts_at=at("UTC", 2026, 7, 1, 10),
        ends_at=at("UTC", 2026, 7, 1, 10, 30),
    )
    assert Meeting.objects.get(pk=series.pk).recurrence_rule == "FREQ=DAILY;UNTIL=20260702T235959Z"
    assert starts(series) == [("01 10:00", False), ("02 10:00", False)]


def test_a_split_series_keeps_its_end_when_moved(user, series):
    services.occurrence_move(
        user=user,
        code=series.meeting_code,
        key=KEY_3RD,
        scope="following",
        starts_at=at("UTC", 2026, 7, 3, 14),
        ends_at=at("UTC", 2026, 7, 3, 15),
    )
    assert selectors.recurrence_text(meeting=Meeting.objects.get(pk=series.pk)) == "Daily, until 2 Jul 2026"
    services.occurrence_move(
        user=user,
        code=series.meeting_code,
        key="20260701T090000Z",
        scope="all",
        starts_at=at("UTC", 2026, 7, 1, 10),
        ends_at=at("UTC", 2026, 7, 1, 10, 30),
    )
    assert starts(series) == [("01 10:00", False), ("02 10:00", False)]


def test_a_split_takes_the_later_exceptions_with_it(user, series, invitations):
    services.occurrence_cancel(user=user, code=series.meeting_code, key="20260705T090000Z", scope="this")
    services.occurrence_move(
        user=user,
        code=series.meeting_code,
        key="20260704T090000Z",
        scope="this",
        starts_at=at("UTC", 2026, 7, 4, 18),
        ends_at=at("UTC", 2026, 7, 4, 18, 45),
    )
    invitations.calls.clear()
    rest = services.occurrence_move(
        user=user,
        code=series.meeting_code,
        key=KEY_3RD,
        scope="following",
        starts_at=at("UTC", 2026, 7, 3, 14),
        ends_at=at("UTC", 2026, 7, 3, 15),
    )
    # The cancelled one stays cancelled and the moved one keeps its own time, under the new
    # series' original starts (shifted as the series was); the old series keeps none of them.
    assert starts(rest) == [("03 14:00", False), ("04 18:00", True)]
    assert list(
        rest.overrides.order_by("original_start").values_list("original_start", "cancelled", "starts_at")
    ) == [
        (at("UTC", 2026, 7, 4, 14), False, at("UTC", 2026, 7, 4, 18)),
        (at("UTC", 2026, 7, 5, 14), True, None),
    ]
    assert OccurrenceOverride.objects.filter(meeting=series).count() == 0
    assert starts(series) == [("01 09:00", False), ("02 09:00", False)]
    # The new meeting's invitation is sent with the exceptions in place.
    assert invitations.calls == [
        ("send", rest.meeting_code, 0, ["ana@example.com"]),
        ("update", series.meeting_code, 3, ["ana@example.com"]),
    ]


def test_a_split_drops_a_cancelled_one_the_new_series_no_longer_has(user, invitations):
    series = make_series(
        host=user, starts_at=at("UTC", 2026, 7, 1, 9), frequency="daily", until=dt.date(2026, 7, 5)
    )
    services.occurrence_cancel(user=user, code=series.meeting_code, key="20260705T090000Z", scope="this")
    rest = services.occurrence_move(
        user=user,
        code=series.meeting_code,
        key=KEY_3RD,
        scope="following",
        starts_at=at("UTC", 2026, 7, 4, 9),
        ends_at=at("UTC", 2026, 7, 4, 9, 30),
    )
    # A day later with the same end date: 4 and 5 Jul; the cancelled 5th would be the 6th.
    assert starts(rest) == [("04 09:00", False), ("05 09:00", False)]
    assert rest.overrides.count() == 0


@pytest.mark.parametrize("key", ["00010101T000000Z", "99991231T235959Z", "20360602T090000Z"])
def test_keys_more_than_ten_years_away_are_refused(user, invitations, key):
    series = make_series(
        host=user, timezone="Asia/Tokyo", starts_at=at("Asia/Tokyo", 2026, 7, 1, 9), frequency="daily"
    )
    before = state()
    message = "That occurrence is more than ten years from today: it can't be changed."
    with pytest.raises(Conflict) as refused:
        services.occurrence_move(
            user=user,
            code=series.meeting_code,
            key=key,
            scope="this",
            starts_at=at("UTC", 2026, 7, 3, 15),
            ends_at=at("UTC", 2026, 7, 3, 16),
        )
    assert refused.value.message == message
    for scope in ("this", "following"):
        with pytest.raises(Conflict) as refused:
            services.occurrence_cancel(user=user, code=series.meeting_code, key=key, scope=scope)
        assert refused.value.message == message
    assert state() == before
    assert invitations.calls == []
