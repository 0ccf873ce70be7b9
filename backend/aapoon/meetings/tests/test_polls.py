"""Polls in a live meeting: write, launch, vote, close, share, delete; and what the welcome says.

`commit` runs a service with its after-commit callbacks (as production does); `outbox` records what
reached the channel layer. Every refusal is checked (by `refused`) to have written and sent nothing.
"""

from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aapoon.accounts.tests.factories import make_user
from aapoon.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from aapoon.meetings import polls, services
from aapoon.meetings.events import hosts_group, meeting_group, participant_group
from aapoon.meetings.models import ChatMessage, Meeting, MeetingParticipant, Poll, PollVote
from aapoon.meetings.payloads import chat_payload
from aapoon.meetings.tests.factories import Outbox, db_state, event_log, make_meeting, make_participant

pytestmark = pytest.mark.django_db
Role = MeetingParticipant.Role


@dataclass
class Room:
    meeting: Meeting
    host: MeetingParticipant
    co: MeetingParticipant  # a co-host
    alice: MeetingParticipant  # signed in
    gita: MeetingParticipant  # a guest with a cookie key


def _room(title: str, prefix: str) -> Room:
    host_user = make_user(email=f"{prefix}host@example.com")
    meeting = make_meeting(host=host_user, title=title)
    return Room(
        meeting=meeting,
        host=make_participant(meeting, name="Hema", user=host_user, role=Role.HOST),
        co=make_participant(
            meeting, name="Cora", user=make_user(email=f"{prefix}cora@example.com"), role=Role.COHOST
        ),
        alice=make_participant(meeting, name="Alice", user=make_user(email=f"{prefix}alice@example.com")),
        gita=make_participant(meeting, name="Gita", guest_key=f"{prefix}g-gita"),
    )


@pytest.fixture
def r(db) -> Room:
    return _room("Weekly", "")


@pytest.fixture
def refused(commit, outbox: Outbox):
    """`refused(error, service, **kwargs)`: the service raises `error`; nothing written or sent."""

    def check(error: type[Exception], service, /, **kwargs: Any) -> Exception:
        before = {
            **db_state(),
            "polls": list(Poll.objects.order_by("pk").values()),
            "votes": list(PollVote.objects.order_by("pk").values()),
        }
        with pytest.raises(error) as raised:
            commit(service, **kwargs)
        after = {
            **db_state(),
            "polls": list(Poll.objects.order_by("pk").values()),
            "votes": list(PollVote.objects.order_by("pk").values()),
        }
        assert after == before
        assert outbox.sent == []
        return raised.value

    return check


def create(commit, actor: MeetingParticipant, **values: Any) -> Poll:
    values = {"question": "Lunch?", "options": ["Pizza", "Salad", "Soup"], **values}
    return commit(polls.poll_create, participant_id=actor.pk, **values)


def vote(commit, actor: MeetingParticipant, poll: Poll, choices: list[int]) -> PollVote:
    return commit(polls.poll_vote, participant_id=actor.pk, poll_id=str(poll.pk), choices=choices)


def host_view(
    poll: Poll,
    *,
    status: str,
    counts: list[int],
    votes: list[dict[str, Any]] | None,
    voters: int | None = None,
    results_shared: bool = False,
) -> dict[str, Any]:
    """The poll as hosts see it; `voters` only for an anonymous poll (`votes` None)."""
    return {
        "id": str(poll.pk),
        "question": poll.question,
        "options": poll.options,
        "multiple": poll.multiple,
        "anonymous": poll.anonymous,
        "status": status,
        "results_shared": results_shared,
        "results": {"counts": counts, "voters": len(votes) if votes is not None else voters},
        "votes": votes,
    }


