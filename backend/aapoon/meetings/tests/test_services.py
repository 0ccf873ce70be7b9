"""Meeting services: the lifecycle, joining, tickets, and a session's connect/disconnect/leave.

Side effects leave after commit; the `commit` fixture runs a service the way production does (its
after-commit callbacks run when it returns, and are dropped when it fails) and `outbox` records
what reached the channel layer.
"""

import datetime as dt
import uuid
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from aapoon.accounts.models import Account
from aapoon.accounts.tests.factories import make_user
from aapoon.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied, RateLimited
from aapoon.media.models import MediaNode
from aapoon.meetings import room, services
from aapoon.meetings.codes import meeting_code_normalize
from aapoon.meetings.errors import MeetingFull, MeetingLocked, MeetingUnavailable
from aapoon.meetings.events import hosts_group, meeting_group, participant_group
from aapoon.meetings.models import Meeting, MeetingEvent, MeetingInvitee, MeetingParticipant
from aapoon.meetings.services import Invitee, MeetingSettings
from aapoon.meetings.tests.factories import (
    add_member,
    db_state,
    event_log,
    make_meeting,
    make_participant,
    newcomer_payload,
)
from aapoon.meetings.tickets import ticket_issue, ticket_redeem

pytestmark = pytest.mark.django_db
Role = MeetingParticipant.Role
Status = MeetingParticipant.Status


@pytest.fixture
def host(db):
    return make_user(email="host@example.com", full_name="Hema Host")


@pytest.fixture
def live(host) -> Meeting:
    return make_meeting(host=host, title="Stand-up")


def join(
    commit,
    meeting: Meeting,
    *,
    user=None,
    name: str = "",
    passcode: str = "",
    guest_key: str = "",
    ip: str = "10.0.0.1",
) -> services.JoinResult:
    return commit(
        services.meeting_join,
        code=meeting.meeting_code,
        user=user,
        display_name=name,
        passcode=passcode,
        guest_key=guest_key,
        ip=ip,
    )


def _connect(
    commit, result: services.JoinResult, user_id: uuid.UUID | None = None, channel: str = "socket-1"
) -> MeetingParticipant:
    connected = commit(
        services.participant_connect,
        ticket=result.ticket,
        code=result.participant.meeting.meeting_code,
        user_id=user_id,
        channel=channel,
    )
    assert connected is not None
    return connected.participant


# ---- create --------------------------------------------------------------------------------------


def test_instant_meeting_is_live_with_the_defaults(host, settings):
    settings.MEETING_P2P_MAX_PARTICIPANTS = 4
    host.timezone = "Asia/Kolkata"
    host.save()
    meeting = services.meeting_create(user=host, kind="instant", values=MeetingSettings())
    meeting.refresh_from_db()
    assert meeting.kind == Meeting.Kind.INSTANT
    assert meeting.status == Meeting.Status.LIVE
    assert meeting.host == host
    assert meeting.account == Account.objects.get(owner=host, type=Account.Type.PROFESSIONAL)
    assert meeting.title == "Hema Host's meeting"
    assert meeting_code_normalize(meeting.meeting_code) == meeting.meeting_code
    assert meeting.waiting_room_enabled is True
    assert meeting.guests_allowed is True
    assert meeting.recording_allowed is False
    assert meeting.max_participants == 4
    assert meeting.passcode == ""
    assert meeting.timezone == "Asia/Kolkata"
    assert meeting.starts_at == meeting.started_at is not None
    assert meeting.ends_at is None
    assert meeting.is_locked is False
    assert meeting.media_mode == Meeting.MediaMode.P2P
    assert meeting.event_seq == 0
    assert MeetingParticipant.objects.count() == MeetingEvent.objects.count() == 0


def test_scheduled_meeting_keeps_its_times_and_settings(host):
    starts = dt.datetime(2031, 3, 4, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30)))
    meeting = services.meeting_create(
        user=host,
        kind="scheduled",
        values=MeetingSettings(
            title="  Planning  ",
            description="Agenda",
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=24),
            timezone="Asia/Kolkata",
            passcode="Ab12cd",
            waiting_room_enabled=False,
            guests_allowed=False,
            max_participants=3,
        ),
    )
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SCHEDULED
    assert meeting.title == "Planning"
    assert meeting.starts_at == starts
    assert meeting.ends_at == starts + dt.timedelta(hours=24)
    assert meeting.started_at is None
    assert (meeting.timezone, meeting.passcode, meeting.max_participants) == ("Asia/Kolkata", "Ab12cd", 3)
    assert (meeting.waiting_room_enabled, meeting.guests_allowed) == (False, False)


def test_codes_are_unique_across_meetings(host):
    codes = {make_meeting(host=host).meeting_code for _ in range(30)}
    assert len(codes) == 30


