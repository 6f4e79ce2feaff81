from crispy_forms.helper import FormHelper
from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from . import spreadsheets


class WorkbookUploadForm(forms.Form):
    """The Excel file to import; only a genuine .xlsx within the size limit reaches the import service."""

    file = forms.FileField(
        label="Tệp Excel (.xlsx)",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx," + spreadsheets.XLSX_CONTENT_TYPE}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "file"
        ].help_text = f"Dùng đúng tệp mẫu; dung lượng tối đa {filesizeformat(settings.UPLOAD_MAX_BYTES)}."
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template's <form> carries the token

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        spreadsheets.check_upload(uploaded)
        return uploaded