def poll_updated(r: Room, view: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return hosts_group(r.meeting.pk), {"type": "poll.updated", "poll": view}


# ---- creating and launching ------------------------------------------------------------------------


def test_a_draft_is_stored_and_only_the_hosts_hear_of_it(commit, outbox, r):
    poll = create(commit, r.co, question="  Lunch?  ", options=[" Pizza", "Salad ", "Soup"])
    row = Poll.objects.get()
    assert (row.pk, row.meeting_id, row.created_by_id) == (poll.pk, r.meeting.pk, r.co.pk)
    assert (row.question, row.options, row.multiple, row.anonymous) == (
        "Lunch?",
        ["Pizza", "Salad", "Soup"],
        False,
        False,
    )
    assert (row.status, row.results_shared, row.message_id, row.launched_at) == ("draft", False, None, None)
    assert outbox.sent == [
        poll_updated(r, host_view(row, status="draft", counts=[0, 0, 0], votes=[])),
    ]
    assert ChatMessage.objects.count() == 0
    assert event_log(r.meeting) == []


def test_creating_with_launch_posts_the_poll_to_the_main_room_chat(commit, outbox, r):
    poll = create(commit, r.host, multiple=True, anonymous=True, launch=True)
    poll.refresh_from_db()
    message = ChatMessage.objects.get()
    assert (poll.status, poll.message_id, poll.launched_at is not None) == ("open", message.pk, True)
    assert (
        message.type,
        message.text,
        message.sender_id,
        message.breakout_room_id,
        message.recipient_id,
    ) == (
        "poll",
        "Lunch?",
        r.host.pk,
        None,
        None,
    )
    public = {
        "id": str(poll.pk),
        "question": "Lunch?",
        "options": ["Pizza", "Salad", "Soup"],
        "multiple": True,
        "anonymous": True,
        "status": "open",
        "results_shared": False,
        "results": None,
    }
    broadcast = outbox.to(meeting_group(r.meeting.pk))
    assert broadcast == [
        {"type": "chat.message", "seq": 1, "message": {**chat_payload(message), "poll": public}}
    ]
    assert outbox.to(hosts_group(r.meeting.pk)) == [
        {
            "type": "poll.updated",
            "poll": {**public, "results": {"counts": [0, 0, 0], "voters": 0}, "votes": None},
        }
    ]
    assert event_log(r.meeting) == [(1, "chat.message")]


def test_launching_a_draft_and_not_twice(commit, outbox, refused, r):
    poll = create(commit, r.host)
    outbox.clear()
    commit(polls.poll_launch, participant_id=r.co.pk, poll_id=str(poll.pk))
    poll.refresh_from_db()
    message = ChatMessage.objects.get()
    assert (poll.status, poll.message_id, message.sender_id, message.type) == (
        "open",
        message.pk,
        r.co.pk,
        "poll",
    )
    assert outbox.types() == [
        (meeting_group(r.meeting.pk), "chat.message"),
        (hosts_group(r.meeting.pk), "poll.updated"),
    ]
    assert outbox.to(meeting_group(r.meeting.pk))[0]["message"]["poll"]["status"] == "open"
    outbox.clear()
    error = refused(Conflict, polls.poll_launch, participant_id=r.host.pk, poll_id=str(poll.pk))
    assert error.message == "This poll has been launched already."


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"question": ""}, "question", "Write a question."),
        ({"question": "   "}, "question", "Write a question."),
        ({"question": None}, "question", "Write a question."),
        ({"question": ["Lunch?"]}, "question", "Write a question."),
        ({"question": "q" * 301}, "question", "A question can be at most 300 characters."),
        ({"question": "Lun\x00ch?"}, "question", "A question can't contain NUL characters."),
        ({"options": ["Only one"]}, "options", "Give 2 to 10 options."),
        ({"options": [f"o{i}" for i in range(11)]}, "options", "Give 2 to 10 options."),
        ({"options": "Pizza, Salad"}, "options", "Give 2 to 10 options."),
        ({"options": None}, "options", "Give 2 to 10 options."),
        ({"options": ["Pizza", " "]}, "options", "Option 2 is empty."),
        ({"options": ["Pizza", 2]}, "options", "Option 2 is empty."),
        ({"options": ["Pizza", "s" * 121]}, "options", "Option 2 is longer than 120 characters."),
        ({"options": ["Pi\x00zza", "Salad"]}, "options", "Option 1 contains a NUL character."),
        ({"options": ["Pizza", "Salad", "pizza "]}, "options", "Option 3 is the same as an earlier one."),
        ({"multiple": "yes"}, "multiple", "Send true or false."),
        ({"anonymous": 1}, "anonymous", "Send true or false."),
        ({"launch": "true"}, "launch", "Send true or false."),
    ],
)
def test_poll_input_is_checked_and_a_bad_poll_writes_nothing(refused, r, values, field, message):
    kwargs = {"question": "Lunch?", "options": ["Pizza", "Salad"], "launch": True, **values}
    error = refused(InvalidInput, polls.poll_create, participant_id=r.host.pk, **kwargs)
    assert error.message == message
    assert error.detail == [{"loc": [field], "msg": message}]


