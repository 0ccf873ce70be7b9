"""Breakout rooms: set up, assign, open, move, chat and signal within a room, timers, close.

`r` is a live meeting (host Hema, co-hosts Cora and Cyd, Alice, guest Gita, Kiran waiting);
`refused` checks that a refusal wrote nothing and sent nothing.
"""

import datetime as dt
from typing import Any

import pytest
import time_machine
from dbtasks.models import ScheduledTask
from django.utils import timezone

from aapoon.accounts.tests.factories import make_user
from aapoon.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied, RateLimited
from aapoon.meetings import breakouts, room, selectors, services
from aapoon.meetings.breakout_selectors import breakout_plan_for_host, breakout_state
from aapoon.meetings.breakouts import RoomSpec
from aapoon.meetings.events import hosts_group, meeting_group, participant_group, room_group
from aapoon.meetings.models import (
    BreakoutParticipant,
    BreakoutPlan,
    BreakoutRoom,
    ChatMessage,
    MeetingParticipant,
)
from aapoon.meetings.tests.factories import Outbox, Room, make_meeting, make_participant

pytestmark = pytest.mark.django_db
Status = MeetingParticipant.Status


def rooms_of(r: Room) -> list[BreakoutRoom]:
    return list(BreakoutRoom.objects.filter(meeting=r.meeting, archived_at__isnull=True).order_by("position"))


def configure(commit, r: Room, *names: str, **settings: Any) -> list[BreakoutRoom]:
    commit(
        breakouts.breakout_configure,
        participant_id=r.host.pk,
        rooms=[{"name": name} for name in names],
        **settings,
    )
    return rooms_of(r)


def where(r: Room) -> dict[str, str | None]:
    """Display name -> the name of the breakout room each joined session is in (None: main)."""
    joined = MeetingParticipant.objects.filter(meeting=r.meeting, status=Status.JOINED)
    return {p.display_name: p.breakout_room.name if p.breakout_room else None for p in joined}


def opened(commit, r: Room, outbox: Outbox, **settings: Any) -> tuple[BreakoutRoom, BreakoutRoom]:
    """Rooms "One" (Alice) and "Two" (Gita), opened."""
    one, two = configure(commit, r, "One", "Two", **settings)
    commit(
        breakouts.breakout_assign, participant_id=r.host.pk, target_id=str(r.alice.pk), room_id=str(one.pk)
    )
    commit(breakouts.breakout_assign, participant_id=r.host.pk, target_id=str(r.gita.pk), room_id=str(two.pk))
    commit(breakouts.breakout_open, participant_id=r.host.pk)
    outbox.clear()
    return one, two


# ---- setting up -------------------------------------------------------------------------------------


def test_the_host_makes_renames_and_removes_rooms(commit, outbox, r):
    one, two = configure(commit, r, "One", "Two", duration_minutes=10, countdown_seconds=30)
    state = breakout_state(meeting_id=r.meeting.pk)
    assert state["rooms"] == [{"id": str(one.pk), "name": "One"}, {"id": str(two.pk), "name": "Two"}]
    assert (state["status"], state["duration_minutes"], state["countdown_seconds"]) == ("closed", 10, 30)
    assert outbox.to(meeting_group(r.meeting.pk))[-1] == {
        "type": "breakout.updated",
        "seq": 1,
        "breakout": state,
    }

    commit(
        breakouts.breakout_configure,
        participant_id=r.co.pk,  # a co-host may too
        rooms=[{"id": str(two.pk), "name": "  Second   room "}, {"name": "Three"}],
        duration_minutes=None,
    )
    kept, three = rooms_of(r)
    assert (kept.pk, kept.name, three.name) == (two.pk, "Second room", "Three")
    one.refresh_from_db()
    assert one.archived_at is not None  # kept for the meeting's record, out of the plan
    assert BreakoutPlan.objects.get(meeting=r.meeting).duration_minutes is None


