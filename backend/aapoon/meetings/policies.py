from django.db.models import Q

from aapoon.accounts.models import Membership, User
from aapoon.accounts.selectors import membership_list
from aapoon.core.errors import PermissionDenied
from aapoon.meetings.models import Meeting, MeetingParticipant

MANAGER_ROLES = (Membership.Role.OWNER, Membership.Role.ADMIN)


def managed_by(user: User) -> Q:
    """The meetings `user` manages (recordings, exports): those they host, and every meeting of an
    account they own or administer."""
    managed_accounts = membership_list(user=user).filter(role__in=MANAGER_ROLES).values("account_id")
    return Q(host=user) | Q(account_id__in=managed_accounts)


def check_is_host(*, meeting: Meeting, user: User) -> None:
    if meeting.host_id != user.pk:
        raise PermissionDenied("Only the host can do that.")


def check_can_moderate(*, actor: MeetingParticipant) -> None:
    if actor.status != MeetingParticipant.Status.JOINED or not actor.is_moderator:
        raise PermissionDenied("Only the host and co-hosts can do that.")


def check_is_host_participant(*, actor: MeetingParticipant) -> None:
    if actor.status != MeetingParticipant.Status.JOINED or actor.role != MeetingParticipant.Role.HOST:
        raise PermissionDenied("Only the host can do that.")


def check_can_be_moderated(*, actor: MeetingParticipant, target: MeetingParticipant) -> None:
    """Co-hosts moderate participants; no one moderates the host, and only the host moderates co-hosts."""
    if target.role == MeetingParticipant.Role.HOST or (
        target.is_moderator and actor.role != MeetingParticipant.Role.HOST
    ):
        raise PermissionDenied("You can't do that to the host or another co-host.")
