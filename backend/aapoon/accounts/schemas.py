import re
import uuid
from decimal import Decimal
from typing import Any, Literal

from ninja import Field, Schema
from pydantic import field_validator

from aapoon.core.text import Text


class MeOut(Schema):
    id: uuid.UUID
    email: str
    email_verified: bool
    full_name: str
    display_name: str
    phone: str | None
    phone_verified: bool
    timezone: str
    status: str
    signup_source: str
    two_fa_enabled: bool
    has_avatar: bool
    is_staff: bool


class MePatch(Schema):
    full_name: Text | None = Field(None, max_length=150)
    display_name: Text | None = Field(None, max_length=80)
    phone: Text | None = Field(None, max_length=32, description="E.164, e.g. +919812345678; empty removes it")
    timezone: Text | None = Field(None, max_length=64)


class AddressIn(Schema):
    name: Text = Field(..., min_length=1, max_length=150)
    phone: Text = Field("", max_length=32)
    line1: Text = Field(..., min_length=1, max_length=200)
    line2: Text = Field("", max_length=200)
    locality: Text = Field("", max_length=100)
    city: Text = Field(..., min_length=1, max_length=100)
    state: Text = Field("", max_length=100)
    postal_code: Text = Field(..., min_length=1, max_length=20)
    country: Text = Field(..., min_length=2, max_length=2)
    lat: Decimal | None = Field(None, max_digits=9, decimal_places=6)
    lng: Decimal | None = Field(None, max_digits=9, decimal_places=6)


class AddressPatch(Schema):
    name: Text | None = Field(None, min_length=1, max_length=150)
    phone: Text | None = Field(None, max_length=32)
    line1: Text | None = Field(None, min_length=1, max_length=200)
    line2: Text | None = Field(None, max_length=200)
    locality: Text | None = Field(None, max_length=100)
    city: Text | None = Field(None, min_length=1, max_length=100)
    state: Text | None = Field(None, max_length=100)
    postal_code: Text | None = Field(None, min_length=1, max_length=20)
    country: Text | None = Field(None, min_length=2, max_length=2)
    lat: Decimal | None = Field(None, max_digits=9, decimal_places=6)
    lng: Decimal | None = Field(None, max_digits=9, decimal_places=6)


class AddressOut(AddressIn):
    id: uuid.UUID


class BankAccountIn(Schema):
    holder_name: Text = Field(..., min_length=1, max_length=150)
    account_number: Text = Field(..., min_length=6, max_length=24)
    ifsc: Text = Field(..., min_length=11, max_length=11)


class BankAccountOut(Schema):
    holder_name: str
    account_number_last4: str
    ifsc: str


class AccountOut(Schema):
    """An account as seen by one of its members (built from that Membership)."""

    id: uuid.UUID = Field(..., alias="account.id")
    type: str = Field(..., alias="account.type")
    role: str
    is_owner: bool
    business_name: str = Field(..., alias="account.business_name")
    website: str = Field(..., alias="account.website")
    location: str = Field(..., alias="account.location")
    company_size: str = Field(..., alias="account.company_size")
    address_id: uuid.UUID | None = Field(..., alias="account.address_id")

    @staticmethod
    def resolve_is_owner(membership: Any) -> bool:
        return bool(membership.account.owner_id == membership.user_id)


class AccountPatch(Schema):
    type: Literal["professional", "business"] | None = None
    business_name: Text | None = Field(None, max_length=200)
    website: Text | None = Field(None, max_length=200)
    location: Text | None = Field(None, max_length=200)
    company_size: Literal["", "1-10", "11-50", "51-200", "201-1000", "1000+"] | None = None
    address_id: uuid.UUID | None = None

    @field_validator("website")
    @classmethod
    def website_is_a_web_address(cls, value: str | None) -> str | None:
        if value and not re.fullmatch(r"https?://\S+", value):
            raise ValueError("Enter a web address starting with http:// or https://")
        return value


class ErrorOut(Schema):
    code: str
    message: str
    detail: object | None = None
