from django.contrib import admin
from django.http import HttpRequest

from oncoparcours.organisations.models import Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    """A read-only view for support staff.

    Creating and editing go through the services (the app's pages and API), which check the
    identifiers, duplicates and postal code; the admin would bypass those rules. Only
    ``archived_at`` stays editable, to undo a mistaken archive.
    """

    list_display = (
        "name",
        "kind",
        "structure_type",
        "finess_et",
        "siret",
        "commune",
        "archived_at",
    )
    list_filter = ("kind", "structure_type", "archived_at", "commune__department")
    search_fields = ("name", "finess_ej", "finess_et", "siret")
    list_select_related = ("commune",)
    ordering = ("name",)

    def get_readonly_fields(
        self, request: HttpRequest, obj: Organisation | None = None
    ) -> list[str]:
        return [f.name for f in Organisation._meta.fields if f.name != "archived_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Organisation | None = None) -> bool:
        return False
