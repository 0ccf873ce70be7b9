"""GET /api/v1/meetings/{code}/export: the whole meeting as JSON, for its host and its account's
owners and admins only (everyone else: 404), in a fixed number of queries."""

import json
from typing import Any

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from aapoon.accounts.models import Membership, User
from aapoon.accounts.tests.factories import make_user
from aapoon.files.models import StoredFile
from aapoon.meetings import polls
from aapoon.meetings.chat import chat_post, chat_system_post
from aapoon.meetings.models import (
    BreakoutParticipant,
    BreakoutRoom,
    ChatMessage,
    Meeting,
    MeetingParticipant,
    Poll,
)
from aapoon.meetings.tests.factories import make_meeting, make_participant

pytestmark = pytest.mark.django_db
Role = MeetingParticipant.Role


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def as_json(value: Any) -> Any:
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def url(meeting: Meeting) -> str:
    return f"/api/v1/meetings/{meeting.meeting_code}/export"


@pytest.fixture
def host(db) -> User:
    return make_user(email="hema@example.com", display_name="Hema")


def _member(meeting: Meeting, email: str, role: str) -> User:
    user = make_user(email=email)
    Membership.objects.create(account=meeting.account, user=user, role=role)
    return user


def _file(meeting: Meeting, name: str, size: int) -> StoredFile:
    return StoredFile.objects.create(
        meeting=meeting,
        kind=StoredFile.Kind.ATTACHMENT,
        storage_key=f"attachments/{meeting.pk}/{name}",
        original_name=name,
        size_bytes=size,
        mime_type="application/pdf",
        sha256=f"{size:02x}" * 32,
    )


def _with_everything(meeting: Meeting, host: User, n: int = 1) -> dict[str, Any]:
    """A meeting that had `n` rounds of everything the export lists; returns what the first made."""
    hema = make_participant(meeting, name="Hema", user=host, role=Role.HOST)
    alice_user = make_user(email=f"alice{n}-{meeting.pk}@example.com")
    made: dict[str, Any] = {"hema": hema}
    for i in range(n):
        alice = make_participant(meeting, name="Alice", user=alice_user)
        gita = make_participant(meeting, name="Gita", guest_key=f"g-gita-{i}")
        room_a = BreakoutRoom.objects.create(meeting=meeting, name=f"Room A{i}", position=2 * i)
        room_b = BreakoutRoom.objects.create(
            meeting=meeting, name=f"Room B{i}", position=2 * i + 1, archived_at=timezone.now()
        )
        BreakoutParticipant.objects.create(
            meeting=meeting,
            room=room_a,
            user=alice_user if i == 0 else None,
            guest_key="" if i == 0 else f"g-x-{i}",
        )
        BreakoutParticipant.objects.create(meeting=meeting, room=room_a, guest_key=f"g-gita-{i}")
        BreakoutParticipant.objects.create(meeting=meeting, room=room_b, email=f"invitee{i}@example.com")
        BreakoutParticipant.objects.create(
            meeting=meeting,
            room=room_b,
            user=make_user(email=f"never{i}-{meeting.pk}@example.com", full_name="Nev"),
        )
        hello = chat_post(sender=hema, text="Hello all")
        private = chat_post(sender=gita, text="psst", recipient=hema)
        alice.breakout_room = room_a
        alice.save()
        in_room = chat_post(
            sender=alice,
            text="in room A",
            attachments=[_file(meeting, f"notes{i}.pdf", 100 + i)],
            type=ChatMessage.Type.FILE,
        )
        note = chat_system_post(meeting=meeting, text="Breakout rooms opened")
        poll = polls.poll_create(
            participant_id=hema.pk, question="Lunch?", options=["Pizza", "Salad"], launch=True
        )
        secret = polls.poll_create(
            participant_id=hema.pk, question="Mood?", options=["Good", "Meh"], anonymous=True, launch=True
        )
        draft = polls.poll_create(participant_id=hema.pk, question="Next week?", options=["Yes", "No"])
        polls.poll_vote(participant_id=alice.pk, poll_id=poll.pk, choices=[1])
        polls.poll_vote(participant_id=gita.pk, poll_id=poll.pk, choices=[1])
        polls.poll_vote(participant_id=hema.pk, poll_id=poll.pk, choices=[0])
        polls.poll_vote(participant_id=alice.pk, poll_id=secret.pk, choices=[0])
        polls.poll_close(participant_id=hema.pk, poll_id=poll.pk)
        polls.poll_share(participant_id=hema.pk, poll_id=poll.pk)
        if i == 0:
            made.update(
                alice=alice,
                gita=gita,
                hello=hello,
                private=private,
                in_room=in_room,
                note=note,
                poll=poll,
                secret=secret,
                draft=draft,
            )
    return made


