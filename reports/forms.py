from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from dukportal.core.forms import WIDGET_RENDERER, BootstrapBoundField
from dukportal.core.text import without_control
from dukportal.documents import sources as document_sources
from organizations.models import BaseOrganization, MassOrganization, Sector

from . import selectors
from .document import body_text, split_lines
from .models import DocType, DocumentKind, Reference, ReferenceKind, SignerMode, SuperiorBody, TopicKind
from .recipients import BaseScope, MassScope, RecipientChoice
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
    # Then one picker per registered document source (dukportal.documents.sources), named by its `field`.
    doc_type = forms.ChoiceField(label="Thể loại (văn bản khác)", choices=[("", "—"), *DocType.choices], required=False)
    figures_as_of = reference_date_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["figures_as_of"].initial = timezone.localdate()
        registered = document_sources.sources()
        own = [(value, label) for value, label in DocumentKind.choices if document_sources.source_of(value) is None]
        # The reminder first, then the registered reports, then reports' own kinds of several topics and other.
        self.fields["kind"].choices = own[:1] + [(entry.kind, entry.label) for entry in registered] + own[1:]
        fields = {}
        for name, field in self.fields.items():
            fields[name] = field
            if name == "deadline":
                for entry in registered:
                    fields[entry.field] = forms.ModelChoiceField(
                        label=entry.field_label, queryset=entry.choices(), required=False, help_text=entry.help_text
                    )
        self.fields = fields

    def source(self):
        """The picked source of the chosen report kind (None for reports' own kinds)."""
        entry = document_sources.source_of(self.cleaned_data.get("kind") or "")
        return self.cleaned_data.get(entry.field) if entry is not None else None

    def clean_figures_as_of(self):
        day = _not_future(self.cleaned_data.get("figures_as_of"), "Ngày tính số liệu không được sau ngày hôm nay.")
        return day or timezone.localdate()

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == DocumentKind.REMINDER and not data.get("deadline"):
            self.add_error("deadline", "Chọn hạn nộp cần đôn đốc.")
        entry = document_sources.source_of(kind or "")
        if entry is not None and not data.get(entry.field):
            self.add_error(entry.field, entry.missing)
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
        label="Kính gửi",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Mỗi nơi nhận một dòng. Một nơi nhận được in ngay sau “Kính gửi:”; nhiều nơi nhận được in thành "
        "danh sách gạch đầu dòng dưới “Kính gửi:”.",
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
        initial["body"] = body_text(content)  # a draft saved by the section editor, as whole text
        for name in ("recipients", "distribution"):
            initial[name] = "\n".join(content.get(name, []))
        return initial


class CounterForm(forms.Form):
    """Mid-term introduction: the last number already used on paper in one sequence. Laid out by
    templates/partials/_form_fields.html (the register page: crispy rendered about 40 templates for its two
    small forms; issue 13)."""

    bound_field_class = BootstrapBoundField
    default_renderer = WIDGET_RENDERER  # its widgets written without their templates (the same HTML, issue 13)

    issuing_body = forms.ModelChoiceField(label="Cơ quan ban hành", queryset=selectors.issuing_bodies())
    doc_type = forms.ChoiceField(label="Thể loại", choices=DocType.choices)
    term = forms.ModelChoiceField(label="Nhiệm kỳ", queryset=selectors.terms())
    last_number = forms.IntegerField(label="Số cuối cùng đã dùng", min_value=0)

    def offer(self, issuing_bodies: list, terms: list) -> None:
        """Show these rows (the page read them already: selectors.issuing_bodies() and terms(), the fields'
        querysets) as the choices, instead of each select querying them again while the page renders. A
        posted value is still checked against the querysets."""
        for name, rows in (("issuing_body", issuing_bodies), ("term", terms)):
            field = self.fields[name]
            field.choices = [("", field.empty_label), *((row.pk, field.label_from_instance(row)) for row in rows)]


class TermForm(forms.Form):
    """A new term of the register (laid out by templates/partials/_form_fields.html)."""

    bound_field_class = BootstrapBoundField
    default_renderer = WIDGET_RENDERER

    name = forms.CharField(label="Tên nhiệm kỳ", max_length=100)
    start_date = forms.DateField(label="Ngày bắt đầu", widget=DATE_WIDGET)
    end_date = forms.DateField(label="Ngày kết thúc", widget=DATE_WIDGET)