def test_the_longest_question_and_options_and_ten_options_are_fine(commit, r):
    options = [f"{i}" + "o" * 119 for i in range(10)]
    poll = create(commit, r.host, question="q" * 300, options=options)
    poll.refresh_from_db()
    assert (len(poll.question), poll.options) == (300, options)


@pytest.mark.parametrize("service", ["poll_launch", "poll_close", "poll_share", "poll_delete"])
def test_participants_cannot_run_polls(commit, outbox, refused, r, service):
    draft = create(commit, r.host)
    live = create(commit, r.host, launch=True)
    outbox.clear()
    for participant in (r.alice, r.gita):
        for poll in (draft, live):
            refused(
                PermissionDenied, getattr(polls, service), participant_id=participant.pk, poll_id=str(poll.pk)
            )


def test_participants_cannot_create_polls(refused, r):
    for participant in (r.alice, r.gita):
        refused(
            PermissionDenied,
            polls.poll_create,
            participant_id=participant.pk,
            question="Lunch?",
            options=["Pizza", "Salad"],
            launch=True,
        )


def test_someone_waiting_or_gone_cannot_vote(commit, outbox, refused, r):
    poll = create(commit, r.host, launch=True)
    outbox.clear()
    waiting = make_participant(
        r.meeting, name="Kiran", guest_key="g-kiran", status=MeetingParticipant.Status.WAITING
    )
    left = make_participant(r.meeting, name="Lea", guest_key="g-lea", status=MeetingParticipant.Status.LEFT)
    for participant in (waiting, left):
        refused(
            PermissionDenied,
            polls.poll_vote,
            participant_id=participant.pk,
            poll_id=str(poll.pk),
            choices=[0],
        )


# ---- voting --------------------------------------------------------------------------------------


def test_a_vote_is_stored_and_told_to_the_voter_and_the_hosts_only(commit, outbox, r):
    poll = create(commit, r.host, launch=True)
    outbox.clear()
    seq_before = Meeting.objects.get(pk=r.meeting.pk).event_seq

    cast = vote(commit, r.alice, poll, [1])
    row = PollVote.objects.get()
    assert (row.pk, row.poll_id, row.participant_id, row.voter_key, row.voter_name, row.choices) == (
        cast.pk,
        poll.pk,
        r.alice.pk,
        f"u:{r.alice.user_id}",
        "Alice",
        [1],
    )
    assert outbox.sent == [
        (participant_group(r.alice.pk), {"type": "poll.voted", "poll_id": str(poll.pk), "choices": [1]}),
        poll_updated(
            r, host_view(poll, status="open", counts=[0, 1, 0], votes=[{"name": "Alice", "choices": [1]}])
        ),
    ]
    assert Meeting.objects.get(pk=r.meeting.pk).event_seq == seq_before  # nothing for everyone


def test_voting_again_changes_the_vote(commit, outbox, r):
    poll = create(commit, r.host, launch=True)
    first = vote(commit, r.gita, poll, [0])
    vote(commit, r.alice, poll, [0])
    outbox.clear()

    changed = vote(commit, r.gita, poll, [2])
    assert changed.pk == first.pk
    assert sorted(PollVote.objects.values_list("voter_key", "choices")) == [
        (f"g:{r.gita.guest_key}", [2]),
        (f"u:{r.alice.user_id}", [0]),
    ]
    assert outbox.sent[-1] == poll_updated(
        r,
        host_view(
            poll,
            status="open",
            counts=[1, 0, 1],
            votes=[{"name": "Gita", "choices": [2]}, {"name": "Alice", "choices": [0]}],
        ),
    )


