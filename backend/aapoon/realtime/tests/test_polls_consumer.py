"""Polls over real sockets (the ASGI stack, both channel layers): the host runs a poll, guests vote.

Live results reach the host and co-hosts only; each voter hears their own vote back; everyone sees
the poll close and its results once shared.
"""

from typing import Any

import pytest

from aapoon.realtime.tests.test_meeting_consumer import (
    enter,
    host_bea_and_cal,
    join,
    quiet,
    recv,
    recv_n,
    send,
)

pytestmark = pytest.mark.django_db(transaction=True)


def counts_of(update: dict[str, Any]) -> tuple[list[int], int]:
    assert update["type"] == "poll.updated", update
    results = update["poll"]["results"]
    return results["counts"], results["voters"]


async def next_poll_update(socket) -> dict[str, Any]:
    """The next `poll.updated`, past roster news (someone's session leaving or connecting)."""
    while True:
        message = await recv(socket)
        if message["type"] == "poll.updated":
            return message


async def test_one_vote_per_participant_and_live_results_for_hosts_only(sockets):
    host, bea, cal = await host_bea_and_cal(sockets)
    await send(host.ws, type="poll_create", question="Lunch?", options=["Pizza", "Salad"], launch=True)
    created = await recv_n(host.ws, 2)
    assert [m["type"] for m in created] == ["chat.message", "poll.updated"]
    public = created[0]["message"]["poll"]
    poll_id = public["id"]
    assert public == {
        "id": poll_id,
        "question": "Lunch?",
        "options": ["Pizza", "Salad"],
        "multiple": False,
        "anonymous": False,
        "status": "open",
        "results_shared": False,
        "results": None,
    }
    for person in (bea, cal):
        assert await recv(person.ws) == created[0]  # the same numbered broadcast
    assert counts_of(created[1]) == ([0, 0], 0)

    await send(bea.ws, type="poll_vote", poll_id=poll_id, choices=[0])
    assert await recv(bea.ws) == {"type": "poll.voted", "poll_id": poll_id, "choices": [0]}
    assert counts_of(await recv(host.ws)) == ([1, 0], 1)
    await send(cal.ws, type="poll_vote", poll_id=poll_id, choices=[0])
    assert (await recv(cal.ws))["type"] == "poll.voted"
    assert counts_of(await recv(host.ws)) == ([2, 0], 2)
    # Bea changes her mind: still one vote of hers.
    await send(bea.ws, type="poll_vote", poll_id=poll_id, choices=[1])
    assert await recv(bea.ws) == {"type": "poll.voted", "poll_id": poll_id, "choices": [1]}
    update = await recv(host.ws)
    assert counts_of(update) == ([1, 1], 2)
    assert update["poll"]["votes"] == [{"name": "Bea", "choices": [1]}, {"name": "Cal", "choices": [0]}]
    # Participants hear nothing of each other's votes, and may not run the poll.
    assert await quiet(bea.ws, cal.ws)
    for kind in ("poll_close", "poll_share"):
        await send(cal.ws, type=kind, poll_id=poll_id)
        assert (await recv(cal.ws))["code"] == "permission_denied"
    assert await quiet(host.ws, bea.ws)

    # Bea reloads the page: a new session of the same guest, which knows her vote and changes it.
    bea_again, welcome = await enter(sockets, await join(bea.joined.participant.meeting, name="Bea"))
    assert (welcome["poll_votes"], welcome["polls"]) == ({poll_id: [1]}, [])
    await send(bea_again, type="poll_vote", poll_id=poll_id, choices=[0])
    assert (await recv(bea_again))["choices"] == [0]
    update = await next_poll_update(host.ws)
    assert counts_of(update) == ([2, 0], 2)


async def test_a_closed_poll_refuses_votes_and_shared_results_reach_everyone(sockets):
    host, bea, cal = await host_bea_and_cal(sockets)
    await send(host.ws, type="poll_create", question="Ship it?", options=["Yes", "No"], launch=False)
    draft = (await recv(host.ws))["poll"]
    assert draft["status"] == "draft"
    assert await quiet(bea.ws, cal.ws)  # a draft is the hosts' own
    await send(bea.ws, type="poll_vote", poll_id=draft["id"], choices=[0])
    assert (await recv(bea.ws))["code"] == "not_found"

    await send(host.ws, type="poll_launch", poll_id=draft["id"])
    assert [m["type"] for m in await recv_n(host.ws, 2)] == ["chat.message", "poll.updated"]
    for person in (bea, cal):
        assert (await recv(person.ws))["message"]["poll"]["status"] == "open"
    await send(bea.ws, type="poll_vote", poll_id=draft["id"], choices=[1])
    await recv(bea.ws)  # poll.voted
    await recv(host.ws)  # poll.updated

    await send(host.ws, type="poll_close", poll_id=draft["id"])
    closed = await recv(host.ws)
    assert closed["type"] == "chat.updated"
    assert closed["message"]["poll"]["status"] == "closed"
    assert counts_of(await recv(host.ws)) == ([0, 1], 1)
    for person in (bea, cal):
        assert await recv(person.ws) == closed

    await send(cal.ws, type="poll_vote", poll_id=draft["id"], choices=[0])
    assert await recv(cal.ws) == {"type": "error", "code": "poll_closed", "message": "This poll is closed."}
    assert await quiet(host.ws, bea.ws)

    await send(host.ws, type="poll_share", poll_id=draft["id"])
    shared = await recv(host.ws)
    assert shared["type"] == "chat.updated"
    assert shared["message"]["poll"]["results"] == {"counts": [0, 1], "voters": 1}
    assert (await recv(host.ws))["poll"]["results_shared"] is True
    for person in (bea, cal):
        assert await recv(person.ws) == shared
