"""OfficialDocument → .docx with plain python-docx, from the constants in layout.py.

python-docx starts from US Letter with 31.8 mm margins (deps.md P16): the page is set explicitly, and every run
names the font on all four slots (ascii, hAnsi, eastAsia, cs) so Word never falls back to a theme font.

Every table has a fixed layout with its grid and each cell's width (Word and LibreOffice otherwise re-fit the
columns to the content): the header and signature grids from layout.py's columns, the figures tables from the
widths layout.table_column_widths gives them (the PDF's <col> widths). Figures tables are built as raw rows
copied from one formatted cell per column: a 1,000-row table costs copies, not python-docx's cell lookups and
run formatting per cell."""

from copy import deepcopy
from io import BytesIO

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from dukportal.core.text import strip_control

from . import layout as L
from .document import OfficialDocument

CENTER = WD_ALIGN_PARAGRAPH.CENTER
LEFT = WD_ALIGN_PARAGRAPH.LEFT
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY
FIGURES_STYLE = "DUK Figures"  # the body tables' named style (grid borders), so a clerk restyles them at once
PROGRESS_EVERY = 200  # body blocks or table rows between two progress reports of a render job


def _set_fonts(r_pr_owner, name: str) -> None:
    """Name the font on every slot of a run or style (python-docx only sets ascii/hAnsi)."""
    r_pr = r_pr_owner.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), name)


def _paragraph(
    container,
    text: str = "",
    *,
    size: float,
    bold=False,
    italic=False,
    underline=False,
    align=CENTER,
    space_before: float = 0,
    first_line_indent_mm: float | None = None,
    left_indent_mm: float | None = None,
    exact_line_pt: float | None = None,
    reuse_first=False,
):
    """One paragraph with one run. `reuse_first` fills the empty paragraph a new table cell comes with."""
    if reuse_first and container.paragraphs and not container.paragraphs[0].text:
        paragraph = container.paragraphs[0]
    else:
        paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.alignment = align
    fmt.space_before = Pt(space_before)
    fmt.space_after = Pt(0)
    if first_line_indent_mm is not None:
        fmt.first_line_indent = Mm(first_line_indent_mm)
    if left_indent_mm is not None:
        fmt.left_indent = Mm(left_indent_mm)
    if exact_line_pt is not None:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(exact_line_pt)
    run = paragraph.add_run(strip_control(text))  # text saved before the form stripped them, too
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    run.font.underline = underline
    _set_fonts(run._r, L.DOCX_FONT)
    return paragraph


# The children of w:tblPr after w:tblBorders, in the schema's order (Word refuses a file whose order is wrong).
_AFTER_BORDERS = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription")


def _no_borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr = table._tbl.tblPr
    following = next((child for child in tbl_pr if child.tag in {qn(tag) for tag in _AFTER_BORDERS}), None)
    if following is None:
        tbl_pr.append(borders)
    else:
        following.addprevious(borders)


def _fixed_grid(table, widths) -> None:
    """Fixed layout (w:tblLayout), the table's width, and each grid column's width (w:gridCol)."""
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    tbl_w = tbl_pr.find(qn("w:tblW"))
    if tbl_w is None:
        tbl_w = OxmlElement("w:tblW")
        tbl_pr.append(tbl_w)
    tbl_w.set(qn("w:type"), "dxa")
    tbl_w.set(qn("w:w"), str(sum(width.twips for width in widths)))
    for grid_col, width in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=True):
        grid_col.w = width


def _layout_table(document, rows: int):
    """The borderless two-column grid of the header and of the signature block."""
    table = document.add_table(rows=rows, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = (Mm(L.LEFT_COLUMN_MM), Mm(L.RIGHT_COLUMN_MM))
    _fixed_grid(table, widths)
    _no_borders(table)
    for row in table.rows:
        row.cells[0].width, row.cells[1].width = widths
    return table


def _page_number_header(section) -> None:
    """A centred PAGE field from page 2 on; page 1 has an empty first-page header (§7)."""
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    r_pr = OxmlElement("w:rPr")
    fonts = OxmlElement("w:rFonts")
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), L.DOCX_FONT)
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), str(L.SIZE_PAGE_NUMBER * 2))
    r_pr.append(fonts)
    r_pr.append(size)
    run.append(r_pr)
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
    section.first_page_header.is_linked_to_previous = False


