from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from dukportal.core import audit
from dukportal.core.admin import AuditedAdminMixin, AuditedModelAdmin, ReadOnlyAdmin

from . import blocs, services
from .models import (
    BaseOrganization,
    Bloc,
    BlocProfile,
    Cell,
    MassOrganization,
    Member,
    MembershipPeriod,
    OrganizationName,
    OrganizationSuccession,
    Role,
    User,
)


class ServiceSaveMixin:
    """Admin edits go through the service layer so keys are refreshed and the write is audited."""

    save_service = None

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in form.changed_data if name in form.cleaned_data}
        # The form has already copied its values onto `obj`; the service compares against the stored row, so
        # an edit is given the row as it is in the database (otherwise it sees no change and saves nothing).
        instance = type(obj).objects.get(pk=obj.pk) if change else obj
        type(self).save_service(actor=request.user, instance=instance, **fields)


class BlocAdminForm(forms.ModelForm):
    """A change of the bloc's name, superior body, symbol or place is dated: documents before the date keep the
    old values (organizations.blocs.bloc_rename)."""

    effective_on = forms.DateField(
        label=_("Áp dụng tên gọi mới từ ngày"),
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        help_text=_(
            "Bắt buộc khi đổi tên, cơ quan cấp trên, ký hiệu hoặc địa danh; văn bản trước ngày này giữ tên cũ."
        ),
    )

    class Meta:
        model = Bloc
        fields = ("name", "parent_name", "symbol", "place_name", "propaganda_department_name", "valid_from", "valid_to")

    def clean(self):
        data = super().clean()
        renamed = set(self.changed_data) & set(blocs.HEADER_FIELDS)
        if self.instance.pk and renamed and not data.get("effective_on"):
            self.add_error("effective_on", _("Nhập ngày áp dụng tên gọi mới."))
        elif self.instance.pk and renamed:
            # The service's ordering rule, checked here too so the message sits beside the field.
            last = self.instance.profiles.order_by("-valid_from").first()
            start = last.valid_from if last else self.instance.valid_from
            if data["effective_on"] <= start:
                self.add_error(
                    "effective_on",
                    _("Ngày áp dụng phải sau ngày %(day)s (lần thay đổi gần nhất hoặc ngày bắt đầu hiệu lực).")
                    % {"day": f"{start:%d/%m/%Y}"},
                )
        return data


class BlocProfileInline(admin.TabularInline):
    model = BlocProfile
    fields = ("valid_from", "name", "parent_name", "symbol", "place_name", "propaganda_department_name")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Bloc)
class BlocAdmin(AuditedModelAdmin):
    form = BlocAdminForm
    list_display = ("name", "symbol", "place_name", "valid_from", "valid_to")
    inlines = [BlocProfileInline]

    def save_model(self, request, obj, form, change):
        # Through the dated service: an edit never rewrites what earlier documents print, and it is audited.
        fields = {
            name: form.cleaned_data[name]
            for name in form.changed_data
            if name in form.cleaned_data and name != "effective_on"
        }
        if change:
            obj.refresh_from_db()  # the service compares with the stored values, not the form's
        else:
            fields = {name: form.cleaned_data[name] for name in form.cleaned_data if name != "effective_on"}
        try:
            saved = blocs.bloc_save(
                actor=request.user, instance=obj, effective_on=form.cleaned_data.get("effective_on"), **fields
            )
        except ValidationError as error:
            # Admin has no hook for service errors after validation; show them and leave the bloc unchanged.
            self.message_user(request, " ".join(error.messages), level=messages.ERROR)
            return
        obj.pk = saved.pk


class CellInline(admin.TabularInline):
    model = Cell
    fields = ("code", "name", "secretary_name", "valid_from", "valid_to")
    extra = 0
    show_change_link = True


@admin.register(BaseOrganization)
class BaseOrganizationAdmin(ServiceSaveMixin, AuditedModelAdmin):
    save_service = services.organization_save
    list_display = ("code", "name", "kind", "sector", "secretary_name", "phone", "valid_from", "valid_to")
    list_filter = ("kind", "sector")
    search_fields = ("code", "name", "search_key")

    def get_readonly_fields(self, request, obj=None):
        # A name or validity change of an existing organisation is a dated reorganisation (Tổ chức lại page:
        # the old name stays on the records of before); editing it here would rewrite history.
        return ("name", "valid_from", "valid_to") if obj is not None else ()


@admin.register(Cell)
class CellAdmin(ServiceSaveMixin, AuditedModelAdmin):
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


