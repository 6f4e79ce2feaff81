from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join

from dukportal.core.files import ACCEPT_ATTRIBUTE, validate_upload

from . import revisions
from .models import Submission

FIELD_COMMENT_PREFIX = "comment_on_"


class AttachmentField(forms.FileField):
    """An optional file whose type is checked by content and size before the view sees it."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", "Tệp đính kèm (PDF, DOCX, XLSX, ảnh)")
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}))
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        uploaded = super().clean(data, initial)
        if uploaded:
            try:
                validate_upload(uploaded)
            except ValidationError as error:
                raise ValidationError(error.messages) from error
        return uploaded


class ReturnForm(forms.Form):
    """The reason for a return and, given the submission, an optional comment box for each field staff may
    comment on (`comment_on_<field>`)."""

    comment = forms.CharField(label="Lý do trả lại", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, submission: Submission | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if submission is None:
            return
        for name in revisions.review_fields(submission):
            self.fields[FIELD_COMMENT_PREFIX + name] = forms.CharField(
                label=revisions.field_label(submission, name),
                required=False,
                widget=forms.TextInput(attrs={"placeholder": "Ý kiến về mục này (nếu có)"}),
            )

    def field_comment_boxes(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith(FIELD_COMMENT_PREFIX)]


def field_comments_from(data: Mapping[str, str]) -> dict[str, str]:
    """{field: comment} from a posted return form (empty boxes included; the service drops them)."""
    return {
        key[len(FIELD_COMMENT_PREFIX) :]: value for key, value in data.items() if key.startswith(FIELD_COMMENT_PREFIX)
    }


def show_field_comments(form: forms.BaseForm, comments: Iterable[revisions.FieldComment]) -> None:
    """Put each open field comment of a returned submission under its field on the edit form (in the field's
    help text, which crispy renders below the input), marked so the officer sees what to fix."""
    for item in comments:
        if item.name not in form.fields:
            continue
        form_field = form.fields[item.name]
        note = format_html(
            '<span class="field-comment d-block text-danger-emphasis fw-semibold" id="field-comment-{}">'
            '<i class="bi bi-chat-left-text"></i> Ban Tuyên giáo: {}</span>',
            item.name,
            item.comment,
        )
        form_field.help_text = format_html_join("", "{}", [(note,), (form_field.help_text or "",)])
        css = form_field.widget.attrs.get("class", "")
        form_field.widget.attrs["class"] = f"{css} border-warning".strip()


class NilReturnForm(forms.Form):
    reason = forms.CharField(
        label="Lý do không phát sinh",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Ví dụ: trong kỳ đơn vị không có hoạt động tự kiểm tra, giám sát phát sinh.",
    )
