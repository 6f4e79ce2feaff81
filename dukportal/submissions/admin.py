"""Submission history is read-only in the data admin: events (a return's reason among them), kept revisions and
attachments change only through the workflow services, and nothing here can delete them."""

from django.contrib import admin

from dukportal.core.admin import ReadOnlyAdmin

from .models import Attachment, SubmissionEvent, SubmissionRevision


@admin.register(SubmissionEvent)
class SubmissionEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "content_type", "object_id", "action", "to_status", "actor")
    list_filter = ("action", "content_type")


@admin.register(SubmissionRevision)
class SubmissionRevisionAdmin(ReadOnlyAdmin):
    list_display = ("at", "content_type", "object_id", "number", "actor")


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ("uploaded_at", "original_name", "mime_type", "size", "uploaded_by")
