"""Data admin for issuing bodies (dated changes through services.issuing_body_change) and terms; documents, the register and export jobs are read-only here:
numbers are taken and documents frozen only through reports.services."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from dukportal.core import audit
from dukportal.core.admin import AuditedModelAdmin, ReadOnlyAdmin

from . import services
from .models import (
    ISSUING_BODY_DATED_FIELDS,
    Document,
    ExportJob,
    IssuingBody,
    IssuingBodyProfile,
    NumberCounter,
    Reference,
    Signer,
    SuperiorBody,
    Term,
)


class IssuingBodyAdminForm(forms.ModelForm):
    """A change of the name, header lines, symbol or signer is dated: documents before the date keep the old
    values (services.issuing_body_change); contact lines and the rest are saved as typed."""

    effective_on = forms.DateField(
        label="Áp dụng thay đổi từ ngày",
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        help_text="Bắt buộc khi đổi tên gọi, dòng tiêu đề, ký hiệu hoặc người ký; văn bản trước ngày này giữ thông tin cũ.",
    )

    class Meta:
        model = IssuingBody
        fields = (
            "bloc",
            "kind",
            *ISSUING_BODY_DATED_FIELDS,
            "contact_name",
            "contact_title",
            "contact_phone",
            "archive_line",
            "is_active",
        )

    def clean(self):
        data = super().clean()
        dated = set(self.changed_data) & set(ISSUING_BODY_DATED_FIELDS)
        if self.instance.pk and dated and not data.get("effective_on"):
            self.add_error("effective_on", "Nhập ngày áp dụng thay đổi.")
        return data


class IssuingBodyProfileInline(admin.TabularInline):
    model = IssuingBodyProfile
    fields = ("valid_from", *ISSUING_BODY_DATED_FIELDS)
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(IssuingBody)
class IssuingBodyAdmin(AuditedModelAdmin):
    form = IssuingBodyAdminForm
    list_display = ["name", "kind", "symbol_shown", "signer_name", "is_active"]
    inlines = [IssuingBodyProfileInline]

    @admin.display(description="ký hiệu")
    def symbol_shown(self, obj):
        return obj.code

    def save_model(self, request, obj, form, change):
        changed = {name: form.cleaned_data[name] for name in form.changed_data if name in form.cleaned_data}
        changed.pop("effective_on", None)
        dated = {name: value for name, value in changed.items() if name in ISSUING_BODY_DATED_FIELDS}
        if not change or not dated:
            super().save_model(request, obj, form, change)
            audit.record(
                actor=request.user,
                action="issuing_body.update" if change else "issuing_body.create",
                target=obj,
                changes=changed,
            )
            return
        others = {name: value for name, value in changed.items() if name not in dated}
        obj.refresh_from_db()
        if others:
            for name, value in others.items():
                setattr(obj, name, value)
            obj.save(update_fields=list(others))
            audit.record(actor=request.user, action="issuing_body.update", target=obj, changes=others)
        try:
            services.issuing_body_change(
                actor=request.user, issuing_body=obj, effective_on=form.cleaned_data["effective_on"], **dated
            )
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), level=messages.ERROR)


@admin.register(Term)
class TermAdmin(AuditedModelAdmin):
    list_display = ["name", "start_date", "end_date"]


@admin.register(NumberCounter)
class NumberCounterAdmin(ReadOnlyAdmin):
    list_display = ["issuing_body", "doc_type", "term", "last_number", "updated_at"]


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ["number_shown", "doc_type", "issuing_body", "status", "issued_on", "issued_by"]
    list_filter = ["status", "doc_type", "issuing_body"]

    @admin.display(description="số, ký hiệu")
    def number_shown(self, obj):
        return obj.number_label


@admin.register(ExportJob)
class ExportJobAdmin(ReadOnlyAdmin):
    list_display = ["kind", "status", "progress", "created_by", "created_at"]


@admin.register(SuperiorBody)
class SuperiorBodyAdmin(AuditedModelAdmin):
    """The superior bodies offered for "(b/c)" in Nơi nhận."""

    list_display = ("name", "sort_order", "is_active")


@admin.register(Signer)
class SignerAdmin(ReadOnlyAdmin):
    """Managed on the portal's page (Sổ văn bản đi → Người ký), through reports.services."""

    list_display = ("name", "position", "mode", "on_behalf_of", "issuing_body", "is_active")


@admin.register(Reference)
class ReferenceAdmin(ReadOnlyAdmin):
    """Managed on the portal's page (Văn bản → Văn bản được trích dẫn), through reports.services."""

    list_display = ("number", "issued_on", "issuer", "kind")
