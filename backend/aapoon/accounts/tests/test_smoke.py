from aapoon.accounts.models import Membership


def test_signup_creates_owned_professional_account(user):
    membership = Membership.objects.get(user=user)
    assert membership.role == Membership.Role.OWNER
    assert membership.account.type == "professional"
    assert membership.account.owner == user