def test_the_host_gets_the_whole_meeting(host):
    meeting = make_meeting(host=host, title="Weekly", description="Plans")
    m = _with_everything(meeting, host)
    left = make_participant(meeting, name="Lea", guest_key="g-lea", status=MeetingParticipant.Status.LEFT)
    MeetingParticipant.objects.filter(pk=left.pk).update(joined_at=timezone.now(), left_at=timezone.now())
    make_participant(meeting, name="Knocking", guest_key="g-k", status=MeetingParticipant.Status.WAITING)
    meeting.refresh_from_db()

    response = signed_in(host).get(f"/api/v1/meetings/{meeting.meeting_code.upper()}/export")
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"exported_at", "meeting", "participants", "chat", "files", "polls", "breakout_rooms"}
    assert body["meeting"] == as_json(
        {
            "code": meeting.meeting_code,
            "title": "Weekly",
            "description": "Plans",
            "kind": "instant",
            "status": "live",
            "host": "Hema",
            "timezone": meeting.timezone,
            "starts_at": meeting.starts_at,
            "ends_at": meeting.ends_at,
            "started_at": meeting.started_at,
            "ended_at": meeting.ended_at,
        }
    )
    sessions = {p.display_name: p for p in MeetingParticipant.objects.filter(meeting=meeting)}
    assert body["participants"] == as_json(
        [
            {
                "name": name,
                "role": role,
                "is_guest": guest,
                "joined_at": sessions[name].joined_at,
                "left_at": sessions[name].left_at,
            }
            for name, role, guest in [
                ("Hema", "host", False),
                ("Alice", "participant", False),
                ("Gita", "participant", True),
                ("Lea", "participant", True),
            ]
        ]
    )  # not the one still knocking

    def message(row: ChatMessage, **fields: Any) -> dict[str, Any]:
        return {
            "sent_at": row.created_at,
            "type": "text",
            "sender": row.sender_name,
            "room": None,
            "private": False,
            "to": None,
            "text": row.text,
            "files": [],
            "poll_id": None,
            **fields,
        }

    assert body["chat"] == as_json(
        [
            message(m["hello"]),
            message(m["private"], private=True, to="Hema"),
            message(m["in_room"], type="file", room="Room A0", files=["notes0.pdf"]),
            message(m["note"], type="system", sender=None),
            message(Poll.objects.get(pk=m["poll"].pk).message, type="poll", poll_id=m["poll"].pk),
            message(Poll.objects.get(pk=m["secret"].pk).message, type="poll", poll_id=m["secret"].pk),
        ]
    )
    assert body["files"] == as_json(
        [
            {
                "name": "notes0.pdf",
                "size_bytes": 100,
                "mime_type": "application/pdf",
                "sha256": "64" * 32,
                "sent_by": "Alice",
                "sent_at": m["in_room"].created_at,
                "room": "Room A0",
                "private": False,
            }
        ]
    )
    poll, secret, draft = (Poll.objects.get(pk=m[key].pk) for key in ("poll", "secret", "draft"))
    assert body["polls"] == as_json(
        [
            {
                "id": poll.pk,
                "question": "Lunch?",
                "status": "closed",
                "multiple": False,
                "anonymous": False,
                "results_shared": True,
                "launched_at": poll.launched_at,
                "closed_at": poll.closed_at,
                "voters": 3,
                "options": [{"text": "Pizza", "count": 1}, {"text": "Salad", "count": 2}],
                "votes": [
                    {"name": "Alice", "choices": ["Salad"]},
                    {"name": "Gita", "choices": ["Salad"]},
                    {"name": "Hema", "choices": ["Pizza"]},
                ],
            },
            {
                "id": secret.pk,
                "question": "Mood?",
                "status": "open",
                "multiple": False,
                "anonymous": True,
                "results_shared": False,
                "launched_at": secret.launched_at,
                "closed_at": None,
                "voters": 1,
                "options": [{"text": "Good", "count": 1}, {"text": "Meh", "count": 0}],
                "votes": None,
            },
            {
                "id": draft.pk,
                "question": "Next week?",
                "status": "draft",
                "multiple": False,
                "anonymous": False,
                "results_shared": False,
                "launched_at": None,
                "closed_at": None,
                "voters": 0,
                "options": [{"text": "Yes", "count": 0}, {"text": "No", "count": 0}],
                "votes": [],
            },
        ]
    )
    assert body["breakout_rooms"] == [
        {"name": "Room A0", "archived": False, "assigned": ["Alice", "Gita"]},
        {"name": "Room B0", "archived": True, "assigned": ["invitee0@example.com", "Nev"]},
    ]
    assert "url" not in response.content.decode()  # files are listed, never linked


