from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest
from ninja import File, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate

from aapoon.accounts import selectors, services
from aapoon.accounts.models import Address, Membership, User
from aapoon.accounts.schemas import (
    AccountOut,
    AccountPatch,
    AddressIn,
    AddressOut,
    AddressPatch,
    BankAccountIn,
    BankAccountOut,
    MeOut,
    MePatch,
)
from aapoon.core.errors import NotFound

router = Router(tags=["accounts"])


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # guaranteed by the API's auth
    return user


def _me(user: User) -> MeOut:
    return MeOut(
        id=user.pk,
        email=user.email,
        email_verified=user.email_verified,
        full_name=user.full_name,
        display_name=user.display_name,
        phone=user.phone,
        phone_verified=user.phone_verified,
        timezone=user.timezone,
        status=user.status,
        signup_source=user.signup_source,
        two_fa_enabled=user.two_fa_enabled,
        has_avatar=user.avatar_id is not None,
        is_staff=user.is_staff,
    )


@router.get("/me", response=MeOut, operation_id="me_get")
def me_get(request: HttpRequest) -> MeOut:
    return _me(_user(request))


@router.patch("/me", response=MeOut, operation_id="me_update")
def me_update(request: HttpRequest, payload: MePatch) -> MeOut:
    user = services.user_update(user=_user(request), **payload.dict(exclude_unset=True))
    return _me(user)


@router.post("/me/avatar", response=MeOut, operation_id="me_avatar_set")
def me_avatar_set(request: HttpRequest, file: File[UploadedFile]) -> MeOut:
    # Read at most one byte past the limit: enough for the service to refuse an oversized file
    # without pulling a huge upload into memory.
    content = file.read(settings.AVATAR_MAX_BYTES + 1)
    user = services.user_avatar_set(user=_user(request), content=content, filename=file.name or "")
    return _me(user)


@router.get("/me/avatar", operation_id="me_avatar_get")
def me_avatar_get(request: HttpRequest) -> FileResponse:
    avatar = _user(request).avatar
    if avatar is None:
        raise NotFound("No profile picture.")
    response = FileResponse(default_storage.open(avatar.storage_key), content_type=avatar.mime_type)
    response["Cache-Control"] = "private, max-age=300"
    return response


@router.delete("/me/avatar", response={204: None}, operation_id="me_avatar_remove")
def me_avatar_remove(request: HttpRequest) -> Status[None]:
    services.user_avatar_remove(user=_user(request))
    return Status(204, None)


@router.get("/me/addresses", response=list[AddressOut], operation_id="addresses_list")
@paginate(LimitOffsetPagination)
def addresses_list(request: HttpRequest) -> QuerySet[Address]:
    return selectors.address_list(user=_user(request))


@router.post("/me/addresses", response={201: AddressOut}, operation_id="address_create")
def address_create(request: HttpRequest, payload: AddressIn) -> Status[AddressOut]:
    address = services.address_create(user=_user(request), values=payload.dict())
    return Status(201, AddressOut.from_orm(address))


@router.get("/me/addresses/{address_id}", response=AddressOut, operation_id="address_get")
def address_get(request: HttpRequest, address_id: str) -> AddressOut:
    return AddressOut.from_orm(selectors.address_get(user=_user(request), address_id=address_id))


@router.patch("/me/addresses/{address_id}", response=AddressOut, operation_id="address_update")
def address_update(request: HttpRequest, address_id: str, payload: AddressPatch) -> AddressOut:
    address = services.address_update(
        user=_user(request), address_id=address_id, values=payload.dict(exclude_unset=True)
    )
    return AddressOut.from_orm(address)


@router.delete("/me/addresses/{address_id}", response={204: None}, operation_id="address_delete")
def address_delete(request: HttpRequest, address_id: str) -> Status[None]:
    services.address_delete(user=_user(request), address_id=address_id)
    return Status(204, None)


@router.get("/me/bank-account", response=BankAccountOut, operation_id="bank_account_get")
def bank_account_get(request: HttpRequest) -> BankAccountOut:
    return BankAccountOut.from_orm(selectors.bank_account_get(user=_user(request)))


@router.put("/me/bank-account", response=BankAccountOut, operation_id="bank_account_set")
def bank_account_set(request: HttpRequest, payload: BankAccountIn) -> BankAccountOut:
    bank = services.bank_account_set(user=_user(request), **payload.dict())
    return BankAccountOut.from_orm(bank)


@router.get("/accounts", response=list[AccountOut], operation_id="accounts_list")
@paginate(LimitOffsetPagination)
def accounts_list(request: HttpRequest) -> QuerySet[Membership]:
    return selectors.membership_list(user=_user(request))


@router.patch("/accounts/{account_id}", response=AccountOut, operation_id="account_update")
def account_update(request: HttpRequest, account_id: str, payload: AccountPatch) -> AccountOut:
    user = _user(request)
    services.account_update(actor=user, account_id=account_id, values=payload.dict(exclude_unset=True))
    return AccountOut.from_orm(selectors.membership_get(user=user, account_id=account_id))