def test_one_vote_per_person_across_two_sessions(commit, outbox, r):
    """A reload is a new session of the same person: it changes their vote, it doesn't add one."""
    poll = create(commit, r.host, launch=True)
    vote(commit, r.alice, poll, [0])
    vote(commit, r.gita, poll, [0])
    alice_again = make_participant(r.meeting, name="Alice (phone)", user=r.alice.user)
    gita_again = make_participant(r.meeting, name="Gita", guest_key=r.gita.guest_key)

    again = services.welcome_for(MeetingParticipant.objects.select_related("meeting").get(pk=alice_again.pk))
    assert again["poll_votes"] == {str(poll.pk): [0]}  # the new session knows its vote

    vote(commit, alice_again, poll, [1])
    vote(commit, gita_again, poll, [2])
    assert PollVote.objects.count() == 2
    alice_vote = PollVote.objects.get(voter_key=f"u:{r.alice.user_id}")
    assert (alice_vote.choices, alice_vote.participant_id, alice_vote.voter_name) == (
        [1],
        alice_again.pk,
        "Alice (phone)",
    )
    assert PollVote.objects.get(voter_key=f"g:{r.gita.guest_key}").choices == [2]


def test_guests_without_a_key_vote_once_per_session(commit, r):
    poll = create(commit, r.host, launch=True)
    first = make_participant(r.meeting, name="Noor")
    second = make_participant(r.meeting, name="Noor")
    vote(commit, first, poll, [0])
    vote(commit, second, poll, [0])
    assert sorted(PollVote.objects.values_list("voter_key", flat=True)) == sorted(
        [f"p:{first.pk}", f"p:{second.pk}"]
    )


def test_single_and_multiple_choice_rules(commit, outbox, refused, r):
    single = create(commit, r.host, launch=True)
    multiple = create(commit, r.host, question="Toppings?", multiple=True, launch=True)
    outbox.clear()
    bad = [[], [0, 0], [-1], [3], [True], ["0"], [0.0], "0", None, {"0": 1}]
    for poll in (single, multiple):
        for choices in bad:
            error = refused(
                InvalidInput,
                polls.poll_vote,
                participant_id=r.alice.pk,
                poll_id=str(poll.pk),
                choices=choices,
            )
            assert error.message == "Choose one or more of the poll's options.", choices
    error = refused(
        InvalidInput, polls.poll_vote, participant_id=r.alice.pk, poll_id=str(single.pk), choices=[0, 1]
    )
    assert error.message == "Choose one option."

    vote(commit, r.alice, multiple, [2, 0])
    vote(commit, r.gita, multiple, [0, 1, 2])
    assert sorted(PollVote.objects.values_list("voter_name", "choices")) == [
        ("Alice", [0, 2]),
        ("Gita", [0, 1, 2]),
    ]
    assert outbox.sent[-1] == poll_updated(
        r,
        host_view(
            multiple,
            status="open",
            counts=[2, 1, 2],
            votes=[{"name": "Alice", "choices": [0, 2]}, {"name": "Gita", "choices": [0, 1, 2]}],
        ),
    )


def test_an_anonymous_poll_keeps_no_names(commit, outbox, r):
    poll = create(commit, r.host, anonymous=True, launch=True)
    vote(commit, r.alice, poll, [0])
    assert PollVote.objects.get().voter_name == ""
    assert outbox.sent[-1] == poll_updated(
        r, host_view(poll, status="open", counts=[1, 0, 0], votes=None, voters=1)
    )


# ---- closing and sharing -------------------------------------------------------------------------