@pytest.mark.parametrize("role", [Membership.Role.OWNER, Membership.Role.ADMIN])
def test_the_accounts_owners_and_admins_may_export(host, role):
    meeting = make_meeting(host=host, title="Weekly")
    admin = _member(meeting, "adi@example.com", role)
    response = signed_in(admin).get(url(meeting))
    assert response.status_code == 200
    assert response.json()["meeting"]["title"] == "Weekly"


def test_everyone_else_gets_404(host):
    meeting = make_meeting(host=host, title="Weekly")
    _with_everything(meeting, host)
    member = _member(meeting, "mo@example.com", Membership.Role.MEMBER)
    cohost = make_user(email="cora@example.com")
    make_participant(meeting, name="Cora", user=cohost, role=Role.COHOST)
    other_host = make_user(email="otto@example.com")  # another tenant, with a meeting of their own
    elsewhere = make_meeting(host=other_host, title="Elsewhere")
    for user in (member, cohost, other_host):
        response = signed_in(user).get(url(meeting))
        assert response.status_code == 404
        assert response.json() == {"code": "not_found", "message": "No such meeting.", "detail": None}
    # The other tenant's own export holds only their meeting.
    theirs = signed_in(other_host).get(url(elsewhere)).json()
    assert (theirs["meeting"]["title"], theirs["chat"], theirs["polls"]) == ("Elsewhere", [], [])
    assert signed_in(host).get(url(elsewhere)).status_code == 404
    for code in ("nope", "abcd-efgh-jkmn", "%00"):
        assert signed_in(host).get(f"/api/v1/meetings/{code}/export").status_code == 404


def test_signed_out_is_401(host):
    meeting = make_meeting(host=host, title="Weekly")
    assert Client().get(url(meeting)).status_code == 401


def test_the_exports_queries_do_not_grow_with_the_meeting(host):
    small = make_meeting(host=host, title="Small")
    _with_everything(small, host, n=1)
    big = make_meeting(host=host, title="Big")
    _with_everything(big, host, n=4)
    client = signed_in(host)

    def queries(meeting: Meeting) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url(meeting)).status_code == 200
        return len(captured)

    assert len(client.get(url(big)).json()["chat"]) == 4 * len(client.get(url(small)).json()["chat"])
    assert queries(big) == queries(small)