@pytest.mark.parametrize(
    ("rooms", "extra", "error"),
    [
        ([], {}, InvalidInput),
        ([{"name": f"R{i}"} for i in range(101)], {}, InvalidInput),
        ([{"name": "A"}, {"name": " a "}], {}, InvalidInput),
        ([{"name": "   "}], {}, InvalidInput),
        ([{"name": "x" * 61}], {}, InvalidInput),
        ([{"name": "bad\x00name"}], {}, InvalidInput),
        ("One", {}, InvalidInput),
        ([{"title": "One"}], {}, InvalidInput),
        ([{"name": "One"}], {"duration_minutes": 0}, InvalidInput),
        ([{"name": "One"}], {"duration_minutes": 721}, InvalidInput),
        ([{"name": "One"}], {"duration_minutes": True}, InvalidInput),
        ([{"name": "One"}], {"countdown_seconds": 121}, InvalidInput),
        ([{"name": "One"}], {"allow_choosing": "yes"}, InvalidInput),
        ([{"id": "not-a-uuid", "name": "One"}], {}, NotFound),
        ([{"id": "01a2b3c4-0000-7000-8000-000000000000", "name": "One"}], {}, NotFound),
    ],
)
def test_bad_room_lists_and_settings_change_nothing(refused, r, rooms, extra, error):
    refused(error, breakouts.breakout_configure, participant_id=r.host.pk, rooms=rooms, **extra)


def test_only_hosts_set_up_and_rooms_of_another_meeting_name_nothing(commit, refused, outbox, r, other_room):
    refused(PermissionDenied, breakouts.breakout_configure, participant_id=r.alice.pk, rooms=[{"name": "A"}])
    refused(PermissionDenied, breakouts.breakout_open, participant_id=r.gita.pk)
    refused(PermissionDenied, breakouts.breakout_auto_assign, participant_id=r.alice.pk)
    elsewhere = configure(commit, other_room, "Theirs")[0]
    outbox.clear()
    refused(
        NotFound,
        breakouts.breakout_configure,
        participant_id=r.host.pk,
        rooms=[{"id": str(elsewhere.pk), "name": "Mine now"}],
    )
    configure(commit, r, "Ours")
    outbox.clear()
    refused(
        NotFound,
        breakouts.breakout_assign,
        participant_id=r.host.pk,
        target_id=str(r.alice.pk),
        room_id=str(elsewhere.pk),
    )
    refused(
        NotFound,
        breakouts.breakout_assign,
        participant_id=r.host.pk,
        target_id=str(other_room.alice.pk),
        room_id=str(rooms_of(r)[0].pk),
    )


def test_automatic_assignment_splits_everyone_but_the_hosts_evenly(commit, r):
    people = [make_participant(r.meeting, name=f"P{i}", guest_key=f"g-p{i}") for i in range(4)]
    one, two = configure(commit, r, "One", "Two")
    commit(breakouts.breakout_auto_assign, participant_id=r.host.pk)
    assignments = breakout_state(meeting_id=r.meeting.pk)["assignments"]
    assert set(assignments) == {str(p.pk) for p in [r.alice, r.gita, *people]}  # hosts stay free
    counts = sorted(list(assignments.values()).count(str(room.pk)) for room in (one, two))
    assert counts == [3, 3]


def test_automatic_assignment_needs_rooms(refused, r):
    refused(Conflict, breakouts.breakout_auto_assign, participant_id=r.host.pk)


# ---- opening and moving ------------------------------------------------------------------------------


def test_opening_moves_everyone_assigned_and_says_who_is_where(commit, outbox, r):
    one, _two = configure(commit, r, "One", "Two", duration_minutes=10)
    commit(
        breakouts.breakout_assign, participant_id=r.host.pk, target_id=str(r.alice.pk), room_id=str(one.pk)
    )
    outbox.clear()
    commit(breakouts.breakout_open, participant_id=r.host.pk)

    assert where(r) == {"Hema": None, "Cora": None, "Cyd": None, "Alice": "One", "Gita": None}
    plan = BreakoutPlan.objects.get(meeting=r.meeting)
    assert (plan.status, plan.round) == ("open", 1)
    assert plan.ends_at == plan.opened_at + dt.timedelta(minutes=10)
    broadcast = [m["type"] for m in outbox.to(meeting_group(r.meeting.pk))]
    assert broadcast == ["breakout.moves", "breakout.updated", "chat.message"]
    assert outbox.to(meeting_group(r.meeting.pk))[0]["moves"] == {str(r.alice.pk): str(one.pk)}
    assert outbox.to(participant_group(r.alice.pk)) == [{"type": "breakout.moved", "room_id": str(one.pk)}]
    note = ChatMessage.objects.get(type="system")
    assert note.text == "Breakout rooms are open.\nOne: Alice\nTwo: nobody yet"
    assert note.breakout_room_id is None and note.sender_id is None
    timer = ScheduledTask.objects.get(task_path="aapoon.meetings.tasks.breakouts_time_up")
    assert (timer.run_after, timer.args) == (plan.ends_at, [str(r.meeting.pk), 1])


def test_opening_twice_or_without_rooms_is_refused(commit, refused, outbox, r):
    refused(Conflict, breakouts.breakout_open, participant_id=r.host.pk)
    opened(commit, r, outbox)
    refused(Conflict, breakouts.breakout_open, participant_id=r.host.pk)


