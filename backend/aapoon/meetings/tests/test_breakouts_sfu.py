"""Breakout rooms on a real Janus: each room is a VideoRoom of its own, made when first needed,
entered only with a grant for it; moving takes the entry to the room left; closing and the
meeting's end destroy them."""

from typing import Any

import pytest

from aapoon.accounts.tests.factories import make_user
from aapoon.media import placement
from aapoon.media import testing as media_testing
from aapoon.media.models import MediaNode
from aapoon.media.nodes import clients_close
from aapoon.media.tests.registry import register_node, room_exists
from aapoon.meetings import breakouts, room, services
from aapoon.meetings.models import BreakoutRoom, Meeting, MeetingParticipant
from aapoon.meetings.tests.factories import make_meeting, make_participant
from aapoon.meetings.tests.test_sfu import moderate_calls  # noqa: F401 (a fixture)

Role = MeetingParticipant.Role
janus = media_testing.janus  # one real Janus for this module (fixture)
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_clients():
    yield
    clients_close()


def allowed(node: MediaNode, room_id: str) -> set[str]:
    return set(placement.room_allowed(node=node, room_id=room_id, action="add", tokens=[]))


@pytest.fixture
def setup(db, janus, settings, commit) -> dict[str, Any]:
    """A meeting on the SFU with the host and Alice in the main room, rooms One and Two made."""
    node = register_node(janus, settings)
    host = make_user(email="host@example.com", display_name="Hana")
    meeting = make_meeting(host=host, title="Class", max_participants=6)
    host_p = make_participant(meeting, name="Hana", user=host, role=Role.HOST)
    services.welcome_for(host_p, new_socket=True)  # places the meeting on the node
    alice = make_participant(meeting, name="Alice", guest_key="g-alice")
    services.welcome_for(alice, new_socket=True)
    commit(breakouts.breakout_configure, participant_id=host_p.pk, rooms=[{"name": "One"}, {"name": "Two"}])
    one, two = BreakoutRoom.objects.filter(meeting=meeting).order_by("position")
    return {"node": node, "meeting": meeting, "host": host_p, "alice": alice, "one": one, "two": two}


def test_a_moved_participant_enters_only_their_rooms_own_videoroom(commit, setup):
    node, meeting, host_p, alice, one = (setup[k] for k in ("node", "meeting", "host", "alice", "one"))
    main = str(meeting.pk)
    assert allowed(node, main) == {placement.room_token(host_p.pk), placement.room_token(alice.pk)}
    assert not room_exists(node=node, room_id=str(one.pk))  # made when first needed

    commit(breakouts.breakout_assign, participant_id=host_p.pk, target_id=str(alice.pk), room_id=str(one.pk))
    commit(breakouts.breakout_open, participant_id=host_p.pk)

    assert allowed(node, main) == {placement.room_token(host_p.pk)}  # her entry to the main room went
    grant = services.welcome_for(MeetingParticipant.objects.get(pk=alice.pk))["sfu"]
    assert (grant["room"], grant["publisher_id"]) == (str(one.pk), str(alice.pk))
    assert grant["pin"] == placement.room_pin(str(one.pk))
    assert room_exists(node=node, room_id=str(one.pk))
    assert allowed(node, str(one.pk)) == {placement.room_token(alice.pk)}


def test_moderation_reaches_the_room_someone_is_in(commit, setup, moderate_calls):  # noqa: F811
    host_p, alice, one = setup["host"], setup["alice"], setup["one"]
    commit(breakouts.breakout_assign, participant_id=host_p.pk, target_id=str(alice.pk), room_id=str(one.pk))
    commit(breakouts.breakout_open, participant_id=host_p.pk)
    services.welcome_for(MeetingParticipant.objects.get(pk=alice.pk))
    commit(room.participant_mute, participant_id=host_p.pk, target_id=str(alice.pk))
    assert [(call["room_id"], call["mid"], call["mute"]) for call in moderate_calls] == [
        (str(one.pk), "0", True)
    ]


def test_closing_and_the_end_destroy_the_rooms(commit, setup):
    node, meeting, host_p, alice, one = (setup[k] for k in ("node", "meeting", "host", "alice", "one"))
    commit(
        breakouts.breakout_configure,
        participant_id=host_p.pk,
        rooms=[{"id": str(one.pk), "name": "One"}],
        countdown_seconds=0,
    )
    commit(breakouts.breakout_assign, participant_id=host_p.pk, target_id=str(alice.pk), room_id=str(one.pk))
    commit(breakouts.breakout_open, participant_id=host_p.pk)
    services.welcome_for(MeetingParticipant.objects.get(pk=alice.pk))
    assert room_exists(node=node, room_id=str(one.pk))

    commit(breakouts.breakout_close, participant_id=host_p.pk)
    assert not room_exists(node=node, room_id=str(one.pk))
    back = services.welcome_for(MeetingParticipant.objects.get(pk=alice.pk))["sfu"]
    assert back["room"] == str(meeting.pk)
    assert allowed(node, str(meeting.pk)) == {placement.room_token(host_p.pk), placement.room_token(alice.pk)}

    commit(breakouts.breakout_open, participant_id=host_p.pk)
    services.welcome_for(MeetingParticipant.objects.get(pk=alice.pk))
    assert room_exists(node=node, room_id=str(one.pk))
    commit(services.meeting_end, meeting_id=meeting.pk)
    assert Meeting.objects.get(pk=meeting.pk).status == "ended"
    assert not room_exists(node=node, room_id=str(one.pk))
    assert not room_exists(node=node, room_id=str(meeting.pk))