def test_invitees_are_deduplicated_lowercased_and_matched_to_users(host):
    asha = make_user(email="Asha.Rao@Example.com")
    bob = make_user(email="bob@example.com")
    meeting = make_meeting(
        host=host,
        kind="scheduled",
        invitees=[
            Invitee(email=" ASHA.rao@example.COM ", name=" Asha "),
            Invitee(email="asha.rao@example.com", name="Second Asha"),
            Invitee(email="bob@example.com"),
            Invitee(email="nobody@example.org", name="No One"),
        ],
    )
    rows = MeetingInvitee.objects.filter(meeting=meeting).order_by("email")
    assert [(i.email, i.name, i.user_id, i.rsvp) for i in rows] == [
        ("asha.rao@example.com", "Asha", asha.pk, "pending"),
        ("bob@example.com", "", bob.pk, "pending"),
        ("nobody@example.org", "No One", None, "pending"),
    ]


def test_a_business_account_the_host_belongs_to_can_own_the_meeting(host):
    owner = make_user(email="boss@example.com")
    business = Account.objects.create(type=Account.Type.BUSINESS, owner=owner, business_name="Acme")
    add_member(business, host)
    meeting = services.meeting_create(
        user=host, kind="instant", values=MeetingSettings(), account_id=business.pk
    )
    assert meeting.account == business


def test_an_account_the_host_is_not_in_is_not_found_and_nothing_is_written(host):
    other = make_user(email="other@example.com")
    foreign = Account.objects.get(owner=other)
    with pytest.raises(NotFound):
        services.meeting_create(user=host, kind="instant", values=MeetingSettings(), account_id=foreign.pk)
    assert Meeting.objects.count() == 0


