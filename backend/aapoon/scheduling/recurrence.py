"""Recurrence rules: the form a host fills in <-> an RFC 5545 RRULE <-> a sentence; expansion.

Occurrences are computed in the meeting's own zone on naive wall-clock times, then each is
placed in the zone (fold=0), so 09:00 Europe/London stays 09:00 local in summer and winter. A
wall time that doesn't exist (inside a spring-forward gap) comes out an hour later, as zoneinfo
resolves it with fold=0 (02:30 on the night clocks go to 03:00 is 03:30).
"""

import datetime as dt
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Literal

from dateutil import rrule

from aapoon.core.errors import InvalidInput

Frequency = Literal["daily", "weekdays", "weekly", "monthly"]
FREQUENCIES: tuple[Frequency, ...] = ("daily", "weekdays", "weekly", "monthly")
DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
WORKDAYS = DAYS[:5]
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MAX_INTERVAL = 99
MAX_COUNT = 730
# How far from today a meeting may be scheduled, and so how far a series may run or a rule be
# expanded: far enough for any real plan, near enough that every time zone can still show the date.
SCHEDULE_WINDOW = dt.timedelta(days=3652)
LAST_SECOND = dt.time(23, 59, 59)
_FREQ = {"DAILY": rrule.DAILY, "WEEKLY": rrule.WEEKLY, "MONTHLY": rrule.MONTHLY}
_UTC = zoneinfo.ZoneInfo("UTC")
_UNITS = {"daily": "day", "weekly": "week", "monthly": "month"}


@dataclass(frozen=True)
class Recurrence:
    """A host's choice. `weekdays` only for weekly (empty: the start's weekday); `until` is a date
    in the meeting's zone, inclusive; neither `until` nor `count`: no end."""

    frequency: str
    interval: int = 1
    weekdays: tuple[str, ...] = ()
    until: dt.date | None = None
    count: int | None = None


def _refuse(message: str) -> InvalidInput:
    return InvalidInput(message, field="recurrence")


