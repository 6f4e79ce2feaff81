from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from dukportal.core.admin import ReadOnlyAdmin

from . import services
from .models import BaseOrganization, Bloc, Cell, MassOrganization, Member, MembershipPeriod, User


class ServiceSaveMixin:
    """Admin edits go through the service layer so keys are refreshed and the write is audited."""

    save_service = None

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in form.changed_data if name in form.cleaned_data}
        type(self).save_service(actor=request.user, instance=obj, **fields)


@admin.register(Bloc)
class BlocAdmin(admin.ModelAdmin):
    list_display = ("name", "symbol", "place_name", "valid_from", "valid_to")


class CellInline(admin.TabularInline):
    model = Cell
    fields = ("code", "name", "secretary_name", "valid_from", "valid_to")
    extra = 0
    show_change_link = True


@admin.register(BaseOrganization)
class BaseOrganizationAdmin(ServiceSaveMixin, admin.ModelAdmin):
    save_service = services.organization_save
    list_display = ("code", "name", "kind", "sector", "secretary_name", "phone", "valid_from", "valid_to")
    list_filter = ("kind", "sector")
    search_fields = ("code", "name", "search_key")


@admin.register(Cell)
class CellAdmin(ServiceSaveMixin, admin.ModelAdmin):
    save_service = services.cell_save
    list_display = ("code", "name", "organization", "secretary_name")
    list_filter = ("organization__sector",)
    search_fields = ("code", "name", "search_key")
    autocomplete_fields = ("organization",)


class MembershipPeriodInline(admin.TabularInline):
    """A member's history, read-only: periods change only through the services (transfer, leave), which
    keep them from overlapping and audit each change."""

    model = MembershipPeriod
    fields = ("organization", "cell", "joined_on", "join_reason", "left_on", "leave_reason")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(MembershipPeriod)
class MembershipPeriodAdmin(ReadOnlyAdmin):
    list_display = ("member", "organization", "cell", "joined_on", "join_reason", "left_on", "leave_reason")
    list_filter = ("join_reason", "leave_reason", "organization__sector")
    search_fields = ("member__code", "member__search_key", "organization__name")
    list_select_related = ("member", "organization", "cell")


@admin.register(Member)
class MemberAdmin(ServiceSaveMixin, admin.ModelAdmin):
    save_service = services.member_save
    inlines = (MembershipPeriodInline,)
    list_display = ("code", "full_name", "gender", "birth_date", "organization", "cell", "status")
    list_filter = ("status", "gender", "organization__sector")
    search_fields = ("code", "full_name", "search_key")
    autocomplete_fields = ("organization", "cell")


@admin.register(MassOrganization)
class MassOrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "email", "valid_from", "valid_to")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "organization", "is_active")
    list_filter = ("role", "is_active")
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Vai trò trong cổng"), {"fields": ("role", "organization", "phone")}),
    )
    autocomplete_fields = ("organization",)
