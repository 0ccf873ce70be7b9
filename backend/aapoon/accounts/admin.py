from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from aapoon.accounts.models import Account, Address, BankAccount, Membership, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ("email",)
    list_display = ("email", "full_name", "status", "signup_source", "is_staff", "created_at")
    list_filter = ("status", "signup_source", "is_staff")
    search_fields = ("email", "full_name", "display_name", "phone")
    readonly_fields = ("created_at", "updated_at", "last_login")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Profile", {"fields": ("full_name", "display_name", "phone", "phone_verified", "timezone")}),
        ("Status", {"fields": ("status", "signup_source", "deleted_at")}),
        ("Permissions", {"fields": ("is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Dates", {"fields": ("last_login", "created_at", "updated_at")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = ("__str__", "type", "owner", "company_size", "created_at")
    list_filter = ("type",)
    search_fields = ("business_name", "owner__email")
    inlines = [MembershipInline]
    autocomplete_fields = ("owner",)


@admin.register(Address)
class AddressAdmin(admin.ModelAdmin):
    list_display = ("name", "city", "country", "user")
    search_fields = ("name", "city", "user__email")


@admin.register(BankAccount)
class BankAccountAdmin(admin.ModelAdmin):
    # The encrypted number is never shown, not even to staff: only its last four digits.
    list_display = ("holder_name", "account_number_last4", "ifsc", "user")
    fields = ("user", "holder_name", "account_number_last4", "ifsc")
    readonly_fields = fields

    def has_add_permission(self, request: object) -> bool:
        return False
