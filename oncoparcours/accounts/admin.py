from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from oncoparcours.accounts.models import ApiToken, Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ("organisation", "role", "created_at", "ended_at")
    readonly_fields = ("created_at",)
    autocomplete_fields = ("organisation",)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ("last_name", "first_name")
    list_display = ("email", "last_name", "first_name", "profession", "is_active", "is_staff")
    list_filter = ("is_active", "is_staff", "profession")
    search_fields = ("email", "last_name", "first_name", "rpps")
    readonly_fields = ("public_id", "last_login", "date_joined")
    inlines = [MembershipInline]
    fieldsets = (
        (None, {"fields": ("public_id", "email", "password")}),
        (_("Identité"), {"fields": ("first_name", "last_name", "profession", "specialty", "rpps")}),
        (_("Accès"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"fields": ("email", "first_name", "last_name", "password1", "password2")}),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "prefix", "membership", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("public_id", "membership", "name", "prefix", "created_at", "last_used_at")
    fields = (
        "public_id",
        "membership",
        "name",
        "prefix",
        "created_at",
        "last_used_at",
        "revoked_at",
    )

    def has_add_permission(self, request: object) -> bool:
        # Keys are created by `manage.py api_token_create`, which shows the key once.
        return False
