"""Recurrence: form <-> RRULE <-> words, validation, and expansion in the meeting's zone."""

import datetime as dt
import itertools
import zoneinfo

import pytest
from dateutil import rrule

from aapoon.core.errors import InvalidInput
from aapoon.scheduling.recurrence import (
    SCHEDULE_WINDOW,
    Recurrence,
    is_rule_start,
    recurrence_clean,
    recurrence_describe,
    recurrence_from_rule,
    recurrence_to_rule,
    rule_starts,
    rule_with_until,
)
from aapoon.scheduling.tests.factories import at

LONDON = zoneinfo.ZoneInfo("Europe/London")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
UTC = zoneinfo.ZoneInfo("UTC")


def rule_for(value: Recurrence, starts_at: dt.datetime, zone: zoneinfo.ZoneInfo) -> str:
    return recurrence_to_rule(recurrence_clean(value, starts_at=starts_at, zone=zone), zone=zone)


def starts(rule: str, starts_at: dt.datetime, zone: zoneinfo.ZoneInfo, n: int = 100) -> list[dt.datetime]:
    first = rule_starts(rule, starts_at=starts_at, zone=zone, after=starts_at - dt.timedelta(seconds=1))
    return list(itertools.islice(first, n))


def test_weekly_in_london_keeps_nine_oclock_across_both_dst_changes():
    first = at("Europe/London", 2026, 3, 16, 9)  # a Monday in GMT
    rule = rule_for(Recurrence(frequency="weekly", count=34), first, LONDON)
    assert rule == "FREQ=WEEKLY;BYDAY=MO;COUNT=34"
    found = starts(rule, first, LONDON)
    assert len(found) == 34
    assert {s.astimezone(LONDON).time() for s in found} == {dt.time(9)}
    # Clocks go forward on 29 March and back on 25 October 2026: UTC moves by an hour each time.
    assert [s.isoformat() for s in found[1:4]] == [
        "2026-03-23T09:00:00+00:00",
        "2026-03-30T08:00:00+00:00",
        "2026-04-06T08:00:00+00:00",
    ]
    october = [s for s in found if s.month in (10, 11)]
    assert [s.isoformat() for s in october[2:5]] == [
        "2026-10-19T08:00:00+00:00",
        "2026-10-26T09:00:00+00:00",
        "2026-11-02T09:00:00+00:00",
    ]


def test_new_york_series_follows_its_own_dst_dates():
    first = at("America/New_York", 2026, 3, 2, 9)  # Monday; DST starts 8 March in the US
    rule = rule_for(Recurrence(frequency="weekly", weekdays=("MO",), count=3), first, NEW_YORK)
    assert [s.isoformat() for s in starts(rule, first, NEW_YORK)] == [
        "2026-03-02T14:00:00+00:00",
        "2026-03-09T13:00:00+00:00",
        "2026-03-16T13:00:00+00:00",
    ]


def test_a_wall_time_in_the_spring_gap_moves_forward():
    first = at("America/New_York", 2026, 3, 7, 2, 30)  # 02:30 doesn't exist on 8 March
    rule = rule_for(Recurrence(frequency="daily", count=3), first, NEW_YORK)
    local = [s.astimezone(NEW_YORK).strftime("%d %H:%M") for s in starts(rule, first, NEW_YORK)]
    assert local == ["07 02:30", "08 03:30", "09 02:30"]


def test_weekdays_skip_the_weekend():
    first = at("UTC", 2026, 7, 2, 10)  # Thursday
    rule = rule_for(Recurrence(frequency="weekdays", count=5), first, UTC)
    assert rule == "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;COUNT=5"
    assert [s.day for s in starts(rule, first, UTC)] == [2, 3, 6, 7, 8]


def test_weekly_on_chosen_days_with_interval():
    first = at("UTC", 2026, 7, 6, 10)  # Monday
    value = Recurrence(frequency="weekly", interval=2, weekdays=("WE", "MO"))
    rule = rule_for(value, first, UTC)
    assert rule == "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE"
    assert [s.day for s in starts(rule, first, UTC, 4)] == [6, 8, 20, 22]


