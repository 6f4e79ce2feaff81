"""Form helpers shared by every app's views."""

import uuid
from datetime import date
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import DjangoTemplates
from django.template.defaultfilters import unordered_list
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, SafeString, mark_safe

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


def _formatted(value) -> str:
    """`{{ value|stringformat:'s' }}` in a widget template: "%s" % value (str(value), a tuple's too), escaped unless
    it was marked safe."""
    text = str(value)
    return conditional_escape(mark_safe(text) if isinstance(value, SafeData) else text)


def _attrs(attrs: dict) -> str | None:
    """django/forms/widgets/attrs.html. None when a value is not plain enough to be sure of the same text."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if not isinstance(name, str):
            return None
        parts.append(
            f" {conditional_escape(name)}" if value is True else f' {conditional_escape(name)}="{_formatted(value)}"'
        )
    return "".join(parts)


def _input(widget: dict) -> str | None:
    """django/forms/widgets/input.html (text.html, date.html, file.html … include it)."""
    attrs = _attrs(widget["attrs"])
    if attrs is None:
        return None
    value = "" if widget["value"] is None else f' value="{_formatted(widget["value"])}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"{value}{attrs}>'
    )


def _textarea(widget: dict) -> str | None:
    attrs, value = _attrs(widget["attrs"]), widget["value"]
    if attrs is None or not (value is None or isinstance(value, str)):
        return None  # a non-text value would be localised by the template: leave it to the template
    return f'<textarea name="{conditional_escape(widget["name"])}"{attrs}>\n{conditional_escape(value) if value else ""}</textarea>'


def _clearable_file(widget: dict) -> str | None:
    if widget["is_initial"]:
        return None  # a stored file's link and the clear box: the template
    attrs = _attrs(widget["attrs"])
    if attrs is None:
        return None
    return f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"{attrs}>'


_OPTION = "django/forms/widgets/select_option.html"


def _select(widget: dict) -> str | None:
    attrs = _attrs(widget["attrs"])
    if attrs is None:
        return None
    parts = [f'<select name="{conditional_escape(widget["name"])}"{attrs}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            if not isinstance(group_name, str | Promise):
                return None
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in group_choices:
            label, option_attrs = option["label"], _attrs(option["attrs"])
            if option["template_name"] != _OPTION or option_attrs is None or not isinstance(label, str | Promise):
                return None  # another option template, or a label the template would localise (a number)
            # The include of select_option.html is not stripped: its closing newline stays.
            parts.append(
                f'\n  <option value="{_formatted(option["value"])}"{option_attrs}>{conditional_escape(label)}</option>\n'
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


_WIDGETS = {
    "django/forms/widgets/text.html": _input,
    "django/forms/widgets/date.html": _input,
    "django/forms/widgets/email.html": _input,
    "django/forms/widgets/number.html": _input,
    "django/forms/widgets/input.html": _input,
    "django/forms/widgets/file.html": _input,
    "django/forms/widgets/textarea.html": _textarea,
    "django/forms/widgets/clearable_file_input.html": _clearable_file,
    "django/forms/widgets/select.html": _select,
}


class WidgetRenderer(DjangoTemplates):
    """Django's form renderer, writing the plain widgets (text, date, number, e-mail, file, textarea, select) in
    Python instead of through their templates: the same text, escaped alike (Django's templates are the
    reference: tests/dukportal_core/test_widget_renderer.py renders every case both ways). Anything else, or a
    value the templates would localise, goes to the templates. Why (issue 13, `bench/load.py --profile --cpu`):
    the edit form's 9 widgets cost a third of its CPU in the template engine (a select includes a template per
    option). A form opts in with `default_renderer = WIDGET_RENDERER`."""

    def render(self, template_name, context, request=None):
        write = _WIDGETS.get(template_name)
        if write is not None and request is None and set(context) == {"widget"}:
            text = write(context["widget"])
            if text is not None:
                return text
        return super().render(template_name, context, request=request)


# One per process: the template engine of the fallback is built once (a renderer class would build one a form).
WIDGET_RENDERER = WidgetRenderer()


_ASTERISK = '<span class="asteriskField">*</span>'


def form_fields_html(form) -> SafeString:
    """templates/partials/_form_fields.html's fields in Python: the form's own errors, then each field with its
    label (* when required), its widget (in a div for a file), its errors and its help text — the same text as
    the template loop it replaced, escaped alike (tests/dukportal_core/test_form_fields_tag.py renders both).
    The template engine cost the edit form about 0.3 ms a field (issue 13)."""
    e = conditional_escape
    parts = []
    non_field = form.non_field_errors()
    if non_field:
        parts.append(
            f'<div class="alert alert-block alert-danger"><ul class="m-0">{unordered_list(non_field, autoescape=True)}'
            "</ul></div>"
        )
    parts.append("\n")
    for field in form:
        if field.is_hidden:
            parts.append(e(field))
            continue
        auto_id, required, errors = e(field.auto_id), field.field.required, field.errors
        is_file = field.widget_type in ("clearablefile", "file")
        parts.append(
            f'\n<div id="div_{auto_id}" class="mb-3">\n  <label for="{e(field.id_for_label)}" class="form-label'
            f'{" requiredField" if required else ""}">{e(field.label)}{_ASTERISK if required else ""}</label>\n  '
        )
        if is_file:
            parts.append('<div class="is-invalid">' if errors else "<div>")
        parts.append(f"\n  {e(field)}\n  ")
        if errors:
            spans = "".join(
                f'<span id="error_{number}_{auto_id}"><strong>{e(error)}</strong></span>'
                for number, error in enumerate(errors, 1)
            )
            parts.append(f'<div id="{e(errors.field_id)}_error" class="invalid-feedback">{spans}</div>')
        parts.append("\n  ")
        if field.help_text:
            parts.append(f'<div id="{auto_id}_helptext" class="form-text">{e(field.help_text)}</div>')
        parts.append("\n  ")
        if is_file:
            parts.append("</div>")
        parts.append("\n</div>")
    return mark_safe("".join(parts))
