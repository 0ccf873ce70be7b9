"""Writes for identity and tenancy. Each service validates first, then writes in one transaction."""

import io
import re
import zoneinfo
from decimal import Decimal

import phonenumbers
from django.conf import settings
from django.db import IntegrityError, transaction
from PIL import Image

from aapoon.accounts.models import Account, Address, BankAccount, Membership, User
from aapoon.accounts.policies import check_can_manage_account
from aapoon.accounts.selectors import address_get, membership_get
from aapoon.audit.services import audit_record
from aapoon.core.crypto import encrypt
from aapoon.core.errors import Conflict, InvalidInput
from aapoon.files.services import stored_file_create, stored_file_delete

_AVATAR_FORMATS = {
    "JPEG": ("image/jpeg", ".jpg"),
    "PNG": ("image/png", ".png"),
    "WEBP": ("image/webp", ".webp"),
}
_AVATAR_MAX_PIXELS = 25_000_000  # 5000 x 5000: far above any profile picture, far below a bomb
_IFSC = re.compile(r"^[A-Z]{4}0[A-Z0-9]{6}$")
_ACCOUNT_NUMBER = re.compile(r"^\d{6,18}$")


def normalize_phone(raw: str) -> str:
    """Return the number in E.164, or raise InvalidInput. Numbers must carry their country code."""
    try:
        number = phonenumbers.parse(raw, None)
    except phonenumbers.NumberParseException as exc:
        raise InvalidInput(
            "Enter the phone number with its country code, like +919812345678.", field="phone"
        ) from exc
    if not phonenumbers.is_valid_number(number):
        raise InvalidInput("That phone number is not valid.", field="phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def check_timezone(name: str) -> str:
    if name not in zoneinfo.available_timezones():
        raise InvalidInput("Unknown time zone.", field="timezone")
    return name


@transaction.atomic
def user_signup_complete(*, user: User, source: str) -> Account:
    """A new user gets a professional account of their own, which they own."""
    if user.signup_source != source:
        user.signup_source = source
        user.save(update_fields=["signup_source", "updated_at"])
    account = Account.objects.create(type=Account.Type.PROFESSIONAL, owner=user)
    Membership.objects.create(account=account, user=user, role=Membership.Role.OWNER)
    transaction.on_commit(
        lambda: audit_record(action="signed_up", entity_type="user", entity_id=user.pk, actor_id=user.pk)
    )
    return account


def user_update(
    *,
    user: User,
    full_name: str | None = None,
    display_name: str | None = None,
    phone: str | None = None,
    timezone: str | None = None,
) -> User:
    changed: list[str] = []
    if full_name is not None:
        user.full_name = full_name.strip()
        changed.append("full_name")
    if display_name is not None:
        user.display_name = display_name.strip()
        changed.append("display_name")
    if timezone is not None:
        user.timezone = check_timezone(timezone)
        changed.append("timezone")
    if phone is not None:
        new_phone = normalize_phone(phone) if phone.strip() else None
        if new_phone != user.phone:
            user.phone = new_phone
            user.phone_verified = False  # a new number must be verified again
            changed += ["phone", "phone_verified"]
    if not changed:
        return user
    try:
        with transaction.atomic():
            user.save(update_fields=[*changed, "updated_at"])
    except IntegrityError as exc:
        user.refresh_from_db()
        raise Conflict("That phone number belongs to another account.", field="phone") from exc
    return user


@transaction.atomic
def user_phone_set(*, user: User, phone: str, verified: bool) -> None:
    """Called by allauth when a phone is added or confirmed through its verification flow.

    Proving ownership by SMS code wins over someone else's unverified claim on the number.
    """
    if verified:
        User.objects.filter(phone=phone, phone_verified=False).exclude(pk=user.pk).update(phone=None)
    user.phone = phone
    user.phone_verified = verified
    user.save(update_fields=["phone", "phone_verified", "updated_at"])


def _avatar_image(content: bytes) -> tuple[str, str]:
    """Check that the bytes are an image we accept; return its MIME type and extension.

    `verify()` alone passes a truncated JPEG (it does not decode), so the image is also decoded
    in full, after checking its dimensions so that a small file cannot expand into a huge bitmap.
    Pillow reports malformed input with many exception types (SyntaxError, struct.error, ...):
    any of them means "not an image we accept", never a 500.
    """
    try:
        with Image.open(io.BytesIO(content)) as image:
            image.verify()
            fmt = image.format or ""
        with Image.open(io.BytesIO(content)) as image:
            width, height = image.size
            if width * height > _AVATAR_MAX_PIXELS:
                raise InvalidInput("The picture is too large.", detail={"max_pixels": _AVATAR_MAX_PIXELS})
            image.load()
    except InvalidInput:
        raise
    except Exception as exc:
        raise InvalidInput("The picture must be a JPEG, PNG or WebP image.") from exc
    if fmt not in _AVATAR_FORMATS:
        raise InvalidInput("The picture must be a JPEG, PNG or WebP image.")
    return _AVATAR_FORMATS[fmt]


def user_avatar_set(*, user: User, content: bytes, filename: str) -> User:
    if len(content) > settings.AVATAR_MAX_BYTES:
        raise InvalidInput("The picture is too large.", detail={"max_bytes": settings.AVATAR_MAX_BYTES})
    mime_type, extension = _avatar_image(content)
    old = user.avatar
    with transaction.atomic():
        user.avatar = stored_file_create(
            owner_id=user.pk,
            kind="avatar",
            content=content,
            mime_type=mime_type,
            extension=extension,
            original_name=filename,
        )
        user.save(update_fields=["avatar", "updated_at"])
        if old is not None:
            stored_file_delete(stored_file=old)
    return user


def user_avatar_remove(*, user: User) -> None:
    if user.avatar is None:
        return
    with transaction.atomic():
        old = user.avatar
        user.avatar = None
        user.save(update_fields=["avatar", "updated_at"])
        stored_file_delete(stored_file=old)


_ADDRESS_FIELDS = (
    "name",
    "phone",
    "line1",
    "line2",
    "locality",
    "city",
    "state",
    "postal_code",
    "country",
    "lat",
    "lng",
)


_ADDRESS_NULLABLE = ("lat", "lng")


def _reject_nulls(values: dict[str, object], fields: tuple[str, ...]) -> None:
    """A PATCH may send `null`; for a column that cannot hold it, that is bad input, not a 500."""
    nulls = sorted(key for key in fields if key in values and values[key] is None)
    if nulls:
        message = "This field cannot be empty."
        raise InvalidInput(message, detail=[{"loc": [key], "msg": message} for key in nulls])


def _clean_address(values: dict[str, object]) -> dict[str, object]:
    cleaned = {key: values[key] for key in _ADDRESS_FIELDS if key in values}
    _reject_nulls(cleaned, tuple(key for key in _ADDRESS_FIELDS if key not in _ADDRESS_NULLABLE))
    if "country" in cleaned:
        country = str(cleaned["country"]).upper()
        if not re.fullmatch(r"[A-Z]{2}", country):
            raise InvalidInput("Country must be a two-letter ISO code, like IN.", field="country")
        cleaned["country"] = country
    if cleaned.get("phone"):
        cleaned["phone"] = normalize_phone(str(cleaned["phone"]))
    for key, limit in (("lat", 90), ("lng", 180)):
        value = cleaned.get(key)
        if value is not None and not -limit <= Decimal(str(value)) <= limit:
            raise InvalidInput(f"{key} must be between -{limit} and {limit}.", field=key)
    return cleaned


def address_create(*, user: User, values: dict[str, object]) -> Address:
    return Address.objects.create(user=user, **_clean_address(values))


def address_update(*, user: User, address_id: object, values: dict[str, object]) -> Address:
    address = address_get(user=user, address_id=address_id)
    for key, value in _clean_address(values).items():
        setattr(address, key, value)
    address.save()
    return address


def address_delete(*, user: User, address_id: object) -> None:
    address_get(user=user, address_id=address_id).delete()


def bank_account_set(*, user: User, holder_name: str, account_number: str, ifsc: str) -> BankAccount:
    number = re.sub(r"[\s-]", "", account_number)
    if not _ACCOUNT_NUMBER.fullmatch(number):
        raise InvalidInput("The account number must be 6 to 18 digits.", field="account_number")
    ifsc = ifsc.strip().upper()
    if not _IFSC.fullmatch(ifsc):
        raise InvalidInput("The IFSC must look like SBIN0001234.", field="ifsc")
    if not holder_name.strip():
        raise InvalidInput("Enter the account holder's name.", field="holder_name")
    with transaction.atomic():
        bank, created = BankAccount.objects.update_or_create(
            user=user,
            defaults={
                "holder_name": holder_name.strip(),
                "account_number_encrypted": encrypt(number),
                "account_number_last4": number[-4:],
                "ifsc": ifsc,
            },
        )
        # Payout details changing is worth a trail; the row keeps only what the UI shows.
        transaction.on_commit(
            lambda: audit_record(
                action="created" if created else "updated",
                entity_type="bank_account",
                entity_id=bank.pk,
                actor_id=user.pk,
                after={"account_number_last4": bank.account_number_last4, "ifsc": bank.ifsc},
            )
        )
    return bank


_BUSINESS_FIELDS = ("type", "business_name", "website", "location", "company_size")


def _account_audit_view(account: Account) -> dict[str, object]:
    """What an audit row keeps of an account: business details and the address's id, not its text."""
    view: dict[str, object] = {key: getattr(account, key) for key in _BUSINESS_FIELDS}
    view["address_id"] = str(account.address_id) if account.address_id else None
    return view


@transaction.atomic
def account_update(*, actor: User, account_id: object, values: dict[str, object]) -> Account:
    membership = membership_get(user=actor, account_id=account_id, for_update=True)
    check_can_manage_account(membership=membership)
    _reject_nulls(values, _BUSINESS_FIELDS)
    account = membership.account
    before = _account_audit_view(account)
    for key in _BUSINESS_FIELDS:
        if key in values:
            setattr(account, key, values[key])
    if "address_id" in values:
        address_id = values["address_id"]
        account.address = None if address_id is None else address_get(user=actor, address_id=address_id)
    if account.type == Account.Type.BUSINESS and not account.business_name.strip():
        raise InvalidInput("A business account needs a business name.", field="business_name")
    after = _account_audit_view(account)
    if after == before:
        return account  # nothing changed: no write, no audit row
    account.save()
    transaction.on_commit(
        lambda: audit_record(
            action="updated",
            entity_type="account",
            entity_id=account.pk,
            actor_id=actor.pk,
            before=before,
            after=after,
        )
    )
    return account
