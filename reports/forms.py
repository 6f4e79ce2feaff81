from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from dukportal.core.text import without_control

from . import selectors
from .models import DocType, DocumentKind, TopicKind
from .topics import TopicSpec

DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "autocomplete": "off"})
DATE_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d"]
BAD_DATE = "Ngày không hợp lệ; nhập theo dạng ngày/tháng/năm, ví dụ 15/05/2024."


def _not_future(day, message: str):
    if day and day > timezone.localdate():
        raise ValidationError(message)
    return day


def reference_date_field() -> forms.DateField:
    """The draft's "Số liệu tính đến ngày" (dd/mm/yyyy, default today), as the shared ReferenceDateForm."""
    return forms.DateField(
        label="Số liệu tính đến ngày",
        required=False,
        input_formats=DATE_FORMATS,
        widget=DATE_WIDGET,
        error_messages={"invalid": BAD_DATE},
        help_text="Số liệu, danh sách đơn vị chưa gửi và lời văn được tính đến hết ngày này. Để trống: hôm nay.",
    )


class _CrispyForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class DocumentCreateForm(_CrispyForm):
    """Choose what to write and from which data; the draft comes out with the figures filled in."""

    kind = forms.ChoiceField(label="Loại văn bản", choices=DocumentKind.choices)
    issuing_body = forms.ModelChoiceField(label="Cơ quan ban hành", queryset=selectors.issuing_bodies())
    deadline = forms.ModelChoiceField(
        label="Hạn nộp cần đôn đốc",
        queryset=selectors.deadline_choices(),
        required=False,
        help_text="Cho công văn đôn đốc.",
    )
    campaign = forms.ModelChoiceField(
        label="Đợt “Dân vận khéo”",
        queryset=selectors.campaign_choices(),
        required=False,
        help_text="Cho báo cáo kết quả năm.",
    )
    cycle = forms.ModelChoiceField(
        label="Đợt thực hiện Quy chế dân chủ ở cơ sở",
        queryset=selectors.cycle_choices(),
        required=False,
        help_text="Cho báo cáo kết quả thực hiện Quy chế dân chủ ở cơ sở năm.",
    )
    doc_type = forms.ChoiceField(label="Thể loại (văn bản khác)", choices=[("", "—"), *DocType.choices], required=False)
    figures_as_of = reference_date_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["figures_as_of"].initial = timezone.localdate()

    def clean_figures_as_of(self):
        day = _not_future(self.cleaned_data.get("figures_as_of"), "Ngày tính số liệu không được sau ngày hôm nay.")
        return day or timezone.localdate()

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == DocumentKind.REMINDER and not data.get("deadline"):
            self.add_error("deadline", "Chọn hạn nộp cần đôn đốc.")
        if kind == DocumentKind.DANVAN_REPORT and not data.get("campaign"):
            self.add_error("campaign", "Chọn đợt “Dân vận khéo”.")
        if kind == DocumentKind.QCDC_REPORT and not data.get("cycle"):
            self.add_error("cycle", "Chọn đợt thực hiện Quy chế dân chủ ở cơ sở.")
        return data


class DocumentTopicsForm(forms.Form):
    """The topics of a dispatch or report of several topics: a checkbox and a position number for each open
    deadline, campaign and cycle of the reference date (`candidates`), and FREE_SLOTS sections staff write.
    `specs` (after is_valid) is the chosen topics in order: by position number, unnumbered ones after the
    numbered ones, ties in the page's order."""

    FREE_SLOTS = 3

    def __init__(self, data=None, *, candidates, **kwargs):
        # Pasted control characters would break the renderers: dropped from the free sections' text.
        free = [f"free{slot}_{part}" for slot in range(1, self.FREE_SLOTS + 1) for part in ("title", "text")]
        super().__init__(without_control(data, free), **kwargs)
        self.candidates = candidates
        for candidate in candidates:
            self.fields[f"pick_{candidate.key}"] = forms.BooleanField(label=candidate.label, required=False)
            self.fields[f"order_{candidate.key}"] = self._order_field()
        for slot in range(1, self.FREE_SLOTS + 1):
            self.fields[f"free{slot}_title"] = forms.CharField(
                label="Đề mục", max_length=300, required=False, help_text="Ví dụ: Về việc đẩy mạnh thực hiện …"
            )
            self.fields[f"free{slot}_text"] = forms.CharField(
                label="Nội dung", required=False, widget=forms.Textarea(attrs={"rows": 3})
            )
            self.fields[f"free{slot}_order"] = self._order_field()
        self.specs: list[TopicSpec] = []

    @staticmethod
    def _order_field():
        return forms.IntegerField(
            label="Thứ tự",
            required=False,
            min_value=1,
            max_value=99,
            error_messages={"invalid": "Thứ tự là một số từ 1 đến 99."},
            widget=forms.NumberInput(attrs={"class": "form-control form-control-sm topic-order"}),
        )

    def rows(self):
        """(candidate, checkbox, position) for the template."""
        return [(c, self[f"pick_{c.key}"], self[f"order_{c.key}"]) for c in self.candidates]

    def free_rows(self):
        return [
            (slot, self[f"free{slot}_title"], self[f"free{slot}_text"], self[f"free{slot}_order"])
            for slot in range(1, self.FREE_SLOTS + 1)
        ]

    def clean(self):
        data = super().clean()
        offered = {f"pick_{candidate.key}" for candidate in self.candidates}
        if any(name.startswith("pick_") and name not in offered for name in self.data):
            raise ValidationError(
                "Có nội dung đã chọn không còn mở vào ngày tính số liệu này; hãy xem lại danh sách và chọn lại."
            )
        chosen = []
        for index, candidate in enumerate(self.candidates):
            if data.get(f"pick_{candidate.key}"):
                spec = TopicSpec(kind=candidate.kind, source=candidate.source)
                chosen.append((data.get(f"order_{candidate.key}"), index, spec))
        for slot in range(1, self.FREE_SLOTS + 1):
            title, text = (data.get(f"free{slot}_{part}") or "" for part in ("title", "text"))
            if title.strip() or text.strip():
                spec = TopicSpec(kind=TopicKind.FREE, title=title.strip(), text=text.strip())
                chosen.append((data.get(f"free{slot}_order"), len(self.candidates) + slot, spec))
        chosen.sort(key=lambda item: (item[0] is None, item[0] or 0, item[1]))
        self.specs = [spec for _, _, spec in chosen]
        return data


