"""A meeting's media on real Janus nodes: placement on first need, grants, revocation, moderation
after commit, the room's end, failover by the monitor, and P2P when there is no SFU."""

import uuid
from typing import Any

import pytest
from django.db import transaction

from aapoon.accounts.tests.factories import make_user
from aapoon.core.errors import PermissionDenied, RateLimited
from aapoon.media import placement
from aapoon.media import testing as media_testing
from aapoon.media.models import MediaNode
from aapoon.media.nodes import clients_close
from aapoon.media.testing import running_janus_node
from aapoon.media.tests.registry import register_node, room_exists
from aapoon.meetings import room, services, sfu
from aapoon.meetings.events import participant_group
from aapoon.meetings.models import Meeting, MeetingParticipant
from aapoon.meetings.sfu_monitor import monitor_step
from aapoon.meetings.tests.factories import make_meeting, make_participant

Role = MeetingParticipant.Role
Status = MeetingParticipant.Status
janus = media_testing.janus  # one real Janus for this module (fixture)
GRANT_KEYS = {
    "server_url",
    "token",
    "room",
    "pin",
    "room_token",
    "publisher_id",
    "screen_publisher_id",
    "ice_servers",
}


@pytest.fixture(autouse=True)
def _fresh_clients():
    yield
    clients_close()


def allowed_tokens(node: MediaNode, meeting: Meeting) -> set[str]:
    return set(placement.room_allowed(node=node, room_id=str(meeting.pk), action="add", tokens=[]))


@pytest.fixture
def host(db):
    return make_user(email="host@example.com", display_name="Hana")


@pytest.fixture
def live(host) -> Meeting:
    return make_meeting(host=host, title="Stand-up", max_participants=6)


@pytest.fixture
def node(janus, settings) -> MediaNode:
    return register_node(janus, settings)


@pytest.fixture
def host_p(live, host) -> MeetingParticipant:
    return make_participant(live, name="Hana", user=host, role=Role.HOST)


@pytest.fixture
def moderate_calls(monkeypatch) -> list[dict[str, Any]]:
    """Every moderate request made (and still sent to Janus)."""
    calls: list[dict[str, Any]] = []
    original = placement.room_moderate

    def recording(**kwargs: Any) -> None:
        calls.append({k: v for k, v in kwargs.items() if k != "node"})
        original(**kwargs)

    monkeypatch.setattr(placement, "room_moderate", recording)
    return calls


def placed(live: Meeting, host_p: MeetingParticipant) -> dict[str, Any]:
    welcome = services.welcome_for(host_p, new_socket=True)
    live.refresh_from_db()
    return welcome


# ---- P2P without an SFU ------------------------------------------------------------------------------


def test_without_a_node_the_meeting_stays_p2p(live, host_p):
    welcome = placed(live, host_p)
    assert (welcome["sfu"], welcome["meeting"]["media_mode"]) == (None, "p2p")
    assert (live.media_mode, live.conference_server_id) == ("p2p", "")


def test_with_only_unhealthy_or_disabled_nodes_the_meeting_stays_p2p(live, host_p, janus, settings):
    register_node(janus, settings)
    MediaNode.objects.update(healthy=False)
    MediaNode.objects.create(name="off", enabled=False, healthy=True)
    welcome = placed(live, host_p)
    assert (welcome["sfu"], live.media_mode, live.conference_server_id) == (None, "p2p", "")


# ---- placement and grants ------------------------------------------------------------------------------


def test_the_first_welcome_places_the_meeting_and_grants_entry(live, host_p, node, janus):
    welcome = placed(live, host_p)

    grant = welcome["sfu"]
    assert set(grant) == GRANT_KEYS
    assert grant["server_url"] == janus.process.ws_url
    assert (grant["room"], grant["publisher_id"]) == (str(live.pk), str(host_p.pk))
    assert grant["room_token"] == placement.room_token(host_p.pk)
    assert welcome["meeting"]["media_mode"] == "sfu"
    assert (live.media_mode, live.conference_server_id) == ("sfu", f"{node.name}/{live.pk}")
    assert room_exists(node=node, room_id=str(live.pk))
    assert allowed_tokens(node, live) == {grant["room_token"]}


