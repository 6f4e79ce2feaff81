"""Control characters pasted into the document editor (from a PDF or another program) are dropped at the form,
newlines and tabs kept; "Tải Word", "Tải PDF" and "Phát hành" then work, and the renderers cope with text saved
before the form stripped them."""

import io
import re
from datetime import date

import pytest
import time_machine
from django.urls import reverse
from docx import Document as WordDocument
from pypdf import PdfReader

from dukportal.core.text import normalize_text, strip_control
from reports import services
from reports.models import Document, DocumentKind

pytestmark = pytest.mark.django_db

# \x00–\x08, \x0b, \x0c, \x0e–\x1f (what XML 1.0 forbids), DEL and a C1 control.
CONTROL = "".join(chr(code) for code in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, 0x85])
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _dirty(text: str) -> str:
    return f"{CONTROL[:5]}{text}{CONTROL[5:]}"


@pytest.fixture
def draft(staff_user, issuing_body, term):
    return services.document_create(actor=staff_user, kind=DocumentKind.OTHER, issuing_body=issuing_body)


def _word_text(content: bytes) -> str:
    word = WordDocument(io.BytesIO(content))
    cells = [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in word.paragraphs] + cells)


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_strip_control_keeps_newlines_tabs_and_vietnamese():
    assert strip_control(f"Dòng\x00 một\r\nDòng\thai{CONTROL}") == "Dòng một\nDòng\thai"
    assert normalize_text("\x0bNguyễn\x1fVăn\x00 An\x07") == "NguyễnVăn An"


def test_document_edited_with_control_characters_downloads_and_issues(staff_client, draft):
    edited = {
        "subject": _dirty("V/v triển khai kế hoạch"),
        "recipients": _dirty("- Các chi, đảng bộ cơ sở,") + "\n- Các đoàn thể khối.",
        "body": _dirty("Đoạn thứ nhất dán từ tệp PDF.") + "\n" + _dirty("| Nội dung | Số lượng") + "\n| Hội nghị | 3",
        "signer_authority": _dirty("T/M BAN THƯỜNG VỤ"),
        "signer_title": _dirty("PHÓ BÍ THƯ"),
        "signer_name": _dirty("Hoàng Văn Bình"),
        "distribution": _dirty("- Như trên,") + "\n- Lưu Văn phòng.",
    }
    response = staff_client.post(reverse("reports:document_edit", args=[draft.pk]), edited)
    assert response.status_code == 302  # saved, not refused
    draft.refresh_from_db()
    assert draft.content["subject"] == "V/v triển khai kế hoạch"
    assert draft.content["signer_name"] == "Hoàng Văn Bình"
    assert not any(FORBIDDEN.search(value) for value in _strings(draft.content))

    for fmt, read in (("docx", _word_text), ("pdf", _pdf_text)):
        response = staff_client.get(reverse("reports:document_download", args=[draft.pk, fmt]))
        assert response.status_code == 200, fmt
        text = read(response.content)
        assert "Hoàng Văn Bình" in text and not FORBIDDEN.search(text), fmt

    with time_machine.travel(date(2024, 5, 22)):
        response = staff_client.post(reverse("reports:document_issue", args=[draft.pk]), follow=True)
    assert response.status_code == 200
    assert "Đã phát hành văn bản số" in response.content.decode()
    for fmt, read in (("docx", _word_text), ("pdf", _pdf_text)):
        response = staff_client.get(reverse("reports:document_download", args=[draft.pk, fmt]))
        assert response.status_code == 200, fmt
        assert not FORBIDDEN.search(read(b"".join(response.streaming_content))), fmt


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _stored_dirty(text: str) -> str:
    return _dirty(text).replace("\x00", "")


def test_renderers_cope_with_control_characters_already_stored(staff_client, staff_user, draft):
    """A draft saved before the form stripped them (or written by another path) still renders and issues."""
    content = dict(draft.content)
    _dirty = _stored_dirty  # PostgreSQL's jsonb cannot hold a NUL at all, every other control character it can
    content.update(subject=_dirty("V/v cũ"), body=_dirty("Nội dung cũ") + "\n" + _dirty("| Cột | Số") + "\n| A | 1")
    content["signer_name"] = _dirty("Lê Thị Hoa")
    Document.objects.filter(pk=draft.pk).update(content=content)

    for fmt in ("docx", "pdf"):
        response = staff_client.get(reverse("reports:document_download", args=[draft.pk, fmt]))
        assert response.status_code == 200, fmt
    assert "Lê Thị Hoa" in _word_text(
        staff_client.get(reverse("reports:document_download", args=[draft.pk, "docx"])).content
    )
    with time_machine.travel(date(2024, 5, 22)):
        issued = services.document_issue(actor=staff_user, document=Document.objects.get(pk=draft.pk))
    assert issued.docx_file and issued.pdf_file
