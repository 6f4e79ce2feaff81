"""The reminder dispatch (công văn đôn đốc) for the “Dân vận khéo” registration deadline, issued as
1720-CV/ĐUK on 22/5/2024: the .docx opened with python-docx and the PDF's text and fonts, checked against
party-document-format.md."""

import io
import logging
from datetime import date

import pytest
from docx import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from pypdf import PdfReader

from dukportal.submissions.models import Deadline
from reports import services
from reports.models import DocType, DocumentKind
from tests.reports.drafts import finish

pytestmark = pytest.mark.django_db

FIGURES = (
    "Tính đến ngày 15/5/2024 đã có 30/74 chi, đảng bộ cơ sở gửi đăng ký mô hình “Dân vận khéo” năm 2024, "
    "với 133 mô hình đăng ký, trong đó có 02 mô hình cấp Đảng ủy Khối và 131 mô hình cấp cơ sở; "
    "73 mô hình tiếp tục thực hiện từ năm 2023 và 58 mô hình đăng ký mới năm 2024."
)


@pytest.fixture
def issued(staff_user, issuing_body, term):
    from tests.reports.factories import danvan_scenario

    _, orgs = danvan_scenario(staff=staff_user)
    deadline = Deadline.objects.get(kind="danvan.registration")
    services.counter_set_last_number(
        actor=staff_user, issuing_body=issuing_body, doc_type=DocType.CV, term=term, last_number=1719
    )
    draft = services.document_create(
        actor=staff_user,
        kind=DocumentKind.REMINDER,
        issuing_body=issuing_body,
        deadline=deadline,
        as_of=date(2024, 5, 15),
    )
    document = services.document_issue(
        actor=staff_user, document=finish(draft, staff_user), issued_on=date(2024, 5, 22)
    )
    return document, orgs


def _word(document):
    with document.docx_file.open("rb") as handle:
        return WordDocument(io.BytesIO(handle.read()))


def _pdf_text(document):
    with document.pdf_file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return reader, " ".join(text.split())


def _runs(paragraph):
    return [run for run in paragraph.runs if run.text.strip()]


def _fmt(paragraph):
    (run,) = _runs(paragraph)
    return run.font.size, bool(run.font.bold), bool(run.font.italic), bool(run.font.underline)


def test_dispatch_docx_header_number_and_date(issued):
    document, _ = issued
    word = _word(document)
    header = word.tables[0]
    left = [p for p in header.rows[0].cells[0].paragraphs if p.text]
    assert [p.text for p in left] == ["ĐẢNG BỘ TỈNH YÊN BÁI", "ĐẢNG ỦY KHỐI CƠ QUAN VÀ DOANH NGHIỆP TỈNH", "*"]
    assert _fmt(left[0]) == (Pt(14), False, False, False)
    assert _fmt(left[1]) == (Pt(14), True, False, False)
    national = header.rows[0].cells[1].paragraphs[0]
    assert national.text == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert _fmt(national) == (Pt(15), True, False, True)
    assert national.alignment == WD_ALIGN_PARAGRAPH.CENTER

    number, subject = header.rows[1].cells[0].paragraphs
    assert number.text == "Số 1720-CV/ĐUK"
    assert _fmt(number) == (Pt(14), False, False, False)
    assert subject.text == "V/v đôn đốc đăng ký xây dựng mô hình, điển hình “Dân vận khéo” năm 2024"
    assert _fmt(subject) == (Pt(12), False, True, False)
    (place_date,) = header.rows[1].cells[1].paragraphs
    assert place_date.text == "Yên Bái, ngày 22 tháng 5 năm 2024"
    assert _fmt(place_date) == (Pt(14), False, True, False)
    assert document.number_label == "1720-CV/ĐUK"


def test_dispatch_docx_recipients_body_figures_and_missing_list(issued):
    document, orgs = issued
    word = _word(document)
    texts = [p.text for p in word.paragraphs]
    recipients = next(p for p in word.paragraphs if p.text.startswith("Kính gửi:"))
    assert recipients.text == "Kính gửi: Các chi, đảng bộ cơ sở trực thuộc."
    assert recipients.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert _fmt(recipients)[0] == Pt(14)

    assert FIGURES in texts
    body = next(p for p in word.paragraphs if p.text == FIGURES)
    fmt = body.paragraph_format
    assert body.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert abs(fmt.first_line_indent - Mm(10)) < Mm(0.5)
    assert fmt.space_before >= Pt(6)
    assert fmt.line_spacing_rule == WD_LINE_SPACING.EXACTLY and fmt.line_spacing >= Pt(18)
    assert "Còn 44 chi, đảng bộ cơ sở chưa gửi, gồm:" in texts
    missing_table = word.tables[1]
    listed = [row.cells[1].text for row in missing_table.rows[1:]]
    assert listed == [org.name for org in sorted(orgs[30:], key=lambda o: o.sort_key)]
    assert orgs[0].name not in listed  # sent: not chased
    assert any(
        "đồng chí Nguyễn Đức Phương - Ủy viên Ban Thường vụ, Trưởng ban Tuyên giáo Đảng ủy Khối "
        "(Số điện thoại 0915.367.487)" in t
        for t in texts
    )


