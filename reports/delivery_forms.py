"""The form of "Tạo hạn nộp từ văn bản": one per section, pre-filled from it (reports.requests)."""

from django import forms

from dukportal.submissions.forms import AttachmentField

from .forms import BAD_DATE, DATE_FORMATS, DATE_WIDGET
from .requests import Section


class DocumentRequestForm(forms.Form):
    section = forms.CharField(widget=forms.HiddenInput, max_length=300)
    title = forms.CharField(label="Nội dung phải nộp", max_length=255)
    due_date = forms.DateField(
        label="Hạn nộp",
        input_formats=DATE_FORMATS,
        widget=DATE_WIDGET,
        error_messages={"invalid": BAD_DATE, "required": "Nhập hạn nộp (ngày/tháng/năm)."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["due_date"].widget = forms.DateInput(
            format="%d/%m/%Y", attrs={**DATE_WIDGET.attrs, "class": "form-control", "inputmode": "numeric"}
        )

    @classmethod
    def for_section(cls, section: Section, index: int) -> "DocumentRequestForm":
        """Pre-filled: the title from the heading, the date the section asks for."""
        return cls(
            prefix=f"muc{index}",
            initial={"section": section.heading, "title": section.title, "due_date": section.due_date},
        )


class ReplyForm(forms.Form):
    """An organisation's report for a dispatch's request, with its signed file (more files on its page)."""

    note = forms.CharField(
        label="Nội dung báo cáo",
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Tóm tắt kết quả thực hiện theo yêu cầu của văn bản.",
        error_messages={"required": "Nhập nội dung báo cáo trước khi lưu."},
    )
    attachment = AttachmentField(label="Báo cáo đã ký (PDF, DOCX, XLSX, ảnh chụp)", required=False)
