from crispy_forms.helper import FormHelper
from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from dukportal.core import xlsx

from . import spreadsheets


class WorkbookUploadForm(forms.Form):
    """The Excel file to import; only a genuine .xlsx within the size limit reaches the import service."""

    file = forms.FileField(
        label="Tệp Excel (.xlsx)",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx," + xlsx.CONTENT_TYPE}),
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


class OrganizationFilterForm(forms.Form):
    """Filters of the organisation list. `ngay` shows the bloc as it stood on a past date (reorganisations,
    merges and dissolutions), so counts for a past year use the organisations that existed then."""

    q = forms.CharField(label="Tìm kiếm", required=False)
    sector = forms.ChoiceField(label="Khối", required=False)
    ngay = forms.DateField(
        label="Tại ngày",
        required=False,
        error_messages={"invalid": "Ngày không hợp lệ; nhập theo dạng ngày/tháng/năm, ví dụ 15/05/2024."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import Sector

        self.fields["sector"].choices = [("", "Tất cả các khối"), *Sector.choices]

    def value(self, name: str, default=None):
        """The cleaned value, or the default for an empty or invalid field (the error is shown beside it)."""
        if not self.is_valid() and name in self.errors:
            return default
        return self.cleaned_data.get(name) or default