def test_monthly_on_the_31st_skips_shorter_months():
    first = at("UTC", 2026, 1, 31, 10)
    rule = rule_for(Recurrence(frequency="monthly", count=4), first, UTC)
    assert rule == "FREQ=MONTHLY;COUNT=4"
    assert [s.date().isoformat() for s in starts(rule, first, UTC)] == [
        "2026-01-31",
        "2026-03-31",
        "2026-05-31",
        "2026-07-31",
    ]


def test_until_is_inclusive_in_the_meetings_zone():
    first = at("Asia/Kolkata", 2026, 7, 1, 23, 30)  # 18:00 UTC
    kolkata = zoneinfo.ZoneInfo("Asia/Kolkata")
    rule = rule_for(Recurrence(frequency="daily", until=dt.date(2026, 7, 3)), first, kolkata)
    assert rule == "FREQ=DAILY;UNTIL=20260703T182959Z"
    assert [s.astimezone(kolkata).day for s in starts(rule, first, kolkata)] == [1, 2, 3]


def test_count_and_a_series_without_end():
    first = at("UTC", 2026, 7, 1, 9)
    assert len(starts(rule_for(Recurrence(frequency="daily", count=3), first, UTC), first, UTC)) == 3
    endless = rule_for(Recurrence(frequency="daily", interval=3), first, UTC)
    assert endless == "FREQ=DAILY;INTERVAL=3"
    found = starts(endless, first, UTC, 500)
    assert len(found) == 500
    assert found[-1] == first + dt.timedelta(days=3 * 499)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (Recurrence(frequency="yearly"), "Repeat daily, on weekdays, weekly or monthly."),
        (Recurrence(frequency="daily", interval=0), "Repeat every 1 to 99 days, weeks or months."),
        (Recurrence(frequency="daily", interval=100), "Repeat every 1 to 99 days, weeks or months."),
        (Recurrence(frequency="weekdays", interval=2), "Meetings on weekdays repeat every week."),
        (
            Recurrence(frequency="daily", count=3, until=dt.date(2026, 8, 1)),
            "End the series on a date or after a number of times, not both.",
        ),
        (Recurrence(frequency="daily", count=0), "A series can have 1 to 730 meetings."),
        (Recurrence(frequency="daily", count=731), "A series can have 1 to 730 meetings."),
        (
            Recurrence(frequency="daily", until=dt.date(2026, 6, 30)),
            "The series can't end before its first meeting.",
        ),
        (
            Recurrence(frequency="weekly", weekdays=("XX",)),
            "Unknown weekday 'XX': use MO, TU, WE, TH, FR, SA or SU.",
        ),
        (
            Recurrence(frequency="weekly", weekdays=("TU",)),
            "The first meeting is on a Wednesday: include that day.",
        ),
        (Recurrence(frequency="daily", weekdays=("WE",)), "Pick weekdays only for a weekly series."),
    ],
)
def test_bad_rules_are_refused(value, message):
    with pytest.raises(InvalidInput) as refused:
        recurrence_clean(value, starts_at=at("UTC", 2026, 7, 1, 9), zone=UTC)  # a Wednesday
    assert refused.value.message == message
    assert refused.value.detail == [{"loc": ["recurrence"], "msg": message}]


