from aapoon.accounts.models import Membership
from aapoon.core.errors import PermissionDenied


def check_can_manage_account(*, membership: Membership) -> None:
    if membership.role not in (Membership.Role.OWNER, Membership.Role.ADMIN):
        raise PermissionDenied("Only the account's owner or an admin can change it.")
