"""Building users the way sign-up does: verified email, own professional account."""

from allauth.account.models import EmailAddress

from aapoon.accounts.models import User
from aapoon.accounts.services import user_signup_complete

DEFAULT_PASSWORD = "Correct-Horse-42"


def make_user(
    *, email: str, password: str = DEFAULT_PASSWORD, verified: bool = True, **fields: object
) -> User:
    user = User.objects.create_user(email=email, password=password, **fields)
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=verified)
    user_signup_complete(user=user, source=User.SignupSource.EMAIL)
    return user