def test_weekdays_must_start_on_a_weekday():
    with pytest.raises(InvalidInput) as refused:
        recurrence_clean(Recurrence(frequency="weekdays"), starts_at=at("UTC", 2026, 7, 4, 9), zone=UTC)
    assert refused.value.message == "A series on weekdays must start on a weekday."


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Recurrence(frequency="daily"), "Daily"),
        (Recurrence(frequency="daily", interval=2, count=1), "Every 2 days, once"),
        (Recurrence(frequency="weekdays", count=10), "Every weekday, 10 times"),
        (
            Recurrence(frequency="weekly", weekdays=("MO", "WE"), until=dt.date(2027, 1, 31)),
            "Weekly on Monday and Wednesday, until 31 Jan 2027",
        ),
        (
            Recurrence(frequency="weekly", interval=3, weekdays=("MO", "WE", "FR")),
            "Every 3 weeks on Monday, Wednesday and Friday",
        ),
        (Recurrence(frequency="monthly"), "Monthly on day 6"),
    ],
)
def test_round_trip_and_words(value, text):
    first = at("Europe/London", 2026, 7, 6, 9)  # Monday
    cleaned = recurrence_clean(value, starts_at=first, zone=LONDON)
    rule = recurrence_to_rule(cleaned, zone=LONDON)
    assert recurrence_from_rule(rule, zone=LONDON) == cleaned
    assert recurrence_describe(cleaned, starts_at=first, zone=LONDON) == text


def test_split_helpers():
    first = at("UTC", 2026, 7, 1, 9)
    rule = "FREQ=DAILY;COUNT=10"
    ended = rule_with_until(rule, last_before=at("UTC", 2026, 7, 4, 9), zone=UTC)
    assert ended == "FREQ=DAILY;UNTIL=20260703T235959Z"
    assert [s.day for s in starts(ended, first, UTC)] == [1, 2, 3]
    assert is_rule_start(rule, starts_at=first, zone=UTC, moment=at("UTC", 2026, 7, 10, 9))
    assert not is_rule_start(rule, starts_at=first, zone=UTC, moment=at("UTC", 2026, 7, 11, 9))
    assert not is_rule_start(rule, starts_at=first, zone=UTC, moment=at("UTC", 2026, 7, 2, 10))


@pytest.mark.parametrize(
    ("zone_name", "first", "split", "until", "last_day"),
    [
        # 09:00 UTC daily: the split day's start minus a second used to read back as the split day.
        ("UTC", (2026, 7, 1, 9), (2026, 7, 3, 9), "20260702T235959Z", dt.date(2026, 7, 2)),
        # 08:00 in Tokyo is 23:00 UTC the day before; in New York 20:00 is 00:00 UTC the day after.
        ("Asia/Tokyo", (2026, 7, 1, 8), (2026, 7, 3, 8), "20260702T145959Z", dt.date(2026, 7, 2)),
        ("America/New_York", (2026, 7, 1, 20), (2026, 7, 3, 20), "20260703T035959Z", dt.date(2026, 7, 2)),
    ],
)
def test_rule_with_until_reads_back_as_the_day_before_the_split(zone_name, first, split, until, last_day):
    zone = zoneinfo.ZoneInfo(zone_name)
    starts_at, split_at = at(zone_name, *first), at(zone_name, *split)
    ended = rule_with_until("FREQ=DAILY;COUNT=10", last_before=split_at, zone=zone)
    assert ended == f"FREQ=DAILY;UNTIL={until}"
    value = recurrence_from_rule(ended, zone=zone)
    assert value == Recurrence(frequency="daily", until=last_day)
    # Written again (as a move of the series does), it is the same rule: the split day stays out.
    assert recurrence_to_rule(recurrence_clean(value, starts_at=starts_at, zone=zone), zone=zone) == ended
    assert starts(ended, starts_at, zone) == [starts_at, starts_at + dt.timedelta(days=1)]
    assert recurrence_describe(value, starts_at=starts_at, zone=zone) == "Daily, until 2 Jul 2026"


def test_a_rule_ended_by_an_older_split_reads_back_without_the_split_day():
    # Written before the fix: the split occurrence's start minus a second.
    old = "FREQ=DAILY;UNTIL=20260703T085959Z"
    assert recurrence_from_rule(old, zone=UTC) == Recurrence(frequency="daily", until=dt.date(2026, 7, 2))
    assert recurrence_from_rule(old, zone=zoneinfo.ZoneInfo("Asia/Tokyo")).until == dt.date(2026, 7, 2)


