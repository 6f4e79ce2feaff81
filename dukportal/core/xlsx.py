"""Writing .xlsx exports: sheets of headings and tables with Vietnamese headers, dd/mm/yyyy dates, and an HTTP
response to download the workbook. Generic (no app's content): any app's export or report can build on it.

Workbooks are write-only (streamed), so a long list costs little memory; rows go in order, top to bottom.

Formula injection (OWASP "CSV injection"): text an officer typed or imported that begins with =, +, -, @, a tab
or a carriage return would be read by Excel as a formula (=HYPERLINK(…), =cmd|…). Every text cell of every
export passes through `inert()`, which prefixes such text with a single quote ' so it is shown and kept as
text (the quote is visible; the Excel import drops it again, see `unescape()`). Numbers and dates are not
touched. The rule lives here only: workbooks are created with `new_workbook()`, rows written through
`SheetWriter` or `append_row()`, and `to_bytes()` passes over every cell of an in-memory workbook once more
before saving, so a writer that set a cell directly cannot ship a formula either."""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO

from django.http import FileResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"

_TITLE_FONT = Font(bold=True, size=13)
_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="E9ECEF")
_THIN = Side(style="thin", color="ADB5BD")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="center", horizontal="center")
# StyleArray field -> the workbook's collection of that kind of style (openpyxl's StyleDescriptor pairs).
_STYLE_COLLECTIONS = {"fontId": "_fonts", "fillId": "_fills", "alignmentId": "_alignments", "borderId": "_borders"}
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Column:
    header: str
    width: int = 16


FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"


