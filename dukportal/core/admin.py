"""The data admin's base classes: every write made through /quan-tri/ leaves an audit row like a service write
(who, when, and each changed field before and after); records that are history are read-only there."""

from django.conf import settings
from django.contrib import admin
from django.db import models, transaction

from . import audit
from .models import AuditEntry, OutboxMessage, SignInLockout

MASKED = "••••"  # stored instead of a password hash: the row says it changed, never what it is


def _value(obj, field):
    if field.many_to_many:
        if obj.pk is None:
            return []
        return sorted(str(related) for related in getattr(obj, field.name).all())
    value = field.value_from_object(obj)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    value = audit.jsonable(value)
    if value is None or isinstance(value, (str, int, float, bool, list, dict)):
        return value
    return str(value)


def snapshot(obj, masked=()) -> dict:
    """The object's stored fields (and many-to-many links) as JSON can hold them."""
    if obj is None:
        return {}
    values = {}
    for field in [*obj._meta.concrete_fields, *obj._meta.many_to_many]:
        values[field.name] = MASKED if field.name in masked else _value(obj, field)
    return values


def stored(obj):
    """The row as it is in the database now (the admin form has already copied its values onto `obj`)."""
    if obj is None or obj.pk is None:
        return None
    return type(obj)._base_manager.filter(pk=obj.pk).first()


def diff(before: dict, after: dict) -> dict:
    return {
        name: {"before": before.get(name), "after": value} for name, value in after.items() if before.get(name) != value
    }


class AuditedAdminMixin:
    """Audits the admin's own writes: the change form and its inlines, list_editable edits on the change list,
    the delete page and the bulk delete action. Admins whose save goes through a service still get this row,
    which adds the before/after values the service's row may not carry."""

    audit_masked_fields = ("password",)

    def _snapshot(self, obj):
        return snapshot(obj, self.audit_masked_fields)

    # Django calls save_form, save_model, then save_related for the change form and for each list_editable row;
    # subclasses may replace save_model (a service call), so the before/after is taken around it here.
    def save_form(self, request, form, change):
        form._audit_before = self._snapshot(stored(form.instance)) if change else {}
        return super().save_form(request, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        current = stored(obj)
        if current is None:  # the save was refused (a service error shown as a message)
            return
        before = getattr(form, "_audit_before", {})
        after = self._snapshot(current)
        changes = diff(before, after) if change else {name: {"before": None, "after": v} for name, v in after.items()}
        if change and not changes:
            return
        audit.record(
            actor=request.user, action="admin.change" if change else "admin.create", target=current, changes=changes
        )
        self.audit_saved(request, current, before, after, change)

    def audit_saved(self, request, obj, before: dict, after: dict, change: bool) -> None:
        """Hook for a subclass that records more about a save (e.g. privilege grants)."""

    def save_formset(self, request, form, formset, change):
        before = {}
        for inline_form in formset.initial_forms:
            instance = inline_form.instance
            if instance.pk is None:
                continue
            if inline_form in formset.deleted_forms:
                audit.record(
                    actor=request.user, action="admin.delete", target=instance, changes=self._snapshot(stored(instance))
                )
            elif inline_form.has_changed():
                before[instance.pk] = self._snapshot(stored(instance))
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            after = self._snapshot(stored(obj))
            changes = {name: {"before": None, "after": value} for name, value in after.items()}
            audit.record(actor=request.user, action="admin.create", target=obj, changes=changes)
        for obj, _names in formset.changed_objects:
            changes = diff(before.get(obj.pk, {}), self._snapshot(stored(obj)))
            if changes:
                audit.record(actor=request.user, action="admin.change", target=obj, changes=changes)

    def delete_model(self, request, obj):
        with transaction.atomic():
            audit.record(actor=request.user, action="admin.delete", target=obj, changes=self._snapshot(stored(obj)))
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                changes = {**self._snapshot(obj), "bulk": True}
                audit.record(actor=request.user, action="admin.delete", target=obj, changes=changes)
            super().delete_queryset(request, queryset)


class AuditedModelAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """The base of every ModelAdmin in the portal (tests/dukportal_core/test_admin_audit.py checks the registry)."""


class ReadOnlyAdmin(AuditedModelAdmin):
    """For records that change only through services (audit rows, submissions, issued documents) and for history
    (events, revisions, reminders): staff may look, never add, edit or delete here."""

    def has_add_permission(self, request, obj=None):
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


@admin.register(SignInLockout)
class SignInLockoutAdmin(AuditedModelAdmin):
    """Failed sign-in attempts counted by django-axes. Deleting a row unlocks that account for that client; the
    deletion is audited. Nothing else is editable. Columns are methods: axes' own field names are English."""

    list_display = ("when", "account", "client", "failures", "state")
    search_fields = ("username", "ip_address")
    fields = ("account", "client", "failures", "when", "state", "agent")
    readonly_fields = fields
    actions = ("delete_selected",)

    @admin.display(description="Tên đăng nhập", ordering="username")
    def account(self, obj):
        return obj.username

    @admin.display(description="Địa chỉ máy", ordering="ip_address")
    def client(self, obj):
        return obj.ip_address

    @admin.display(description="Số lần sai")
    def failures(self, obj):
        return obj.failures_since_start

    @admin.display(description="Lần sai gần nhất", ordering="attempt_time")
    def when(self, obj):
        return obj.attempt_time

    @admin.display(description="Trình duyệt")
    def agent(self, obj):
        return obj.user_agent

    @admin.display(description="Tình trạng")
    def state(self, obj):
        return "Đang bị khóa" if obj.failures_since_start >= settings.AXES_FAILURE_LIMIT else "Chưa khóa"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    """Background work and its outcome; failed jobs are retried from their own page ("Thử lại")."""

    list_display = ("created_at", "task", "key", "status", "attempts", "last_error")
    list_filter = ("status", "task")
    search_fields = ("key", "task")