def _setup(document, doc: OfficialDocument) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = Mm(L.PAGE_WIDTH_MM)
    section.page_height = Mm(L.PAGE_HEIGHT_MM)
    section.top_margin = Mm(L.MARGIN_TOP_MM)
    section.bottom_margin = Mm(L.MARGIN_BOTTOM_MM)
    section.left_margin = Mm(L.MARGIN_LEFT_MM)
    section.right_margin = Mm(L.MARGIN_RIGHT_MM)
    section.header_distance = Mm(L.HEADER_DISTANCE_MM)
    normal = document.styles["Normal"]
    normal.font.name = L.DOCX_FONT
    normal.font.size = Pt(L.SIZE_BODY)
    _set_fonts(normal.element, L.DOCX_FONT)
    figures = document.styles.add_style(FIGURES_STYLE, WD_STYLE_TYPE.TABLE)
    figures.base_style = document.styles["Table Grid"]
    figures.font.size = Pt(L.SIZE_TABLE)
    _page_number_header(section)
    _properties(document, doc)


def _properties(document, doc: OfficialDocument) -> None:
    """Mark the file as Vietnamese (spell-check, hyphenation, screen readers) and as written by the issuing body,
    not by python-docx's default author."""
    styles = document.styles.element
    r_pr = styles.find(qn("w:docDefaults") + "/" + qn("w:rPrDefault") + "/" + qn("w:rPr"))
    if r_pr is None:  # python-docx's default template has one; a bare styles part may not
        defaults = styles.find(qn("w:docDefaults"))
        if defaults is None:
            defaults = OxmlElement("w:docDefaults")
            styles.insert(0, defaults)
        r_pr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, r_pr_default)
        r_pr = OxmlElement("w:rPr")
        r_pr_default.append(r_pr)
    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        r_pr.append(lang)
    lang.set(qn("w:val"), "vi-VN")
    lang.set(qn("w:eastAsia"), "vi-VN")
    properties = document.core_properties
    properties.title = strip_control(doc.title)[:250]
    properties.language = "vi-VN"
    properties.author = properties.last_modified_by = strip_control(doc.author)[:250]
    properties.comments = ""


def _header(document, doc: OfficialDocument) -> None:
    table = _layout_table(document, rows=2)
    left, right = table.rows[0].cells
    h = L.SIZE_HEADER
    _paragraph(left, doc.superior_line, size=h, reuse_first=True)
    _paragraph(left, doc.issuer_line, size=h, bold=True)
    _paragraph(left, "*", size=h)
    _paragraph(right, L.NATIONAL_HEADING, size=L.SIZE_NATIONAL_HEADING, bold=True, underline=True, reuse_first=True)
    left, right = table.rows[1].cells
    _paragraph(left, doc.number_text, size=h, reuse_first=True)
    if doc.is_dispatch and doc.subject:
        _paragraph(left, doc.subject, size=L.SIZE_CV_SUBJECT, italic=True)
    _paragraph(right, doc.place_date, size=h, italic=True, reuse_first=True)


def _title_and_recipients(document, doc: OfficialDocument) -> None:
    if not doc.is_dispatch:
        _paragraph(document, doc.type_name, size=L.SIZE_TYPE_NAME, bold=True, space_before=18)
        if doc.subject:
            _paragraph(document, doc.subject, size=L.SIZE_TYPE_SUBJECT, bold=True)
        _paragraph(document, L.TYPE_SEPARATOR, size=L.SIZE_BODY)
    if not doc.recipients:
        return
    if len(doc.recipients) == 1:
        _paragraph(document, f"{L.RECIPIENTS_LABEL} {doc.recipients[0]}", size=L.SIZE_RECIPIENTS, space_before=12)
        return
    # Several: the label, then the dash list left-aligned under it (§3 C2).
    indent = L.RECIPIENTS_LIST_INDENT_MM
    _paragraph(document, L.RECIPIENTS_LABEL, size=L.SIZE_RECIPIENTS, space_before=12, align=LEFT, left_indent_mm=indent)
    for recipient in doc.recipients:
        _paragraph(document, recipient, size=L.SIZE_RECIPIENTS, align=LEFT, left_indent_mm=indent)


def _cell_template(width, *, bold: bool, align: str):
    """One formatted cell (w:tc) with an empty text: each table cell is a copy of its column's template."""
    tc = OxmlElement("w:tc")
    tc_pr = OxmlElement("w:tcPr")
    tc_w = OxmlElement("w:tcW")
    tc_w.set(qn("w:w"), str(width.twips))
    tc_w.set(qn("w:type"), "dxa")
    tc_pr.append(tc_w)
    tc.append(tc_pr)
    paragraph = OxmlElement("w:p")
    p_pr = OxmlElement("w:pPr")
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:before"), "0")
    spacing.set(qn("w:after"), "0")
    jc = OxmlElement("w:jc")
    jc.set(qn("w:val"), align)
    p_pr.append(spacing)
    p_pr.append(jc)
    paragraph.append(p_pr)
    run = OxmlElement("w:r")
    r_pr = OxmlElement("w:rPr")
    fonts = OxmlElement("w:rFonts")
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), L.DOCX_FONT)
    r_pr.append(fonts)
    if bold:
        r_pr.append(OxmlElement("w:b"))
    for tag in ("w:sz", "w:szCs"):
        size = OxmlElement(tag)
        size.set(qn("w:val"), str(L.SIZE_TABLE * 2))
        r_pr.append(size)
    run.append(r_pr)
    text = OxmlElement("w:t")
    text.set(qn("xml:space"), "preserve")
    run.append(text)
    paragraph.append(run)
    tc.append(paragraph)
    return tc


