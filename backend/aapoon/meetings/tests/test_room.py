"""Inside a live meeting: chat, state, hands, reactions, the waiting room, moderation, signaling.

Every refusal is checked (by `refused`) to have written nothing and sent nothing. `commit` runs a service
with its after-commit callbacks (as production does); `outbox` records what reached the channel layer.
"""

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from aapoon.core.errors import InvalidInput, NotFound, PermissionDenied, RateLimited
from aapoon.meetings import room, services
from aapoon.meetings.errors import MeetingFull
from aapoon.meetings.events import hosts_group, meeting_group, participant_group
from aapoon.meetings.models import ChatMessage, Meeting, MeetingEvent, MeetingParticipant
from aapoon.meetings.payloads import chat_payload, participant_payload
from aapoon.meetings.tests.factories import Room, event_log, make_participant

pytestmark = pytest.mark.django_db
Role = MeetingParticipant.Role
Status = MeetingParticipant.Status


def _first_update(r: Room, participant: MeetingParticipant) -> tuple[str, dict[str, Any]]:
    """The meeting's first broadcast: everyone hears of `participant` as they are now."""
    payload = participant_payload(participant)
    return meeting_group(r.meeting.pk), {"type": "participant.updated", "seq": 1, "participant": payload}


# ---- chat --------------------------------------------------------------------------------------


def test_public_chat_is_stored_then_broadcast(commit, outbox, r):
    message = commit(room.chat_send, participant_id=r.gita.pk, text="  hello <b>all</b> ", client_id="c-1")
    row = ChatMessage.objects.get()
    assert row.pk == message.pk
    assert (row.meeting_id, row.sender_id, row.sender_user_id, row.sender_name) == (
        r.meeting.pk,
        r.gita.pk,
        None,
        "Gita",
    )
    assert (row.text, row.recipient_id, row.client_id, row.type) == ("hello <b>all</b>", None, "c-1", "text")
    payload = {
        "id": str(row.pk),
        "type": "text",
        "sender_participant_id": str(r.gita.pk),
        "sender_name": "Gita",
        "text": "hello <b>all</b>",
        "to_participant_id": None,
        "room_id": None,
        "created_at": row.created_at.isoformat(),
        "client_id": "c-1",
        "attachments": [],
        "poll": None,
    }
    assert outbox.sent == [
        (meeting_group(r.meeting.pk), {"type": "chat.message", "seq": 1, "message": payload})
    ]
    event = MeetingEvent.objects.get()
    assert (event.seq, event.type, event.payload) == (1, "chat.message", {"message": payload})

    commit(room.chat_send, participant_id=r.alice.pk, text="hi", client_id=42)  # a non-string id is dropped
    assert event_log(r.meeting) == [(1, "chat.message"), (2, "chat.message")]
    assert outbox.sent[1][1]["seq"] == 2
    assert outbox.sent[1][1]["message"]["client_id"] is None
    assert ChatMessage.objects.get(text="hi").sender_user_id == r.alice.user_id


def test_private_chat_goes_only_to_sender_and_recipient(commit, outbox, r):
    message = commit(room.chat_send, participant_id=r.gita.pk, text="psst", to=str(r.alice.pk))
    assert message.recipient_id == r.alice.pk
    payload = chat_payload(message)
    assert payload["to_participant_id"] == str(r.alice.pk)
    assert outbox.sent == [
        (participant_group(r.gita.pk), {"type": "chat.message", "message": payload}),
        (participant_group(r.alice.pk), {"type": "chat.message", "message": payload}),
    ]
    assert MeetingEvent.objects.count() == 0  # never in the broadcast log, so never replayed to others


@pytest.mark.parametrize(
    ("text", "field"),
    [("", "text"), ("   \n", "text"), (None, "text"), (["hi"], "text"), ("x" * 2001, "text")],
)
def test_empty_or_overlong_chat_is_refused(refused, r, text, field):
    error = refused(InvalidInput, room.chat_send, participant_id=r.gita.pk, text=text)
    assert error.detail[0]["loc"] == [field]