@pytest.mark.parametrize(
    ("kind", "values", "field"),
    [
        ("weekly", {}, "kind"),
        ("instant", {"title": "   "}, "title"),
        ("instant", {"timezone": "Mars/Olympus"}, "timezone"),
        ("instant", {"passcode": "ab1"}, "passcode"),
        ("instant", {"passcode": "abcdef12345"}, "passcode"),
        ("instant", {"passcode": "ab-12"}, "passcode"),
        ("instant", {"max_participants": 1}, "max_participants"),
        ("instant", {"invitees": [Invitee(email="not-an-email")]}, "invitees"),
        ("scheduled", {}, "starts_at"),
        ("scheduled", {"starts_at": timezone.now()}, "ends_at"),
        (
            "scheduled",
            {"starts_at": dt.datetime(2031, 1, 1, 9), "ends_at": dt.datetime(2031, 1, 1, 10)},
            "starts_at",
        ),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(host, kind, values, field):
    with pytest.raises(InvalidInput) as refused:
        services.meeting_create(user=host, kind=kind, values=MeetingSettings(**values))
    assert refused.value.detail == [{"loc": [field], "msg": refused.value.message}]
    assert not any(db_state().values())


def test_too_many_invitees_are_refused(host):
    many = [Invitee(email=f"p{n}@example.com") for n in range(services.MAX_INVITEES + 1)]
    with pytest.raises(InvalidInput) as refused:
        services.meeting_create(user=host, kind="instant", values=MeetingSettings(invitees=many))
    assert refused.value.detail[0]["loc"] == ["invitees"]
    assert Meeting.objects.count() == MeetingInvitee.objects.count() == 0


# ---- update, cancel, end --------------------------------------------------------------------------


def test_updating_a_live_meeting_broadcasts_it(commit, outbox, host, live):
    updated = commit(
        services.meeting_update, user=host, code=live.meeting_code, values=MeetingSettings(title="Retro")
    )
    assert updated.title == "Retro"
    assert event_log(live) == [(1, "meeting.updated")]
    assert outbox.sent == [
        (
            meeting_group(live.pk),
            {
                "type": "meeting.updated",
                "seq": 1,
                "meeting": {
                    "code": live.meeting_code,
                    "title": "Retro",
                    "is_locked": False,
                    "recording_allowed": False,
                    "recording": {"active": False, "started_at": None},
                },
            },
        )
    ]


def test_updating_a_scheduled_meeting_replaces_invitees_and_sends_nothing(commit, outbox, host):
    meeting = make_meeting(host=host, kind="scheduled", invitees=["a@example.com", "b@example.com"])
    new_start = meeting.starts_at + dt.timedelta(hours=2)
    commit(
        services.meeting_update,
        user=host,
        code=meeting.meeting_code.upper(),
        values=MeetingSettings(
            starts_at=new_start,
            ends_at=new_start + dt.timedelta(minutes=30),
            passcode="",
            invitees=[Invitee(email="b@example.com"), Invitee(email="c@example.com")],
        ),
    )
    meeting.refresh_from_db()
    assert meeting.starts_at == new_start
    assert meeting.ends_at == new_start + dt.timedelta(minutes=30)
    assert sorted(meeting.invitees.values_list("email", flat=True)) == ["b@example.com", "c@example.com"]
    assert outbox.sent == []
    assert event_log(meeting) == []


def test_moving_a_meeting_so_it_ends_before_it_starts_is_refused(host):
    meeting = make_meeting(host=host, kind="scheduled")
    before = db_state()
    with pytest.raises(InvalidInput) as refused:
        services.meeting_update(
            user=host,
            code=meeting.meeting_code,
            values=MeetingSettings(starts_at=meeting.ends_at + dt.timedelta(minutes=1)),
        )
    assert refused.value.detail[0]["loc"] == ["ends_at"]
    assert db_state() == before


def test_a_live_meeting_cannot_be_moved_or_cancelled(host, live):
    before = db_state()
    with pytest.raises(Conflict):
        services.meeting_update(
            user=host, code=live.meeting_code, values=MeetingSettings(ends_at=timezone.now())
        )
    with pytest.raises(Conflict):
        services.meeting_cancel(user=host, code=live.meeting_code)
    assert db_state() == before


def test_cancel_a_scheduled_meeting(host):
    meeting = make_meeting(host=host, kind="scheduled")
    assert services.meeting_cancel(user=host, code=meeting.meeting_code).status == Meeting.Status.CANCELLED
    before = db_state()
    with pytest.raises(Conflict):
        services.meeting_cancel(user=host, code=meeting.meeting_code)
    with pytest.raises(Conflict):
        services.meeting_update(user=host, code=meeting.meeting_code, values=MeetingSettings(title="x"))
    assert db_state() == before


def test_cancelling_tells_whoever_is_waiting(commit, outbox, host):
    meeting = make_meeting(host=host, kind="scheduled")
    waiting = make_participant(meeting, name="Gita", status=Status.WAITING)
    commit(services.meeting_cancel, user=host, code=meeting.meeting_code)
    waiting.refresh_from_db()
    assert waiting.status == Status.LEFT and waiting.left_at is not None
    assert outbox.to(participant_group(waiting.pk)) == [{"type": "meeting.ended"}]


def test_only_the_host_changes_a_meeting_an_invitee_is_refused(host):
    invitee = make_user(email="guest@example.com")
    meeting = make_meeting(host=host, kind="scheduled", invitees=["guest@example.com"])
    before = db_state()
    with pytest.raises(PermissionDenied):
        services.meeting_update(user=invitee, code=meeting.meeting_code, values=MeetingSettings(title="x"))
    with pytest.raises(PermissionDenied):
        services.meeting_cancel(user=invitee, code=meeting.meeting_code)
    stranger = make_user(email="stranger@example.com")
    with pytest.raises(NotFound):
        services.meeting_update(user=stranger, code=meeting.meeting_code, values=MeetingSettings(title="x"))
    with pytest.raises(NotFound):
        services.meeting_cancel(user=stranger, code=meeting.meeting_code)
    with pytest.raises(NotFound):
        services.meeting_end_by_user(user=stranger, code=meeting.meeting_code)
    assert db_state() == before


def test_end_closes_the_meeting_for_everyone(commit, outbox, host, live):
    host_p = make_participant(live, name="Host", user=host, role=Role.HOST)
    guest = make_participant(live, name="Guest")
    waiting = make_participant(live, name="Knocking", status=Status.WAITING)
    gone = make_participant(live, name="Gone", status=Status.LEFT)
    live.is_locked = True
    live.save()

    ended = commit(services.meeting_end_by_user, user=host, code=live.meeting_code)

    assert ended.status == Meeting.Status.ENDED
    live.refresh_from_db()
    assert (live.status, live.is_locked) == (Meeting.Status.ENDED, False)
    assert live.ended_at is not None
    for participant in (host_p, guest, waiting):
        participant.refresh_from_db()
        assert participant.status == Status.LEFT
        assert participant.left_at == live.ended_at
    gone.refresh_from_db()
    assert gone.left_at is None  # already gone: untouched
    assert event_log(live) == [(1, "meeting.ended")]
    assert outbox.sent == [
        (meeting_group(live.pk), {"type": "meeting.ended", "seq": 1}),
        (participant_group(waiting.pk), {"type": "meeting.ended"}),
    ]
    # Ending twice changes nothing and sends nothing more.
    outbox.clear()
    commit(services.meeting_end, meeting_id=live.pk)
    assert event_log(live) == [(1, "meeting.ended")]
    assert outbox.sent == []
    with pytest.raises(Conflict):
        services.meeting_end_by_user(user=host, code=live.meeting_code)


def test_a_cohost_in_the_room_can_end_it_a_participant_cannot(commit, host, live):
    cohost_user = make_user(email="co@example.com")
    plain_user = make_user(email="plain@example.com")
    make_participant(live, name="Co", user=cohost_user, role=Role.COHOST)
    make_participant(live, name="Plain", user=plain_user)
    live.invitees.create(email="plain@example.com", user=plain_user)
    before = db_state()
    with pytest.raises(PermissionDenied):
        services.meeting_end_by_user(user=plain_user, code=live.meeting_code)
    assert db_state() == before
    assert commit(services.meeting_end_by_user, user=cohost_user, code=live.meeting_code).status == "ended"


# ---- joining -------------------------------------------------------------------------------------


def test_host_joins_directly_and_gets_a_ticket(commit, outbox, host, live):
    result = join(commit, live, user=host)
    participant = result.participant
    assert (participant.role, participant.status, participant.display_name) == ("host", "joined", "Hema Host")
    assert participant.joined_at is not None
    assert participant.disconnected_at is not None  # no socket yet
    assert result.max_participants == 6
    assert result.ice_servers == []
    assert ticket_redeem(ticket=result.ticket) == participant.pk
    assert event_log(live) == [(1, "participant.joined")]
    assert outbox.types() == [(meeting_group(live.pk), "participant.joined")]
    assert outbox.sent[0][1]["participant"] == newcomer_payload(
        participant.pk, display_name="Hema Host", role="host", connected=False
    )


def test_a_member_of_the_hosts_account_joins_directly(commit, host, live):
    member = make_user(email="member@example.com", display_name="Mia")
    add_member(live.account, member)
    result = join(commit, live, user=member)
    assert (result.participant.role, result.participant.status) == ("participant", "joined")
    assert result.participant.display_name == "Mia"


def test_outsiders_and_guests_wait_and_the_hosts_hear_of_it(commit, outbox, host, live):
    outsider = make_user(email="out@example.com")
    first = join(commit, live, user=outsider, name="  Olga  ")
    second = join(commit, live, name="Gita", guest_key="g-1")
    for result in (first, second):
        assert result.participant.status == Status.WAITING
        assert result.participant.joined_at is None
    assert first.participant.display_name == "Olga"
    assert second.participant.guest_key == "g-1"
    assert event_log(live) == []  # the waiting room is not broadcast
    lobbies = outbox.to(hosts_group(live.pk))
    assert [[p["display_name"] for p in lobby["waiting"]] for lobby in lobbies] == [
        ["Olga"],
        ["Olga", "Gita"],
    ]
    assert lobbies[1]["waiting"][1]["is_guest"] is True
    assert lobbies[1]["waiting"][1]["was_removed"] is False
    assert [group for group, _ in outbox.sent] == [hosts_group(live.pk)] * 2


def test_without_a_waiting_room_everyone_joins_directly(commit, host):
    meeting = make_meeting(host=host, waiting_room_enabled=False)
    outsider = make_user(email="out@example.com")
    assert join(commit, meeting, user=outsider).participant.status == Status.JOINED
    assert join(commit, meeting, name="Gita", guest_key="g-1").participant.status == Status.JOINED
    assert [t for _, t in event_log(meeting)] == ["participant.joined"] * 2


def test_a_signed_in_user_without_any_name_is_called_by_their_email(commit, host, live):
    add_member(live.account, nameless := make_user(email="nameless@example.com"))
    assert join(commit, live, user=nameless).participant.display_name == "nameless"


@pytest.mark.parametrize("name", ["", "   "])
def test_a_guest_must_give_a_name_and_nothing_is_written(commit, outbox, live, name):
    before = db_state()
    with pytest.raises(InvalidInput) as refused:
        join(commit, live, name=name, guest_key="g-1")
    assert refused.value.detail == [{"loc": ["display_name"], "msg": "Tell the others your name."}]
    assert db_state() == before
    assert outbox.sent == []


def _refusals(host: Any) -> dict[str, tuple[str, dict[str, Any]]]:
    """Meeting codes and join arguments that must all get the same 'unavailable'."""
    guarded = make_meeting(host=host, passcode="Secret1", waiting_room_enabled=False)
    no_guests = make_meeting(host=host, guests_allowed=False, waiting_room_enabled=False)
    ended = make_meeting(host=host)
    services.meeting_end(meeting_id=ended.pk)
    cancelled = make_meeting(host=host, kind="scheduled")
    services.meeting_cancel(user=host, code=cancelled.meeting_code)
    return {
        "unknown": ("abcd-efgh-jkmn", {}),
        "not a code": ("nonsense!", {}),
        "wrong passcode": (guarded.meeting_code, {"passcode": "Secret2"}),
        "passcode in other case": (guarded.meeting_code, {"passcode": "secret1"}),
        "missing passcode": (guarded.meeting_code, {}),
        "guests not allowed": (no_guests.meeting_code, {}),
        "ended": (ended.meeting_code, {}),
        "cancelled": (cancelled.meeting_code, {}),
    }


def test_every_refusal_before_the_passcode_is_the_same_and_writes_nothing(commit, outbox, host):
    cases = _refusals(host)
    before = db_state()
    errors = []
    for code, extra in cases.values():
        with pytest.raises(MeetingUnavailable) as refused:
            commit(
                services.meeting_join,
                code=code,
                user=None,
                display_name="Gita",
                passcode=extra.get("passcode", ""),
                guest_key="g-1",
                ip="10.0.0.9",
            )
        errors.append((type(refused.value), refused.value.code, refused.value.message, refused.value.detail))
    assert len(set(errors)) == 1
    assert errors[0][1] == "meeting_unavailable"
    assert db_state() == before
    assert outbox.sent == []


def test_the_right_passcode_lets_a_guest_in_and_the_host_needs_none(commit, host):
    meeting = make_meeting(host=host, passcode="Secret1", waiting_room_enabled=False)
    assert (
        join(commit, meeting, name="Gita", passcode="Secret1", guest_key="g").participant.status == "joined"
    )
    assert join(commit, meeting, user=host).participant.role == Role.HOST


def test_a_locked_meeting_refuses_participants_but_not_the_host(commit, outbox, host, live):
    member = make_user(email="member@example.com")
    add_member(live.account, member)
    live.is_locked = True
    live.save()
    before = db_state()
    for kwargs in ({"user": member}, {"name": "Gita", "guest_key": "g-1"}):
        with pytest.raises(MeetingLocked) as refused:
            join(commit, live, **kwargs)
        assert (refused.value.status, refused.value.code) == (409, "meeting_locked")
    assert db_state() == before
    assert outbox.sent == []
    assert join(commit, live, user=host).participant.status == Status.JOINED


def test_a_cohost_coming_back_gets_into_a_locked_meeting_as_cohost(commit, host, live):
    co = make_user(email="co@example.com")
    make_participant(live, name="Co", user=co, role=Role.COHOST, status=Status.LEFT)
    live.is_locked = True
    live.save()
    result = join(commit, live, user=co)
    assert (result.participant.role, result.participant.status) == (Role.COHOST, Status.JOINED)


def test_a_demoted_cohost_does_not_get_the_role_back_by_rejoining(commit, host, live):
    co = make_user(email="co@example.com")
    add_member(live.account, co)
    make_participant(live, name="Co", user=co, role=Role.COHOST, status=Status.LEFT)
    make_participant(live, name="Co", user=co, role=Role.PARTICIPANT)  # the host took the role away
    assert join(commit, live, user=co).participant.role == Role.PARTICIPANT


def test_the_cap_refuses_one_more_and_writes_nothing(commit, outbox, host, settings):
    settings.MEETING_P2P_MAX_PARTICIPANTS = 2
    meeting = make_meeting(host=host, waiting_room_enabled=False)
    join(commit, meeting, user=host)
    join(commit, meeting, name="Gita", guest_key="g-1")
    outbox.clear()
    before = db_state()
    with pytest.raises(MeetingFull) as refused:
        join(commit, meeting, name="Ravi", guest_key="g-2")
    assert (refused.value.status, refused.value.code) == (409, "meeting_full")
    assert refused.value.message == "This meeting is full: at most 2 people can be in it."
    assert db_state() == before
    assert outbox.sent == []


def test_the_cap_of_a_p2p_meeting_is_the_lower_of_its_own_and_the_servers(commit, host, settings):
    meeting = make_meeting(host=host, max_participants=3)
    assert join(commit, meeting, user=host).max_participants == 3
    settings.MEETING_P2P_MAX_PARTICIPANTS = 2
    assert services.participant_limit(meeting) == 2


def test_the_waiting_room_is_not_capped(commit, host, settings):
    settings.MEETING_P2P_MAX_PARTICIPANTS = 2
    meeting = make_meeting(host=host)
    join(commit, meeting, user=host)
    add_member(meeting.account, member := make_user(email="m@example.com"))
    join(commit, meeting, user=member)
    assert join(commit, meeting, name="Gita", guest_key="g-1").participant.status == Status.WAITING


def test_joins_are_rate_limited_per_ip(commit, host, live, settings):
    settings.MEETING_JOIN_RATE_LIMIT = 2
    join(commit, live, name="A", guest_key="a", ip="10.0.0.1")
    with pytest.raises(MeetingUnavailable):  # failed attempts count too
        commit(
            services.meeting_join,
            code="abcd-efgh-jkmn",
            user=None,
            display_name="B",
            passcode="",
            guest_key="b",
            ip="10.0.0.1",
        )
    before = db_state()
    with pytest.raises(RateLimited):
        join(commit, live, name="C", guest_key="c", ip="10.0.0.1")
    assert db_state() == before
    assert join(commit, live, name="D", guest_key="d", ip="10.0.0.2").participant.status == Status.WAITING


def test_a_second_join_replaces_the_first_session(commit, outbox, host, live):
    first = join(commit, live, user=host).participant
    outbox.clear()
    second = join(commit, live, user=host).participant
    first.refresh_from_db()
    assert first.status == Status.LEFT and first.left_at is not None
    assert second.status == Status.JOINED and second.pk != first.pk
    assert event_log(live) == [(1, "participant.joined"), (2, "participant.left"), (3, "participant.joined")]
    assert outbox.sent == [
        (
            meeting_group(live.pk),
            {"type": "participant.left", "seq": 2, "participant_id": str(first.pk), "reason": "replaced"},
        ),
        (participant_group(first.pk), {"type": "session.closed", "reason": "replaced"}),
        (
            meeting_group(live.pk),
            {"type": "participant.joined", "seq": 3, "participant": outbox.sent[2][1]["participant"]},
        ),
    ]
    assert outbox.sent[2][1]["participant"]["id"] == str(second.pk)


def test_a_guest_waiting_twice_replaces_the_first_knock(commit, outbox, live):
    first = join(commit, live, name="Gita", guest_key="g-1").participant
    second = join(commit, live, name="Gita", guest_key="g-1").participant
    first.refresh_from_db()
    assert (first.status, second.status) == (Status.LEFT, Status.WAITING)
    assert [[p["id"] for p in m["waiting"]] for m in outbox.to(hosts_group(live.pk))] == [
        [str(first.pk)],
        [],
        [str(second.pk)],
    ]
    assert outbox.to(participant_group(first.pk)) == [{"type": "session.closed", "reason": "replaced"}]


def test_a_removed_guest_comes_back_only_through_the_waiting_room(commit, host):
    meeting = make_meeting(host=host, waiting_room_enabled=False)
    host_p = join(commit, meeting, user=host).participant
    guest = join(commit, meeting, name="Gita", guest_key="g-1").participant
    commit(room.participant_remove, participant_id=host_p.pk, target_id=guest.pk)

    back = join(commit, meeting, name="Gita", guest_key="g-1").participant
    assert (back.status, back.was_removed) == (Status.WAITING, True)
    again = join(commit, meeting, name="Gita again", guest_key="g-1").participant  # a reload while waiting
    assert again.status == Status.WAITING
    # A different browser (another guest key) is someone else.
    assert join(commit, meeting, name="Ravi", guest_key="g-2").participant.status == Status.JOINED

    # Once the host lets them back in, they are trusted again: a reload goes straight in.
    commit(room.lobby_admit, participant_id=host_p.pk, target_id=again.pk)
    reload = join(commit, meeting, name="Gita", guest_key="g-1").participant
    assert (reload.status, reload.was_removed) == (Status.JOINED, False)


def test_a_removed_user_cannot_rejoin_directly(commit, host, live):
    member = make_user(email="member@example.com")
    add_member(live.account, member)
    host_p = join(commit, live, user=host).participant
    target = join(commit, live, user=member).participant
    commit(room.participant_remove, participant_id=host_p.pk, target_id=target.pk)
    assert join(commit, live, user=member).participant.status == Status.WAITING


def test_a_removed_cohost_comes_back_as_a_participant(commit, host, live):
    co = make_user(email="co@example.com")
    host_p = join(commit, live, user=host).participant
    co_p = make_participant(live, name="Co", user=co, role=Role.COHOST)
    commit(room.participant_remove, participant_id=host_p.pk, target_id=co_p.pk)
    back = join(commit, live, user=co).participant
    assert (back.role, back.status) == (Role.PARTICIPANT, Status.WAITING)


def test_joining_a_scheduled_meeting_starts_it(commit, host):
    meeting = make_meeting(host=host, kind="scheduled")
    join(commit, meeting, name="Gita", guest_key="g")  # waiting does not start it
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SCHEDULED
    join(commit, meeting, user=host)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.LIVE
    assert meeting.started_at is not None


# ---- tickets ---------------------------------------------------------------------------------------


def test_a_ticket_works_once():
    pid = uuid.uuid4()
    ticket = ticket_issue(participant_id=pid, ttl_seconds=60)
    assert ticket_redeem(ticket=ticket) == pid
    assert ticket_redeem(ticket=ticket) is None
    assert ticket_redeem(ticket="never-issued") is None


def test_a_ticket_expires():
    with time_machine.travel(1_900_000_000, tick=False) as clock:
        ticket = ticket_issue(participant_id=uuid.uuid4(), ttl_seconds=60)
        clock.move_to(1_900_000_061)
        assert ticket_redeem(ticket=ticket) is None


def test_tickets_are_distinct_random_strings():
    pid = uuid.uuid4()
    tickets = {ticket_issue(participant_id=pid, ttl_seconds=60) for _ in range(50)}
    assert len(tickets) == 50
    assert all(len(t) >= 40 for t in tickets)


# ---- connect, disconnect, leave ---------------------------------------------------------------------


def test_connect_marks_the_session_connected_and_tells_the_room(commit, outbox, host, live):
    result = join(commit, live, user=host)
    outbox.clear()
    participant = _connect(commit, result, user_id=host.pk)
    assert participant.pk == result.participant.pk
    participant.refresh_from_db()
    assert participant.disconnected_at is None
    assert outbox.types() == [(meeting_group(live.pk), "participant.updated")]
    assert outbox.sent[0][1]["participant"]["connected"] is True
    assert outbox.sent[0][1]["seq"] == 2


def test_connecting_a_waiting_session_tells_no_one(commit, outbox, live):
    result = join(commit, live, name="Gita", guest_key="g")
    outbox.clear()
    _connect(commit, result)
    assert outbox.sent == []
    assert event_log(live) == []


@pytest.mark.parametrize("case", ["used", "unknown", "other meeting", "other user"])
def test_a_ticket_that_is_no_good_opens_nothing_and_changes_nothing(commit, outbox, host, live, case):
    result = join(commit, live, user=host)
    other_meeting = make_meeting(host=host)
    stranger = make_user(email="stranger@example.com")
    ticket, code, user_id = result.ticket, live.meeting_code, host.pk
    if case == "used":
        assert ticket_redeem(ticket=ticket) is not None
    elif case == "unknown":
        ticket = "x" * 43
    elif case == "other meeting":
        code = other_meeting.meeting_code
    else:
        user_id = stranger.pk
    outbox.clear()
    before = db_state()
    assert (
        commit(services.participant_connect, ticket=ticket, code=code, user_id=user_id, channel="c") is None
    )
    assert db_state() == before
    assert outbox.sent == []
    assert ticket_redeem(ticket=ticket) is None  # burnt either way


def test_a_guest_ticket_opens_on_a_signed_in_socket_and_codes_are_normalized(commit, live):
    result = join(commit, live, name="Gita", guest_key="g")
    someone = make_user(email="someone@example.com")
    connected = commit(
        services.participant_connect,
        ticket=result.ticket,
        code=live.meeting_code.upper().replace("-", ""),
        user_id=someone.pk,
        channel="c",
    )
    assert connected is not None and connected.participant.pk == result.participant.pk


def test_disconnect_then_reconnect(commit, outbox, host, live):
    result = join(commit, live, user=host)
    _connect(commit, result)
    outbox.clear()
    pid = result.participant.pk
    assert commit(services.participant_disconnect, participant_id=pid, channel="socket-1") is True
    assert commit(services.participant_disconnect, participant_id=pid, channel="socket-1") is False
    assert [m["participant"]["connected"] for m in outbox.to(meeting_group(live.pk))] == [False]
    ticket = ticket_issue(participant_id=pid, ttl_seconds=600)
    assert commit(
        services.participant_connect,
        ticket=ticket,
        code=live.meeting_code,
        user_id=host.pk,
        channel="socket-2",
    )
    assert [m["participant"]["connected"] for m in outbox.to(meeting_group(live.pk))] == [False, True]
    assert [seq for seq, _ in event_log(live)] == [1, 2, 3, 4]


def test_a_late_close_of_a_replaced_socket_does_not_disconnect_the_session(commit, outbox, host, live):
    """The client reconnected before the server noticed its old socket had gone."""
    result = join(commit, live, user=host)
    _connect(commit, result, channel="old")
    ticket = ticket_issue(participant_id=result.participant.pk, ttl_seconds=600)
    connected = commit(
        services.participant_connect, ticket=ticket, code=live.meeting_code, user_id=host.pk, channel="new"
    )
    assert connected.superseded_channel == "old"
    outbox.clear()
    assert (
        commit(services.participant_disconnect, participant_id=result.participant.pk, channel="old") is False
    )
    participant = MeetingParticipant.objects.get(pk=result.participant.pk)
    assert participant.disconnected_at is None and participant.socket_channel == "new"
    assert outbox.sent == []


def test_leave_now(commit, outbox, host, live):
    host_p = join(commit, live, user=host).participant
    guest = make_participant(live, name="Gita")
    outbox.clear()
    commit(services.participant_leave, participant_id=guest.pk)
    guest.refresh_from_db()
    assert guest.status == Status.LEFT
    assert outbox.sent == [
        (
            meeting_group(live.pk),
            {"type": "participant.left", "seq": 2, "participant_id": str(guest.pk), "reason": "left"},
        ),
        (participant_group(guest.pk), {"type": "session.closed", "reason": "left"}),
    ]
    live.refresh_from_db()
    assert live.status == Meeting.Status.LIVE  # the host is still there
    commit(services.participant_leave, participant_id=host_p.pk)
    live.refresh_from_db()
    assert live.status == Meeting.Status.ENDED  # an instant meeting ends with its last person
    assert [t for _, t in event_log(live)][-1] == "meeting.ended"


def test_a_scheduled_meeting_stays_open_when_everyone_leaves(commit, host):
    meeting = make_meeting(host=host, kind="scheduled")
    host_p = join(commit, meeting, user=host).participant
    commit(services.participant_leave, participant_id=host_p.pk)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.LIVE


def test_a_dropped_session_leaves_only_after_the_grace_period(commit, outbox, host, live, settings):
    settings.MEETING_RECONNECT_GRACE_SECONDS = 20
    host_p = join(commit, live, user=host).participant
    guest = make_participant(live, name="Gita")
    commit(services.participant_disconnect, participant_id=guest.pk, channel="")
    outbox.clear()
    commit(services.participant_leave, participant_id=guest.pk, only_if_gone=True)
    guest.refresh_from_db()
    assert guest.status == Status.JOINED
    assert outbox.sent == []
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=21)):
        commit(services.participant_leave, participant_id=guest.pk, only_if_gone=True)
    guest.refresh_from_db()
    assert guest.status == Status.LEFT
    assert outbox.to(meeting_group(live.pk))[0]["reason"] == "disconnected"
    # A session that came back in time stays.
    commit(services.participant_leave, participant_id=host_p.pk, only_if_gone=True)
    host_p.refresh_from_db()
    assert host_p.status == Status.JOINED