# --- references, signers, recipients ---------------------------------------------------------------------------


class ReferenceForm(_CrispyForm):
    kind = forms.ChoiceField(label="Loại văn bản", choices=ReferenceKind.choices)
    number = forms.CharField(label="Số, ký hiệu", max_length=50, help_text="Ví dụ: 252-KH/ĐUK, 13-ĐA/TU, 780-CV/BDVTU.")
    issued_on = forms.DateField(
        label="Ngày ban hành", input_formats=DATE_FORMATS, widget=DATE_WIDGET, error_messages={"invalid": BAD_DATE}
    )
    issuer = forms.CharField(
        label="Cơ quan ban hành",
        max_length=200,
        help_text="Như khi trích dẫn: Ban Thường vụ Tỉnh ủy, Ban Dân vận Tỉnh ủy…",
    )
    summary = forms.CharField(
        label="Trích yếu",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Viết như khi trích dẫn, bắt đầu bằng “về …”.",
    )
    implements = forms.ModelMultipleChoiceField(
        label="Thực hiện văn bản cấp trên",
        queryset=Reference.objects.none(),
        required=False,
        help_text="Các văn bản mà văn bản này triển khai thực hiện (ví dụ Kế hoạch 252-KH/ĐUK thực hiện Đề án 13-ĐA/TU).",
    )
    # Then one picker per registered document source ("campaigns", "cycles"), before the deadlines.
    deadlines = forms.ModelMultipleChoiceField(
        label="Trích dẫn cho hạn nộp", queryset=selectors.deadline_choices(), required=False
    )

    def __init__(self, *args, reference=None, **kwargs):
        super().__init__(*args, **kwargs)
        others = Reference.objects.order_by("-issued_on", "number")
        if reference is not None:
            others = others.exclude(pk=reference.pk)
        self.fields["implements"].queryset = others
        fields = {}
        for name, field in self.fields.items():
            if name == "deadlines":
                for entry in document_sources.sources():
                    fields[f"{entry.field}s"] = forms.ModelMultipleChoiceField(
                        label=entry.reference_label or entry.field_label, queryset=entry.choices(), required=False
                    )
            fields[name] = field
        self.fields = fields
        self.source_fields = [f"{entry.field}s" for entry in document_sources.sources()] + ["deadlines"]
        for name in ("implements", *self.source_fields):
            self.fields[name].widget.attrs["size"] = 6

    @classmethod
    def initial_from(cls, reference: Reference) -> dict:
        from .references import links_of_reference

        return {
            "kind": reference.kind,
            "number": reference.number,
            "issued_on": reference.issued_on,
            "issuer": reference.issuer,
            "summary": reference.summary,
            "implements": list(reference.implements.all()),
            **links_of_reference(reference),
        }

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            **{name: data[name] for name in ("kind", "number", "issued_on", "issuer", "summary")},
            "implements": list(data["implements"]),
            "sources": [source for name in self.source_fields for source in data[name]],
        }


class SignerForm(_CrispyForm):
    name = forms.CharField(label="Họ tên", max_length=120)
    position = forms.CharField(label="Chức vụ", max_length=100, help_text="Ví dụ: PHÓ BÍ THƯ, TRƯỞNG BAN.")
    mode = forms.ChoiceField(label="Hình thức ký", choices=SignerMode.choices)
    on_behalf_of = forms.CharField(
        label="Thay mặt / ký thay cho",
        max_length=100,
        required=False,
        help_text="T/M: BAN THƯỜNG VỤ. K/T: BÍ THƯ hoặc TRƯỞNG BAN. Để trống khi ký trực tiếp.",
    )
    sort_order = forms.IntegerField(label="Thứ tự", min_value=0, initial=0, help_text="Người đầu tiên ký mặc định.")
    is_active = forms.BooleanField(label="Đang ký văn bản", required=False, initial=True)

    def clean(self):
        data = super().clean()
        mode, on_behalf_of = data.get("mode"), (data.get("on_behalf_of") or "").strip()
        if mode and mode != SignerMode.DIRECT and not on_behalf_of:
            self.add_error("on_behalf_of", "Ghi rõ ký thay mặt hoặc ký thay cho ai, ví dụ BAN THƯỜNG VỤ.")
        return data