def test_assigning_while_open_moves_at_once(commit, outbox, r):
    _one, two = opened(commit, r, outbox)
    commit(
        breakouts.breakout_assign, participant_id=r.host.pk, target_id=str(r.alice.pk), room_id=str(two.pk)
    )
    assert where(r)["Alice"] == "Two"
    commit(breakouts.breakout_assign, participant_id=r.host.pk, target_id=str(r.alice.pk), room_id=None)
    assert where(r)["Alice"] is None
    assert BreakoutParticipant.objects.filter(user=r.alice.user).count() == 0


def test_participants_go_only_to_their_own_room_unless_they_may_choose(commit, refused, outbox, r):
    one, two = opened(commit, r, outbox)
    refused(PermissionDenied, breakouts.breakout_join, participant_id=r.alice.pk, room_id=str(two.pk))
    commit(breakouts.breakout_join, participant_id=r.alice.pk, room_id=None)  # back to the main room
    assert where(r)["Alice"] is None
    commit(breakouts.breakout_join, participant_id=r.alice.pk, room_id=str(one.pk))  # and to her own
    assert where(r)["Alice"] == "One"
    commit(breakouts.breakout_join, participant_id=r.co.pk, room_id=str(two.pk))  # hosts go anywhere
    assert where(r)["Cora"] == "Two"

    commit(
        breakouts.breakout_configure,
        participant_id=r.host.pk,
        rooms=[{"id": str(one.pk), "name": "One"}, {"id": str(two.pk), "name": "Two"}],
        allow_choosing=True,
    )
    commit(breakouts.breakout_join, participant_id=r.alice.pk, room_id=str(two.pk))
    assert where(r)["Alice"] == "Two"
    assert breakout_state(meeting_id=r.meeting.pk)["assignments"][str(r.alice.pk)] == str(two.pk)


def test_no_moving_while_the_rooms_are_closed(commit, refused, outbox, r):
    (one,) = configure(commit, r, "One")
    outbox.clear()
    refused(Conflict, breakouts.breakout_join, participant_id=r.host.pk, room_id=str(one.pk))
    refused(Conflict, breakouts.breakout_join, participant_id=r.alice.pk, room_id=None)


def test_removing_a_room_sends_its_people_back(commit, outbox, r):
    one, two = opened(commit, r, outbox)
    commit(breakouts.breakout_configure, participant_id=r.host.pk, rooms=[{"id": str(two.pk), "name": "Two"}])
    assert where(r)["Alice"] is None
    assert where(r)["Gita"] == "Two"
    assert not BreakoutParticipant.objects.filter(room=one).exists()


def test_a_reload_or_a_late_arrival_lands_in_the_assigned_room(commit, outbox, r):
    one, two = opened(commit, r, outbox)
    # Alice reloads: a new session of the same person, through the waiting room.
    again = services.meeting_join(
        code=r.meeting.meeting_code,
        user=r.alice.user,
        display_name="",
        passcode="",
        guest_key="",
        ip="10.0.0.9",
    ).participant
    assert again.status == Status.WAITING
    commit(room.lobby_admit, participant_id=r.host.pk, target_id=str(again.pk))
    assert r.reload(again).breakout_room_id == one.pk
    # Kiran, a guest who was waiting all along, was assigned ahead by the key in his cookie.
    BreakoutParticipant.objects.create(meeting=r.meeting, room=two, guest_key="g-kiran")
    commit(room.lobby_admit, participant_id=r.host.pk, target_id=str(r.knock.pk))
    assert r.reload(r.knock).breakout_room_id == two.pk


# ---- chat, signals and help inside a room -----------------------------------------------------------


def test_chat_in_a_breakout_room_reaches_only_that_room(commit, refused, outbox, r):
    one, _two = opened(commit, r, outbox)
    message = commit(room.chat_send, participant_id=r.alice.pk, text="in one", client_id="c1")
    assert message.breakout_room_id == one.pk
    assert outbox.sent == [
        (room_group(r.meeting.pk, one.pk), {"type": "chat.message", "message": outbox.sent[0][1]["message"]})
    ]
    assert outbox.sent[0][1]["message"]["room_id"] == str(one.pk)
    main = commit(room.chat_send, participant_id=r.host.pk, text="in main")
    assert main.breakout_room_id is None

    def history(participant: MeetingParticipant) -> list[str]:
        fresh = r.reload(participant)
        chat = selectors.chat_history(
            meeting_id=r.meeting.pk, participant_id=fresh.pk, room_id=fresh.breakout_room_id
        )
        return [m["text"] for m in chat if m["type"] == "text"]

    assert history(r.alice) == ["in one"]
    assert history(r.gita) == []
    assert history(r.host) == ["in main"]
    # Private messages stay inside a room too.
    outbox.clear()
    refused(NotFound, room.chat_send, participant_id=r.alice.pk, text="psst", to=str(r.gita.pk))
    refused(NotFound, room.chat_send, participant_id=r.host.pk, text="psst", to=str(r.alice.pk))


