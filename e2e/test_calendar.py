"""The calendar in real browsers: a host in London schedules a weekly meeting from a selected slot,
and an invitee in Kolkata sees it on their own days and hours, before and after London's clocks
go forward (28 March 2027; Kolkata has no summer time).

19:00 in London is 00:30 the next day in Kolkata in winter (GMT, UTC+0) and 23:30 the same day
in summer (BST, UTC+1). Events are read from the rendered calendar: each event element carries
`data-occurrence-start` (the occurrence's start, UTC) and sits in its day's column
(`td.fc-timegrid-col[data-date=…]`, FullCalendar's markup), showing its time.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets

from conftest import Browsers
from playwright.sync_api import Locator, Page, expect
from support import Server, make_user

PASSWORD = "Harbor-Lantern-7391!"
HOST_NAME = "Hana Host"
TITLE = "Weekly sync"
UTC = dt.UTC


def field_name(text: str) -> re.Pattern[str]:
    return re.compile(rf"^\s*{re.escape(text)}\s*\*?\s*$")


def sign_in(page: Page, email: str) -> None:
    page.goto("/signin")
    page.get_by_role("textbox", name=field_name("Email")).fill(email)
    page.get_by_label(field_name("Password")).fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    # The signed-in home.
    expect(page).to_have_url(re.compile(r"/dashboard/?(\?.*)?$"))
    expect(page.get_by_role("heading", name="Home", exact=True)).to_be_visible()


def open_week(page: Page, monday: str, zone: str) -> None:
    page.get_by_role("navigation").get_by_role("link", name="Calendar", exact=True).click()
    expect(page.get_by_role("heading", name="Calendar", exact=True)).to_be_visible()
    expect(page.get_by_text(f"Times in {zone.replace('_', ' ')}", exact=True)).to_be_visible()
    # A week can be linked to (the calendar keeps its place in the address).
    page.goto(f"/calendar?view=timeGridWeek&date={monday}")
    expect(page.locator(f'td.fc-timegrid-col[data-date="{monday}"]')).to_be_visible()


def day_column(page: Page, date: str) -> Locator:
    return page.locator(f'td.fc-timegrid-col[data-date="{date}"]')


def events_in(page: Page, date: str) -> Locator:
    return day_column(page, date).locator("[data-occurrence-start]")


def starts_of(events: Locator) -> list[dt.datetime]:
    values = [events.nth(i).get_attribute("data-occurrence-start") for i in range(events.count())]
    return [dt.datetime.fromisoformat(value.replace("Z", "+00:00")) for value in values if value]


def expect_occurrence(page: Page, date: str, time_text: str, start_utc: dt.datetime) -> None:
    """One event in `date`'s column showing `time_text`, starting at `start_utc`."""
    events = events_in(page, date)
    expect(events).to_have_count(1)
    expect(events.first).to_contain_text(time_text)
    expect(events.first).to_contain_text(TITLE)
    assert starts_of(events) == [start_utc]


def select_slot(page: Page, date: str, start: str, last_slot: str) -> None:
    """Drag over the week view from the `start` slot to the `last_slot` slot (both HH:MM:SS)."""
    first = page.locator(f'td.fc-timegrid-slot-lane[data-time="{start}"]')
    last = page.locator(f'td.fc-timegrid-slot-lane[data-time="{last_slot}"]')
    first.scroll_into_view_if_needed()
    column = day_column(page, date).bounding_box()
    top = first.bounding_box()
    bottom = last.bounding_box()
    assert column and top and bottom
    x = column["x"] + column["width"] / 2
    page.mouse.move(x, top["y"] + top["height"] / 2)
    page.mouse.down()
    page.mouse.move(x, bottom["y"] + bottom["height"] / 2, steps=8)
    page.mouse.up()