def test_a_message_of_exactly_2000_characters_is_fine(commit, r):
    assert len(commit(room.chat_send, participant_id=r.gita.pk, text="x" * 2000).text) == 2000


def test_private_chat_to_self_someone_waiting_or_in_another_meeting_is_refused(refused, r, other_room):
    error = refused(InvalidInput, room.chat_send, participant_id=r.gita.pk, text="x", to=str(r.gita.pk))
    assert error.detail[0]["loc"] == ["to"]
    for to in (r.knock.pk, other_room.alice.pk, "not-a-uuid"):
        refused(NotFound, room.chat_send, participant_id=r.gita.pk, text="x", to=str(to))


def test_one_person_cannot_flood_the_room(commit, outbox, refused, r, settings):
    settings.MEETING_MESSAGE_RATE_LIMIT = 3
    commit(room.chat_send, participant_id=r.gita.pk, text="one")
    commit(room.reaction_send, participant_id=r.gita.pk, emoji="👍")
    commit(room.chat_send, participant_id=r.gita.pk, text="three")
    outbox.clear()
    refused(RateLimited, room.chat_send, participant_id=r.gita.pk, text="four")
    refused(RateLimited, room.reaction_send, participant_id=r.gita.pk, emoji="🎉")
    commit(room.chat_send, participant_id=r.alice.pk, text="others still can")


def test_someone_waiting_or_gone_cannot_chat(refused, r):
    refused(PermissionDenied, room.chat_send, participant_id=r.knock.pk, text="let me in")
    r.alice.status = Status.LEFT
    r.alice.save()
    refused(PermissionDenied, room.chat_send, participant_id=r.alice.pk, text="still here?")


def test_nothing_happens_in_a_meeting_that_has_ended(refused, r):
    Meeting.objects.filter(pk=r.meeting.pk).update(status=Meeting.Status.ENDED)
    refused(PermissionDenied, room.chat_send, participant_id=r.host.pk, text="x")
    refused(PermissionDenied, room.participant_mute, participant_id=r.host.pk, target_id=r.alice.pk)


# ---- state, hands, reactions ------------------------------------------------------------------


def test_state_changes_are_broadcast_once(commit, outbox, r):
    commit(room.state_set, participant_id=r.alice.pk, audio_on=True, video_on=True)
    alice = r.reload(r.alice)
    assert (alice.is_muted, alice.is_video_on, alice.is_screen_sharing) == (False, True, False)
    assert outbox.sent == [_first_update(r, alice)]
    assert outbox.sent[0][1]["participant"]["audio_on"] is True
    outbox.clear()
    commit(room.state_set, participant_id=r.alice.pk, audio_on=True, video_on=True)  # no change
    commit(room.state_set, participant_id=r.alice.pk)
    assert outbox.sent == []
    assert event_log(r.meeting) == [(1, "participant.updated")]


def test_screen_share_carries_its_track_id_until_it_stops(commit, outbox, r):
    commit(room.state_set, participant_id=r.alice.pk, screen_on=True, screen_track_id="track-9")
    alice = r.reload(r.alice)
    assert (alice.is_screen_sharing, alice.screen_track_id) == (True, "track-9")
    assert outbox.sent[-1][1]["participant"]["screen_track_id"] == "track-9"
    commit(room.state_set, participant_id=r.alice.pk, screen_on=False, screen_track_id="ignored")
    alice = r.reload(r.alice)
    assert (alice.is_screen_sharing, alice.screen_track_id) == (False, "")
    assert outbox.sent[-1][1]["participant"]["screen_track_id"] is None