def local_wall(moment: dt.datetime, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    """A UTC-aware moment as a naive wall-clock time in `zone`."""
    return moment.astimezone(zone).replace(tzinfo=None)


def localize(wall: dt.datetime, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    """A naive wall-clock time in `zone` as a UTC-aware moment (a time in a DST gap moves forward)."""
    return wall.replace(tzinfo=zone, fold=0).astimezone(dt.UTC)


def recurrence_clean(value: Recurrence, *, starts_at: dt.datetime, zone: zoneinfo.ZoneInfo) -> Recurrence:
    """The recurrence made explicit (weekdays filled in), or InvalidInput(field="recurrence")."""
    if value.frequency not in FREQUENCIES:
        raise _refuse("Repeat daily, on weekdays, weekly or monthly.")
    if not 1 <= value.interval <= MAX_INTERVAL:
        raise _refuse(f"Repeat every 1 to {MAX_INTERVAL} days, weeks or months.")
    if value.frequency == "weekdays" and value.interval != 1:
        raise _refuse("Meetings on weekdays repeat every week.")
    if value.until is not None and value.count is not None:
        raise _refuse("End the series on a date or after a number of times, not both.")
    if value.count is not None and not 1 <= value.count <= MAX_COUNT:
        raise _refuse(f"A series can have 1 to {MAX_COUNT} meetings.")
    start = starts_at.astimezone(zone)
    if value.until is not None and value.until < start.date():
        raise _refuse("The series can't end before its first meeting.")
    if value.until is not None and value.until > (start + SCHEDULE_WINDOW).date():
        raise _refuse("End the series within ten years of its first meeting.")
    weekday = DAYS[start.weekday()]
    weekdays: tuple[str, ...] = ()
    if value.frequency == "weekly":
        unknown = [day for day in value.weekdays if day not in DAYS]
        if unknown:
            raise _refuse(f"Unknown weekday {unknown[0]!r}: use MO, TU, WE, TH, FR, SA or SU.")
        weekdays = tuple(day for day in DAYS if day in value.weekdays) or (weekday,)
        # RFC 5545 leaves a first meeting outside the rule undefined, and calendars disagree on it.
        if weekday not in weekdays:
            raise _refuse(f"The first meeting is on a {DAY_NAMES[start.weekday()]}: include that day.")
    elif value.weekdays:
        raise _refuse("Pick weekdays only for a weekly series.")
    if value.frequency == "weekdays" and weekday not in WORKDAYS:
        raise _refuse("A series on weekdays must start on a weekday.")
    cleaned = replace(value, weekdays=weekdays)
    if cleaned.count is not None and _last_of_count(cleaned, start=start) > start + SCHEDULE_WINDOW:
        raise _refuse("End the series within ten years of its first meeting.")
    return cleaned


def _last_of_count(value: Recurrence, *, start: dt.datetime) -> dt.datetime:
    """The wall-clock start of the last meeting of a series with a COUNT (at most MAX_COUNT steps)."""
    wall = start.replace(tzinfo=None)
    *_, last = _rule_set(recurrence_to_rule(value, zone=_UTC), dtstart=wall, zone=_UTC)
    return last.replace(tzinfo=start.tzinfo)


def recurrence_to_rule(value: Recurrence, *, zone: zoneinfo.ZoneInfo) -> str:
    """The RRULE value (no "RRULE:" prefix) of a cleaned recurrence. UNTIL is the end of the
    last day in the meeting's zone, written in UTC as RFC 5545 requires with a TZID start."""
    if value.frequency == "weekdays":
        parts = ["FREQ=WEEKLY", f"BYDAY={','.join(WORKDAYS)}"]
    else:
        parts = [f"FREQ={value.frequency.upper()}"]
        if value.interval != 1:
            parts.append(f"INTERVAL={value.interval}")
        if value.weekdays:
            parts.append(f"BYDAY={','.join(value.weekdays)}")
    if value.until is not None:
        parts.append(f"UNTIL={_until_value(value.until, zone)}")
    if value.count is not None:
        parts.append(f"COUNT={value.count}")
    return ";".join(parts)


def _until_value(last_day: dt.date, zone: zoneinfo.ZoneInfo) -> str:
    """UNTIL for a series whose last day is `last_day`: 23:59:59 that day in `zone`, in UTC."""
    return f"{localize(dt.datetime.combine(last_day, LAST_SECOND), zone):%Y%m%dT%H%M%SZ}"


def _parts(rule: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in rule.split(";") if "=" in part)


def _until(parts: dict[str, str]) -> dt.datetime | None:
    if "UNTIL" not in parts:
        return None
    return dt.datetime.strptime(parts["UNTIL"], "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)


def recurrence_from_rule(rule: str, *, zone: zoneinfo.ZoneInfo) -> Recurrence:
    """The form's view of a stored rule (weekly on Monday to Friday reads as "weekdays")."""
    parts = _parts(rule)
    frequency = parts["FREQ"].lower()
    interval = int(parts.get("INTERVAL", "1"))
    weekdays = tuple(parts["BYDAY"].split(",")) if "BYDAY" in parts else ()
    if frequency == "weekly" and interval == 1 and weekdays == WORKDAYS:
        frequency, weekdays = "weekdays", ()
    until = _until(parts)
    last_day = None
    if until is not None:
        local = until.astimezone(zone)
        last_day = local.date()
        # Rules ended by an older split hold UNTIL = the next meeting's start minus a second: no
        # meeting of that day is in the series, so the last day is the one before.
        if local.time() != LAST_SECOND:
            last_day -= dt.timedelta(days=1)
    return Recurrence(
        frequency=frequency,
        interval=interval,
        weekdays=weekdays,
        until=last_day,
        count=int(parts["COUNT"]) if "COUNT" in parts else None,
    )


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def recurrence_describe(value: Recurrence, *, starts_at: dt.datetime, zone: zoneinfo.ZoneInfo) -> str:
    """E.g. "Weekly on Monday and Wednesday, until 31 Jan 2027" or "Every 2 months on day 31, 5 times"."""
    start = starts_at.astimezone(zone)
    if value.frequency == "weekdays":
        text = "Every weekday"
    else:
        unit = _UNITS[value.frequency]
        text = value.frequency.capitalize() if value.interval == 1 else f"Every {value.interval} {unit}s"
        if value.frequency == "weekly":
            text += " on " + _join([DAY_NAMES[DAYS.index(day)] for day in value.weekdays])
        elif value.frequency == "monthly":
            text += f" on day {start.day}"
    if value.until is not None:
        text += f", until {value.until.day} {value.until:%b %Y}"
    elif value.count is not None:
        text += ", once" if value.count == 1 else f", {value.count} times"
    return text


def _rule_set(
    rule: str, *, dtstart: dt.datetime, zone: zoneinfo.ZoneInfo, near: dt.datetime | None = None
) -> rrule.rrule:
    """The rule over naive wall-clock times from `dtstart`. With `near` (and no COUNT, which counts
    from the first meeting) the rule starts at its last period beginning at or before `near`, so
    expanding it far from the first meeting doesn't step through every meeting in between."""
    parts = _parts(rule)
    until = _until(parts)
    freq, interval = _FREQ[parts["FREQ"]], int(parts.get("INTERVAL", "1"))
    first = dtstart
    if near is not None and near > dtstart and "COUNT" not in parts:
        first = _period_at(dtstart, freq=freq, interval=interval, near=near)
    return rrule.rrule(
        freq,
        dtstart=first,
        interval=interval,
        wkst=rrule.MO,
        byweekday=[DAYS.index(day) for day in parts["BYDAY"].split(",")] if "BYDAY" in parts else None,
        bymonthday=dtstart.day if freq == rrule.MONTHLY else None,
        count=int(parts["COUNT"]) if "COUNT" in parts else None,
        until=local_wall(until, zone) if until else None,
    )


def _period_at(dtstart: dt.datetime, *, freq: int, interval: int, near: dt.datetime) -> dt.datetime:
    """The start of the rule's last period (day, week or month; whole intervals from `dtstart`) at
    or before `near`: no meeting falls between it and `near` that the rule from `dtstart` wouldn't
    place there too. Months start on the 1st (the rule keeps `dtstart`'s day of the month)."""
    if freq == rrule.DAILY:
        return dtstart + dt.timedelta(days=(near - dtstart).days // interval * interval)
    if freq == rrule.WEEKLY:  # whole weeks from dtstart's, with dtstart's weekday and time
        return dtstart + dt.timedelta(weeks=(near - dtstart).days // 7 // interval * interval)
    months = (near.year - dtstart.year) * 12 + near.month - dtstart.month
    index = dtstart.month - 1 + months // interval * interval
    return dtstart.replace(year=dtstart.year + index // 12, month=index % 12 + 1, day=1)


def rule_starts(
    rule: str, *, starts_at: dt.datetime, zone: zoneinfo.ZoneInfo, after: dt.datetime
) -> Iterator[dt.datetime]:
    """The rule's occurrence starts (UTC, in order) from the first later than `after`; endless for
    a rule without an end, so callers stop when they have enough."""
    # A day early in wall time, then exact in UTC: offsets move the two apart by a few hours.
    wall_after = local_wall(after, zone) - dt.timedelta(days=1)
    rules = _rule_set(rule, dtstart=local_wall(starts_at, zone), zone=zone, near=wall_after)
    for wall in rules.xafter(wall_after):
        moment = localize(wall, zone)
        if moment > after:
            yield moment


def is_rule_start(rule: str, *, starts_at: dt.datetime, zone: zoneinfo.ZoneInfo, moment: dt.datetime) -> bool:
    first = next(
        rule_starts(rule, starts_at=starts_at, zone=zone, after=moment - dt.timedelta(seconds=1)), None
    )
    return first == moment


def rule_with_until(rule: str, *, last_before: dt.datetime, zone: zoneinfo.ZoneInfo) -> str:
    """The rule ended before the occurrence starting at `last_before` (COUNT gives way to UNTIL):
    its last day is the day before in the meeting's zone (a series meets at most once a day), and
    UNTIL is the end of that day as `recurrence_to_rule` writes it, so the form reads it back exactly."""
    kept = [part for part in rule.split(";") if not part.startswith(("UNTIL=", "COUNT="))]
    last_day = last_before.astimezone(zone).date() - dt.timedelta(days=1)
    return ";".join([*kept, f"UNTIL={_until_value(last_day, zone)}"])


def recurrence_shift_days(value: Recurrence, *, days: int) -> Recurrence:
    """The same series moved by whole days: weekly weekdays follow (a Monday series moved a day is
    a Tuesday series); the end date stays, so a series moved later may have one fewer meeting."""
    if not days or value.frequency != "weekly":
        return value
    return replace(value, weekdays=tuple(DAYS[(DAYS.index(day) + days) % 7] for day in value.weekdays))
