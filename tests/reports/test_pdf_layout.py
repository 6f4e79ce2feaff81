"""Output quality of the two renderers (issue 10): in the PDF a long table repeats its header row on each page,
no row is split across a page break, and no word (a URL, a phone number, a long word) runs past the margins; in
the .docx every table has a fixed layout with its grid and cell widths from reports/layout.py, the body tables a
named style and a repeated header row, and the file is marked Vietnamese."""

import io
import re
import zipfile
from collections import defaultdict

import pdfplumber
import pytest
from docx.shared import Mm
from lxml import etree

from reports import layout as L
from reports.document import compose
from reports.render_docx import FIGURES_STYLE, render_docx
from reports.render_pdf import render_html, render_pdf

PT_PER_MM = 72 / 25.4
LEFT_EDGE = L.MARGIN_LEFT_MM * PT_PER_MM
RIGHT_EDGE = (L.PAGE_WIDTH_MM - L.MARGIN_RIGHT_MM) * PT_PER_MM
SLACK = 0.5  # pt: rounding of the glyph boxes

ROWS = 90
URL = "https://dukyenbai.vn/van-ban/2024/cong-van-1720-cv-duk-ve-viec-trien-khai-nhiem-vu-thang-5-nam-2024.pdf"
PHONE = "0216.3852.123-0912.345.678-0987.654.321"
LONG_WORD = "Chínhquyềnđiệntửtỉnhyênbáiđồngbộliênthôngvănbảnđiện"


def _row(n: int) -> str:
    # Every word of row n carries its tag "rNN" so the test can tell on which page each part of the row is;
    # every fifth row has a name long enough to wrap over three lines.
    words = " ".join(f"r{n:02d}w{k}" for k in range(18 if n % 5 == 0 else 2))
    return f"| r{n:02d}n | {words} | {URL if n % 7 == 0 else PHONE} | r{n:02d}x |"


BODY = "\n".join(
    [
        f"Đoạn mở đầu có đường dẫn {URL} và số điện thoại {PHONE} cùng từ rất dài {LONG_WORD}{LONG_WORD}.",
        "| STT | Tổ chức cơ sở đảng | Liên hệ | Ghi chú |",
        *(_row(n) for n in range(1, ROWS + 1)),
        "Đoạn kết.",
    ]
)


def _structure():
    return compose(
        superior_line="Đảng bộ tỉnh Yên Bái",
        issuer_line="Đảng ủy Khối cơ quan và doanh nghiệp tỉnh",
        symbol="ĐUK",
        place="Yên Bái",
        doc_type="BC",
        type_name="Báo cáo",
        content={
            "subject": "Kết quả thực hiện",
            "body": BODY,
            "signer_title": "Bí thư",
            "signer_name": "Nguyễn Văn A",
            "distribution": ["- Như trên,", f"- Lưu {URL}."],
        },
    )


@pytest.fixture(scope="module")
def pdf_pages():
    with pdfplumber.open(io.BytesIO(render_pdf(_structure()))) as pdf:
        yield [(page.width, page.extract_words(keep_blank_chars=False)) for page in pdf.pages]


def _texts(words) -> list[str]:
    return [word["text"] for word in words]


def test_the_long_table_spans_several_pages(pdf_pages):
    pages_with_rows = [
        i for i, (_w, words) in enumerate(pdf_pages) if any(re.fullmatch(r"r\d\dn", t) for t in _texts(words))
    ]
    assert len(pages_with_rows) >= 3, pages_with_rows


def test_header_row_is_repeated_on_every_page_of_the_table(pdf_pages):
    for index, (_width, words) in enumerate(pdf_pages):
        row_tags = [w for w in words if re.fullmatch(r"r\d\dn", w["text"])]
        if not row_tags:
            continue
        first_row_top = min(w["top"] for w in row_tags)
        header = [w["text"] for w in words if w["top"] < first_row_top and w["text"] in {"STT", "Liên", "Ghi", "chú"}]
        assert {"STT", "Liên", "Ghi", "chú"} <= set(header), f"page {index + 1}: no header row above the rows"


def test_no_row_is_split_across_pages(pdf_pages):
    pages_of_row = defaultdict(set)
    for index, (_width, words) in enumerate(pdf_pages):
        for text in _texts(words):
            if match := re.match(r"r(\d\d)[nwx]", text):
                pages_of_row[match.group(1)].add(index)
    assert len(pages_of_row) == ROWS
    split = {row: pages for row, pages in pages_of_row.items() if len(pages) > 1}
    assert not split, split


def test_no_word_runs_past_the_margins(pdf_pages):
    for index, (width, words) in enumerate(pdf_pages):
        assert width == pytest.approx(L.PAGE_WIDTH_MM * PT_PER_MM, abs=0.5)
        outside = [w["text"] for w in words if w["x1"] > RIGHT_EDGE + SLACK or w["x0"] < LEFT_EDGE - SLACK]
        assert not outside, f"page {index + 1}: {outside}"
    everything = "".join("".join(_texts(words)) for _w, words in pdf_pages)
    # The long strings are all there, only wrapped.
    assert URL.replace("-", "") in everything.replace("-", "") and LONG_WORD * 2 in everything