def test_hands_go_up_and_down(commit, outbox, r):
    commit(room.hand_set, participant_id=r.gita.pk, raised=True)
    assert r.reload(r.gita).hand_raised_at is not None
    commit(room.hand_set, participant_id=r.gita.pk, raised=True)  # already up: nothing
    commit(room.hand_set, participant_id=r.gita.pk, raised=False)
    assert r.reload(r.gita).hand_raised_at is None
    assert [m["participant"]["hand_raised"] for _, m in outbox.sent] == [True, False]
    assert [seq for seq, _ in event_log(r.meeting)] == [1, 2]


@pytest.mark.parametrize("emoji", ["👍", "👏", "😂", "😮", "❤️", "🎉"])
def test_reactions_are_broadcast(commit, outbox, r, emoji):
    commit(room.reaction_send, participant_id=r.gita.pk, emoji=emoji)
    assert outbox.sent == [
        (
            meeting_group(r.meeting.pk),
            {"type": "reaction", "seq": 1, "participant_id": str(r.gita.pk), "emoji": emoji},
        )
    ]
    assert event_log(r.meeting) == [(1, "reaction")]


@pytest.mark.parametrize("emoji", ["💩", "", None, "👍👍", 1])
def test_other_reactions_are_refused(refused, r, emoji):
    error = refused(InvalidInput, room.reaction_send, participant_id=r.gita.pk, emoji=emoji)
    assert error.detail[0]["loc"] == ["emoji"]


def test_someone_waiting_cannot_react_or_change_state(refused, r):
    refused(PermissionDenied, room.reaction_send, participant_id=r.knock.pk, emoji="👍")
    refused(PermissionDenied, room.state_set, participant_id=r.knock.pk, audio_on=True)
    refused(PermissionDenied, room.hand_set, participant_id=r.knock.pk, raised=True)


# ---- who may moderate whom ----------------------------------------------------------------------


def _moderation_calls(r: Room) -> list[tuple[Any, dict[str, Any]]]:
    return [
        (room.participant_mute, {"target_id": r.gita.pk}),
        (room.ask_unmute, {"target_id": r.gita.pk}),
        (room.video_stop, {"target_id": r.gita.pk}),
        (room.participant_remove, {"target_id": r.gita.pk}),
        (room.mute_all, {}),
        (room.meeting_lock_set, {"locked": True}),
        (room.lobby_admit, {"target_id": r.knock.pk}),
        (room.lobby_admit_all, {}),
        (room.lobby_deny, {"target_id": r.knock.pk}),
        (room.cohost_set, {"target_id": r.gita.pk, "cohost": True}),
        (room.cohost_set, {"target_id": r.co.pk, "cohost": False}),
        (room.host_transfer, {"target_id": r.co.pk}),
        (room.meeting_end_by_participant, {}),
    ]


def test_a_participant_can_moderate_no_one(refused, r):
    r.gita.is_muted = False
    r.gita.is_video_on = True
    r.gita.save()
    for service, kwargs in _moderation_calls(r):
        refused(PermissionDenied, service, participant_id=r.alice.pk, **kwargs)


def test_someone_waiting_can_moderate_no_one(refused, r):
    for service, kwargs in _moderation_calls(r):
        refused(PermissionDenied, service, participant_id=r.knock.pk, **kwargs)


@pytest.mark.parametrize("who", ["host", "co2"])
@pytest.mark.parametrize(
    "service", [room.participant_mute, room.ask_unmute, room.video_stop, room.participant_remove]
)
def test_a_cohost_cannot_moderate_the_host_or_another_cohost(refused, r, who, service):
    target = getattr(r, who)
    target.is_muted = False
    target.is_video_on = True
    target.save()
    refused(PermissionDenied, service, participant_id=r.co.pk, target_id=target.pk)