def test_the_next_participant_enters_the_same_room(live, host_p, node):
    placed(live, host_p)
    alice = make_participant(live, name="Alice")
    grant = services.welcome_for(alice)["sfu"]
    assert (grant["room"], grant["publisher_id"]) == (str(live.pk), str(alice.pk))
    assert allowed_tokens(node, live) == {placement.room_token(host_p.pk), placement.room_token(alice.pk)}


def test_someone_waiting_gets_no_grant_and_places_nothing(live, node):
    knocking = make_participant(live, name="Gita", status=Status.WAITING)
    assert services.welcome_for(knocking)["sfu"] is None
    live.refresh_from_db()
    assert (live.media_mode, live.conference_server_id) == ("p2p", "")


def test_a_p2p_meeting_under_way_is_not_moved_under_its_participants(live, host_p, node):
    make_participant(live, name="Alice")  # connected, media flowing browser to browser
    assert placed(live, host_p)["sfu"] is None
    assert (live.media_mode, live.conference_server_id) == ("p2p", "")


def test_a_node_registered_without_secrets_is_skipped_not_a_crash(live, host_p, janus, settings):
    MediaNode.objects.create(name="ghost", healthy=True)  # not in JANUS_NODES: no way to reach it
    register_node(janus, settings, load=100)
    grant = placed(live, host_p)["sfu"]
    assert grant["server_url"] == janus.process.ws_url
    assert live.conference_server_id == f"{janus.name}/{live.pk}"


def test_a_room_lost_by_a_restarted_node_is_made_again(live, host_p, node):
    placed(live, host_p)
    placement.room_destroy(node=node, room_id=str(live.pk))  # as if Janus restarted in between checks
    grant = sfu.sfu_grant(participant_id=host_p.pk)
    assert grant is not None and room_exists(node=node, room_id=str(live.pk))
    assert allowed_tokens(node, live) == {grant["room_token"]}


def test_a_grant_racing_the_end_never_makes_the_room_again(commit, live, host_p, node, monkeypatch):
    placed(live, host_p)
    real_grant, creates = placement.grant_issue, []

    def end_meanwhile(**kwargs: Any) -> placement.SfuGrant:
        if not creates:
            creates.append("ended")
            commit(services.meeting_end, meeting_id=live.pk)  # its room is destroyed after commit
        return real_grant(**kwargs)  # so this answers 426: no such room

    monkeypatch.setattr(placement, "grant_issue", end_meanwhile)
    monkeypatch.setattr(placement, "room_create", lambda **kwargs: creates.append("room_create"))

    assert sfu.sfu_grant(participant_id=host_p.pk) is None
    assert creates == ["ended"]
    assert not room_exists(node=node, room_id=str(live.pk))


def test_a_room_made_again_as_the_meeting_ends_is_destroyed(commit, live, host_p, node, monkeypatch):
    placed(live, host_p)
    placement.room_destroy(node=node, room_id=str(live.pk))  # as if the node restarted
    real_create = placement.room_create

    def end_meanwhile(**kwargs: Any) -> None:
        # The end commits (and closes a room that is not there) just before the room is made again.
        commit(services.meeting_end, meeting_id=live.pk)
        real_create(**kwargs)

    monkeypatch.setattr(placement, "room_create", end_meanwhile)

    assert sfu.sfu_grant(participant_id=host_p.pk) is None
    assert not room_exists(node=node, room_id=str(live.pk))


def _racing(monkeypatch, rival: MediaNode) -> None:
    """Another app node places the meeting on `rival` while this one is creating its room."""
    original = placement.room_place

    def room_place(**kwargs: Any) -> MediaNode | None:
        mine = original(**kwargs)
        placement.room_create(
            node=rival, room_id=kwargs["room_id"], max_participants=kwargs["max_participants"]
        )
        Meeting.objects.filter(pk=kwargs["room_id"]).update(
            media_mode="sfu", conference_server_id=f"{rival.name}/{kwargs['room_id']}"
        )
        return mine

    monkeypatch.setattr(placement, "room_place", room_place)


def test_when_another_node_wins_the_race_our_room_is_destroyed(
    live,
    host_p,
    janus,
    settings,
    tmp_path,
    monkeypatch,
):
    with running_janus_node(tmp_path, "j2") as second:
        mine = register_node(janus, settings)
        rival = register_node(second, settings, load=100)
        _racing(monkeypatch, rival)

        assert sfu.meeting_place(meeting_id=live.pk) == rival

        live.refresh_from_db()
        assert live.conference_server_id == f"j2/{live.pk}"
        assert room_exists(node=rival, room_id=str(live.pk))
        assert not room_exists(node=mine, room_id=str(live.pk))


