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
_FREQ = {"DAILY": rrule.DAILY, "WEEKLY": rrule.WEEKLY, "MONTHLY": rrule.MONTHLY}
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
    return replace(value, weekdays=weekdays)


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
        last_second = dt.datetime.combine(value.until, dt.time(23, 59, 59))
        parts.append(f"UNTIL={localize(last_second, zone):%Y%m%dT%H%M%SZ}")
    if value.count is not None:
        parts.append(f"COUNT={value.count}")
    return ";".join(parts)


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
    return Recurrence(
        frequency=frequency,
        interval=interval,
        weekdays=weekdays,
        until=until.astimezone(zone).date() if until else None,
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


def _rule_set(rule: str, *, starts_at: dt.datetime, zone: zoneinfo.ZoneInfo) -> rrule.rrule:
    parts = _parts(rule)
    until = _until(parts)
    return rrule.rrule(
        _FREQ[parts["FREQ"]],
        dtstart=local_wall(starts_at, zone),
        interval=int(parts.get("INTERVAL", "1")),
        byweekday=[DAYS.index(day) for day in parts["BYDAY"].split(",")] if "BYDAY" in parts else None,
        count=int(parts["COUNT"]) if "COUNT" in parts else None,
        until=local_wall(until, zone) if until else None,
    )


def rule_starts(
    rule: str, *, starts_at: dt.datetime, zone: zoneinfo.ZoneInfo, after: dt.datetime
) -> Iterator[dt.datetime]:
    """The rule's occurrence starts (UTC, in order) from the first later than `after`; endless for
    a rule without an end, so callers stop when they have enough."""
    # A day early in wall time, then exact in UTC: offsets move the two apart by a few hours.
    wall_after = local_wall(after, zone) - dt.timedelta(days=1)
    for wall in _rule_set(rule, starts_at=starts_at, zone=zone).xafter(wall_after):
        moment = localize(wall, zone)
        if moment > after:
            yield moment


def is_rule_start(rule: str, *, starts_at: dt.datetime, zone: zoneinfo.ZoneInfo, moment: dt.datetime) -> bool:
    first = next(
        rule_starts(rule, starts_at=starts_at, zone=zone, after=moment - dt.timedelta(seconds=1)), None
    )
    return first == moment


def rule_with_until(rule: str, *, last_before: dt.datetime) -> str:
    """The rule ended just before `last_before` (UTC; COUNT gives way to UNTIL)."""
    kept = [part for part in rule.split(";") if not part.startswith(("UNTIL=", "COUNT="))]
    return ";".join([*kept, f"UNTIL={last_before - dt.timedelta(seconds=1):%Y%m%dT%H%M%SZ}"])


def recurrence_shift_days(value: Recurrence, *, days: int) -> Recurrence:
    """The same series moved by whole days: weekly weekdays follow (a Monday series moved a day is
    a Tuesday series); the end date stays, so a series moved later may have one fewer meeting."""
    if not days or value.frequency != "weekly":
        return value
    return replace(value, weekdays=tuple(DAYS[(DAYS.index(day) + days) % 7] for day in value.weekdays))
