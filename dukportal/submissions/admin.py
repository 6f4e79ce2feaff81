from django.contrib import admin

from .models import Attachment, SubmissionEvent, SubmissionRevision


@admin.register(SubmissionEvent)
class SubmissionEventAdmin(admin.ModelAdmin):
    list_display = ("at", "content_type", "object_id", "action", "to_status", "actor")
    list_filter = ("action", "content_type")

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SubmissionRevision)
class SubmissionRevisionAdmin(admin.ModelAdmin):
    list_display = ("at", "content_type", "object_id", "number", "actor")

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ("uploaded_at", "original_name", "mime_type", "size", "uploaded_by")
    readonly_fields = ("file",)
