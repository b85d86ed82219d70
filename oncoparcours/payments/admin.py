from django.contrib import admin
from django.http import HttpRequest

from oncoparcours.payments.models import PayableLine, Statement


class _ReadOnlyAdmin(admin.ModelAdmin):
    """Read-only: writes go through the services, which never edit history."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Statement)
class StatementAdmin(_ReadOnlyAdmin):
    list_display = ("public_id", "structure", "month", "status", "total")
    list_filter = ("status",)


@admin.register(PayableLine)
class PayableLineAdmin(_ReadOnlyAdmin):
    list_display = ("public_id", "structure", "month", "amount", "statement")
