from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dukportal.core.admin import ReadOnlyAdmin

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
class BlocAdmin(admin.ModelAdmin):
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
class BaseOrganizationAdmin(ServiceSaveMixin, admin.ModelAdmin):
    save_service = services.organization_save
    list_display = ("code", "name", "kind", "sector", "secretary_name", "phone", "valid_from", "valid_to")
    list_filter = ("kind", "sector")
    search_fields = ("code", "name", "search_key")

    def get_readonly_fields(self, request, obj=None):
        # A name or validity change of an existing organisation is a dated reorganisation (Tổ chức lại page:
        # the old name stays on the records of before); editing it here would rewrite history.
        return ("name", "valid_from", "valid_to") if obj is not None else ()


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