@pytest.mark.parametrize(
    "value",
    [
        Recurrence(frequency="daily", until=dt.date(9999, 12, 31)),
        Recurrence(frequency="monthly", interval=99, count=730),
        Recurrence(frequency="weekly", interval=99, count=730),
    ],
)
def test_a_series_ends_within_ten_years_of_its_start(value):
    tokyo = zoneinfo.ZoneInfo("Asia/Tokyo")
    first = at("Asia/Tokyo", 2026, 7, 1, 9)
    with pytest.raises(InvalidInput) as refused:
        recurrence_clean(value, starts_at=first, zone=tokyo)
    assert refused.value.detail == [
        {"loc": ["recurrence"], "msg": "End the series within ten years of its first meeting."}
    ]


def test_the_last_day_ten_years_on_is_allowed():
    first = at("Asia/Tokyo", 2026, 7, 1, 9)
    last = (first.astimezone(zoneinfo.ZoneInfo("Asia/Tokyo")) + SCHEDULE_WINDOW).date()
    assert last == dt.date(2036, 6, 30)
    value = Recurrence(frequency="daily", until=last)
    assert recurrence_clean(value, starts_at=first, zone=zoneinfo.ZoneInfo("Asia/Tokyo")) == value
    with pytest.raises(InvalidInput):
        recurrence_clean(
            Recurrence(frequency="daily", until=dt.date(2036, 7, 1)),
            starts_at=first,
            zone=zoneinfo.ZoneInfo("Asia/Tokyo"),
        )
    daily = Recurrence(frequency="daily", count=730)
    assert recurrence_clean(daily, starts_at=first, zone=UTC) == daily


@pytest.mark.parametrize(
    ("rule", "first"),
    [
        ("FREQ=DAILY;INTERVAL=3", at("America/New_York", 2026, 3, 7, 2, 30)),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE,SU", at("America/New_York", 2026, 1, 5, 23, 30)),
        ("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", at("America/New_York", 2026, 6, 5, 9)),
        ("FREQ=MONTHLY;INTERVAL=5", at("America/New_York", 2026, 1, 31, 9)),
        ("FREQ=MONTHLY", at("America/New_York", 2026, 1, 29, 0, 15)),
        ("FREQ=DAILY;UNTIL=20280101T000000Z", at("America/New_York", 2026, 1, 1, 9)),
    ],
)
def test_expansion_from_a_later_moment_matches_expansion_from_the_start(rule, first):
    every = starts(rule, first, NEW_YORK, n=800)
    for days in (0, 1, 17, 45, 100, 365, 400, 700):
        for hours in (0, 9, 14, 23):
            after = first + dt.timedelta(days=days, hours=hours)
            expected = [s for s in every if s > after][:5]
            assert list(
                itertools.islice(rule_starts(rule, starts_at=first, zone=NEW_YORK, after=after), 5)
            ) == (expected), (days, hours)


def test_expansion_far_from_the_start_does_not_step_through_every_meeting(monkeypatch):
    first = at("America/New_York", 2026, 7, 1, 9)
    stepped: list[dt.datetime] = []

    # dateutil steps from the rule's dtstart to the moment asked for: count the steps it takes.
    real_iter = rrule.rrule._iter

    def counting_iter(self):
        for wall in real_iter(self):
            stepped.append(wall)
            yield wall

    monkeypatch.setattr(rrule.rrule, "_iter", counting_iter)
    found = next(rule_starts("FREQ=DAILY", starts_at=first, zone=NEW_YORK, after=at("UTC", 9000, 1, 1)))
    assert found == at("America/New_York", 9000, 1, 1, 9)
    assert 0 < len(stepped) < 10  # from 2026 day by day would be about 2.5 million
    assert is_rule_start("FREQ=WEEKLY;BYDAY=WE", starts_at=first, zone=NEW_YORK, moment=found)
    assert not is_rule_start(
        "FREQ=WEEKLY;BYDAY=WE", starts_at=first, zone=NEW_YORK, moment=found - dt.timedelta(days=2)
    )
