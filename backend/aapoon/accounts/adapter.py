"""allauth glue: where sign-up, phone numbers and failed logins reach our services."""

import json
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialLogin
from django.forms import BaseForm
from django.http import HttpRequest
from django.http.request import RawPostDataException

from aapoon.accounts import services
from aapoon.accounts.models import User
from aapoon.accounts.selectors import user_get_by_phone, user_id_by_email
from aapoon.audit.services import audit_record
from aapoon.core.http import client_ip
from aapoon.notifications.sms import sms_send


def _prospective_user(request: HttpRequest | None) -> User | None:
    """The user a headless sign-up is about to create, so that password validators can compare
    the password with the email (allauth's headless sign-up validates without a user)."""
    if request is None or request.method != "POST" or request.content_type != "application/json":
        return None
    try:
        data = json.loads(request.body)
    except (ValueError, RawPostDataException):
        return None
    email = data.get("email") if isinstance(data, dict) else None
    return User(email=email) if isinstance(email, str) else None


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request: HttpRequest, user: Any, form: BaseForm, commit: bool = True) -> Any:
        user = super().save_user(request, user, form, commit=commit)
        # A social sign-up that needed the signup form (e.g. no email from the provider) comes
        # through here too; SocialAccountAdapter.save_user completes it with its own source.
        if commit and getattr(form, "sociallogin", None) is None:
            services.user_signup_complete(user=user, source=User.SignupSource.EMAIL)
        return user

    def clean_password(self, password: str, user: Any = None) -> str:
        if user is None:
            user = _prospective_user(context.request)
        return super().clean_password(password, user=user)

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        # allauth keys failed logins by email or username only: every phone login would share
        # one key, so five wrong passwords for any number would lock out all phone logins.
        phone = credentials.get("phone")
        if phone and not credentials.get("email"):
            return f"phone:{phone}"
        return super()._get_login_attempts_cache_key(request, **credentials)

    def authentication_failed(self, request: HttpRequest, **credentials: Any) -> None:
        super().authentication_failed(request, **credentials)
        email = credentials.get("email")
        audit_record(
            action="login_failed",
            entity_type="user",
            entity_id=user_id_by_email(email=email) if email else "",
            actor_ip=client_ip(request) or None,
        )

    def send_verification_code_sms(self, user: Any, phone: str, code: str, **kwargs: Any) -> None:
        sms_send(to=phone, body=f"Your aapoon meet code is {code}. It expires in a few minutes.")

    def send_unknown_account_sms(self, phone: str, **kwargs: Any) -> None:
        sms_send(to=phone, body="Someone asked for an aapoon meet code, but no account uses this number.")

    def set_phone(self, user: Any, phone: str, verified: bool) -> None:
        services.user_phone_set(user=user, phone=phone, verified=verified)

    def get_phone(self, user: Any) -> tuple[str, bool] | None:
        # allauth knows only verified numbers: one saved unverified through the API can then
        # be verified with allauth's change-phone flow like any new number.
        return (user.phone, True) if user.phone and user.phone_verified else None

    def set_phone_verified(self, user: Any, phone: str) -> None:
        services.user_phone_set(user=user, phone=phone, verified=True)

    def get_user_by_phone(self, phone: str) -> Any:
        return user_get_by_phone(phone=phone)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def populate_user(self, request: HttpRequest, sociallogin: SocialLogin, data: dict[str, Any]) -> Any:
        user = super().populate_user(request, sociallogin, data)
        name = data.get("name") or " ".join(
            part for part in (data.get("first_name"), data.get("last_name")) if part
        )
        user.full_name = (name or "")[:150]
        return user

    def save_user(self, request: HttpRequest, sociallogin: SocialLogin, form: Any = None) -> Any:
        user = super().save_user(request, sociallogin, form)
        services.user_signup_complete(user=user, source=sociallogin.account.provider)
        return user