class DocumentRegenerateForm(_CrispyForm):
    """Soạn lại số liệu: the kept reference date by default, or another one."""

    figures_as_of = reference_date_field()

    def clean_figures_as_of(self):
        return _not_future(self.cleaned_data.get("figures_as_of"), "Ngày tính số liệu không được sau ngày hôm nay.")


class DocumentIssueForm(_CrispyForm):
    """The issue date (default today): neither in the future nor before the sequence's last issued document
    (the service checks the latter under the register's lock)."""

    issued_on = forms.DateField(
        label="Ngày ban hành",
        required=False,
        input_formats=DATE_FORMATS,
        widget=DATE_WIDGET,
        error_messages={"invalid": BAD_DATE},
        help_text="Để trống: hôm nay.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issued_on"].initial = timezone.localdate()

    def clean_issued_on(self):
        return _not_future(self.cleaned_data.get("issued_on"), "Ngày ban hành không được sau ngày hôm nay.")


class DocumentEditForm(_CrispyForm):
    subject = forms.CharField(
        label="Trích yếu",
        max_length=500,
        help_text="Công văn: bắt đầu bằng “V/v …”. Báo cáo: dòng dưới tên loại, viết thường, ví dụ “kết quả …”.",
    )
    recipients = forms.CharField(
        label="Kính gửi", widget=forms.Textarea(attrs={"rows": 3}), required=False, help_text="Mỗi nơi nhận một dòng."
    )
    body = forms.CharField(
        label="Nội dung",
        widget=forms.Textarea(attrs={"rows": 22, "class": "font-monospace"}),
        help_text="Mỗi dòng một đoạn. Dòng bắt đầu bằng “# ” là đề mục (in đậm). Các dòng bắt đầu bằng “|” là "
        "một bảng (ô cách nhau bởi “|”, dòng đầu là tiêu đề).",
    )
    signer_authority = forms.CharField(
        label="Thẩm quyền ký", max_length=100, required=False, help_text="Ví dụ: T/M BAN THƯỜNG VỤ; K/T TRƯỞNG BAN."
    )
    signer_title = forms.CharField(label="Chức vụ người ký", max_length=100)
    signer_name = forms.CharField(label="Họ tên người ký", max_length=120)
    distribution = forms.CharField(
        label="Nơi nhận",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Mỗi dòng bắt đầu bằng “- ”, dòng cuối kết thúc bằng dấu chấm.",
    )

    def __init__(self, data=None, *args, **kwargs):
        # Pasted control characters would break the Word and PDF renderers: dropped, newlines and tabs kept.
        super().__init__(without_control(data, self.base_fields), *args, **kwargs)

    @classmethod
    def initial_from(cls, content: dict) -> dict:
        initial = dict(content)
        for name in ("recipients", "distribution"):
            initial[name] = "\n".join(content.get(name, []))
        return initial


class CounterForm(_CrispyForm):
    """Mid-term introduction: the last number already used on paper in one sequence."""

    issuing_body = forms.ModelChoiceField(label="Cơ quan ban hành", queryset=selectors.issuing_bodies())
    doc_type = forms.ChoiceField(label="Thể loại", choices=DocType.choices)
    term = forms.ModelChoiceField(label="Nhiệm kỳ", queryset=selectors.terms())
    last_number = forms.IntegerField(label="Số cuối cùng đã dùng", min_value=0)


class TermForm(_CrispyForm):
    name = forms.CharField(label="Tên nhiệm kỳ", max_length=100)
    start_date = forms.DateField(label="Ngày bắt đầu", widget=DATE_WIDGET)
    end_date = forms.DateField(label="Ngày kết thúc", widget=DATE_WIDGET)
