"""Polls in real browsers: a host and two guests in one P2P meeting, cameras and microphones off
(media is not the point here, and three pages then fit on two cores).

The host writes a single-choice poll in the "Polls" panel and launches it; it pops up for the
guests (their chats are closed); both vote, one changes their vote from the chat; the host watches
the live counts, closes the poll and shares the results, which both guests then see. Elements are
found by role and accessible name as listed in docs/ui-contract.md ("Polls").
"""

from __future__ import annotations

import re

from conftest import Browsers
from playwright.sync_api import Locator, Page, expect
from support import Server
from test_meeting_room import (
    GUEST_NAME,
    THIRD_NAME,
    button,
    field_name,
    host_and_guests_walk_in,
    open_chat,
)

QUESTION = "Where shall we meet?"
OPTIONS = ("Park", "Library")


def poll_card(page: Page) -> Locator:
    """The poll as a participant sees it: the pop-up, or the card in the chat (one at a time)."""
    return page.get_by_role("region", name=QUESTION, exact=True)


def hosted_poll(page: Page) -> Locator:
    return page.get_by_role("region", name="Polls", exact=True).get_by_role(
        "listitem", name=QUESTION, exact=True
    )


def expect_results(where: Locator, park: str, library: str) -> None:
    """Each option's bar says how many chose it and what share of the voters that is."""
    for option, text in zip(OPTIONS, (park, library), strict=True):
        expect(where.get_by_role("progressbar", name=option, exact=True)).to_have_attribute(
            "aria-valuetext", text
        )


def vote(page: Page, option: str, action: str = "Vote") -> None:
    card = poll_card(page)
    card.get_by_role("radio", name=option, exact=True).check()
    button(card, action).click()


def test_host_runs_a_poll_and_everyone_sees_the_shared_results(browsers: Browsers, server: Server) -> None:
    host, [ravi, meera], _ = host_and_guests_walk_in(
        browsers, server, (("ravi", GUEST_NAME), ("meera", THIRD_NAME)), media=False
    )

    # The host writes the poll; the composer refuses it until it is complete.
    button(host.page, "Polls").click()
    panel = host.page.get_by_role("region", name="Polls", exact=True)
    panel.get_by_role("textbox", name=field_name("Question")).fill(QUESTION)
    panel.get_by_role("textbox", name=field_name("Option 1")).fill(OPTIONS[0])
    button(panel, "Launch poll").click()
    option_2 = panel.get_by_role("textbox", name=field_name("Option 2"))
    expect(option_2).to_have_attribute("aria-invalid", "true")
    expect(hosted_poll(host.page)).to_have_count(0)
    option_2.fill(OPTIONS[1])
    button(panel, "Launch poll").click()
    expect(hosted_poll(host.page).get_by_text("Open", exact=True)).to_be_visible()
    expect_results(hosted_poll(host.page), "0 votes, 0%", "0 votes, 0%")

    # It pops up for both guests (their chats are closed); both vote for the park.
    for guest in (ravi, meera):
        expect(poll_card(guest.page)).to_be_visible()
        vote(guest.page, "Park")
        expect(poll_card(guest.page)).to_have_count(0)  # answered: the pop-up goes
    expect_results(hosted_poll(host.page), "2 votes, 100%", "0 votes, 0%")

    # Meera changes her mind from the chat: still one vote of hers.
    open_chat(meera.page)
    card = poll_card(meera.page)
    expect(card.get_by_role("radio", name="Park", exact=True)).to_be_checked()
    vote(meera.page, "Library", "Change vote")
    expect(card.get_by_role("radio", name="Library", exact=True)).to_be_checked()
    expect(card.get_by_role("status")).to_have_text("Your vote is in")
    expect_results(hosted_poll(host.page), "1 vote, 50%", "1 vote, 50%")

    # The host closes the poll: no more votes, and no results for the guests until shared.
    button(hosted_poll(host.page), "Close poll").click()
    expect(hosted_poll(host.page).get_by_text("Closed", exact=True)).to_be_visible()
    expect(card.get_by_text("Poll closed", exact=True)).to_be_visible()
    expect(button(card, "Change vote")).to_have_count(0)
    expect(card.get_by_role("progressbar")).to_have_count(0)

    button(hosted_poll(host.page), "Share results").click()
    expect(hosted_poll(host.page).get_by_text("Results shared", exact=True)).to_be_visible()
    # Meera reads them in the chat; Ravi (chat closed) gets them in a pop-up.
    expect_results(card, "1 vote, 50%", "1 vote, 50%")
    ravi_card = poll_card(ravi.page)
    expect(ravi_card.get_by_text("Poll closed", exact=True)).to_be_visible()
    expect_results(ravi_card, "1 vote, 50%", "1 vote, 50%")
    expect(ravi_card.get_by_role("radio", name="Park", exact=True)).to_be_checked()
    expect(ravi_card.get_by_text(re.compile(r"^2 people voted$"))).to_be_visible()
