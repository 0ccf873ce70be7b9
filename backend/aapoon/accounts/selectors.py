"""Reads for identity and tenancy. Every lookup is scoped to the caller."""

import uuid

from django.db.models import QuerySet

from aapoon.accounts.models import Address, BankAccount, Membership, User
from aapoon.core.errors import NotFound


def _uuid_or_not_found(value: object, message: str) -> uuid.UUID:
    """Path ids arrive as text; a malformed one names nothing, so it is a 404 like any unknown id."""
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError as exc:
        raise NotFound(message) from exc


def address_list(*, user: User) -> QuerySet[Address]:
    return Address.objects.filter(user=user).order_by("created_at")


def address_get(*, user: User, address_id: object) -> Address:
    message = "No such address."
    address = Address.objects.filter(user=user, pk=_uuid_or_not_found(address_id, message)).first()
    if address is None:
        raise NotFound(message)
    return address


def bank_account_get(*, user: User) -> BankAccount:
    bank = BankAccount.objects.filter(user=user).first()
    if bank is None:
        raise NotFound("No bank account on file.")
    return bank


def membership_list(*, user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("account").order_by("created_at")


def membership_get(*, user: User, account_id: object, for_update: bool = False) -> Membership:
    """The caller's membership of an account; accounts they do not belong to do not exist for them."""
    memberships = Membership.objects.select_related("account")
    if for_update:
        memberships = memberships.select_for_update()
    message = "No such account."
    membership = memberships.filter(user=user, account_id=_uuid_or_not_found(account_id, message)).first()
    if membership is None:
        raise NotFound(message)
    return membership


def user_get_by_phone(*, phone: str) -> User | None:
    """Only a verified number identifies a user: whoever owns a number typed in by mistake
    must not be able to sign in to that account with an SMS code."""
    return User.objects.filter(phone=phone, phone_verified=True, is_active=True).first()


def user_id_by_email(*, email: str) -> uuid.UUID | None:
    return User.objects.filter(email__iexact=email).values_list("pk", flat=True).first()
