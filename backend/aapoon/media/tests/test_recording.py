"""Starting and stopping a recording on a real Janus, continuing it after failover, and the
meeting's end stopping it."""

from pathlib import Path
from typing import Any

import pytest
from dbtasks.models import ScheduledTask

from aapoon.accounts.tests.factories import make_user
from aapoon.core.errors import Conflict
from aapoon.media import placement, recording
from aapoon.media.models import MediaNode, Recording
from aapoon.media.recording import (
    NotRecording,
    RecordingInProgress,
    RecordingNeedsSfu,
    RecordingNotAllowed,
    RecordingUnavailable,
)
from aapoon.media.testing import RunningJanus
from aapoon.media.tests.recording_factories import make_sfu_meeting
from aapoon.media.tests.registry import register_node
from aapoon.meetings import services
from aapoon.meetings.models import Meeting

pytestmark = pytest.mark.django_db
Status = Recording.Status


@pytest.fixture
def node(janus: RunningJanus, settings, tmp_path) -> MediaNode:
    settings.RECORDINGS_DIR = str(tmp_path / "recordings")
    return register_node(janus, settings, capacity=10)


def open_room(janus: RunningJanus, room_id: str) -> None:
    """The meeting's room as placement makes it, but listed (public) so the tests can read it."""
    janus.client.videoroom(
        {"request": "create", "room": room_id, "secret": placement.room_secret(room_id), "publishers": 4}
    )


def room_recording(janus: RunningJanus, room_id: str) -> tuple[bool, str]:
    rooms = janus.client.videoroom({"request": "list"})["list"]
    room = next(r for r in rooms if r["room"] == room_id)
    return room["record"], room.get("rec_dir", "")


@pytest.fixture
def meeting(node, janus) -> Meeting:
    live = make_sfu_meeting(host=make_user(email="hema@example.com"), node_name=node.name)
    open_room(janus, str(live.pk))
    yield live
    placement.room_destroy(node=node, room_id=str(live.pk))  # gone already if the meeting ended


def queued() -> list[tuple[str, Any]]:
    return list(ScheduledTask.objects.values_list("task_path", "args"))


def test_start_records_into_a_folder_of_its_own(meeting, janus, settings):
    started = recording.recording_start(meeting_id=meeting.pk, user_id=meeting.host_id)

    row = Recording.objects.get()
    assert row.pk == started.pk
    assert (row.status, row.started_by_id, row.meeting_id) == (Status.RECORDING, meeting.host_id, meeting.pk)
    assert row.source_dir == str(Path(settings.RECORDINGS_DIR) / str(row.pk))
    assert room_recording(janus, str(meeting.pk)) == (True, row.source_dir)


def test_stop_closes_the_files_then_queues_processing(meeting, janus, django_capture_on_commit_callbacks):
    started = recording.recording_start(meeting_id=meeting.pk, user_id=meeting.host_id)
    with django_capture_on_commit_callbacks(execute=True):
        stopped = recording.recording_stop(meeting_id=meeting.pk)

    row = Recording.objects.get()
    assert (row.pk, row.status) == (started.pk, Status.PROCESSING)
    assert row.stopped_at == stopped.stopped_at and row.stopped_at >= row.started_at
    assert room_recording(janus, str(meeting.pk))[0] is False
    assert queued() == [("aapoon.media.tasks.recording_process", [str(row.pk)])]


def test_nothing_is_queued_if_the_stop_rolls_back(meeting, django_capture_on_commit_callbacks, janus):
    recording.recording_start(meeting_id=meeting.pk, user_id=meeting.host_id)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        recording.recording_stop(meeting_id=meeting.pk)
    assert len(callbacks) == 1 and queued() == []
    assert room_recording(janus, str(meeting.pk))[0] is True  # Janus is told only after commit


def _state(janus: RunningJanus, meeting: Meeting) -> tuple[list[dict[str, Any]], list[Any], bool]:
    return list(Recording.objects.values()), queued(), room_recording(janus, str(meeting.pk))[0]


@pytest.mark.parametrize(
    ("change", "refusal"),
    [
        ({"recording_allowed": False}, RecordingNotAllowed),
        ({"media_mode": Meeting.MediaMode.P2P, "conference_server_id": ""}, RecordingNeedsSfu),
        ({"status": Meeting.Status.ENDED}, Conflict),
    ],
)
def test_start_is_refused_without_writing_or_calling_janus(meeting, janus, change, refusal):
    Meeting.objects.filter(pk=meeting.pk).update(**change)
    before = _state(janus, meeting)
    with pytest.raises(refusal):
        recording.recording_start(meeting_id=meeting.pk, user_id=meeting.host_id)
    assert _state(janus, meeting) == before == ([], [], False)