def test_weekly_meeting_shows_in_each_viewers_zone_across_dst(browsers: Browsers, server: Server) -> None:
    token = secrets.token_hex(4)
    host_email = f"host.{token}@example.com"
    invitee_email = f"invitee.{token}@example.com"
    make_user(server, email=host_email, password=PASSWORD, full_name=HOST_NAME, timezone="Europe/London")
    make_user(
        server, email=invitee_email, password=PASSWORD, full_name="Ishaan Invitee", timezone="Asia/Kolkata"
    )

    # The host, in London, selects Monday 22 March 2027 19:00-20:00 on the week view.
    host = browsers.new_context("host", timezone_id="Europe/London").new_page()
    sign_in(host, host_email)
    open_week(host, "2027-03-22", "Europe/London")
    expect(host.get_by_text("Nothing scheduled in this period", exact=False)).to_be_visible()  # loaded
    select_slot(host, "2027-03-22", "19:00:00", "19:30:00")

    dialog = host.get_by_role("dialog", name="Schedule a meeting")
    expect(dialog.get_by_label("Date", exact=True)).to_have_value("2027-03-22")
    expect(dialog.get_by_label("Start time", exact=True)).to_have_value("19:00")
    expect(dialog.get_by_label("End time", exact=True)).to_have_value("20:00")
    expect(dialog.get_by_label("Time zone", exact=True)).to_have_value("Europe/London")
    dialog.get_by_label("Title", exact=True).fill(TITLE)
    dialog.get_by_label("Repeat", exact=True).select_option("weekly")
    expect(dialog.get_by_role("button", name="Monday", exact=True)).to_have_attribute("aria-pressed", "true")
    dialog.get_by_role("button", name="Wednesday", exact=True).click()
    dialog.get_by_role("radio", name="On", exact=True).check()
    dialog.get_by_label("End date", exact=True).fill("2027-04-30")
    expect(
        dialog.get_by_text("Weekly on Monday and Wednesday, until 30 Apr 2027", exact=True)
    ).to_be_visible()
    dialog.get_by_label("Invitees", exact=True).fill(invitee_email)
    dialog.get_by_role("button", name="Schedule", exact=True).click()

    done = host.get_by_role("dialog", name="Meeting scheduled")
    expect(done.get_by_text(re.compile(r"^Weekly on Monday and Wednesday"))).to_be_visible()
    done.get_by_role("button", name="Done", exact=True).click()
    expect(done).to_have_count(0)

    # The host sees it at 19:00 on Monday and Wednesday (winter time in London: 19:00 UTC).
    expect_occurrence(host, "2027-03-22", "19:00", dt.datetime(2027, 3, 22, 19, tzinfo=UTC))
    expect_occurrence(host, "2027-03-24", "19:00", dt.datetime(2027, 3, 24, 19, tzinfo=UTC))
    expect(events_in(host, "2027-03-23")).to_have_count(0)

    # The invitee, in Kolkata: 00:30 on Tuesday and Thursday.
    invitee = browsers.new_context("invitee", timezone_id="Asia/Kolkata").new_page()
    sign_in(invitee, invitee_email)
    open_week(invitee, "2027-03-22", "Asia/Kolkata")
    expect_occurrence(invitee, "2027-03-23", "00:30", dt.datetime(2027, 3, 22, 19, tzinfo=UTC))
    expect_occurrence(invitee, "2027-03-25", "00:30", dt.datetime(2027, 3, 24, 19, tzinfo=UTC))
    for date in ("2027-03-22", "2027-03-24"):
        expect(events_in(invitee, date)).to_have_count(0)

    # Clicked, it tells the time in the meeting's own zone and who hosts it; no moving it.
    events_in(invitee, "2027-03-23").first.click()
    details = invitee.get_by_role("dialog", name=TITLE)
    expect(details.get_by_text(re.compile(r"\(Mon 19:00 in Europe/London\)"))).to_be_visible()
    expect(details.get_by_text(f"Host: {HOST_NAME}", exact=True)).to_be_visible()
    expect(details.get_by_text(re.compile(r"^Weekly on Monday and Wednesday"))).to_be_visible()
    expect(details.get_by_role("button", name="Join", exact=True)).to_be_disabled()
    invitee.keyboard.press("Escape")
    expect(details).to_have_count(0)
    expect(events_in(invitee, "2027-03-23").first).not_to_have_class(re.compile(r"\bfc-event-draggable\b"))

    # The week after London's clocks go forward: still 19:00 in London, now 23:30 the same day in
    # Kolkata, running past midnight (FullCalendar draws the last half hour in the next day's column).
    invitee.get_by_role("button", name="Next week").click()
    expect(day_column(invitee, "2027-03-29")).to_be_visible()
    for day, next_day in (("2027-03-29", "2027-03-30"), ("2027-03-31", "2027-04-01")):
        start = dt.datetime.fromisoformat(f"{day}T18:00:00+00:00")
        expect_occurrence(invitee, day, "23:30", start)
        expect(events_in(invitee, day).first).not_to_have_class(re.compile(r"\bfc-event-end\b"))
        rest = events_in(invitee, next_day)
        expect(rest).to_have_count(1)
        expect(rest.first).not_to_have_class(re.compile(r"\bfc-event-start\b"))
        assert starts_of(rest) == [start]
    expect(events_in(invitee, "2027-04-02")).to_have_count(0)
    expect(invitee).to_have_url(re.compile(r"[?&]date=2027-03-29\b"))

    # And for the host it stays at 19:00.
    host.get_by_role("button", name="Next week").click()
    expect_occurrence(host, "2027-03-29", "19:00", dt.datetime(2027, 3, 29, 18, tzinfo=UTC))
    expect_occurrence(host, "2027-03-31", "19:00", dt.datetime(2027, 3, 31, 18, tzinfo=UTC))

    # The host drags Wednesday's meeting an hour later, for that day only.
    event = events_in(host, "2027-03-31").first
    expect(event).to_have_class(re.compile(r"\bfc-event-draggable\b"))
    event.scroll_into_view_if_needed()
    box = event.bounding_box()
    slot = host.locator('td.fc-timegrid-slot-lane[data-time="19:00:00"]').bounding_box()
    assert box and slot
    x, y = box["x"] + box["width"] / 2, box["y"] + 10
    host.mouse.move(x, y)
    host.mouse.down()
    host.mouse.move(x, y + slot["height"] * 2, steps=10)
    host.mouse.up()
    move = host.get_by_role("dialog", name="Move a repeating meeting")
    expect(move.get_by_text(f"Move \u201c{TITLE}\u201d to Wed 20:00\u201321:00?", exact=True)).to_be_visible()
    expect(move.get_by_role("radio", name="This meeting", exact=True)).to_be_checked()
    move.get_by_role("button", name="Move", exact=True).click()
    expect(move).to_have_count(0)
    expect_occurrence(host, "2027-03-31", "20:00", dt.datetime(2027, 3, 31, 19, tzinfo=UTC))
    expect_occurrence(host, "2027-03-29", "19:00", dt.datetime(2027, 3, 29, 18, tzinfo=UTC))