def inert(value):
    """The value as an export writes it: text Excel would take for a formula gets a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return ESCAPE + value
    return value


def unescape(text: str) -> str:
    """The inverse of `inert()` for text read back from an exported workbook (an import of an export changes
    nothing)."""
    if text.startswith(ESCAPE) and text[1:2] and text[1:].startswith(FORMULA_TRIGGERS):
        return text[1:]
    return text


def new_workbook(*, write_only: bool = True, keep_first_sheet: bool = False) -> Workbook:
    """Every export's workbook. An in-memory one (write_only=False) loses its default empty sheet unless
    `keep_first_sheet` (then it is `workbook.active`)."""
    workbook = Workbook(write_only=write_only)
    if not write_only and not keep_first_sheet:
        workbook.remove(workbook.active)
    return workbook


def append_row(worksheet, values: Iterable) -> None:
    """Append one row to an in-memory worksheet, text made inert."""
    worksheet.append([inert(value) for value in values])


def _neutralise(workbook: Workbook) -> None:
    """Last line of defence for in-memory workbooks: no cell leaves as a formula or formula-like text."""
    for worksheet in workbook.worksheets:
        for row in worksheet.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, str) and (cell.data_type == "f" or value.startswith(FORMULA_TRIGGERS)):
                    cell.value = inert(value)
                    cell.data_type = "s"


def sheet_title(text: str, taken: Iterable[str] = ()) -> str:
    """A valid, unique sheet title: Excel forbids []:*?/\\ and allows at most 31 characters."""
    base = _SHEET_TITLE_FORBIDDEN.sub("-", str(text)).strip()[:31] or "Trang"
    taken = {title.casefold() for title in taken}
    title, number = base, 2
    while title.casefold() in taken:
        suffix = f" ({number})"
        title, number = base[: 31 - len(suffix)] + suffix, number + 1
    return title


class SheetWriter:
    """Writes one sheet top to bottom: heading lines, blank lines and bordered tables.

    `freeze_below` freezes the rows above that row number (e.g. a table header); in write-only mode this,
    like the column widths, has to be known before the first row is written."""

    def __init__(self, workbook: Workbook, title: str, widths: Sequence[int], *, freeze_below: int | None = None):
        self.worksheet = workbook.create_sheet(sheet_title(title, workbook.sheetnames))
        self.row = 0  # rows written so far
        self._style_indices: dict[tuple[str, int], tuple[object, int]] = {}
        for index, width in enumerate(widths, start=1):
            self.worksheet.column_dimensions[get_column_letter(index)].width = width
        if freeze_below:
            self.worksheet.freeze_panes = f"A{freeze_below}"

    def _cell(self, value, *, font=None, fill=None, alignment=None, border=None) -> WriteOnlyCell:
        cell = WriteOnlyCell(self.worksheet, value=inert(value))
        if isinstance(value, datetime):
            cell.number_format = DATETIME_FORMAT
        elif isinstance(value, date):
            cell.number_format = DATE_FORMAT
        for key, style in (("fontId", font), ("fillId", fill), ("alignmentId", alignment), ("borderId", border)):
            if style is not None:
                if not cell._style:
                    cell._style = StyleArray()
                setattr(cell._style, key, self._style_index(key, style))
        return cell

    def _style_index(self, key: str, style) -> int:
        """The workbook's index of a style, as `cell.font = style` would add it, looked up once per style object
        (openpyxl hashes the whole style, borders' sides included, on each assignment: most of a long export's
        time). The cached entry keeps the style object, so its id is not reused while the sheet is written."""
        entry = self._style_indices.get((key, id(style)))
        if entry is None:
            collection = getattr(self.worksheet.parent, _STYLE_COLLECTIONS[key])
            entry = self._style_indices[(key, id(style))] = (style, collection.add(style))
        return entry[1]

    def append(self, values: Sequence, **style) -> None:
        self.worksheet.append([self._cell(value, **style) for value in values])
        self.row += 1

    def append_styled(self, cells: Sequence[tuple[object, dict]]) -> None:
        """One row whose cells each carry their own style: (value, {"font": …, "fill": …}) pairs."""
        self.worksheet.append([self._cell(value, **style) for value, style in cells])
        self.row += 1

    def heading(self, lines: Sequence[str]) -> None:
        """Bold lines, the first one larger (the sheet's title)."""
        for number, line in enumerate(lines):
            self.append([line], font=_TITLE_FONT if number == 0 else _BOLD)

    def blank(self) -> None:
        self.worksheet.append([])
        self.row += 1

    def table(
        self, columns: Sequence[Column | str], rows: Iterable[Sequence], *, total: Sequence | None = None
    ) -> tuple[int, int]:
        """A header row, the rows and an optional bold total row. Returns (header row, last data row)."""
        headers = [column.header if isinstance(column, Column) else column for column in columns]
        self.append(headers, font=_BOLD, fill=_HEADER_FILL, alignment=_HEADER_ALIGNMENT, border=_BORDER)
        header_row = self.row
        for values in rows:
            self.append(values, border=_BORDER)
        last_data_row = self.row
        if total is not None:
            self.append(total, font=_BOLD, border=_BORDER)
        return header_row, last_data_row

    def filter(self, header_row: int, last_row: int, width: int) -> None:
        """An Excel filter on a table's header (written when the workbook is saved)."""
        self.worksheet.auto_filter.ref = f"A{header_row}:{get_column_letter(width)}{max(last_row, header_row + 1)}"


def add_table(
    workbook: Workbook,
    title: str,
    columns: Sequence[Column],
    rows: Iterable[Sequence],
    *,
    heading: Sequence[str] = (),
    total: Sequence | None = None,
) -> SheetWriter:
    """A sheet holding one list: optional heading lines, then a frozen, filterable table."""
    header_row = len(heading) + (2 if heading else 1)
    sheet = SheetWriter(workbook, title, [column.width for column in columns], freeze_below=header_row + 1)
    if heading:
        sheet.heading(heading)
        sheet.blank()
    header_row, last_row = sheet.table(columns, rows, total=total)
    sheet.filter(header_row, last_row, len(columns))
    return sheet


def to_bytes(workbook: Workbook) -> bytes:
    if not workbook.write_only:
        _neutralise(workbook)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def response(workbook: Workbook | bytes, filename: str) -> FileResponse:
    """The workbook (or its saved bytes) as a download (a Vietnamese filename is fine: Django encodes it per
    RFC 6266)."""
    content = workbook if isinstance(workbook, bytes) else to_bytes(workbook)
    return FileResponse(BytesIO(content), as_attachment=True, filename=filename, content_type=CONTENT_TYPE)
