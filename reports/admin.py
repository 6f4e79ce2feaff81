"""Data admin for issuing bodies and terms; documents, the register and export jobs are read-only here:
numbers are taken and documents frozen only through reports.services."""

from django.contrib import admin

from dukportal.core.admin import ReadOnlyAdmin

from .models import Document, ExportJob, IssuingBody, NumberCounter, Term


@admin.register(IssuingBody)
class IssuingBodyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "code", "signer_name", "is_active"]


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ["name", "start_date", "end_date"]


@admin.register(NumberCounter)
class NumberCounterAdmin(ReadOnlyAdmin):
    list_display = ["issuing_body", "doc_type", "term", "last_number", "updated_at"]


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ["number_label", "doc_type", "issuing_body", "status", "issued_on", "issued_by"]
    list_filter = ["status", "doc_type", "issuing_body"]


@admin.register(ExportJob)
class ExportJobAdmin(ReadOnlyAdmin):
    list_display = ["kind", "status", "progress", "created_by", "created_at"]
