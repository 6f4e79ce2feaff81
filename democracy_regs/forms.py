from crispy_forms.helper import FormHelper
from django import forms

from dukportal.submissions.forms import AttachmentField
from organizations.forms import OrganizationField
from organizations.models import BaseOrganization

from .models import (
    BrightSpot,
    CommitteeRole,
    DemocracyCycle,
    DemocracyPlan,
    SelfInspectionReport,
    SteeringCommittee,
)

DATE_FORMAT = "%d/%m/%Y"


def date_widget():
    return forms.DateInput(format=DATE_FORMAT, attrs={"placeholder": "dd/mm/yyyy", "autocomplete": "off"})


class _CrispyMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class CycleForm(_CrispyMixin, forms.ModelForm):
    inspected_organizations = forms.ModelMultipleChoiceField(
        queryset=BaseOrganization.objects.all(),
        required=False,
        label="Đơn vị được Đoàn kiểm tra làm việc trực tiếp",
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    class Meta:
        model = DemocracyCycle
        fields = [
            "year", "bloc_plan_number", "bloc_plan_date", "plan_deadline", "committee_deadline",
            "self_inspection_deadline", "committee_min_members", "inspected_organizations", "inspection_deadline",
            "review_start", "review_end",
        ]  # fmt: skip
        widgets = {
            name: date_widget()
            for name in (
                "bloc_plan_date", "plan_deadline", "committee_deadline", "self_inspection_deadline",
                "inspection_deadline", "review_start", "review_end",
            )
        }  # fmt: skip

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organizations is not None:
            self.fields["inspected_organizations"].queryset = organizations
        if self.instance.pk:
            self.initial["inspected_organizations"] = list(self.instance.inspected_organizations.all())


class OrganizationChoiceMixin:
    """Staff act for an organisation: they choose which; officers always act for their own."""

    def add_organization_field(self, organizations, *, user=None, year=None):
        # A typed code or name, not a select of every organisation (1,000 options in a large bloc).
        self.fields = {
            "organization": OrganizationField(
                user=user, organizations=organizations, year=year, label="Tổ chức cơ sở đảng"
            ),
            **self.fields,
        }


class PlanForm(_CrispyMixin, OrganizationChoiceMixin, forms.ModelForm):
    attachment = AttachmentField(label="Kế hoạch đã ký (PDF, DOCX, ảnh chụp)")

    class Meta:
        model = DemocracyPlan
        fields = ["number", "issued_on", "summary", "officer_in_charge", "officer_position", "officer_phone"]
        widgets = {"issued_on": date_widget(), "summary": forms.Textarea(attrs={"rows": 5})}


class CommitteeForm(_CrispyMixin, OrganizationChoiceMixin, forms.ModelForm):
    attachment = AttachmentField(label="Quyết định kiện toàn (PDF, DOCX, ảnh chụp)")

    class Meta:
        model = SteeringCommittee
        fields = ["decision_number", "decision_date", "notes"]
        widgets = {"decision_date": date_widget(), "notes": forms.Textarea(attrs={"rows": 3})}


class ReportForm(_CrispyMixin, OrganizationChoiceMixin, forms.ModelForm):
    attachment = AttachmentField(label="Báo cáo đã ký (PDF, DOCX, ảnh chụp)")

    class Meta:
        model = SelfInspectionReport
        fields = [
            "findings_leadership", "findings_publicity", "findings_participation", "findings_supervision",
            "shortcomings", "proposals",
        ]  # fmt: skip
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in fields}


class BrightSpotForm(_CrispyMixin, OrganizationChoiceMixin, forms.ModelForm):
    attachment = AttachmentField()

    class Meta:
        model = BrightSpot
        fields = ["kind", "title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}


class MembershipForm(_CrispyMixin, forms.Form):
    full_name = forms.CharField(label="Họ và tên", max_length=120)
    position = forms.CharField(label="Chức vụ", max_length=150)
    role = forms.ChoiceField(
        label="Nhiệm vụ trong Ban chỉ đạo", choices=CommitteeRole.choices, initial=CommitteeRole.MEMBER
    )
    joined_on = forms.DateField(label="Ngày tham gia", widget=date_widget())
    left_on = forms.DateField(
        label="Ngày thôi tham gia (chỉ khi nhập lại thành phần cũ)", required=False, widget=date_widget()
    )
    change_note = forms.CharField(label="Căn cứ (quyết định số…)", max_length=255, required=False)


class MembershipEndForm(_CrispyMixin, forms.Form):
    left_on = forms.DateField(label="Ngày thôi tham gia", widget=date_widget())
    change_note = forms.CharField(label="Lý do", max_length=255, required=False)


class MembershipRoleForm(_CrispyMixin, forms.Form):
    role = forms.ChoiceField(label="Nhiệm vụ mới", choices=CommitteeRole.choices)
    position = forms.CharField(label="Chức vụ mới (nếu thay đổi)", max_length=150, required=False)
    on = forms.DateField(label="Từ ngày", widget=date_widget())
    change_note = forms.CharField(label="Căn cứ (quyết định số…)", max_length=255, required=False)


class OnDateForm(forms.Form):
    on = forms.DateField(label="Thành phần vào ngày", required=False, widget=date_widget())