def test_closing_tells_everyone_and_a_closed_poll_refuses_votes(commit, outbox, refused, r):
    poll = create(commit, r.host, launch=True)
    vote(commit, r.alice, poll, [1])
    outbox.clear()

    commit(polls.poll_close, participant_id=r.co.pk, poll_id=str(poll.pk))
    poll.refresh_from_db()
    assert (poll.status, poll.closed_at is not None) == ("closed", True)
    message = ChatMessage.objects.get()
    seq = Meeting.objects.get(pk=r.meeting.pk).event_seq
    assert outbox.sent == [
        (
            meeting_group(r.meeting.pk),
            {
                "type": "chat.updated",
                "seq": seq,
                "message": {
                    **chat_payload(message),
                    "poll": {
                        "id": str(poll.pk),
                        "question": "Lunch?",
                        "options": ["Pizza", "Salad", "Soup"],
                        "multiple": False,
                        "anonymous": False,
                        "status": "closed",
                        "results_shared": False,
                        "results": None,
                    },
                },
            },
        ),
        poll_updated(
            r, host_view(poll, status="closed", counts=[0, 1, 0], votes=[{"name": "Alice", "choices": [1]}])
        ),
    ]
    outbox.clear()

    error = refused(
        polls.PollClosed, polls.poll_vote, participant_id=r.alice.pk, poll_id=str(poll.pk), choices=[0]
    )
    assert (error.code, error.status, error.message) == ("poll_closed", 409, "This poll is closed.")
    refused(polls.PollClosed, polls.poll_vote, participant_id=r.gita.pk, poll_id=str(poll.pk), choices=[0])
    # Closing again changes nothing and says nothing.
    before = db_state()
    commit(polls.poll_close, participant_id=r.host.pk, poll_id=str(poll.pk))
    assert (db_state(), outbox.sent) == (before, [])


def test_sharing_shows_everyone_the_results(commit, outbox, r):
    poll = create(commit, r.host, launch=True)
    vote(commit, r.alice, poll, [1])
    vote(commit, r.gita, poll, [1])
    commit(polls.poll_close, participant_id=r.host.pk, poll_id=str(poll.pk))
    outbox.clear()

    commit(polls.poll_share, participant_id=r.host.pk, poll_id=str(poll.pk))
    assert Poll.objects.get().results_shared is True
    updated = outbox.to(meeting_group(r.meeting.pk))
    assert [m["type"] for m in updated] == ["chat.updated"]
    assert updated[0]["message"]["poll"]["results"] == {"counts": [0, 2, 0], "voters": 2}
    assert updated[0]["message"]["poll"]["results_shared"] is True
    assert outbox.to(hosts_group(r.meeting.pk))[0]["poll"]["results_shared"] is True
    outbox.clear()
    before = db_state()
    commit(polls.poll_share, participant_id=r.co.pk, poll_id=str(poll.pk))  # shared already
    assert (db_state(), outbox.sent) == (before, [])


def test_votes_on_a_shared_open_poll_update_everyones_results(commit, outbox, r):
    poll = create(commit, r.host, launch=True)
    commit(polls.poll_share, participant_id=r.host.pk, poll_id=str(poll.pk))
    outbox.clear()
    vote(commit, r.alice, poll, [2])
    assert outbox.types() == [
        (participant_group(r.alice.pk), "poll.voted"),
        (meeting_group(r.meeting.pk), "chat.updated"),
        (hosts_group(r.meeting.pk), "poll.updated"),
    ]
    assert outbox.to(meeting_group(r.meeting.pk))[0]["message"]["poll"]["results"] == {
        "counts": [0, 0, 1],
        "voters": 1,
    }


def test_drafts_cannot_be_closed_or_shared(commit, outbox, refused, r):
    draft = create(commit, r.host)
    outbox.clear()
    for service in (polls.poll_close, polls.poll_share):
        error = refused(Conflict, service, participant_id=r.host.pk, poll_id=str(draft.pk))
        assert error.message == "Launch the poll first."


# ---- deleting ------------------------------------------------------------------------------------


def test_only_drafts_are_deleted(commit, outbox, refused, r):
    draft = create(commit, r.host)
    live = create(commit, r.host, launch=True)
    outbox.clear()
    commit(polls.poll_delete, participant_id=r.co.pk, poll_id=str(draft.pk))
    assert list(Poll.objects.values_list("pk", flat=True)) == [live.pk]
    assert outbox.sent == [
        (hosts_group(r.meeting.pk), {"type": "poll.updated", "poll_id": str(draft.pk), "deleted": True})
    ]
    outbox.clear()
    error = refused(Conflict, polls.poll_delete, participant_id=r.host.pk, poll_id=str(live.pk))
    assert error.message == "Only a draft can be deleted; close a live poll instead."


