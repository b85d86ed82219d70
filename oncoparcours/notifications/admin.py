from django.contrib import admin

from oncoparcours.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("template", "channel", "recipient_kind", "status", "attempts", "created_at")
    list_filter = ("status", "channel", "template")
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False
