from django.contrib import admin
from django.http import HttpRequest

from oncoparcours.regulation.models import RegulatoryParameter


@admin.register(RegulatoryParameter)
class RegulatoryParameterAdmin(admin.ModelAdmin):
    """Read-only: a new version goes through the app's page or API (the service closes the
    previous version and refuses overlaps); editing a row here would rewrite the past."""

    list_display = ("key", "value", "effective_from", "effective_to", "created_by", "created_at")
    list_filter = ("key",)
    list_select_related = ("created_by",)
    ordering = ("key", "-effective_from")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: RegulatoryParameter | None = None
    ) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: RegulatoryParameter | None = None
    ) -> bool:
        return False