def test_dispatch_docx_signature_and_distribution(issued):
    document, _ = issued
    word = _word(document)
    closing = word.tables[-1]
    left = [p for p in closing.rows[0].cells[0].paragraphs if p.text]
    assert left[0].text == "Nơi nhận:"
    assert _fmt(left[0]) == (Pt(14), False, False, True)
    assert [p.text for p in left[1:]] == [
        "- Như trên,",
        "- Thường trực Đảng ủy Khối (b/c),",
        "- Lưu Văn phòng Đảng ủy Khối.",
    ]
    assert all(_fmt(p)[0] == Pt(12) for p in left[1:])
    right = [p for p in closing.rows[0].cells[1].paragraphs if p.text]
    assert [p.text for p in right] == ["T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ", "Nguyễn Văn An"]
    assert [_fmt(p)[1] for p in right] == [True, False, True]


def test_dispatch_docx_page_margins_and_fonts(issued):
    document, _ = issued
    word = _word(document)
    section = word.sections[0]
    assert (section.page_width.twips, section.page_height.twips) == (11906, 16838)  # A4
    assert section.orientation == WD_ORIENT.PORTRAIT
    for margin, mm in (("top_margin", 20), ("bottom_margin", 20), ("left_margin", 30), ("right_margin", 15)):
        assert abs(getattr(section, margin) - Mm(mm)) < Mm(0.5), margin
    assert abs(section.header_distance - Mm(10)) < Mm(0.5)
    assert section.different_first_page_header_footer
    assert "PAGE" in section.header._element.xml
    assert "PAGE" not in section.first_page_header._element.xml
    normal = word.styles["Normal"].element.rPr.rFonts
    assert {normal.get(qn(f"w:{slot}")) for slot in ("ascii", "hAnsi", "eastAsia", "cs")} == {"Times New Roman"}
    all_paragraphs = list(word.paragraphs)
    for table in word.tables:
        for row in table.rows:
            for cell in row.cells:
                all_paragraphs += cell.paragraphs
    runs = [run for p in all_paragraphs for run in p.runs if run.text]
    assert len(runs) > 80
    for run in runs:
        fonts = run._r.rPr.rFonts
        assert {fonts.get(qn(f"w:{slot}")) for slot in ("ascii", "hAnsi", "eastAsia", "cs")} == {"Times New Roman"}


def test_dispatch_pdf_shows_the_same_document_in_liberation_serif(issued, caplog):
    document, orgs = issued
    reader, text = _pdf_text(document)
    for expected in (
        "ĐẢNG BỘ TỈNH YÊN BÁI",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Số 1720-CV/ĐUK",
        "Yên Bái, ngày 22 tháng 5 năm 2024",
        "Kính gửi: Các chi, đảng bộ cơ sở trực thuộc.",
        FIGURES,
        orgs[40].name,
        "Nguyễn Đức Phương",
        "Nơi nhận:",
        "- Lưu Văn phòng Đảng ủy Khối.",
        "T/M BAN THƯỜNG VỤ",
        "PHÓ BÍ THƯ",
        "Nguyễn Văn An",
    ):
        assert expected in text, expected
    box = reader.pages[0].mediabox
    assert (round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)) == (210, 297)
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts.add(str(font["/BaseFont"]))
            descendant = font["/DescendantFonts"][0].get_object()
            assert "/FontFile2" in descendant["/FontDescriptor"].get_object()  # embedded
    assert fonts and all("Liberation-Serif" in name for name in fonts), fonts
    assert len(reader.pages) >= 2  # the 44 missing organisations push it over a page
    lines = [[line.strip() for line in page.extract_text().splitlines()] for page in reader.pages[:2]]
    assert "2" in lines[1] and "1" not in lines[0]  # page numbers from page 2 on, none on page 1
    assert not [r for r in caplog.records if r.name.startswith("weasyprint") and r.levelno >= logging.WARNING]
