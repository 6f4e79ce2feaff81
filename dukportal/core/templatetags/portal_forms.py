"""Template helpers every create/edit form shares: the one-time form token and the error summary."""

import uuid

from django import forms, template
from django.utils.html import format_html

from dukportal.core.forms import TOKEN_FIELD, form_fields_html, token_of

register = template.Library()

FILE_NOT_KEPT = "Tệp đã chọn chưa được lưu: hãy chọn lại tệp trước khi gửi."


@register.simple_tag(takes_context=True)
def form_token(context):
    """A hidden one-time token for this rendering of the form. Re-rendered after a refused post, the form keeps
    the token it was posted with (nothing was created with it)."""
    request = context.get("request")
    token = token_of(request) if request is not None and request.method == "POST" else None
    return format_html('<input type="hidden" name="{}" value="{}">', TOKEN_FIELD, token or uuid.uuid4())


@register.simple_tag
def form_fields(form):
    """partials/_form_fields.html's fields, written in Python (dukportal.core.forms.form_fields_html)."""
    return form_fields_html(form)


@register.inclusion_tag("partials/_form_errors.html")
def form_errors(form):
    """The summary at the top of a refused form: how many errors, each linked to its field. A file chosen in the
    refused post is not kept by the browser: its field says so, and so does the summary."""
    if form is None or not form.is_bound or not form.errors:
        return {"errors": [], "count": 0}
    errors = [{"label": "", "anchor": "", "message": message} for message in form.non_field_errors()]
    for field in form:
        for message in field.errors:
            errors.append({"label": field.label, "anchor": field.id_for_label or "", "message": message})
    dropped = []
    for name, field in form.fields.items():
        if isinstance(field, forms.FileField) and form.files.get(form.add_prefix(name)):
            uploaded = form.files[form.add_prefix(name)]
            dropped.append(uploaded.name)
            note = f"Tệp đã chọn “{uploaded.name}” chưa được lưu: hãy chọn lại tệp trước khi gửi."
            field.help_text = note
            form[name].help_text = note  # the bound field copied the help text when first built
    return {"errors": errors, "count": len(errors), "dropped_files": dropped, "file_not_kept": FILE_NOT_KEPT}
