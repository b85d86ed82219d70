from django.contrib import admin

from oncoparcours.reports.models import ReportDelivery


@admin.register(ReportDelivery)
class ReportDeliveryAdmin(admin.ModelAdmin):
    """The delivery log, read-only (resending goes through the pages or the API)."""

    list_display = ("recipient_role", "channel", "status", "attempts", "created_at", "sent_at")
    list_filter = ("status", "channel", "recipient_role")
    readonly_fields = [f.name for f in ReportDelivery._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False