def test_sessions_gone_past_the_grace_period_are_cleared_on_the_next_join(commit, host, live, settings):
    settings.MEETING_RECONNECT_GRACE_SECONDS = 20
    stale = make_participant(live, name="Stale", connected=False)
    MeetingParticipant.objects.filter(pk=stale.pk).update(
        disconnected_at=timezone.now() - dt.timedelta(seconds=21)
    )
    fresh = make_participant(live, name="Fresh", connected=False)  # dropped a moment ago
    join(commit, live, user=host)
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert (stale.status, fresh.status) == (Status.LEFT, Status.JOINED)


# ---- the welcome snapshot ---------------------------------------------------------------------------


def test_welcome_for_a_host_and_for_someone_waiting(commit, host, live):
    host_p = join(commit, live, user=host).participant
    alice = make_participant(live, name="Alice")
    bob = make_participant(live, name="Bob")
    knocking = join(commit, live, name="Gita", guest_key="g").participant
    public = commit(room.chat_send, participant_id=alice.pk, text="hi all")
    private = commit(room.chat_send, participant_id=alice.pk, text="psst", to=str(host_p.pk))
    host_p.refresh_from_db()

    welcome = services.welcome_for(host_p)
    live.refresh_from_db()
    assert set(welcome) == {
        "type",
        "participant_id",
        "role",
        "status",
        "seq",
        "reconnect_ticket",
        "meeting",
        "roster",
        "chat",
        "lobby",
        "sfu",
        "participant_token",
        "breakout",
        "polls",
        "poll_votes",
    }
    assert (welcome["type"], welcome["role"], welcome["status"]) == ("welcome", "host", "joined")
    assert welcome["seq"] == live.event_seq
    assert welcome["meeting"] == {
        "code": live.meeting_code,
        "title": "Stand-up",
        "is_locked": False,
        "recording_allowed": False,
        "recording": {"active": False, "started_at": None},
        "media_mode": "p2p",
        "host_participant_id": str(host_p.pk),
    }
    assert welcome["sfu"] is None  # no media node: browser-to-browser
    assert [p["id"] for p in welcome["roster"]] == [str(host_p.pk), str(alice.pk), str(bob.pk)]
    assert [m["id"] for m in welcome["chat"]] == [str(public.pk), str(private.pk)]
    assert [p["id"] for p in welcome["lobby"]] == [str(knocking.pk)]
    assert ticket_redeem(ticket=welcome["reconnect_ticket"]) == host_p.pk

    bob_welcome = services.welcome_for(bob)
    assert [m["id"] for m in bob_welcome["chat"]] == [str(public.pk)]  # not the private one
    assert bob_welcome["lobby"] == []
    assert (welcome["polls"], welcome["poll_votes"], bob_welcome["polls"]) == ([], {}, [])  # no polls yet

    waiting = services.welcome_for(MeetingParticipant.objects.select_related("meeting").get(pk=knocking.pk))
    assert (waiting["status"], waiting["roster"], waiting["chat"], waiting["lobby"]) == (
        "waiting",
        [],
        [],
        [],
    )


