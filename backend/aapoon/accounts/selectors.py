"""Reads for identity and tenancy. Every lookup is scoped to the caller."""

import uuid

from django.db.models import QuerySet

from aapoon.accounts.models import Address, BankAccount, Membership, User
from aapoon.core.errors import NotFound


def _as_uuid(value: object) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        return None


def address_list(*, user: User) -> QuerySet[Address]:
    return Address.objects.filter(user=user).order_by("created_at")


def address_get(*, user: User, address_id: object) -> Address:
    address = Address.objects.filter(user=user, pk=_as_uuid(address_id)).first()
    if address is None:
        raise NotFound("No such address.")
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
    membership = memberships.filter(user=user, account_id=_as_uuid(account_id)).first()
    if membership is None:
        raise NotFound("No such account.")
    return membership


def user_get_by_phone(*, phone: str) -> User | None:
    return User.objects.filter(phone=phone, is_active=True).first()


def user_id_by_email(*, email: str) -> uuid.UUID | None:
    return User.objects.filter(email__iexact=email).values_list("pk", flat=True).first()
