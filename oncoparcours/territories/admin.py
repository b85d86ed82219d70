from django.contrib import admin

from oncoparcours.territories.models import (
    Commune,
    CommunePostalCode,
    Department,
    Epci,
    InterventionTerritory,
)


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "population"]
    search_fields = ["code", "name"]


@admin.register(Epci)
class EpciAdmin(admin.ModelAdmin):
    list_display = ["siren", "name", "kind", "population"]
    list_filter = ["kind"]
    search_fields = ["siren", "name"]


class CommunePostalCodeInline(admin.TabularInline):
    model = CommunePostalCode
    extra = 0


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["insee_code", "name", "department", "epci", "population"]
    list_filter = ["department"]
    list_select_related = ["department", "epci"]
    # search_name is accent-free: "st etienne" finds Saint-Étienne here too.
    search_fields = ["insee_code", "name", "search_name", "postal_codes__postal_code"]
    autocomplete_fields = ["epci"]
    readonly_fields = ["search_name"]
    inlines = [CommunePostalCodeInline]


@admin.register(InterventionTerritory)
class InterventionTerritoryAdmin(admin.ModelAdmin):
    list_display = ["name", "structure", "archived_at", "updated_at"]
    list_filter = ["archived_at"]
    list_select_related = ["structure"]
    search_fields = ["name", "structure__name"]
    raw_id_fields = ["structure"]
    autocomplete_fields = ["communes"]
    readonly_fields = ["public_id", "created_at", "updated_at"]