def test_peers_are_relayed_signals_only_within_their_room(commit, outbox, r):
    opened(commit, r, outbox)
    with pytest.raises(NotFound):
        room.signal_target(participant_id=r.alice.pk, to=str(r.gita.pk))
    with pytest.raises(NotFound):
        room.signal_target(participant_id=r.host.pk, to=str(r.alice.pk))
    assert room.signal_target(participant_id=r.host.pk, to=str(r.co.pk)) == r.co.pk


def test_asking_for_help_reaches_the_hosts(commit, refused, outbox, r, settings):
    one, _ = opened(commit, r, outbox)
    commit(breakouts.breakout_help, participant_id=r.alice.pk)
    assert outbox.sent == [
        (
            hosts_group(r.meeting.pk),
            {
                "type": "breakout.help",
                "participant_id": str(r.alice.pk),
                "display_name": "Alice",
                "room_id": str(one.pk),
                "room_name": "One",
            },
        )
    ]
    outbox.clear()
    refused(Conflict, breakouts.breakout_help, participant_id=r.host.pk)  # in the main room
    settings.BREAKOUT_HELP_RATE_LIMIT = 1
    refused(RateLimited, breakouts.breakout_help, participant_id=r.alice.pk)


def test_a_broadcast_reaches_every_room(commit, refused, outbox, r):
    refused(Conflict, breakouts.breakout_broadcast, participant_id=r.host.pk, text="hello")
    opened(commit, r, outbox)
    commit(breakouts.breakout_broadcast, participant_id=r.co.pk, text=" 2 minutes left ")
    [(group, message)] = outbox.sent
    assert group == meeting_group(r.meeting.pk)
    assert (message["type"], message["text"], message["sender_name"]) == (
        "breakout.message",
        "2 minutes left",
        "Cora",
    )
    outbox.clear()
    refused(PermissionDenied, breakouts.breakout_broadcast, participant_id=r.alice.pk, text="hi")
    refused(InvalidInput, breakouts.breakout_broadcast, participant_id=r.host.pk, text="x" * 501)
    refused(InvalidInput, breakouts.breakout_broadcast, participant_id=r.host.pk, text="  ")


# ---- closing and the timers -----------------------------------------------------------------------------


def test_closing_counts_down_then_brings_everyone_back(commit, refused, outbox, r):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        opened(commit, r, outbox, countdown_seconds=30)
        commit(breakouts.breakout_close, participant_id=r.host.pk)
        plan = BreakoutPlan.objects.get(meeting=r.meeting)
        assert (plan.status, plan.closes_at) == ("closing", timezone.now() + dt.timedelta(seconds=30))
        assert where(r)["Alice"] == "One"  # still there during the countdown
        task = ScheduledTask.objects.get(task_path="aapoon.meetings.tasks.breakouts_return")
        assert (task.run_after, task.args) == (plan.closes_at, [str(r.meeting.pk), 1])
        outbox.clear()
        refused(Conflict, breakouts.breakout_close, participant_id=r.host.pk)

        commit(breakouts.breakouts_return, meeting_id=r.meeting.pk, round_=1)  # early: nothing
        assert BreakoutPlan.objects.get(meeting=r.meeting).status == "closing"
        clock.shift(30)
        outbox.clear()
        commit(breakouts.breakouts_return, meeting_id=r.meeting.pk, round_=1)

    assert set(where(r).values()) == {None}
    plan.refresh_from_db()
    assert (plan.status, plan.ends_at, plan.closes_at) == ("closed", None, None)
    assert ChatMessage.objects.filter(type="system").last().text == (
        "Breakout rooms closed. Everyone is back in the main room."
    )
    assert outbox.to(participant_group(r.alice.pk)) == [{"type": "breakout.moved", "room_id": None}]
    assert outbox.to(participant_group(r.gita.pk)) == [{"type": "breakout.moved", "room_id": None}]
    [moves] = [m["moves"] for m in outbox.to(meeting_group(r.meeting.pk)) if m["type"] == "breakout.moves"]
    assert moves == {str(r.alice.pk): None, str(r.gita.pk): None}  # everyone back, in one event
    # A second run of the same timer changes nothing.
    outbox.clear()
    commit(breakouts.breakouts_return, meeting_id=r.meeting.pk, round_=1)
    assert outbox.sent == []