def test_private_messages_stay_with_the_person_across_a_reload(commit, host):
    live = make_meeting(host=host, waiting_room_enabled=False)
    host_p = join(commit, live, user=host).participant
    gita = make_participant(live, name="Gita", guest_key="g-gita")
    ravi = make_participant(live, name="Ravi", guest_key="g-ravi")
    commit(room.chat_send, participant_id=host_p.pk, text="to gita", to=gita.pk)
    commit(room.chat_send, participant_id=gita.pk, text="to host", to=host_p.pk)
    # Both reload: each gets a new session.
    new_host = join(commit, live, user=host).participant
    new_gita = join(commit, live, name="Gita", guest_key="g-gita").participant
    for session in (new_host, new_gita):
        session.refresh_from_db()
        assert [m["text"] for m in services.welcome_for(session)["chat"]] == ["to gita", "to host"]
    ravi.refresh_from_db()
    assert services.welcome_for(ravi)["chat"] == []


def test_chat_history_is_capped_to_the_latest(commit, live, settings):
    settings.MEETING_CHAT_HISTORY = 3
    alice = make_participant(live, name="Alice")
    for n in range(5):
        commit(room.chat_send, participant_id=alice.pk, text=f"m{n}")
    alice.refresh_from_db()
    assert [m["text"] for m in services.welcome_for(alice)["chat"]] == ["m2", "m3", "m4"]