def test_a_cohost_cannot_take_roles_away_or_hand_over_the_meeting(refused, r):
    refused(PermissionDenied, room.cohost_set, participant_id=r.co.pk, target_id=r.co2.pk, cohost=False)
    refused(PermissionDenied, room.host_transfer, participant_id=r.co.pk, target_id=r.alice.pk)
    refused(PermissionDenied, room.cohost_set, participant_id=r.co.pk, target_id=r.host.pk, cohost=True)


def test_no_one_moderates_the_host(refused, r):
    for service in (room.participant_mute, room.participant_remove, room.video_stop):
        refused(PermissionDenied, service, participant_id=r.host.pk, target_id=r.host.pk)


@pytest.mark.parametrize(
    ("moderator", "to_mute", "to_remove"),
    [("co", "gita", "alice"), ("host", "co", "co2")],
    ids=["a_cohost_moderates_participants", "the_host_moderates_cohosts"],
)
def test_a_moderator_mutes_and_removes_those_below(commit, outbox, r, moderator, to_mute, to_remove):
    actor, muted, removed = getattr(r, moderator), getattr(r, to_mute), getattr(r, to_remove)
    muted.is_muted = False
    muted.save()
    commit(room.participant_mute, participant_id=actor.pk, target_id=muted.pk)
    commit(room.participant_remove, participant_id=actor.pk, target_id=removed.pk)
    assert r.reload(muted).is_muted is True
    assert r.reload(removed).status == Status.REMOVED
    assert event_log(r.meeting) == [(1, "participant.updated"), (2, "participant.left")]


# ---- each moderation action's outcome -----------------------------------------------------------


def test_mute_sets_is_muted_and_tells_the_person(commit, outbox, r):
    r.gita.is_muted = False
    r.gita.save()
    commit(room.participant_mute, participant_id=r.host.pk, target_id=str(r.gita.pk))
    gita = r.reload(r.gita)
    assert gita.is_muted is True
    assert outbox.sent == [_first_update(r, gita), (participant_group(r.gita.pk), {"type": "muted_by_host"})]
    outbox.clear()
    commit(room.participant_mute, participant_id=r.host.pk, target_id=r.gita.pk)  # already muted
    assert outbox.sent == [(participant_group(r.gita.pk), {"type": "muted_by_host"})]
    assert event_log(r.meeting) == [(1, "participant.updated")]


def test_mute_all_mutes_everyone_but_the_moderators(commit, outbox, r):
    MeetingParticipant.objects.filter(meeting=r.meeting).update(is_muted=False)
    assert commit(room.mute_all, participant_id=r.co.pk) == 2
    muted = dict(MeetingParticipant.objects.filter(meeting=r.meeting).values_list("display_name", "is_muted"))
    assert muted == {"Hema": False, "Cora": False, "Cyd": False, "Alice": True, "Gita": True, "Kiran": False}
    assert sorted(g for g, m in outbox.sent if m["type"] == "muted_by_host") == sorted(
        [participant_group(r.alice.pk), participant_group(r.gita.pk)]
    )


def test_ask_unmute_only_asks(commit, outbox, r):
    commit(room.ask_unmute, participant_id=r.host.pk, target_id=r.gita.pk)
    assert r.reload(r.gita).is_muted is True
    assert outbox.sent == [(participant_group(r.gita.pk), {"type": "unmute_requested", "by": "Hema"})]
    assert event_log(r.meeting) == []


def test_stop_video(commit, outbox, r):
    r.gita.is_video_on = True
    r.gita.save()
    commit(room.video_stop, participant_id=r.co.pk, target_id=r.gita.pk)
    gita = r.reload(r.gita)
    assert gita.is_video_on is False
    assert outbox.sent == [
        _first_update(r, gita),
        (participant_group(r.gita.pk), {"type": "video_stopped_by_host"}),
    ]


