"""Reminders, reminder jobs and notifications record what the portal told whom and when: read-only here."""

from django.contrib import admin

from dukportal.core.admin import ReadOnlyAdmin

from .models import Notification, Reminder, ReminderDigest, ReminderJob


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ["organization", "deadline", "kind", "day", "notified_users", "email_sent_at"]
    list_filter = ["kind", "day"]
    list_select_related = ["organization", "deadline"]


@admin.register(ReminderDigest)
class ReminderDigestAdmin(ReadOnlyAdmin):
    list_display = ["organization", "day", "job", "subject", "email_sent_at", "email_error"]
    list_filter = ["day"]
    list_select_related = ["organization", "job__deadline"]


@admin.register(ReminderJob)
class ReminderJobAdmin(ReadOnlyAdmin):
    list_display = ["deadline", "sector", "requested_by", "requested_at", "status", "reminded", "skipped"]
    list_select_related = ["deadline", "requested_by"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["recipient", "category", "title", "created_at", "read_at"]
    list_filter = ["category"]
    list_select_related = ["recipient"]
