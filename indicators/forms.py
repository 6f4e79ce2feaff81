from django import forms
from django.utils import timezone
from django.utils.text import capfirst

from organizations.models import BaseOrganization, Sector

from .models import (
    INDICATOR_ORDER,
    PERIODS_PER_YEAR,
    Aggregation,
    Indicator,
    IndicatorKind,
    PeriodKind,
    ReportDefinition,
    period_name,
)
from .selectors import display
from .values import vn_number

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


class DefinitionForm(forms.ModelForm):
    class Meta:
        model = ReportDefinition
        fields = ["name", "period_kind", "audience", "sector", "organizations", "due_days"]
        widgets = {"organizations": forms.SelectMultiple(attrs={"size": 8})}

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organizations"].queryset = organizations or BaseOrganization.objects.all()
        self.fields["organizations"].help_text = "Chỉ dùng khi chọn “Danh sách tổ chức được chọn”."
        self.fields["sector"].help_text = "Chỉ dùng khi chọn “Các tổ chức của một khối”."
        self.fields["sector"].choices = [("", "—")] + list(Sector.choices)


class SectionForm(forms.Form):
    title = forms.CharField(label="Tên phần", max_length=255)


class IndicatorForm(forms.ModelForm):
    aggregation = forms.ChoiceField(
        label="Cách tổng hợp",
        required=False,
        choices=[("", "Theo loại dữ liệu")] + list(Aggregation.choices),
        help_text="Số: tổng hoặc trung bình; Có/Không: số đơn vị trả lời “Có”; văn bản: danh sách nội dung.",
    )

    class Meta:
        model = Indicator
        fields = ["section", "code", "label", "kind", "unit", "required", "min_value", "max_value", "aggregation"]

    def __init__(self, *args, definition=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = definition.sections.all() if definition else Indicator.objects.none()
        self.fields["section"].required = False
        self.fields["code"].help_text = "Chữ không dấu, số và gạch dưới, ví dụ nhiem_vu_trong_tam."
        self.fields["kind"].initial = IndicatorKind.INTEGER


class RoundForm(forms.Form):
    """Open one period: the year and, for quarterly and half-yearly reports, which period of it, named as the
    pages name it ("6 tháng đầu năm") rather than by its number."""

    year = forms.IntegerField(label="Năm", min_value=2000, max_value=2100)
    number = forms.TypedChoiceField(label="Kỳ báo cáo", coerce=int, choices=[(1, "Cả năm")], initial=1)
    due_date = forms.DateField(
        label="Hạn nộp",
        required=False,
        input_formats=DATE_FORMATS,
        help_text="dd/mm/yyyy. Để trống: theo quy định của mẫu báo cáo.",
    )

    def __init__(self, *args, definition=None, **kwargs):
        super().__init__(*args, **kwargs)
        kind = definition.period_kind if definition is not None else PeriodKind.YEAR
        count = PERIODS_PER_YEAR[PeriodKind(kind)]
        if count == 1:
            self.fields["number"].widget = forms.HiddenInput()  # a yearly report has one period
        else:
            self.fields["number"].choices = [(n, f"{capfirst(period_name(kind, n))} năm") for n in range(1, count + 1)]
        today = timezone.localdate()
        self.fields["number"].initial = (today.month - 1) * count // 12 + 1  # the period today falls in
        self.fields["due_date"].help_text = (
            f"dd/mm/yyyy. Để trống: {definition.due_days} ngày sau khi kết thúc kỳ."
            if definition is not None
            else self.fields["due_date"].help_text
        )


YES_NO_CHOICES = [("", "—"), ("yes", "Có"), ("no", "Không")]


def report_form(definition, data=None, *, values=None):
    """The form an officer fills, built from the definition: one field per indicator, named by its code, in
    section order. Numbers are typed as text so "1.234.000" and "12,5" are accepted; the service checks them."""
    values = values or {}
    fields = {}
    indicators = definition.indicators.select_related("section").order_by(*INDICATOR_ORDER)
    for indicator in indicators:
        label = indicator.label + (f" ({indicator.unit})" if indicator.unit else "")
        common = {"label": label, "required": False}
        value = values.get(indicator.code)
        if indicator.kind == IndicatorKind.YES_NO:
            field = forms.ChoiceField(choices=YES_NO_CHOICES, **common)
            initial = "" if value is None else ("yes" if value else "no")
        elif indicator.kind == IndicatorKind.LONG_TEXT:
            field = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), **common)
            initial = value or ""
        else:
            field = forms.CharField(**common)
            initial = (
                ""
                if value is None
                else (value if indicator.kind == IndicatorKind.SHORT_TEXT else display(indicator, value))
            )
        hints = []
        if indicator.required:
            hints.append("Bắt buộc khi gửi.")
        if indicator.min_value is not None or indicator.max_value is not None:
            hints.append(f"Từ {vn_number(indicator.min_value) or '…'} đến {vn_number(indicator.max_value) or '…'}.")
        field.help_text = " ".join(hints)
        field.initial = initial
        field.section = indicator.section.title if indicator.section else ""
        fields[indicator.code] = field
    form_class = type("ReportForm", (forms.Form,), fields)
    return form_class(data)