def test_sequence_numbers_are_contiguous_across_services(commit, host, live):
    host_p = _connect(commit, join(commit, live, user=host), user_id=host.pk)
    guest = make_participant(live, name="Gita")
    commit(room.chat_send, participant_id=guest.pk, text="hello")
    commit(room.hand_set, participant_id=guest.pk, raised=True)
    commit(room.meeting_lock_set, participant_id=host_p.pk, locked=True)
    commit(services.meeting_update, user=host, code=live.meeting_code, values=MeetingSettings(title="T"))
    commit(services.participant_leave, participant_id=guest.pk)
    log = event_log(live)
    assert [seq for seq, _ in log] == list(range(1, len(log) + 1))
    assert [t for _, t in log] == [
        "participant.joined",
        "participant.updated",
        "chat.message",
        "participant.updated",
        "meeting.updated",
        "meeting.updated",
        "participant.left",
    ]
    live.refresh_from_db()
    assert live.event_seq == len(log)


def test_a_new_meeting_may_hold_more_people_when_the_sfu_carries_it(host, settings):
    settings.MEETING_SFU_DEFAULT_MAX_PARTICIPANTS = 80
    mesh = services.meeting_create(user=host, kind=Meeting.Kind.INSTANT, values=MeetingSettings())
    MediaNode.objects.create(
        name="j1", api_url="http://j1/janus", admin_url="http://j1/admin", public_url="ws://j1/"
    )
    sfu = services.meeting_create(user=host, kind=Meeting.Kind.INSTANT, values=MeetingSettings())
    assert (mesh.max_participants, sfu.max_participants) == (settings.MEETING_P2P_MAX_PARTICIPANTS, 80)
