"""Polls in a live meeting (docs/meetings.md "Polls"): the host and co-hosts write, launch, close
and share them; everyone joined votes, one vote per person, changed by voting again until the
poll closes.

Each service checks, then writes in one transaction; what it sends leaves after commit. Hosts and
co-hosts hear `poll.updated` (the host view, live results included) after every change. A poll's
row is locked before the meeting's (launching, closing and sharing broadcast, which updates the
meeting row): every poll service takes them in that order, so two never wait on each other, and a
vote can't slip in after the poll closed.
"""

import uuid

from django.db import transaction
from django.utils import timezone

from aapoon.core.errors import Conflict, InvalidInput, NotFound
from aapoon.core.text import has_nul
from aapoon.meetings import events
from aapoon.meetings.chat import chat_post, chat_updated
from aapoon.meetings.models import ChatMessage, MeetingParticipant, Poll, PollVote
from aapoon.meetings.payloads import poll_host_payload
from aapoon.meetings.policies import check_can_moderate
from aapoon.meetings.poll_selectors import voter_key
from aapoon.meetings.room import actor_get, check_message_rate

MAX_QUESTION_LENGTH = 300
MAX_OPTION_LENGTH = 120
MIN_OPTIONS, MAX_OPTIONS = 2, 10
Status = Poll.Status


class PollClosed(Conflict):
    code = "poll_closed"
    message = "This poll is closed."


# ---- input ---------------------------------------------------------------------------------------


