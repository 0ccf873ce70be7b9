"""Someone waiting in the lobby alerts the hosts who are not looking at the meeting: not in the
room, disconnected, or with the room's tab in the background."""

import pytest
from django.core.cache import cache

from aapoon.accounts.tests.factories import make_user
from aapoon.core.errors import InvalidInput
from aapoon.meetings import away, services
from aapoon.meetings.models import MeetingParticipant
from aapoon.meetings.tests.factories import make_meeting, make_participant
from aapoon.notifications.models import Notification

Role = MeetingParticipant.Role


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def host(db):
    return make_user(email="host@example.com", full_name="Hema Host")


@pytest.fixture
def meeting(host):
    return make_meeting(host=host, title="Stand-up")


def knock(commit, meeting, name="Gita", key="g-1"):
    return commit(
        services.meeting_join,
        code=meeting.meeting_code,
        user=None,
        display_name=name,
        passcode="",
        guest_key=key,
        ip="10.0.0.1",
    ).participant


def alerted():
    rows = Notification.objects.filter(event="waiting_room").order_by("user__email", "channel")
    return [(row.user.email, row.channel, row.payload["subject"]) for row in rows]


def test_a_host_who_is_not_in_the_room_hears_of_someone_waiting(commit, meeting):
    knock(commit, meeting)
    assert alerted() == [
        ("host@example.com", "inapp", "Gita is waiting to join Stand-up"),
        ("host@example.com", "push", "Gita is waiting to join Stand-up"),
    ]
    assert Notification.objects.get(channel="push").payload["url"].endswith(f"/m/{meeting.meeting_code}")


def test_a_host_looking_at_the_room_is_not_alerted(commit, meeting, host):
    make_participant(meeting, name="Hema", user=host, role=Role.HOST)
    knock(commit, meeting)
    assert alerted() == []


def test_a_host_with_the_tab_in_the_background_is_alerted_until_it_comes_back(commit, meeting, host):
    session = make_participant(meeting, name="Hema", user=host, role=Role.HOST)
    away.tab_visibility_set(participant_id=session.pk, hidden=True)
    knock(commit, meeting, name="Gita", key="g-1")
    away.tab_visibility_set(participant_id=session.pk, hidden=False)
    knock(commit, meeting, name="Ravi", key="g-2")
    assert [subject for _, channel, subject in alerted() if channel == "inapp"] == [
        "Gita is waiting to join Stand-up"
    ]


def test_a_disconnected_host_is_alerted(commit, meeting, host):
    make_participant(meeting, name="Hema", user=host, role=Role.HOST, connected=False)
    knock(commit, meeting)
    assert {email for email, _, _ in alerted()} == {"host@example.com"}


def test_only_the_hosts_who_are_away_are_alerted(commit, meeting, host):
    cohost = make_user(email="cora@example.com")
    make_participant(meeting, name="Hema", user=host, role=Role.HOST)
    cohost_session = make_participant(meeting, name="Cora", user=cohost, role=Role.COHOST)
    away.tab_visibility_set(participant_id=cohost_session.pk, hidden=True)
    knock(commit, meeting)
    assert {email for email, _, _ in alerted()} == {"cora@example.com"}


def test_knocking_again_after_a_failed_join_alerts_once_per_waiting_session(commit, meeting):
    first = knock(commit, meeting)
    away.waiting_alert_away_hosts(meeting=meeting, waiting=first)  # a retried call adds nothing
    assert len(alerted()) == 2


def test_the_tab_state_must_be_a_boolean(meeting, host):
    session = make_participant(meeting, name="Hema", user=host, role=Role.HOST)
    with pytest.raises(InvalidInput):
        away.tab_visibility_set(participant_id=session.pk, hidden="yes")
    assert cache.get(f"meetings.tab-hidden.{session.pk}") is None
