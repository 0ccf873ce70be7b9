"""Recording from the room: host and co-hosts only, SFU meetings that allow it only, and everyone
hears of it through the numbered `recording` event and the welcome snapshot."""

from typing import Any

import pytest

from aapoon.accounts.tests.factories import make_user
from aapoon.core.errors import ApplicationError, PermissionDenied
from aapoon.media import placement
from aapoon.media.models import MediaNode, Recording
from aapoon.media.recording import NotRecording, RecordingInProgress, RecordingNeedsSfu, RecordingNotAllowed
from aapoon.media.testing import RunningJanus, janus  # noqa: F401
from aapoon.media.tests.recording_factories import make_sfu_meeting
from aapoon.media.tests.registry import register_node
from aapoon.meetings import recording_actions, services
from aapoon.meetings.events import meeting_group
from aapoon.meetings.models import Meeting, MeetingParticipant
from aapoon.meetings.tests.factories import db_state, event_log, make_participant

pytestmark = pytest.mark.django_db
Role = MeetingParticipant.Role


@pytest.fixture
def node(janus: RunningJanus, settings, tmp_path) -> MediaNode:  # noqa: F811
    settings.RECORDINGS_DIR = str(tmp_path / "recordings")
    return register_node(janus, settings, capacity=10)


@pytest.fixture
def room(node, janus):  # noqa: F811
    host_user = make_user(email="hema@example.com")
    meeting = make_sfu_meeting(host=host_user, node_name=node.name, title="Weekly")
    room_id = str(meeting.pk)
    janus.client.videoroom({"request": "create", "room": room_id, "secret": placement.room_secret(room_id)})
    people = {
        "host": make_participant(meeting, name="Hema", user=host_user, role=Role.HOST),
        "co": make_participant(
            meeting, name="Cora", user=make_user(email="cora@example.com"), role=Role.COHOST
        ),
        "alice": make_participant(meeting, name="Alice", user=make_user(email="alice@example.com")),
        "gita": make_participant(meeting, name="Gita", guest_key="g-gita"),
    }
    yield meeting, people
    placement.room_destroy(node=node, room_id=room_id)


def everything() -> dict[str, Any]:
    return {**db_state(), "recordings": list(Recording.objects.values())}


def assert_refused(
    commit, outbox, action, participant: MeetingParticipant, refusal: type[ApplicationError]
) -> None:
    """The participant's action is refused so, and nothing is written or sent."""
    outbox.clear()
    before = everything()
    with pytest.raises(refusal) as caught:
        commit(action, participant_id=participant.pk)
    assert caught.value.code == refusal.code
    assert everything() == before and outbox.sent == []


def test_host_starts_and_a_cohost_stops_and_everyone_hears(room, commit, outbox):
    meeting, people = room
    seq = Meeting.objects.get(pk=meeting.pk).event_seq

    commit(recording_actions.recording_start_by_participant, participant_id=people["host"].pk)

    recording = Recording.objects.get()
    started = {
        "type": "recording",
        "seq": seq + 1,
        "active": True,
        "started_at": recording.started_at.isoformat(),
    }
    assert outbox.to(meeting_group(meeting.pk)) == [started]
    assert event_log(meeting)[-1] == (seq + 1, "recording")
    welcome = services.welcome_for(people["alice"])
    assert welcome["meeting"]["recording"] == {"active": True, "started_at": recording.started_at.isoformat()}

    outbox.clear()
    commit(recording_actions.recording_stop_by_participant, participant_id=people["co"].pk)

    assert outbox.to(meeting_group(meeting.pk)) == [
        {"type": "recording", "seq": seq + 2, "active": False, "started_at": None}
    ]
    assert Recording.objects.get().status == Recording.Status.PROCESSING
    assert services.welcome_for(people["gita"])["meeting"]["recording"] == {
        "active": False,
        "started_at": None,
    }


@pytest.mark.parametrize("who", ["alice", "gita"])
@pytest.mark.parametrize(
    "action",
    [recording_actions.recording_start_by_participant, recording_actions.recording_stop_by_participant],
)
def test_participants_cannot_start_or_stop(room, commit, outbox, who, action):
    _meeting, people = room
    if action is recording_actions.recording_stop_by_participant:
        commit(recording_actions.recording_start_by_participant, participant_id=people["host"].pk)
    assert_refused(commit, outbox, action, people[who], PermissionDenied)


@pytest.mark.parametrize(
    ("change", "refusal"),
    [
        ({"recording_allowed": False}, RecordingNotAllowed),
        ({"media_mode": Meeting.MediaMode.P2P, "conference_server_id": ""}, RecordingNeedsSfu),
    ],
)
def test_refused_when_not_allowed_or_not_on_the_sfu(room, commit, outbox, change, refusal):
    meeting, people = room
    Meeting.objects.filter(pk=meeting.pk).update(**change)
    assert_refused(commit, outbox, recording_actions.recording_start_by_participant, people["host"], refusal)


def test_starting_twice_and_stopping_twice_are_refused(room, commit, outbox):
    _meeting, people = room
    start, stop = (
        recording_actions.recording_start_by_participant,
        recording_actions.recording_stop_by_participant,
    )
    commit(start, participant_id=people["host"].pk)
    assert_refused(commit, outbox, start, people["co"], RecordingInProgress)
    commit(stop, participant_id=people["host"].pk)
    assert_refused(commit, outbox, stop, people["host"], NotRecording)


def test_someone_who_left_cannot_record(room, commit, outbox):
    _meeting, people = room
    MeetingParticipant.objects.filter(pk=people["host"].pk).update(status=MeetingParticipant.Status.LEFT)
    assert_refused(
        commit, outbox, recording_actions.recording_start_by_participant, people["host"], PermissionDenied
    )


def test_the_room_socket_routes_the_recording_messages(room, django_capture_on_commit_callbacks, outbox):
    from aapoon.realtime.meeting_consumer import ACTIONS

    _meeting, people = room
    with django_capture_on_commit_callbacks(execute=True):
        ACTIONS["recording_start"](people["host"].pk, {"type": "recording_start"})
    assert Recording.objects.get().status == Recording.Status.RECORDING
    with django_capture_on_commit_callbacks(execute=True):
        ACTIONS["recording_stop"](people["host"].pk, {"type": "recording_stop"})
    assert Recording.objects.get().status == Recording.Status.PROCESSING