def test_starting_twice_is_refused(meeting, janus):
    first = recording.recording_start(meeting_id=meeting.pk, user_id=meeting.host_id)
    with pytest.raises(RecordingInProgress):
        recording.recording_start(meeting_id=meeting.pk, user_id=meeting.host_id)
    assert list(Recording.objects.values_list("pk", flat=True)) == [first.pk]
    assert room_recording(janus, str(meeting.pk)) == (True, first.source_dir)


def test_stopping_when_not_recording_is_refused(meeting):
    with pytest.raises(NotRecording):
        recording.recording_stop(meeting_id=meeting.pk)
    assert not Recording.objects.exists()


def test_a_janus_refusal_leaves_no_recording(node, janus):
    # The meeting says it is on the node, but the node has no such room (e.g. Janus restarted).
    meeting = make_sfu_meeting(host=make_user(email="hema@example.com"), node_name=node.name)
    with pytest.raises(RecordingUnavailable) as caught:
        recording.recording_start(meeting_id=meeting.pk, user_id=meeting.host_id)
    assert (caught.value.code, caught.value.status) == ("recording_unavailable", 503)
    assert not Recording.objects.exists()


def test_reapply_continues_into_the_same_folder_on_the_new_room(meeting, janus):
    started = recording.recording_start(meeting_id=meeting.pk, user_id=meeting.host_id)
    new_room = f"{meeting.pk}-moved"
    open_room(janus, new_room)
    try:
        recording.recording_reapply(client=janus.client, room_id=new_room, meeting_id=meeting.pk)
        assert room_recording(janus, new_room) == (True, started.source_dir)
    finally:
        janus.client.videoroom(
            {"request": "destroy", "room": new_room, "secret": placement.room_secret(new_room)}
        )


def test_reapply_does_nothing_when_not_recording(meeting, janus):
    recording.recording_reapply(client=janus.client, room_id=str(meeting.pk), meeting_id=meeting.pk)
    assert room_recording(janus, str(meeting.pk))[0] is False


def test_ending_the_meeting_stops_its_recording(meeting, janus, django_capture_on_commit_callbacks):
    started = recording.recording_start(meeting_id=meeting.pk, user_id=meeting.host_id)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_end(meeting_id=meeting.pk)
    row = Recording.objects.get()
    assert (row.pk, row.status) == (started.pk, Status.PROCESSING)
    assert queued() == [("aapoon.media.tasks.recording_process", [str(row.pk)])]


def test_a_stop_that_reaches_janus_before_its_start_still_stops_the_room(
    meeting, janus, monkeypatch, django_capture_on_commit_callbacks
):
    real_set, raced = recording._janus_recording_set, False

    def stop_lands_first(client, room_id, rec_dir):
        nonlocal raced
        if rec_dir is not None and not raced:
            raced = True  # while the start's request is on its way, a stop commits and tells Janus
            with django_capture_on_commit_callbacks(execute=True):
                recording.recording_stop(meeting_id=meeting.pk)
        real_set(client, room_id, rec_dir)

    monkeypatch.setattr(recording, "_janus_recording_set", stop_lands_first)

    started = recording.recording_start(meeting_id=meeting.pk, user_id=meeting.host_id)

    assert Recording.objects.get().status == Status.PROCESSING
    assert room_recording(janus, str(meeting.pk)) == (False, started.source_dir)


def test_a_start_that_lands_after_a_newer_one_leaves_the_newer_one_recording(
    meeting, janus, monkeypatch, django_capture_on_commit_callbacks
):
    real_set, newer = recording._janus_recording_set, []

    def stop_and_start_again_land_first(client, room_id, rec_dir):
        if rec_dir is not None and not newer:
            newer.append(None)  # once
            with django_capture_on_commit_callbacks(execute=True):
                recording.recording_stop(meeting_id=meeting.pk)
            newer[0] = recording.recording_start(meeting_id=meeting.pk, user_id=meeting.host_id)
        real_set(client, room_id, rec_dir)

    monkeypatch.setattr(recording, "_janus_recording_set", stop_and_start_again_land_first)

    recording.recording_start(meeting_id=meeting.pk, user_id=meeting.host_id)

    assert room_recording(janus, str(meeting.pk)) == (True, newer[0].source_dir)


def test_a_meeting_on_a_node_without_secrets_cannot_record_and_keeps_no_row(node, janus, settings):
    meeting = make_sfu_meeting(host=make_user(email="hema@example.com"), node_name="ghost")
    MediaNode.objects.create(name="ghost", healthy=True)  # registered, but not in JANUS_NODES
    with pytest.raises(RecordingUnavailable):
        recording.recording_start(meeting_id=meeting.pk, user_id=meeting.host_id)
    assert not Recording.objects.exists()
