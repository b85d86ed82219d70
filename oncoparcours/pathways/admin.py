from django.contrib import admin
from django.http import HttpRequest

from oncoparcours.pathways.models import Act, Pathway, PathwayEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    """Read-only: every change goes through the services, which write the timeline; an edit
    here would leave no event."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Pathway)
class PathwayAdmin(ReadOnlyAdmin):
    list_display = ("public_id", "status", "structure", "uncovered", "age_group", "created_at")
    list_filter = ("status", "uncovered", "age_group")
    list_select_related = ("structure",)


@admin.register(PathwayEvent)
class PathwayEventAdmin(ReadOnlyAdmin):
    list_display = ("pathway", "kind", "actor", "at")
    list_filter = ("kind",)
    list_select_related = ("pathway", "actor__organisation")


@admin.register(Act)
class ActAdmin(ReadOnlyAdmin):
    list_display = ("public_id", "kind", "status", "starts_at", "amount", "pathway")
    list_filter = ("kind", "status", "mode")
    list_select_related = ("pathway",)