# --- .docx --------------------------------------------------------------------------------------------------

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# CT_TblPr's sequence (ECMA-376 §17.4.60).
TBL_PR_ORDER = [
    "tblStyle",
    "tblpPr",
    "tblOverlap",
    "bidiVisual",
    "tblStyleRowBandSize",
    "tblStyleColBandSize",
    "tblW",
    "jc",
    "tblCellSpacing",
    "tblInd",
    "tblBorders",
    "shd",
    "tblLayout",
    "tblCellMar",
    "tblLook",
    "tblCaption",
    "tblDescription",
]


@pytest.fixture(scope="module")
def docx_parts():
    archive = zipfile.ZipFile(io.BytesIO(render_docx(_structure())))
    return etree.fromstring(archive.read("word/document.xml")), etree.fromstring(archive.read("word/styles.xml"))


def _widths(element, tag: str) -> list[int]:
    return [int(node.get(f"{W}w")) for node in element.iter(f"{W}{tag}")]


def test_every_docx_table_has_a_fixed_layout_grid_and_cell_widths(docx_parts):
    document, _styles = docx_parts
    tables = list(document.iter(f"{W}tbl"))
    assert len(tables) == 3  # header, figures, signature block
    header, figures, signature = tables
    for table in tables:
        assert table.find(f"{W}tblPr/{W}tblLayout").get(f"{W}type") == "fixed"
        present = [child.tag.removeprefix(W) for child in table.find(f"{W}tblPr")]
        assert present == [tag for tag in TBL_PR_ORDER if tag in present], present  # Word needs the schema order
        grid = _widths(table, "gridCol")
        assert grid and all(grid)
        for row in table.iter(f"{W}tr"):
            cells = row.findall(f"{W}tc")
            assert [int(cell.find(f"{W}tcPr/{W}tcW").get(f"{W}w")) for cell in cells] == grid
            assert {cell.find(f"{W}tcPr/{W}tcW").get(f"{W}type") for cell in cells} == {"dxa"}
        assert sum(grid) == pytest.approx(Mm(L.TEXT_WIDTH_MM).twips, abs=len(grid))
    for table in (header, signature):
        assert _widths(table, "gridCol") == [Mm(L.LEFT_COLUMN_MM).twips, Mm(L.RIGHT_COLUMN_MM).twips]
    block = next(b for b in _structure().body if b.kind == "table")
    assert _widths(figures, "gridCol") == [Mm(width).twips for width in block.column_widths]  # the PDF's <col>s
    assert len(figures.findall(f"{W}tr")) == ROWS + 1


def test_docx_figures_table_has_its_named_style_and_repeated_header(docx_parts):
    document, styles = docx_parts
    figures = list(document.iter(f"{W}tbl"))[1]
    style_id = figures.find(f"{W}tblPr/{W}tblStyle").get(f"{W}val")
    (style,) = [node for node in styles.iter(f"{W}style") if node.get(f"{W}styleId") == style_id]
    assert style.find(f"{W}name").get(f"{W}val") == FIGURES_STYLE and style.get(f"{W}type") == "table"
    rows = figures.findall(f"{W}tr")
    assert [row.find(f"{W}trPr/{W}tblHeader") is not None for row in rows] == [True] + [False] * ROWS
    assert all(row.find(f"{W}trPr/{W}cantSplit") is not None for row in rows)


def test_docx_language_is_vietnamese(docx_parts):
    _document, styles = docx_parts
    lang = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert lang.get(f"{W}val") == "vi-VN" and lang.get(f"{W}eastAsia") == "vi-VN"


def test_pdf_and_docx_column_widths_come_from_layout():
    block = next(b for b in _structure().body if b.kind == "table")
    widths = block.column_widths
    assert sum(widths) == pytest.approx(L.TABLE_WIDTH_MM, abs=0.05)
    assert min(widths) >= L.TABLE_MIN_COLUMN_MM
    # The name column (long text) is the widest; the short tags column the narrowest.
    assert widths[1] == max(widths) and widths[0] == min(widths[0], widths[3])


def test_stylesheet_and_fonts_are_loaded_once_per_process(monkeypatch):
    import weasyprint
    from weasyprint.text import fonts

    render_pdf(_structure())  # the process's first PDF parses the stylesheet and loads the fonts

    def refused(*args, **kwargs):
        raise AssertionError("parsed again")

    monkeypatch.setattr(weasyprint, "CSS", refused)
    monkeypatch.setattr(fonts, "FontConfiguration", refused)
    data = render_pdf(_structure())
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        names = {char["fontname"] for char in pdf.chars}
    assert all("Liberation" in name for name in names) and any("Bold" in name for name in names), names
    assert "@font-face" not in render_html(_structure())  # the PDF's HTML carries only the content
