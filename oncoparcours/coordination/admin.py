from django.contrib import admin

from oncoparcours.coordination.models import Task


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ("title", "organisation", "kind", "status", "due_date", "created_at")
    list_filter = ("status", "kind")
    raw_id_fields = ("organisation", "assignee", "created_by", "done_by")
    readonly_fields = ("public_id", "created_at", "done_at", "dedup_key")
