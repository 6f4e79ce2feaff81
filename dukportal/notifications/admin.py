from django.contrib import admin

from .models import Notification, Reminder, ReminderJob


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["organization", "deadline", "kind", "day", "notified_users", "email_sent_at"]
    list_filter = ["kind", "day"]
    list_select_related = ["organization", "deadline"]
    readonly_fields = [f.name for f in Reminder._meta.fields]

    def has_add_permission(self, request):
        return False  # reminders are sent by the service only, so each row is one real reminder


@admin.register(ReminderJob)
class ReminderJobAdmin(admin.ModelAdmin):
    list_display = ["deadline", "sector", "requested_by", "requested_at", "status", "reminded", "skipped"]
    list_select_related = ["deadline", "requested_by"]
    readonly_fields = [f.name for f in ReminderJob._meta.fields]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["recipient", "category", "title", "created_at", "read_at"]
    list_filter = ["category"]
    list_select_related = ["recipient"]
    readonly_fields = [f.name for f in Notification._meta.fields]