def test_remove(refused, commit, outbox, r):
    commit(room.participant_remove, participant_id=r.host.pk, target_id=r.gita.pk)
    gita = r.reload(r.gita)
    assert (gita.status, gita.was_removed) == (Status.REMOVED, True)
    assert gita.left_at is not None
    assert outbox.sent == [
        (
            meeting_group(r.meeting.pk),
            {"type": "participant.left", "seq": 1, "participant_id": str(r.gita.pk), "reason": "removed"},
        ),
        (participant_group(r.gita.pk), {"type": "removed"}),
    ]
    # Gone: can't act, can't be acted on, and comes back only through the waiting room.
    outbox.clear()
    refused(PermissionDenied, room.chat_send, participant_id=r.gita.pk, text="x")
    refused(NotFound, room.participant_remove, participant_id=r.host.pk, target_id=r.gita.pk)
    back = commit(
        services.meeting_join,
        code=r.meeting.meeting_code,
        user=None,
        display_name="Gita",
        passcode="",
        guest_key="g-gita",
        ip="10.0.0.1",
    )
    assert back.participant.status == Status.WAITING


def test_lock_and_unlock_are_broadcast(commit, outbox, r):
    commit(room.meeting_lock_set, participant_id=r.co.pk, locked=True)
    commit(room.meeting_lock_set, participant_id=r.co.pk, locked=True)  # already locked: nothing
    r.meeting.refresh_from_db()
    assert r.meeting.is_locked is True
    commit(room.meeting_lock_set, participant_id=r.host.pk, locked=False)
    r.meeting.refresh_from_db()
    assert r.meeting.is_locked is False
    meeting = {
        "code": r.meeting.meeting_code,
        "title": "Weekly",
        "recording_allowed": False,
        "recording": {"active": False, "started_at": None},
    }
    assert outbox.sent == [
        (
            meeting_group(r.meeting.pk),
            {"type": "meeting.updated", "seq": 1, "meeting": {**meeting, "is_locked": True}},
        ),
        (
            meeting_group(r.meeting.pk),
            {"type": "meeting.updated", "seq": 2, "meeting": {**meeting, "is_locked": False}},
        ),
    ]


def test_make_and_unmake_a_cohost(commit, outbox, r):
    commit(room.cohost_set, participant_id=r.co.pk, target_id=r.alice.pk, cohost=True)
    alice = r.reload(r.alice)
    assert alice.role == Role.COHOST
    assert outbox.sent == [
        _first_update(r, alice),
        (participant_group(r.alice.pk), {"type": "role", "role": "cohost"}),
    ]
    outbox.clear()
    commit(room.cohost_set, participant_id=r.host.pk, target_id=r.alice.pk, cohost=False)
    assert r.reload(r.alice).role == Role.PARTICIPANT
    assert outbox.sent[-1] == (participant_group(r.alice.pk), {"type": "role", "role": "participant"})


def test_transfer_host(refused, commit, outbox, r):
    commit(room.host_transfer, participant_id=r.host.pk, target_id=r.alice.pk)
    r.meeting.refresh_from_db()
    assert r.meeting.host_id == r.alice.user_id
    assert (r.reload(r.alice).role, r.reload(r.host).role) == (Role.HOST, Role.PARTICIPANT)
    assert [(g, m["type"]) for g, m in outbox.sent] == [
        (meeting_group(r.meeting.pk), "participant.updated"),
        (participant_group(r.alice.pk), "role"),
        (meeting_group(r.meeting.pk), "participant.updated"),
        (participant_group(r.host.pk), "role"),
    ]
    assert [m["role"] for g, m in outbox.sent if m["type"] == "role"] == ["host", "participant"]
    # The old host is now just a participant.
    outbox.clear()
    refused(PermissionDenied, room.host_transfer, participant_id=r.host.pk, target_id=r.co.pk)


def test_the_host_cannot_be_handed_to_a_guest(refused, r):
    error = refused(InvalidInput, room.host_transfer, participant_id=r.host.pk, target_id=r.gita.pk)
    assert error.detail[0]["loc"] == ["participant_id"]