def _row_template(*, header: bool):
    """A row that is never split across pages; the header row repeats at the top of each page."""
    tr = OxmlElement("w:tr")
    tr_pr = OxmlElement("w:trPr")
    tr_pr.append(OxmlElement("w:cantSplit"))
    if header:
        tr_pr.append(OxmlElement("w:tblHeader"))
    tr.append(tr_pr)
    return tr


def _table(document, block, tick=lambda: None) -> None:
    rows, numeric_columns = block.rows, block.numeric_columns
    widths = [Mm(width) for width in block.column_widths]
    table = document.add_table(rows=0, cols=len(widths))
    table.style = document.styles[FIGURES_STYLE]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _fixed_grid(table, widths)
    header_cells = [_cell_template(width, bold=True, align="center") for width in widths]
    body_cells = [
        _cell_template(width, bold=False, align="center" if numeric else "left")
        for width, numeric in zip(widths, numeric_columns, strict=True)
    ]
    header_row, body_row = _row_template(header=True), _row_template(header=False)
    tbl = table._tbl
    for index, row in enumerate(rows):
        tr = deepcopy(header_row if index == 0 else body_row)
        for column, template in enumerate(header_cells if index == 0 else body_cells):
            tc = deepcopy(template)
            tc.find(f"{qn('w:p')}/{qn('w:r')}/{qn('w:t')}").text = strip_control(
                row[column] if column < len(row) else ""
            )
            tr.append(tc)
        tbl.append(tr)
        tick()


def _body(document, doc: OfficialDocument, progress=None) -> None:
    total, done = max(doc.size_estimate, 1), 0

    def tick():
        nonlocal done
        done += 1
        if progress and done % PROGRESS_EVERY == 0:
            progress(min(90, 5 + int(85 * done / total)))

    for block in doc.body:
        if block.kind == "table":
            _table(document, block, tick)
            continue
        tick()
        _paragraph(
            document,
            block.text,
            size=L.SIZE_BODY,
            bold=block.kind == "heading",
            align=JUSTIFY,
            space_before=L.BODY_SPACE_BEFORE_PT,
            first_line_indent_mm=L.BODY_FIRST_LINE_INDENT_MM,
            exact_line_pt=L.BODY_LINE_SPACING_PT,
        )


def _closing(document, doc: OfficialDocument) -> None:
    _paragraph(document, "", size=L.SIZE_BODY)
    table = _layout_table(document, rows=1)
    left, right = table.rows[0].cells
    _paragraph(left, L.DISTRIBUTION_LABEL, size=L.SIZE_DISTRIBUTION_LABEL, underline=True, align=LEFT, reuse_first=True)
    for line in doc.distribution:
        _paragraph(left, line, size=L.SIZE_DISTRIBUTION, align=LEFT)
    signature = doc.signature
    s = L.SIZE_SIGNATURE
    if signature.authority:
        _paragraph(right, signature.authority, size=s, bold=True, reuse_first=True)
    _paragraph(right, signature.title, size=s, reuse_first=True)
    for _ in range(L.SIGNATURE_GAP_LINES):
        _paragraph(right, "", size=s)
    _paragraph(right, signature.name, size=s, bold=True)


def render_docx(doc: OfficialDocument, *, progress=None) -> bytes:
    """The .docx file; `progress(percent)` (a render job) hears every PROGRESS_EVERY blocks or table rows."""
    document = Document()
    _setup(document, doc)
    _header(document, doc)
    _title_and_recipients(document, doc)
    _body(document, doc, progress)
    _closing(document, doc)
    # A new Document() starts with one empty paragraph: drop it so the header table is the first thing.
    first = document.paragraphs[0]
    if not first.text and first._p.getprevious() is None:
        first._p.getparent().remove(first._p)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def render_empty_docx() -> bytes:
    """An A4 page with one empty paragraph: the baseline the bench compares against."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(L.PAGE_WIDTH_MM), Mm(L.PAGE_HEIGHT_MM)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