def test_when_both_placed_on_the_same_node_the_room_stays(live, host_p, node, monkeypatch):
    _racing(monkeypatch, node)
    assert sfu.meeting_place(meeting_id=live.pk) == node
    assert room_exists(node=node, room_id=str(live.pk))


# ---- revocation, moderation and the end: after commit only -----------------------------------------------


def test_removal_takes_the_token_away(commit, live, host_p, node):
    placed(live, host_p)
    alice = make_participant(live, name="Alice")
    services.welcome_for(alice)

    commit(room.participant_remove, participant_id=host_p.pk, target_id=str(alice.pk))

    assert allowed_tokens(node, live) == {placement.room_token(host_p.pk)}
    with pytest.raises(PermissionDenied):
        sfu.sfu_refresh(participant_id=alice.pk)
    assert allowed_tokens(node, live) == {placement.room_token(host_p.pk)}


def test_leaving_takes_the_token_away(commit, live, host_p, node):
    placed(live, host_p)
    alice = make_participant(live, name="Alice")
    services.welcome_for(alice)
    commit(services.participant_leave, participant_id=alice.pk)
    assert allowed_tokens(node, live) == {placement.room_token(host_p.pk)}


def test_a_host_mute_and_stop_video_are_enforced_at_the_sfu_after_commit(
    commit, live, host_p, node, moderate_calls
):
    placed(live, host_p)
    alice = make_participant(live, name="Alice", is_muted=False, is_video_on=True)

    commit(room.participant_mute, participant_id=host_p.pk, target_id=str(alice.pk))
    commit(room.video_stop, participant_id=host_p.pk, target_id=str(alice.pk))

    room_id, alice_feed = str(live.pk), str(alice.pk)
    assert moderate_calls == [
        {"room_id": room_id, "publisher_id": alice_feed, "mid": "0", "mute": True},
        {"room_id": room_id, "publisher_id": alice_feed, "mid": "1", "mute": True},
    ]
    moderate_calls.clear()
    commit(room.state_set, participant_id=alice.pk, audio_on=True, video_on=True)
    assert moderate_calls == [
        {"room_id": room_id, "publisher_id": alice_feed, "mid": "0", "mute": False},
        {"room_id": room_id, "publisher_id": alice_feed, "mid": "1", "mute": False},
    ]


def test_mute_all_mutes_each_at_the_sfu(commit, live, host_p, node, moderate_calls):
    placed(live, host_p)
    people = [make_participant(live, name=n, is_muted=False) for n in ("Alice", "Bob")]
    commit(room.mute_all, participant_id=host_p.pk)
    assert sorted(c["publisher_id"] for c in moderate_calls) == sorted(str(p.pk) for p in people)
    assert {(c["mid"], c["mute"]) for c in moderate_calls} == {("0", True)}


def test_nothing_reaches_the_sfu_when_the_change_rolls_back_or_is_refused(
    django_capture_on_commit_callbacks, commit, live, host_p, node, moderate_calls
):
    placed(live, host_p)
    alice = make_participant(live, name="Alice", is_muted=False)
    services.welcome_for(alice)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        room.participant_mute(participant_id=host_p.pk, target_id=str(alice.pk))
        room.participant_remove(participant_id=host_p.pk, target_id=str(alice.pk))
        raise RuntimeError("rolled back")
    with pytest.raises(PermissionDenied):
        commit(room.participant_mute, participant_id=alice.pk, target_id=str(host_p.pk))
    assert moderate_calls == []
    assert placement.room_token(alice.pk) in allowed_tokens(node, live)
    alice.refresh_from_db()
    assert (alice.status, alice.is_muted) == (Status.JOINED, False)


def test_p2p_meetings_make_no_sfu_calls(commit, live, host_p, node, moderate_calls):
    make_participant(live, name="Bob")
    placed(live, host_p)  # stays P2P: Bob is connected
    alice = make_participant(live, name="Alice", is_muted=False)
    commit(room.participant_mute, participant_id=host_p.pk, target_id=str(alice.pk))
    assert moderate_calls == []


def test_the_end_of_the_meeting_destroys_its_room(commit, live, host_p, node):
    placed(live, host_p)
    commit(services.meeting_end, meeting_id=live.pk)
    assert not room_exists(node=node, room_id=str(live.pk))