class SuperiorBodyForm(_CrispyForm):
    name = forms.CharField(
        label="Tên cơ quan", max_length=200, help_text="Như in ở “Nơi nhận”, ví dụ: Ban Dân vận Tỉnh ủy."
    )
    sort_order = forms.IntegerField(label="Thứ tự", min_value=0, initial=0, help_text="Thứ tự trong danh sách chọn.")
    is_active = forms.BooleanField(label="Đang sử dụng", required=False, initial=True)


class ContactForm(_CrispyForm):
    name = forms.CharField(label="Người liên hệ", max_length=120, required=False)
    title = forms.CharField(label="Chức vụ người liên hệ", max_length=200, required=False)
    phone = forms.CharField(label="Điện thoại liên hệ", max_length=30, required=False)


class SignerChoiceForm(_CrispyForm):
    signer = forms.ModelChoiceField(label="Người ký", queryset=None, empty_label=None)

    def __init__(self, *args, issuing_body, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signer"].queryset = selectors.signers_of(issuing_body)


class RecipientPickerForm(_CrispyForm):
    """Kính gửi and Nơi nhận chosen from data (reports.recipients)."""

    base = forms.ChoiceField(
        label="Tổ chức cơ sở đảng", choices=BaseScope.CHOICES, required=False, widget=forms.RadioSelect
    )
    sector = forms.ChoiceField(label="Khối", choices=[("", "—"), *Sector.choices], required=False)
    organizations = forms.ModelMultipleChoiceField(
        label="Tổ chức cơ sở đảng được chọn", queryset=BaseOrganization.objects.none(), required=False
    )
    mass = forms.ChoiceField(label="Đoàn thể khối", choices=MassScope.CHOICES, required=False, widget=forms.RadioSelect)
    mass_organizations = forms.ModelMultipleChoiceField(
        label="Đoàn thể được chọn", queryset=MassOrganization.objects.none(), required=False
    )
    others = forms.CharField(
        label="Đơn vị khác",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="Mỗi đơn vị một dòng, ví dụ: Ban Quản lý các khu công nghiệp tỉnh.",
    )
    superiors = forms.ModelMultipleChoiceField(
        label="Cơ quan cấp trên (b/c)",
        queryset=SuperiorBody.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Ghi ở “Nơi nhận” kèm “(b/c)”.",
    )

    def __init__(self, *args, bloc, on, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organizations"].queryset = selectors.recipient_organization_choices(bloc, on)
        self.fields["organizations"].label_from_instance = lambda org: org.name_on_date
        self.fields["organizations"].widget.attrs["size"] = 8
        self.fields["mass_organizations"].queryset = MassOrganization.objects.filter(bloc=bloc).active_on(on)
        self.fields["superiors"].queryset = SuperiorBody.objects.filter(bloc=bloc, is_active=True)

    @classmethod
    def initial_from(cls, content: dict) -> dict:
        choice = RecipientChoice.from_json(content.get("recipient_choice"))
        initial = choice.as_json()
        initial["others"] = "\n".join(choice.others)
        return initial

    def clean(self):
        data = super().clean()
        if data.get("base") == BaseScope.SECTOR and not data.get("sector"):
            self.add_error("sector", "Chọn khối.")
        if data.get("base") == BaseScope.CHOSEN and not data.get("organizations"):
            self.add_error("organizations", "Chọn ít nhất một tổ chức cơ sở đảng.")
        if data.get("mass") == MassScope.CHOSEN and not data.get("mass_organizations"):
            self.add_error("mass_organizations", "Chọn ít nhất một đoàn thể.")
        return data

    def choice(self) -> RecipientChoice:
        data = self.cleaned_data
        return RecipientChoice(
            base=data.get("base") or "",
            sector=data.get("sector") or "",
            organizations=[org.pk for org in data.get("organizations") or []],
            mass=data.get("mass") or "",
            mass_organizations=[org.pk for org in data.get("mass_organizations") or []],
            others=split_lines(data.get("others") or ""),
            superiors=[body.pk for body in data.get("superiors") or []],
        )
