from django import forms
from django.core.exceptions import ValidationError

from .files import ACCEPT_ATTRIBUTE, validate_upload


class AttachmentField(forms.FileField):
    """An optional file whose type is checked by content and size before the view sees it."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", "Tệp đính kèm (PDF, DOCX, XLSX, ảnh)")
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        uploaded = super().clean(data, initial)
        if uploaded:
            try:
                validate_upload(uploaded)
            except ValidationError as error:
                raise ValidationError(error.messages) from error
        return uploaded


class ReturnForm(forms.Form):
    comment = forms.CharField(label="Lý do trả lại", widget=forms.Textarea(attrs={"rows": 3}))