@admin.register(OrganizationName)
class OrganizationNameAdmin(ReadOnlyAdmin):
    """Dated names: recorded by the rename on the organisation's Tổ chức lại page (audited), read here."""

    list_display = ("organization", "name", "valid_from")
    search_fields = ("name", "organization__name", "organization__code")


@admin.register(OrganizationSuccession)
class OrganizationSuccessionAdmin(ReadOnlyAdmin):
    """Predecessor → successor links: recorded by merges and splits (audited), read here."""

    list_display = ("predecessor", "kind", "successor", "effective_on")
    list_filter = ("kind",)


@admin.register(MembershipPeriod)
class MembershipPeriodAdmin(ReadOnlyAdmin):
    list_display = ("member", "organization", "cell", "joined_on", "join_reason", "left_on", "leave_reason")
    list_filter = ("join_reason", "leave_reason", "organization__sector")
    search_fields = ("member__code", "member__search_key", "organization__name")
    list_select_related = ("member", "organization", "cell")


@admin.register(Member)
class MemberAdmin(ServiceSaveMixin, AuditedModelAdmin):
    save_service = services.member_save
    inlines = (MembershipPeriodInline,)
    list_display = ("code", "full_name", "gender", "birth_date", "organization", "cell", "status")
    list_filter = ("status", "gender", "organization__sector")
    search_fields = ("code", "full_name", "search_key")
    autocomplete_fields = ("organization", "cell")


@admin.register(MassOrganization)
class MassOrganizationAdmin(AuditedModelAdmin):
    list_display = ("name", "kind", "email", "valid_from", "valid_to")


# Fields that give rights: only a superuser may change them, and each change is audited on its own row.
PRIVILEGE_FIELDS = ("is_staff", "is_superuser", "groups", "user_permissions", "role")


def is_privileged(user) -> bool:
    """Accounts with rights beyond an officer's or a leader's: the committee's staff role, the admin, groups or
    permissions."""
    return bool(
        user.is_superuser
        or user.is_staff
        or user.role == Role.STAFF
        or user.groups.exists()
        or user.user_permissions.exists()
    )


@admin.register(User)
class UserAdmin(AuditedAdminMixin, DjangoUserAdmin):
    """Accounts. A staff member who is not a superuser may manage officers' and leaders' accounts but cannot
    grant rights (staff role, admin access, superuser, groups, permissions) to anyone, themselves included,
    and cannot edit, reset the password of or delete an account that already has such rights."""

    list_display = ("username", "first_name", "last_name", "role", "organization", "is_active")
    list_filter = ("role", "is_active")
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Vai trò trong cổng"), {"fields": ("role", "organization", "phone")}),
    )
    autocomplete_fields = ("organization",)

    def _may_touch(self, request, obj) -> bool:
        return obj is None or request.user.is_superuser or obj.pk == request.user.pk or not is_privileged(obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_touch(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_touch(request, obj)

    def delete_queryset(self, request, queryset):
        # The bulk action asks for the delete permission without an object; check each selected account here.
        if not all(self._may_touch(request, user) for user in queryset):
            raise PermissionDenied
        super().delete_queryset(request, queryset)

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        if request.user.is_superuser:
            return fields
        locked = ("is_staff", "is_superuser", "groups", "user_permissions")
        if obj is not None and (obj.pk == request.user.pk or is_privileged(obj)):
            locked += ("role",)
        return fields + locked

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        role = form.base_fields.get("role")
        if role is not None and not request.user.is_superuser:
            # The staff role is a grant: a non-superuser can make officers and leaders only.
            role.choices = [(value, label) for value, label in role.choices if value != Role.STAFF]
        return form

    def audit_saved(self, request, obj, before, after, change):
        granted = {
            name: {"before": before.get(name), "after": after.get(name)}
            for name in PRIVILEGE_FIELDS
            if change and before.get(name) != after.get(name)
        }
        if granted:
            audit.record(actor=request.user, action="account.privileges_change", target=obj, changes=granted)

    def user_change_password(self, request, id, form_url=""):
        user_model = type(self.model())
        old = user_model._base_manager.filter(pk=id).values_list("password", flat=True).first()
        response = super().user_change_password(request, id, form_url)
        user = user_model._base_manager.filter(pk=id).first()
        if request.method == "POST" and user is not None and user.password != old:
            audit.record(actor=request.user, action="account.password_set", target=user)
        return response


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(AuditedAdminMixin, DjangoGroupAdmin):
    """Groups carry permissions, so only a superuser may create, change or delete one."""

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser
