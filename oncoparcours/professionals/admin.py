from django.contrib import admin
from django.http import HttpRequest

from oncoparcours.professionals.models import (
    Contract,
    Diploma,
    ProfessionalEvent,
    ProfessionalProfile,
    QualificationCategory,
)


@admin.register(QualificationCategory)
class QualificationCategoryAdmin(admin.ModelAdmin):
    """The configurable D.1172-2 list (OQ-5): deactivate a category rather than delete it."""

    list_display = ("code", "label", "legal_reference", "active")

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class _ReadOnlyAdmin(admin.ModelAdmin):
    """Read-only for support staff: writes go through the services, which hold the rules."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(ProfessionalProfile)
class ProfessionalProfileAdmin(_ReadOnlyAdmin):
    list_display = ("user", "qualification_category", "practice_commune", "video_consultations")


@admin.register(Diploma)
class DiplomaAdmin(_ReadOnlyAdmin):
    list_display = ("title", "professional", "obtained_on", "uploaded_at", "archived_at")


@admin.register(Contract)
class ContractAdmin(_ReadOnlyAdmin):
    list_display = ("professional", "structure", "kind", "start_date", "end_date")


@admin.register(ProfessionalEvent)
class ProfessionalEventAdmin(_ReadOnlyAdmin):
    list_display = ("professional", "kind", "at")