# ---- what participants may see -------------------------------------------------------------------


def test_drafts_are_invisible_to_participants(commit, outbox, refused, r):
    draft = create(commit, r.host, question="Secret plan?")
    outbox.clear()
    refused(NotFound, polls.poll_vote, participant_id=r.alice.pk, poll_id=str(draft.pk), choices=[0])
    alice = services.welcome_for(MeetingParticipant.objects.select_related("meeting").get(pk=r.alice.pk))
    assert (alice["polls"], alice["poll_votes"], alice["chat"]) == ([], {}, [])


def test_ids_from_another_meeting_or_malformed_name_nothing(commit, outbox, refused, r):
    other = _room("Elsewhere", "o-")
    theirs = create(commit, other.host, launch=True)
    their_draft = create(commit, other.host)
    outbox.clear()
    for poll_id in (str(theirs.pk), str(their_draft.pk), "not-a-uuid", None, 42, ""):
        for service in (polls.poll_launch, polls.poll_close, polls.poll_share, polls.poll_delete):
            error = refused(NotFound, service, participant_id=r.host.pk, poll_id=poll_id)
            assert error.message == "No such poll."
        refused(NotFound, polls.poll_vote, participant_id=r.alice.pk, poll_id=poll_id, choices=[0])


# ---- the welcome ---------------------------------------------------------------------------------


def test_the_welcome_has_every_poll_for_hosts_and_my_own_votes(commit, r):
    draft = create(commit, r.host, question="Next week?", options=["Yes", "No"])
    live = create(commit, r.host, launch=True)
    secret = create(commit, r.host, question="Mood?", options=["Good", "Meh"], anonymous=True, launch=True)
    vote(commit, r.alice, live, [2])
    vote(commit, r.gita, live, [0])
    vote(commit, r.alice, secret, [1])

    def welcome(participant: MeetingParticipant) -> dict[str, Any]:
        return services.welcome_for(
            MeetingParticipant.objects.select_related("meeting").get(pk=participant.pk)
        )

    for moderator in (r.host, r.co):
        assert welcome(moderator)["polls"] == [
            host_view(draft, status="draft", counts=[0, 0], votes=[]),
            host_view(
                live,
                status="open",
                counts=[1, 0, 1],
                votes=[{"name": "Alice", "choices": [2]}, {"name": "Gita", "choices": [0]}],
            ),
            host_view(secret, status="open", counts=[0, 1], votes=None, voters=1),
        ]
        assert welcome(moderator)["poll_votes"] == {}
    alice = welcome(r.alice)
    assert alice["polls"] == []
    assert alice["poll_votes"] == {str(live.pk): [2], str(secret.pk): [1]}
    assert [m["poll"]["id"] for m in alice["chat"]] == [str(live.pk), str(secret.pk)]
    assert welcome(r.gita)["poll_votes"] == {str(live.pk): [0]}


def test_the_welcomes_queries_do_not_grow_with_polls(commit, r):
    def queries_for_host_welcome() -> int:
        host = MeetingParticipant.objects.select_related("meeting").get(pk=r.host.pk)
        with CaptureQueriesContext(connection) as captured:
            services.welcome_for(host)
        return len(captured)

    def add_polls(n: int) -> None:
        for i in range(n):
            poll = create(commit, r.host, question=f"Question {i}?", launch=i % 2 == 0)
            create(commit, r.host, question=f"Draft {i}?")
            if poll.status == "open":
                vote(commit, r.alice, poll, [0])
                vote(commit, r.gita, poll, [1])
                commit(polls.poll_share, participant_id=r.host.pk, poll_id=str(poll.pk))

    add_polls(2)
    few = queries_for_host_welcome()
    add_polls(6)
    assert queries_for_host_welcome() == few
