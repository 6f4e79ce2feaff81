from django.contrib import admin

from .models import AuditEntry, OutboxMessage


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records that change only through services (audit rows, submissions, issued documents): staff may
    look, never add, edit or delete here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor", "action", "target_type", "target_repr")
    list_filter = ("action", "target_type")
    search_fields = ("target_repr", "actor__username")


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    """Background work and its outcome; failed jobs are retried from their own page ("Thử lại")."""

    list_display = ("created_at", "task", "key", "status", "attempts", "last_error")
    list_filter = ("status", "task")
    search_fields = ("key", "task")