def test_janus_errors_after_commit_are_logged_not_raised(commit, live, host_p, node, caplog):
    placed(live, host_p)
    MediaNode.objects.filter(pk=node.pk).update(api_url="http://127.0.0.1:9/janus")
    commit(services.meeting_end, meeting_id=live.pk)
    live.refresh_from_db()
    assert live.status == Meeting.Status.ENDED
    assert "room_destroy failed" in caplog.text
    assert placement.room_secret(str(live.pk)) not in caplog.text


# ---- refresh and failover ----------------------------------------------------------------------------------


def test_refresh_gives_a_joined_participant_a_fresh_grant(live, host_p, node):
    placed(live, host_p)
    grant = sfu.sfu_refresh(participant_id=host_p.pk)
    assert grant["room_token"] == placement.room_token(host_p.pk)


@pytest.mark.parametrize("status", [Status.WAITING, Status.REMOVED, Status.LEFT])
def test_refresh_gives_nothing_to_someone_not_in_the_meeting(live, host_p, node, status):
    placed(live, host_p)
    other = make_participant(live, name="Out", status=status)
    with pytest.raises(PermissionDenied):
        sfu.sfu_refresh(participant_id=other.pk)
    assert placement.room_token(other.pk) not in allowed_tokens(node, live)


def test_refresh_is_rate_limited_per_participant(live, host_p, node, settings):
    settings.SFU_REFRESH_RATE_LIMIT = 2
    placed(live, host_p)
    alice = make_participant(live, name="Alice")
    for _ in range(2):
        sfu.sfu_refresh(participant_id=host_p.pk)
    with pytest.raises(RateLimited):
        sfu.sfu_refresh(participant_id=host_p.pk)
    assert sfu.sfu_refresh(participant_id=alice.pk)["publisher_id"] == str(alice.pk)


def test_refresh_with_no_healthy_node_is_sfu_unavailable(live, host_p, node):
    placed(live, host_p)
    MediaNode.objects.update(healthy=False)
    with pytest.raises(sfu.SfuUnavailable):
        sfu.sfu_refresh(participant_id=host_p.pk)
    welcome = services.welcome_for(host_p)
    assert (welcome["sfu"], welcome["meeting"]["media_mode"]) == (None, "sfu")


def test_the_monitor_moves_meetings_off_a_dead_node_and_regrants_everyone(
    commit,
    outbox,
    live,
    host_p,
    janus,
    settings,
    tmp_path,
    monkeypatch,
):
    settings.JANUS_DEAD_AFTER_FAILURES = 2
    settings.JANUS_HEALTH_INTERVAL_SECONDS = 0  # rounds back to back, each one counted
    reapplied: list[tuple[str, uuid.UUID]] = []
    monkeypatch.setattr(
        sfu,
        "recording_reapply",
        lambda *, client, room_id, meeting_id: reapplied.append((room_id, meeting_id)),
    )
    survivor = register_node(janus, settings, load=100)
    with running_janus_node(tmp_path, "doomed") as doomed_janus:
        doomed = register_node(doomed_janus, settings)
        placed(live, host_p)
        assert live.conference_server_id == f"doomed/{live.pk}"
        alice = make_participant(live, name="Alice")
        services.welcome_for(alice)
        doomed_janus.process.kill()

        commit(monitor_step)
        assert MediaNode.objects.get(pk=doomed.pk).healthy  # one miss is not death
        commit(monitor_step)

    doomed.refresh_from_db()
    live.refresh_from_db()
    assert (doomed.healthy, doomed.failures) == (False, 2)
    assert live.conference_server_id == f"{survivor.name}/{live.pk}"
    assert room_exists(node=survivor, room_id=str(live.pk))
    assert reapplied == [(str(live.pk), live.pk)]
    for participant in (host_p, alice):
        [message] = [m for m in outbox.to(participant_group(participant.pk)) if m["type"] == "sfu"]
        assert message["sfu"]["server_url"] == janus.process.ws_url
        assert message["sfu"]["room_token"] == placement.room_token(participant.pk)
    assert allowed_tokens(survivor, live) == {placement.room_token(host_p.pk), placement.room_token(alice.pk)}

    outbox.clear()
    commit(monitor_step)  # another round (or another app node's monitor): nothing moves again
    assert [m for _, m in outbox.sent if m["type"] == "sfu"] == []
