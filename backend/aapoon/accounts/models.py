from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower

from aapoon.core.models import BaseModel


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_by_natural_key(self, username: str | None) -> "User":
        return self.get(email__iexact=username)

    def create_user(self, email: str, password: str | None = None, **extra: object) -> "User":
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> "User":
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class User(BaseModel, AbstractBaseUser, PermissionsMixin):
    """A person who signs in. Email is the login; verification state lives in allauth's EmailAddress."""

    class Status(models.TextChoices):
        ACTIVE = "active"
        SUSPENDED = "suspended"
        DELETED = "deleted"

    class SignupSource(models.TextChoices):
        EMAIL = "email"
        PHONE = "phone"
        GOOGLE = "google"
        FACEBOOK = "facebook"
        INVITATION = "invitation"

    email = models.EmailField(max_length=254, unique=True)
    full_name = models.CharField(max_length=150, blank=True)
    display_name = models.CharField(max_length=80, blank=True)
    # E.164. NULL, not "", when unset: uniqueness applies only to numbers that are set.
    phone = models.CharField(max_length=16, null=True, blank=True)  # noqa: DJ001
    phone_verified = models.BooleanField(default=False)
    timezone = models.CharField(max_length=64, default="UTC")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    signup_source = models.CharField(max_length=16, choices=SignupSource.choices, default=SignupSource.EMAIL)
    avatar = models.ForeignKey(
        "files.StoredFile", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_staff = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
            models.UniqueConstraint(
                fields=["phone"], condition=models.Q(phone__isnull=False), name="user_phone_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.full_name or self.email

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Django's sign-in checks `is_active`; it follows `status`, so a suspended or deleted
        # user can neither sign in nor use a token issued before.
        self.is_active = self.status == self.Status.ACTIVE
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "status" in update_fields:
            kwargs["update_fields"] = {*update_fields, "is_active"}
        super().save(*args, **kwargs)

    @property
    def email_verified(self) -> bool:
        return self.emailaddress_set.filter(primary=True, verified=True).exists()  # type: ignore[attr-defined]

    @property
    def two_fa_enabled(self) -> bool:
        return self.authenticator_set.filter(type="totp").exists()  # type: ignore[attr-defined]


class Address(BaseModel):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="addresses")
    name = models.CharField(max_length=150)
    phone = models.CharField(max_length=16, blank=True)
    line1 = models.CharField(max_length=200)
    line2 = models.CharField(max_length=200, blank=True)
    locality = models.CharField(max_length=100, blank=True)
    city = models.CharField(max_length=100)
    state = models.CharField(max_length=100, blank=True)
    postal_code = models.CharField(max_length=20)
    country = models.CharField(max_length=2)  # ISO 3166-1 alpha-2
    lat = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    lng = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.name}, {self.city}"


class BankAccount(BaseModel):
    """For refunds and payouts. The number is encrypted at rest; only its last four digits are shown."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="bank_account")
    holder_name = models.CharField(max_length=150)
    account_number_encrypted = models.TextField()
    account_number_last4 = models.CharField(max_length=4)
    ifsc = models.CharField(max_length=11)

    def __str__(self) -> str:
        return f"{self.holder_name} ••••{self.account_number_last4}"


class Account(BaseModel):
    """The tenant: a person's professional account or a business."""

    class Type(models.TextChoices):
        PROFESSIONAL = "professional"
        BUSINESS = "business"

    class CompanySize(models.TextChoices):
        SIZE_1_10 = "1-10"
        SIZE_11_50 = "11-50"
        SIZE_51_200 = "51-200"
        SIZE_201_1000 = "201-1000"
        SIZE_1000_PLUS = "1000+"

    type = models.CharField(max_length=16, choices=Type.choices, default=Type.PROFESSIONAL)
    owner = models.ForeignKey(User, on_delete=models.PROTECT, related_name="owned_accounts")
    business_name = models.CharField(max_length=200, blank=True)
    website = models.URLField(blank=True)
    location = models.CharField(max_length=200, blank=True)
    address = models.ForeignKey(Address, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    company_size = models.CharField(max_length=16, choices=CompanySize.choices, blank=True)
    members = models.ManyToManyField(User, through="Membership", related_name="accounts")

    def __str__(self) -> str:
        return self.business_name or f"{self.owner} ({self.type})"


class Membership(BaseModel):
    class Role(models.TextChoices):
        OWNER = "owner"
        ADMIN = "admin"
        MEMBER = "member"

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "user"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} in {self.account} as {self.role}"