def _question(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput("Write a question.", field="question")
    question = value.strip()
    if len(question) > MAX_QUESTION_LENGTH:
        raise InvalidInput(f"A question can be at most {MAX_QUESTION_LENGTH} characters.", field="question")
    if has_nul(question):
        raise InvalidInput("A question can't contain NUL characters.", field="question")
    return question


def _options(value: object) -> list[str]:
    if not isinstance(value, list) or not MIN_OPTIONS <= len(value) <= MAX_OPTIONS:
        raise InvalidInput(f"Give {MIN_OPTIONS} to {MAX_OPTIONS} options.", field="options")
    options: list[str] = []
    for number, option in enumerate(value, start=1):
        if not isinstance(option, str) or not option.strip():
            raise InvalidInput(f"Option {number} is empty.", field="options")
        text = option.strip()
        if len(text) > MAX_OPTION_LENGTH:
            raise InvalidInput(
                f"Option {number} is longer than {MAX_OPTION_LENGTH} characters.", field="options"
            )
        if has_nul(text):
            raise InvalidInput(f"Option {number} contains a NUL character.", field="options")
        # Told apart as people read them: "Yes" and "yes " are the same answer.
        if text.casefold() in (earlier.casefold() for earlier in options):
            raise InvalidInput(f"Option {number} is the same as an earlier one.", field="options")
        options.append(text)
    return options


def _flag(value: object, field: str) -> bool:
    """A yes/no setting; left out means no."""
    if value is None:
        return False
    if not isinstance(value, bool):
        raise InvalidInput("Send true or false.", field=field)
    return value


def _choices(value: object) -> list[int]:
    """Indexes into the poll's options: at least one, each once (the range is the poll's to check)."""
    if (
        not isinstance(value, list)
        or not value
        or any(type(index) is not int or index < 0 for index in value)
        or len(set(value)) != len(value)
    ):
        raise InvalidInput("Choose one or more of the poll's options.", field="choices")
    return sorted(value)


# ---- helpers -------------------------------------------------------------------------------------


def _poll_get(actor: MeetingParticipant, poll_id: object) -> Poll:
    """A poll of the actor's meeting, locked for the change; ids from other meetings name nothing."""
    try:
        pk = uuid.UUID(str(poll_id))
    except ValueError as exc:
        raise NotFound("No such poll.") from exc
    poll = (
        Poll.objects.select_for_update(of=("self",))
        .select_related("message__meeting")
        .filter(pk=pk, meeting_id=actor.meeting_id)
        .first()
    )
    if poll is None:
        raise NotFound("No such poll.")
    return poll


def _moderator_and_poll(participant_id: uuid.UUID, poll_id: object) -> tuple[MeetingParticipant, Poll]:
    actor = actor_get(participant_id, lock=False)
    check_can_moderate(actor=actor)
    return actor, _poll_get(actor, poll_id)


def _hosts_hear(poll: Poll) -> None:
    events.send_to_hosts(meeting_id=poll.meeting_id, event="poll.updated", poll=poll_host_payload(poll))


def _post(poll: Poll, actor: MeetingParticipant) -> None:
    """The launched poll goes to the main room's chat (wherever the host is)."""
    chat_post(sender=actor, text=poll.question, type=ChatMessage.Type.POLL, in_main_room=True, poll=poll)


def _everyone_sees(poll: Poll) -> None:
    """Its chat message, with the poll as it is now, again to everyone who has it."""
    if poll.message is not None:
        chat_updated(message=poll.message)


def _launched(poll: Poll) -> None:
    if poll.status == Status.DRAFT:
        raise Conflict("Launch the poll first.")


# ---- the host and co-hosts ----------------------------------------------------------------------


def poll_create(
    *,
    participant_id: uuid.UUID,
    question: object,
    options: object,
    multiple: object = None,
    anonymous: object = None,
    launch: object = None,
) -> Poll:
    """A new poll: a draft, or live at once (`launch`)."""
    text, choices = _question(question), _options(options)
    is_multiple, is_anonymous, go_live = (
        _flag(multiple, "multiple"),
        _flag(anonymous, "anonymous"),
        _flag(launch, "launch"),
    )
    with transaction.atomic():
        actor = actor_get(participant_id, lock=False)
        check_can_moderate(actor=actor)
        poll = Poll.objects.create(
            meeting=actor.meeting,
            created_by=actor,
            question=text,
            options=choices,
            multiple=is_multiple,
            anonymous=is_anonymous,
            status=Status.OPEN if go_live else Status.DRAFT,
            launched_at=timezone.now() if go_live else None,
        )
        if go_live:
            _post(poll, actor)
        _hosts_hear(poll)
    return poll


def poll_launch(*, participant_id: uuid.UUID, poll_id: object) -> Poll:
    with transaction.atomic():
        actor, poll = _moderator_and_poll(participant_id, poll_id)
        if poll.status != Status.DRAFT:
            raise Conflict("This poll has been launched already.")
        poll.status, poll.launched_at = Status.OPEN, timezone.now()
        poll.save(update_fields=["status", "launched_at", "updated_at"])
        _post(poll, actor)
        _hosts_hear(poll)
    return poll


def poll_close(*, participant_id: uuid.UUID, poll_id: object) -> Poll:
    """No more votes; closing a closed poll changes nothing."""
    with transaction.atomic():
        _, poll = _moderator_and_poll(participant_id, poll_id)
        _launched(poll)
        if poll.status == Status.CLOSED:
            return poll
        poll.status, poll.closed_at = Status.CLOSED, timezone.now()
        poll.save(update_fields=["status", "closed_at", "updated_at"])
        _everyone_sees(poll)
        _hosts_hear(poll)
    return poll


def poll_share(*, participant_id: uuid.UUID, poll_id: object) -> Poll:
    """Everyone sees the results (live ones, while the poll is still open); sharing twice changes nothing."""
    with transaction.atomic():
        _, poll = _moderator_and_poll(participant_id, poll_id)
        _launched(poll)
        if poll.results_shared:
            return poll
        poll.results_shared = True
        poll.save(update_fields=["results_shared", "updated_at"])
        _everyone_sees(poll)
        _hosts_hear(poll)
    return poll


def poll_delete(*, participant_id: uuid.UUID, poll_id: object) -> None:
    """Only a draft: a launched poll is part of the meeting's chat (close it instead)."""
    with transaction.atomic():
        _, poll = _moderator_and_poll(participant_id, poll_id)
        if poll.status != Status.DRAFT:
            raise Conflict("Only a draft can be deleted; close a live poll instead.")
        poll_pk, meeting_id = poll.pk, poll.meeting_id
        poll.delete()
        events.send_to_hosts(meeting_id=meeting_id, event="poll.updated", poll_id=str(poll_pk), deleted=True)


# ---- everyone ------------------------------------------------------------------------------------


def poll_vote(*, participant_id: uuid.UUID, poll_id: object, choices: object) -> PollVote:
    """This person's answer to an open poll; voting again replaces it."""
    picked = _choices(choices)
    check_message_rate(participant_id)  # each vote reaches the hosts
    with transaction.atomic():
        actor = actor_get(participant_id, lock=False)
        poll = _poll_get(actor, poll_id)
        if poll.status == Status.DRAFT:  # drafts are the hosts' own
            raise NotFound("No such poll.")
        if poll.status == Status.CLOSED:
            raise PollClosed()
        if picked[-1] >= len(poll.options):
            raise InvalidInput("Choose one or more of the poll's options.", field="choices")
        if len(picked) > 1 and not poll.multiple:
            raise InvalidInput("Choose one option.", field="choices")
        # The poll's row lock orders votes on it; the unique (poll, voter_key) makes a second
        # insert for the same person impossible, and update_or_create turns that into an update.
        vote, _ = PollVote.objects.update_or_create(
            poll=poll,
            voter_key=voter_key(actor),
            defaults={
                "participant": actor,
                # An anonymous poll keeps no names, not even for the export.
                "voter_name": "" if poll.anonymous else actor.display_name,
                "choices": picked,
            },
        )
        events.send_to_participant(
            participant_id=actor.pk, event="poll.voted", poll_id=str(poll.pk), choices=picked
        )
        if poll.results_shared:
            _everyone_sees(poll)
        _hosts_hear(poll)
    return vote