def test_a_cohost_ends_the_meeting_for_everyone(commit, outbox, r):
    commit(room.meeting_end_by_participant, participant_id=r.co.pk)
    r.meeting.refresh_from_db()
    assert r.meeting.status == Meeting.Status.ENDED
    assert set(MeetingParticipant.objects.filter(meeting=r.meeting).values_list("status", flat=True)) == {
        Status.LEFT
    }
    assert outbox.sent == [
        (meeting_group(r.meeting.pk), {"type": "meeting.ended", "seq": 1}),
        (participant_group(r.knock.pk), {"type": "meeting.ended"}),
    ]


# ---- the waiting room ---------------------------------------------------------------------------


def test_admit(refused, commit, outbox, r):
    commit(room.lobby_admit, participant_id=r.co.pk, target_id=str(r.knock.pk))
    knock = r.reload(r.knock)
    assert knock.status == Status.JOINED and knock.joined_at is not None
    assert outbox.sent == [
        (
            meeting_group(r.meeting.pk),
            {"type": "participant.joined", "seq": 1, "participant": participant_payload(knock)},
        ),
        (participant_group(r.knock.pk), {"type": "admitted"}),
        (hosts_group(r.meeting.pk), {"type": "lobby", "waiting": []}),
    ]
    # Admitting someone already in is "no such participant" (they are not waiting).
    outbox.clear()
    refused(NotFound, room.lobby_admit, participant_id=r.co.pk, target_id=r.knock.pk)


def test_admit_respects_the_cap(refused, r, settings):
    settings.MEETING_P2P_MAX_PARTICIPANTS = 5  # five are in already
    error = refused(MeetingFull, room.lobby_admit, participant_id=r.host.pk, target_id=r.knock.pk)
    assert error.message == "This meeting is full: at most 5 people can be in it."
    refused(MeetingFull, room.lobby_admit_all, participant_id=r.host.pk)


def test_a_seat_held_by_someone_long_gone_is_freed_to_admit(commit, r, settings):
    """Their grace-period timer may have died with a restart; the cap must not count them."""
    settings.MEETING_P2P_MAX_PARTICIPANTS = 5  # five are in already
    gone_since = timezone.now() - dt.timedelta(seconds=settings.MEETING_RECONNECT_GRACE_SECONDS + 1)
    MeetingParticipant.objects.filter(pk=r.alice.pk).update(disconnected_at=gone_since)
    commit(room.lobby_admit, participant_id=r.host.pk, target_id=r.knock.pk)
    assert (r.reload(r.alice).status, r.reload(r.knock).status) == (Status.LEFT, Status.JOINED)


def test_admit_all(commit, outbox, r, settings):
    settings.MEETING_P2P_MAX_PARTICIPANTS = 10
    r.meeting.max_participants = 10
    r.meeting.save()
    second = make_participant(r.meeting, name="Second", status=Status.WAITING)
    assert commit(room.lobby_admit_all, participant_id=r.host.pk) == 2
    assert (r.reload(r.knock).status, r.reload(second).status) == (Status.JOINED, Status.JOINED)
    assert [(g, m["type"]) for g, m in outbox.sent] == [
        (meeting_group(r.meeting.pk), "participant.joined"),
        (participant_group(r.knock.pk), "admitted"),
        (meeting_group(r.meeting.pk), "participant.joined"),
        (participant_group(second.pk), "admitted"),
        (hosts_group(r.meeting.pk), "lobby"),
    ]
    assert outbox.sent[-1][1]["waiting"] == []


def test_admit_all_lets_in_as_many_as_fit(commit, outbox, r):
    assert services.participant_limit(r.meeting) == 6  # five are in: room for one more
    second = make_participant(r.meeting, name="Second", status=Status.WAITING)
    assert commit(room.lobby_admit_all, participant_id=r.host.pk) == 1
    assert (r.reload(r.knock).status, r.reload(second).status) == (Status.JOINED, Status.WAITING)
    assert outbox.sent[-1] == (
        hosts_group(r.meeting.pk),
        {"type": "lobby", "waiting": [{**participant_payload(second), "was_removed": False}]},
    )


