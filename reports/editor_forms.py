"""Forms of the section editor (reports/editor.py): the head (subject, recipients, signer, contact person,
distribution), the opening and the closing, and a formset of numbered sections (add, remove, reorder).

Each part (opening, a section, closing) is text and tables in turn: a textarea (one paragraph a line), then a
table, then a textarea… A table is a grid of inputs: the header row, its rows (each with a "Xóa dòng" box) and
one empty row to fill for a new one. How many tables, rows and columns a part has travels in a hidden
"layout" field ("3x4,5x2"), so the page needs no script to add or remove rows."""

from django import forms
from django.forms import BaseFormSet, formset_factory

MAX_CELL = 1000
MAX_TEXT = 50_000
MAX_ROWS = 2000
MAX_COLUMNS = 12
MAX_TABLES = 20
MAX_CELLS = 12_000  # per part (the opening, the closing or one section)
NEW_TABLE = (2, 3)  # "Thêm bảng": a header row and one row, three columns


def _parse_layout(value) -> list[tuple[int, int]]:
    """The posted layout, within bounds: it decides how many fields the form builds, so a forged one must not
    make it build millions (the largest generated table, 1,000 organisations × 4 columns, fits)."""
    tables, budget = [], MAX_CELLS
    for item in str(value or "").split(",")[:MAX_TABLES]:
        rows, _, columns = item.strip().partition("x")
        if rows.isdigit() and columns.isdigit():
            columns = min(max(int(columns), 1), MAX_COLUMNS)
            rows = min(max(int(rows), 1), MAX_ROWS, max(budget // columns - 1, 1))
            budget -= (rows + 1) * columns
            if budget < 0:
                break
            tables.append((rows, columns))
    return tables


def layout_of(blocks) -> list[tuple[int, int]]:
    return [
        (len(block["rows"]), max((len(row) for row in block["rows"]), default=1))
        for block in blocks or []
        if block.get("kind") == "table" and block.get("rows")
    ]


def initial_of(blocks) -> dict:
    """A part's blocks as the initial values of its fields (paragraphs between tables joined, one a line)."""
    initial, texts, table = {}, [], 0
    for block in blocks or []:
        if block.get("kind") == "table":
            initial[f"text_{table}"] = "\n".join(texts)
            texts = []
            for r, row in enumerate(block.get("rows") or []):
                for c, cell in enumerate(row):
                    initial[f"t{table}_r{r}_c{c}"] = cell
            table += 1
        elif block.get("text"):
            texts.append(block["text"])
    initial[f"text_{table}"] = "\n".join(texts)
    initial["_layout"] = layout_of(blocks)
    return initial


class Table:
    """One table of a part, for the template: header cells, rows of (cells, delete box) and the empty row."""

    def __init__(self, form, index, rows, columns):
        self.index, self.columns = index, columns
        self.header = [form[f"t{index}_r0_c{c}"] for c in range(columns)]
        self.rows = [
            ([form[f"t{index}_r{r}_c{c}"] for c in range(columns)], form[f"t{index}_del_r{r}"]) for r in range(1, rows)
        ]
        self.blank = [form[f"t{index}_r{rows}_c{c}"] for c in range(columns)]
        self.regenerate_value = f"{form.prefix}:{index}"


class PartForm(forms.Form):
    """The text and tables of the opening, the closing or one section."""

    has_heading = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound:
            layout = _parse_layout(self.data.get(self.add_prefix("layout")))
            # A filled "new row" becomes a row, and the table gets a new empty one.
            layout = [
                (rows + 1, columns)
                if any((self.data.get(self.add_prefix(f"t{t}_r{rows}_c{c}")) or "").strip() for c in range(columns))
                else (rows, columns)
                for t, (rows, columns) in enumerate(layout)
            ]
        else:
            layout = list(self.initial.get("_layout") or [])
        self.layout = layout
        self._add_part_fields()

    def add_table(self):
        """ "Thêm bảng": an empty table at the end of the part (shown again, nothing saved)."""
        if len(self.layout) < MAX_TABLES:
            self.layout.append(NEW_TABLE)
            self._add_part_fields()

    def _add_part_fields(self):
        layout = self.layout
        for t in range(len(layout) + 1):
            self.fields[f"text_{t}"] = forms.CharField(
                label="Đoạn văn",
                required=False,
                max_length=MAX_TEXT,
                widget=forms.Textarea(attrs={"rows": self._rows_for(f"text_{t}"), "class": "form-control"}),
                help_text="Mỗi dòng là một đoạn văn.",
            )
        for t, (rows, columns) in enumerate(layout):
            for r in range(rows + 1):  # the last one: the empty row to fill
                for c in range(columns):
                    label = f"Bảng {t + 1}, tiêu đề cột {c + 1}" if r == 0 else f"Bảng {t + 1}, dòng {r}, cột {c + 1}"
                    self.fields[f"t{t}_r{r}_c{c}"] = forms.CharField(
                        label=label,
                        required=False,
                        max_length=MAX_CELL,
                        widget=forms.TextInput(attrs={"class": "form-control form-control-sm", "aria-label": label}),
                    )
                if 0 < r < rows:
                    self.fields[f"t{t}_del_r{r}"] = forms.BooleanField(label=f"Xóa dòng {r}", required=False)

    def _rows_for(self, name: str) -> int:
        """Room for the whole text (about 80 characters a line), between 3 and 18 lines."""
        text = str(self.data.get(self.add_prefix(name)) or "") if self.is_bound else str(self.initial.get(name) or "")
        lines = sum(1 + len(line) // 80 for line in text.splitlines())
        return min(max(lines + 1, 3), 18)

    @property
    def layout_value(self) -> str:
        return ",".join(f"{rows}x{columns}" for rows, columns in self.layout)

    def chunks(self):
        """("text", field) and ("table", Table) in their order, for the template."""
        result = []
        for t in range(len(self.layout) + 1):
            result.append(("text", self[f"text_{t}"]))
            if t < len(self.layout):
                result.append(("table", Table(self, t, *self.layout[t])))
        return result

    def _value(self, name):
        """The cleaned value after validation; before it (the preview of what is typed), the raw one."""
        if hasattr(self, "cleaned_data") and name in self.cleaned_data:
            return self.cleaned_data[name]
        if self.is_bound:
            if isinstance(self.fields.get(name), forms.BooleanField):
                return self.fields[name].widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
            return self.data.get(self.add_prefix(name)) or ""
        return self.initial.get(name, "")

    def blocks(self, replace=None) -> list[dict]:
        """The part's paragraphs and tables; `replace` maps (prefix, table index) to rows put in its place."""
        replace = replace or {}
        blocks = []
        for t in range(len(self.layout) + 1):
            for line in str(self._value(f"text_{t}") or "").splitlines():
                if line.strip():
                    blocks.append({"kind": "paragraph", "text": line.strip()})
            if (self.prefix, t) in replace:
                blocks.append({"kind": "table", "rows": [list(row) for row in replace[self.prefix, t]]})
            elif t < len(self.layout):
                rows, columns = self.layout[t]
                table = []
                for r in range(rows + 1):
                    if 0 < r < rows and self._value(f"t{t}_del_r{r}"):
                        continue
                    table.append([str(self._value(f"t{t}_r{r}_c{c}") or "").strip() for c in range(columns)])
                if any(any(row) for row in table):
                    blocks.append({"kind": "table", "rows": table})
        return blocks


class SectionForm(PartForm):
    """A numbered section: its heading ("1. Về việc …") and its text and tables."""

    has_heading = True
    heading = forms.CharField(
        label="Đề mục",
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"class": "form-control fw-semibold"}),
        help_text="Ví dụ: 1. Về việc đăng ký mô hình “Dân vận khéo”. Số thứ tự được đánh lại theo thứ tự các mục.",
    )

    def clean(self):
        data = super().clean()
        if not (data.get("heading") or "").strip() and self.blocks() and not self._deleted():
            self.add_error("heading", "Mục có nội dung phải có đề mục.")
        return data

    def _deleted(self) -> bool:
        return bool(self._value("DELETE")) if "DELETE" in self.fields else False


class BaseSectionFormSet(BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["ORDER"] = forms.IntegerField(
            label="Thứ tự",
            required=False,
            min_value=1,
            max_value=99,
            initial=form.fields["ORDER"].initial,
            error_messages={
                "invalid": "Thứ tự là một số từ 1 đến 99.",
                "min_value": "Thứ tự là một số từ 1 đến 99.",
                "max_value": "Thứ tự là một số từ 1 đến 99.",
            },
            widget=forms.NumberInput(attrs={"class": "form-control form-control-sm", "style": "width: 6rem"}),
            help_text="Đổi số để sắp xếp lại các mục.",
        )
        form.fields["DELETE"].label = "Xóa mục này"

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "use_required_attribute": False}

    def _raw_order(self, form, index):
        value = form._value("ORDER")
        try:
            return (0, int(value))
        except (TypeError, ValueError):
            return (1, index)

    def sections(self, replace=None) -> list[dict]:
        """The sections in their chosen order ("Thứ tự"), deleted and empty ones left out."""
        forms_in_order = sorted(
            ((self._raw_order(form, i), i, form) for i, form in enumerate(self.forms)), key=lambda x: (x[0], x[1])
        )
        result = []
        for _, _, form in forms_in_order:
            if form._deleted():
                continue
            heading, blocks = str(form._value("heading") or "").strip(), form.blocks(replace)
            if heading or blocks:
                result.append({"heading": heading, "blocks": blocks})
        return result


SectionFormSet = formset_factory(
    SectionForm, formset=BaseSectionFormSet, extra=1, can_order=True, can_delete=True, max_num=60, validate_max=True
)


class HeadForm(forms.Form):
    """Subject, recipients, signer lines, contact person and distribution."""

    subject = forms.CharField(
        label="Trích yếu",
        max_length=500,
        widget=forms.TextInput(attrs={"class": "form-control"}),
        error_messages={"required": "Nhập trích yếu của văn bản."},
        help_text="Công văn: bắt đầu bằng “V/v …”. Báo cáo: dòng dưới tên loại, ví dụ “kết quả …”.",
    )
    recipients = forms.CharField(
        label="Kính gửi",
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        help_text="Mỗi nơi nhận một dòng.",
    )
    signer_authority = forms.CharField(
        label="Thẩm quyền ký",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
        help_text="Ví dụ: T/M BAN THƯỜNG VỤ; K/T TRƯỞNG BAN.",
    )
    signer_title = forms.CharField(
        label="Chức vụ người ký",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    signer_name = forms.CharField(
        label="Họ tên người ký", max_length=120, required=False, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    contact_name = forms.CharField(
        label="Người liên hệ",
        max_length=120,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
        help_text="Có tên: văn bản in câu “… đề nghị liên hệ trực tiếp với đồng chí …” trước phần kết.",
    )
    contact_title = forms.CharField(
        label="Chức vụ người liên hệ",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    contact_phone = forms.CharField(
        label="Điện thoại liên hệ",
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    signer_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    distribution = forms.CharField(
        label="Nơi nhận",
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
        help_text="Mỗi dòng bắt đầu bằng “- ”, dòng cuối kết thúc bằng dấu chấm.",
    )

    _value = PartForm._value

    @classmethod
    def initial_from(cls, content: dict) -> dict:
        contact = content.get("contact") or {}
        return {
            **{name: content.get(name, "") for name in ("subject", "signer_authority", "signer_title", "signer_name")},
            "recipients": "\n".join(content.get("recipients") or []),
            "distribution": "\n".join(content.get("distribution") or []),
            **{f"contact_{key}": contact.get(key, "") for key in ("name", "title", "phone")},
            "signer_id": content.get("signer_id"),
        }

    def content(self) -> dict:
        value = self._value
        return {
            **{name: str(value(name) or "") for name in ("subject", "signer_authority", "signer_title", "signer_name")},
            "recipients": [line for line in str(value("recipients") or "").splitlines() if line.strip()],
            "distribution": [line for line in str(value("distribution") or "").splitlines() if line.strip()],
            "contact": {key: str(value(f"contact_{key}") or "") for key in ("name", "title", "phone")},
            "signer_id": value("signer_id") or None,
        }


class Editor:
    """All the editor's forms, bound to one POST or built from a draft's content."""

    def __init__(self, content: dict | None = None, data=None):
        content = content or {}
        self.head = HeadForm(data, initial=HeadForm.initial_from(content), use_required_attribute=False)
        self.opening = PartForm(
            data, prefix="opening", initial=initial_of(content.get("opening")), use_required_attribute=False
        )
        self.closing = PartForm(
            data, prefix="closing", initial=initial_of(content.get("closing")), use_required_attribute=False
        )
        initial = [
            {"heading": section.get("heading", ""), **initial_of(section.get("blocks"))}
            for section in content.get("sections") or []
        ]
        self.sections = SectionFormSet(data, prefix="sections", initial=None if data is not None else initial)

    def is_valid(self) -> bool:
        results = [form.is_valid() for form in (self.head, self.opening, self.closing)]
        return all([*results, self.sections.is_valid()])

    def part(self, prefix: str):
        return next(
            (form for form in (self.opening, self.closing, *self.sections.forms) if form.prefix == prefix), None
        )

    def content(self, replace=None) -> dict:
        return {
            **self.head.content(),
            "opening": self.opening.blocks(replace),
            "sections": self.sections.sections(replace),
            "closing": self.closing.blocks(replace),
        }

    def errors(self) -> list[str]:
        """Every error in one list for the summary above the form (each one is also shown at its field)."""
        found = []
        forms_ = [("", self.head), ("Phần mở đầu: ", self.opening), ("Phần kết: ", self.closing)]
        forms_ += [(f"Mục {i + 1}: ", form) for i, form in enumerate(self.sections.forms)]
        for where, form in forms_:
            for name, errors in form.errors.items():
                label = form.fields[name].label if name in form.fields else ""
                found += [f"{where}{label + ': ' if label else ''}{error}" for error in errors]
        found += [str(error) for error in self.sections.non_form_errors()]
        return found
