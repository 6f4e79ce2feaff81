"""Form helpers shared by every app's views."""

import uuid
from datetime import date
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

# The hidden one-time token of a create/edit form ({% form_token %}); dukportal.submissions.idempotency claims it.
TOKEN_FIELD = "form_token"


def token_of(request) -> uuid.UUID | None:
    """The form's token from a POST, or None when absent or malformed (then only the constraints guard)."""
    try:
        return uuid.UUID(request.POST.get(TOKEN_FIELD, ""))
    except (ValueError, AttributeError):
        return None


def add_service_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: field errors beside their field (when the form has it),
    the rest at the top. The form keeps what the user typed."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


class ReferenceDateForm(forms.Form):
    """The "Số liệu tính đến ngày" field every statistics page, tracking page, matrix and export takes (query
    parameter `ngay`, dd/mm/yyyy, default today). A bad or future date gets a Vietnamese message beside the
    field; the page then shows today's figures and keeps what was typed."""

    ngay = forms.DateField(
        label="Số liệu tính đến ngày",
        required=False,
        input_formats=["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d"],
        error_messages={"invalid": "Ngày không hợp lệ; nhập theo dạng ngày/tháng/năm, ví dụ 15/05/2024."},
    )

    # Figures start long after this; a date like 01/01/0001 made the date arithmetic overflow (HTTP 500).
    EARLIEST = date(2000, 1, 1)

    def clean_ngay(self):
        day = self.cleaned_data.get("ngay")
        if day and day > timezone.localdate():
            raise ValidationError("Ngày tính số liệu không được sau ngày hôm nay.")
        if day and day < self.EARLIEST:
            raise ValidationError("Ngày tính số liệu không được trước ngày 01/01/2000.")
        return day

    def reference_date(self) -> date:
        if self.is_valid() and self.cleaned_data.get("ngay"):
            return self.cleaned_data["ngay"]
        return timezone.localdate()

    @property
    def query_string(self) -> str:
        """`ngay=…` to carry the chosen date into links (exports, filters), or "" for today."""
        if self.is_valid() and self.cleaned_data.get("ngay"):
            return urlencode({"ngay": self.cleaned_data["ngay"].strftime("%d/%m/%Y")})
        return ""


def reference_date_of(request) -> tuple[ReferenceDateForm, date]:
    """The reference date a GET request asks for, and the form that shows it (and its error, if any)."""
    form = ReferenceDateForm(request.GET)
    return form, form.reference_date()


# Statistics pages list at most this many organisations per table unless the user asks for all (`?tat_ca=1`).
ROWS_CAP = 100


def rows_cap_of(request) -> dict:
    """Context for a capped table: `row_slice` for the |slice filter, `show_all`, and `rows_cap`."""
    show_all = request.GET.get("tat_ca") == "1"
    return {"show_all": show_all, "row_slice": ":" if show_all else f":{ROWS_CAP}", "rows_cap": ROWS_CAP}


class BootstrapBoundField(forms.BoundField):
    """A field that renders its widget with the Bootstrap 5 classes crispy-bootstrap5 gives it ("<widget> form-control",
    "select form-select", "form-control" for a file; "is-invalid" when it has errors), for forms laid out by the
    plain templates/partials/_form_fields.html instead of `{% crispy %}` (a form of 9 fields rendered about 80
    templates through crispy; issue 13). Django adds `required`, `aria-invalid` and `aria-describedby` itself."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if widget.is_hidden:
            return attrs
        own = widget.attrs.get("class", "")
        if isinstance(widget, forms.FileInput):
            classes = ["form-control", *own.split()]
        else:
            name = type(widget).__name__.lower()
            classes = [*own.split(), *([] if name in own.split() else [name])]
            classes.append("form-select" if isinstance(widget, forms.Select) else "form-control")
        if self.errors:
            classes.append("is-invalid")
        attrs["class"] = " ".join(classes)
        return attrs