def test_deny(refused, commit, outbox, r):
    commit(room.lobby_deny, participant_id=r.host.pk, target_id=r.knock.pk)
    knock = r.reload(r.knock)
    assert knock.status == Status.DENIED and knock.left_at is not None
    assert outbox.sent == [
        (participant_group(r.knock.pk), {"type": "denied"}),
        (hosts_group(r.meeting.pk), {"type": "lobby", "waiting": []}),
    ]
    assert event_log(r.meeting) == []
    outbox.clear()
    refused(NotFound, room.lobby_deny, participant_id=r.host.pk, target_id=r.gita.pk)


# ---- one meeting cannot reach into another --------------------------------------------------------


@pytest.mark.parametrize(
    ("service", "target", "extra"),
    [
        (room.participant_mute, "gita", {}),
        (room.ask_unmute, "gita", {}),
        (room.video_stop, "gita", {}),
        (room.participant_remove, "gita", {}),
        (room.cohost_set, "alice", {"cohost": True}),
        (room.cohost_set, "co", {"cohost": False}),
        (room.host_transfer, "alice", {}),
        (room.lobby_admit, "knock", {}),
        (room.lobby_deny, "knock", {}),
    ],
)
def test_a_host_cannot_act_on_another_meetings_participants(refused, r, other_room, service, target, extra):
    victim = getattr(other_room, target)
    victim.is_muted = False
    victim.is_video_on = True
    victim.save()
    refused(NotFound, service, participant_id=r.host.pk, target_id=victim.pk, **extra)


@pytest.mark.parametrize("target_id", ["", None, "nope", 17, "00000000-0000-0000-0000-000000000000"])
def test_targets_that_name_no_one_are_not_found(refused, r, target_id):
    refused(NotFound, room.participant_mute, participant_id=r.host.pk, target_id=target_id)


# ---- signaling and catching up --------------------------------------------------------------------


def test_signal_target_is_an_admitted_participant_of_the_same_meeting(r, other_room):
    assert room.signal_target(participant_id=r.gita.pk, to=str(r.alice.pk)) == r.alice.pk
    r.co2.status = Status.LEFT
    r.co2.save()
    for to in (r.gita.pk, r.knock.pk, r.co2.pk, other_room.alice.pk, "garbage", None):
        with pytest.raises(NotFound):
            room.signal_target(participant_id=r.gita.pk, to=str(to))
    with pytest.raises(PermissionDenied):
        room.signal_target(participant_id=r.knock.pk, to=str(r.host.pk))


def test_resume_returns_the_broadcasts_after_a_number(commit, r):
    commit(room.chat_send, participant_id=r.gita.pk, text="one")
    commit(room.chat_send, participant_id=r.gita.pk, text="private", to=r.alice.pk)
    commit(room.hand_set, participant_id=r.gita.pk, raised=True)
    commit(room.reaction_send, participant_id=r.gita.pk, emoji="🎉")
    events = room.resume(participant_id=r.alice.pk, since=1)
    assert [(e["seq"], e["type"]) for e in events] == [(2, "participant.updated"), (3, "reaction")]
    assert events[1] == {"type": "reaction", "seq": 3, "participant_id": str(r.gita.pk), "emoji": "🎉"}
    assert [e["seq"] for e in room.resume(participant_id=r.alice.pk, since=0)] == [1, 2, 3]
    assert room.resume(participant_id=r.alice.pk, since=3) == []
    for since in (-1, "1", None, 1.5):
        with pytest.raises(InvalidInput):
            room.resume(participant_id=r.alice.pk, since=since)
    with pytest.raises(PermissionDenied):
        room.resume(participant_id=r.knock.pk, since=0)
