from crispy_forms.helper import FormHelper
from django import forms

from dukportal.core.forms import WIDGET_RENDERER, BootstrapBoundField
from dukportal.submissions.forms import AttachmentField
from organizations.forms import OrganizationField

from .models import Campaign, Evaluation, Rating, Registration

DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "autocomplete": "off"})


class _CrispyMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class CampaignForm(_CrispyMixin, forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["year", "plan_number", "plan_date", "registration_deadline", "midyear_deadline", "yearend_deadline"]
        widgets = {
            "plan_date": DATE_WIDGET,
            "registration_deadline": DATE_WIDGET,
            "midyear_deadline": DATE_WIDGET,
            "yearend_deadline": DATE_WIDGET,
        }


class RegistrationForm(forms.ModelForm):
    """Laid out by templates/partials/_form_fields.html (the officer's most used form: no crispy, issue 13)."""

    bound_field_class = BootstrapBoundField
    default_renderer = WIDGET_RENDERER  # its widgets written without their templates (the same HTML, issue 13)
    attachment = AttachmentField()

    class Meta:
        model = Registration
        fields = [
            "category", "name", "aims", "content", "expected_results", "person_in_charge", "start_date", "end_date",
        ]  # fmt: skip
        widgets = {
            "start_date": DATE_WIDGET,
            "end_date": DATE_WIDGET,
            "aims": forms.Textarea(attrs={"rows": 3}),
            "content": forms.Textarea(attrs={"rows": 5}),
            "expected_results": forms.Textarea(attrs={"rows": 3}),
        }


class StaffRegistrationForm(RegistrationForm):
    """Staff register bloc-level models for the committee itself, or act for an organisation."""

    field_order = ["organization", *RegistrationForm.Meta.fields]

    def __init__(self, *args, user=None, organizations=None, year=None, **kwargs):
        super().__init__(*args, **kwargs)
        # A typed code or name, not a select of every organisation (1,000 options in a large bloc).
        self.fields["organization"] = OrganizationField(
            user=user,
            organizations=organizations,
            year=year,
            required=False,
            label="Đơn vị đăng ký",
            help_text="Để trống nếu là mô hình cấp Đảng ủy Khối.",
        )
        self.order_fields(self.field_order)


class EvaluationForm(_CrispyMixin, forms.ModelForm):
    attachment = AttachmentField()

    class Meta:
        model = Evaluation
        fields = ["period", "results", "figures", "self_rating"]
        widgets = {"results": forms.Textarea(attrs={"rows": 5}), "figures": forms.Textarea(attrs={"rows": 3})}


class AssessForm(_CrispyMixin, forms.Form):
    committee_rating = forms.ChoiceField(label="Đảng ủy Khối đánh giá", choices=[("", "— Chọn mức —"), *Rating.choices])
    committee_comment = forms.CharField(label="Nhận xét", required=False, widget=forms.Textarea(attrs={"rows": 3}))