def test_a_countdown_of_zero_closes_at_once(commit, outbox, r):
    opened(commit, r, outbox, countdown_seconds=0)
    commit(breakouts.breakout_close, participant_id=r.host.pk)
    assert BreakoutPlan.objects.get(meeting=r.meeting).status == "closed"
    assert set(where(r).values()) == {None}


def test_the_timer_starts_the_countdown_and_old_rounds_do_nothing(commit, outbox, r):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        opened(commit, r, outbox, duration_minutes=10, countdown_seconds=20)
        commit(breakouts.breakouts_time_up, meeting_id=r.meeting.pk, round_=1)  # too early
        assert BreakoutPlan.objects.get(meeting=r.meeting).status == "open"
        clock.shift(600)
        commit(breakouts.breakouts_time_up, meeting_id=r.meeting.pk, round_=0)  # another round's
        assert BreakoutPlan.objects.get(meeting=r.meeting).status == "open"
        commit(breakouts.breakouts_time_up, meeting_id=r.meeting.pk, round_=1)
        plan = BreakoutPlan.objects.get(meeting=r.meeting)
        assert (plan.status, plan.closes_at) == ("closing", timezone.now() + dt.timedelta(seconds=20))


def test_ending_the_meeting_closes_the_rooms(commit, outbox, r):
    opened(commit, r, outbox, duration_minutes=5)
    commit(services.meeting_end, meeting_id=r.meeting.pk)
    assert BreakoutPlan.objects.get(meeting=r.meeting).status == "closed"
    commit(breakouts.breakouts_time_up, meeting_id=r.meeting.pk, round_=1)  # nothing to do now
    assert BreakoutPlan.objects.get(meeting=r.meeting).status == "closed"


# ---- prepared ahead (REST services) -----------------------------------------------------------------------


def test_the_host_prepares_rooms_by_email_ahead_of_a_scheduled_meeting(commit, outbox):
    host = make_user(email="host@example.com")
    ann = make_user(email="Ann@Example.com")
    meeting = make_meeting(host=host, kind="scheduled", title="Class", invitees=["ann@example.com"])
    commit(
        breakouts.breakout_plan_set,
        user=host,
        code=meeting.meeting_code,
        rooms=[RoomSpec(name="Red", emails=("ANN@example.com",)), RoomSpec(name="Blue")],
        duration_minutes=10,
    )
    plan = breakout_plan_for_host(meeting_id=meeting.pk)
    assert [(room["name"], room["emails"]) for room in plan["rooms"]] == [
        ("Red", ["ann@example.com"]),
        ("Blue", []),
    ]
    assert plan["duration_minutes"] == 10
    assert outbox.sent == []  # not live: nobody to tell

    # In the meeting, Ann (email in another case) goes to Red when the rooms open.
    hosting = services.meeting_join(
        code=meeting.meeting_code, user=host, display_name="", passcode="", guest_key="", ip="10.0.0.1"
    ).participant
    ann_in = make_participant(meeting, name="Ann", user=ann)
    commit(breakouts.breakout_open, participant_id=hosting.pk)
    ann_in.refresh_from_db()
    assert ann_in.breakout_room.name == "Red"


def test_preparing_ahead_is_for_the_host_and_checks_its_input(commit, outbox):
    host = make_user(email="host@example.com")
    meeting = make_meeting(host=host, kind="scheduled", title="Class", invitees=["ann@example.com"])
    stranger = make_user(email="ann@example.com")  # invited, but not the host
    with pytest.raises(PermissionDenied):
        breakouts.breakout_plan_set(user=stranger, code=meeting.meeting_code, rooms=[RoomSpec(name="A")])
    outsider = make_user(email="out@example.com")
    with pytest.raises(NotFound):
        breakouts.breakout_plan_set(user=outsider, code=meeting.meeting_code, rooms=[RoomSpec(name="A")])
    for bad in (
        [RoomSpec(name="A", emails=("not-an-email",))],
        [RoomSpec(name="A", emails=("x@example.com",)), RoomSpec(name="B", emails=("X@example.com",))],
    ):
        with pytest.raises(InvalidInput):
            breakouts.breakout_plan_set(user=host, code=meeting.meeting_code, rooms=bad)
    assert not BreakoutRoom.objects.exists()
