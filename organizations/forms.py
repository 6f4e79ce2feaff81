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


class OrganizationField(forms.CharField):
    """A base organisation typed as its code or name (a staff form of a bloc of 1,000 organisations renders no
    select of them all). static/js/organization_lookup.js suggests matches as one types (JSON from
    organizations:lookup); without JavaScript the plain text field still works. Only organisations the user may
    read (and among `organizations`, if given) are accepted; an unknown, invisible or ambiguous value gets a
    Vietnamese message. The id the former select posted is accepted too (a page opened before the change)."""

    def __init__(self, *, user=None, organizations=None, year: int | None = None, **kwargs):
        from django.urls import reverse

        self.user, self.organizations = user, organizations
        attrs = {
            "autocomplete": "off",
            "spellcheck": "false",
            "placeholder": "Gõ mã hoặc tên đơn vị, ví dụ CS0001",
            "data-organization-lookup": reverse("organizations:lookup") + (f"?nam={year}" if year else ""),
        }
        kwargs.setdefault("widget", forms.TextInput(attrs=attrs))
        kwargs.setdefault("max_length", 300)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        from .models import BaseOrganization

        if isinstance(value, BaseOrganization):
            return f"{value.code} – {value.name}"
        return value

    def clean(self, value):
        from . import selectors

        text = super().clean(value)
        if not text:
            return None
        visible = selectors.access.organizations_visible_to(self.user)
        if self.organizations is not None:
            visible = visible.filter(pk__in=self.organizations.values("pk"))
        if text.isdigit() and not visible.filter(code__iexact=text).exists():
            by_id = visible.filter(pk=int(text)).first() if len(text) < 10 else None
            if by_id is not None:
                return by_id
        try:
            return selectors.organization_from_text(self.user, text, organizations=self.organizations)
        except selectors.OrganizationLookupError as error:
            raise forms.ValidationError(str(error), code="organization") from error
