"""Reading an uploaded workbook: the file checks, then each sheet's header and cells parsed into values, with a
Vietnamese error for every cell that cannot be read. Nothing here touches the database."""

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.utils.translation import get_language
from python_calamine import CalamineWorkbook

from dukportal.core import xlsx
from dukportal.core.text import normalize_text
from dukportal.submissions.files import validate_upload

from .columns import CHOICE, DATE, EMAIL, EMPTY, NULL, SHEETS, TEXT, Column, SheetFormat, titles
from .errors import ImportRejected, RowError, file_error

# Bounds the work (and memory: calamine reads a sheet whole) that a damaged or hostile file can cause.
MAX_ROWS = 100_000
_TEXT_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def check_upload(uploaded) -> None:
    """Refuse anything but a genuine .xlsx within settings.UPLOAD_MAX_BYTES (ValidationError, Vietnamese)."""
    name = getattr(uploaded, "name", "") or ""
    if PurePath(name).suffix.lower() != ".xlsx":
        raise ValidationError(
            "Tệp “%(name)s” không phải tệp Excel .xlsx. Hãy lưu tệp theo định dạng “Excel Workbook (*.xlsx)” "
            "(có thể tải tệp mẫu ở trang này) rồi tải lên lại.",
            code="extension",
            params={"name": PurePath(name).name},
        )
    validate_upload(uploaded)  # size cap, empty file, and the type read from the content (libmagic)


class _Invalid(Exception):
    """A cell value that cannot be read; the message is Vietnamese and shown to the user."""


def _is_blank(raw) -> bool:
    return raw is None or (isinstance(raw, str) and not normalize_text(raw))


def _text(raw) -> str:
    if isinstance(raw, (datetime, date)):
        raise _Invalid("Cột này nhập chữ, không nhập ngày tháng.")
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)  # a code or phone number that Excel stored as a number
    # A portal export quoted text that looked like a formula ('=…, '+84…): re-importing it changes nothing.
    return normalize_text(xlsx.unescape(str(raw)))


def _date(raw) -> date:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if not isinstance(raw, str):
        raise _Invalid("Ngày tháng phải là ô kiểu ngày của Excel hoặc chữ dạng dd/mm/yyyy, ví dụ 05/03/2026.")
    text = normalize_text(raw)
    if match := _TEXT_DATE.match(text):
        day, month, year = (int(part) for part in match.groups())
    elif match := _ISO_DATE.match(text):
        year, month, day = (int(part) for part in match.groups())
    else:
        raise _Invalid(f"“{text}” không phải ngày tháng dạng dd/mm/yyyy (ví dụ 05/03/2026).")
    try:
        return date(year, month, day)
    except ValueError:
        raise _Invalid(f"Ngày “{text}” không tồn tại.") from None


def _choice_lookup(choices: type[models.TextChoices]) -> dict[str, str]:
    return _choice_lookup_in(choices, get_language())


@cache  # asked once per cell: built once per process and language
def _choice_lookup_in(choices: type[models.TextChoices], language: str | None) -> dict[str, str]:
    """Vietnamese labels (and, for convenience, the stored English values), compared without case."""
    lookup = {}
    for value, label in choices.choices:
        lookup[normalize_text(str(label)).casefold()] = value
        lookup[value.casefold()] = value
    return lookup


def _choice(raw, choices: type[models.TextChoices]) -> str:
    text = _text(raw)
    value = _choice_lookup(choices).get(text.casefold())
    if value is None:
        allowed = "; ".join(str(label) for label in choices.labels)
        raise _Invalid(f"“{text}” không có trong danh sách: {allowed}.")
    return value


def _max_length(sheet: SheetFormat, column: Column) -> int | None:
    if column.kind not in (TEXT, EMAIL):
        return None
    return sheet.model._meta.get_field(column.field).max_length


def _parse_value(sheet: SheetFormat, column: Column, raw):
    if column.kind == DATE:
        return _date(raw)
    if column.kind == CHOICE:
        return _choice(raw, column.choices)
    text = _text(raw)
    limit = _max_length(sheet, column)
    if limit and len(text) > limit:
        raise _Invalid(f"Dài {len(text)} ký tự, vượt quá {limit} ký tự cho phép.")
    if column.kind == EMAIL:
        try:
            validate_email(text)
        except ValidationError:
            raise _Invalid(f"Địa chỉ thư điện tử “{text}” không hợp lệ.") from None
    return text


@dataclass
class ParsedRow:
    number: int  # the Excel row number, as the user sees it
    values: dict  # field → value; a KEEP column left empty, or a column missing from the file, is absent
    invalid: set[str] = field(default_factory=set)  # fields in error (or depending on a row in error)

    @property
    def bad(self) -> bool:
        return bool(self.invalid)

    def usable(self, *names: str) -> bool:
        """Whether checks that read these fields can run without repeating an error already reported."""
        return not self.invalid.intersection(names)


@dataclass
class ParsedSheet:
    format: SheetFormat
    rows: list[ParsedRow]


def _header_key(value) -> str:
    return normalize_text("" if value is None else str(value)).rstrip("*").strip().casefold()


def _read_sheet(sheet: SheetFormat, rows, errors: list[RowError]) -> ParsedSheet | None:
    def error(row: int | None, column: str, message: str) -> None:
        errors.append(RowError(sheet.title, row, column, message))

    header = next(rows, None)
    if header is None or all(_is_blank(value) for value in header):
        return None  # an emptied sheet counts as left out
    known = {_header_key(column.header): column for column in sheet.columns}
    positions: list[tuple[int, Column]] = []
    seen: set[str] = set()
    for index, value in enumerate(header or ()):
        column = known.get(_header_key(value))
        if column is None:
            continue  # extra columns (notes, row numbers) are ignored
        if column.field in seen:
            error(1, column.header, f"Cột “{column.header}” xuất hiện hai lần ở dòng tiêu đề.")
        seen.add(column.field)
        positions.append((index, column))
    missing = [column for column in sheet.columns if column.required and column.field not in seen]
    for column in missing:
        error(1, column.header, f"Thiếu cột “{column.header}” ở dòng tiêu đề (dòng 1).")
    if missing or len(positions) != len(seen):
        return None

    parsed = ParsedSheet(sheet, [])
    for number, raw_row in enumerate(rows, start=2):
        if number > MAX_ROWS:
            limit = f"{MAX_ROWS:,}".replace(",", ".")
            error(None, "", f"Trang tính có hơn {limit} dòng; hãy xóa các dòng trống thừa hoặc chia thành nhiều tệp.")
            break
        if all(_is_blank(raw) for raw in raw_row):
            continue
        row = ParsedRow(number, {})
        for index, column in positions:
            raw = raw_row[index] if index < len(raw_row) else None
            if _is_blank(raw):
                if column.required:
                    error(number, column.header, "Chưa nhập (cột bắt buộc).")
                    row.invalid.add(column.field)
                elif column.blank == EMPTY:
                    row.values[column.field] = ""
                elif column.blank == NULL:
                    row.values[column.field] = None
                continue
            try:
                row.values[column.field] = _parse_value(sheet, column, raw)
            except _Invalid as exc:
                error(number, column.header, str(exc))
                row.invalid.add(column.field)
        parsed.rows.append(row)
    return parsed


def _sheet_rows(workbook: CalamineWorkbook, title: str) -> list[list]:
    """The sheet's rows from A1 (an empty leading row or column keeps its place, so indices and row numbers
    are Excel's), at most MAX_ROWS + 1 of them. calamine gives an empty cell as "", a number as float,
    a date cell as date or datetime: the parsers above read all of them as openpyxl's values."""
    return workbook.get_sheet_by_name(title).to_python(skip_empty_area=False, nrows=MAX_ROWS + 1)


def read_workbook(uploaded) -> tuple[dict[str, ParsedSheet], list[RowError]]:
    """Parse the sheets of the format that the file contains (others are ignored). Raises ImportRejected when
    the file itself is unusable; row-level problems come back in the error list."""
    try:
        check_upload(uploaded)
    except ValidationError as error:
        raise ImportRejected([RowError("", None, "", message) for message in error.messages]) from error

    name = PurePath(getattr(uploaded, "name", "") or "").name
    unreadable = "Không đọc được tệp “%(name)s”: tệp bị hỏng hoặc không đúng định dạng Excel .xlsx."
    uploaded.seek(0)
    try:
        # python-calamine (Rust) reads a sheet several times faster than openpyxl, whose parsing of the inline
        # strings that write-only files (the portal's export) use dominated an import of 5,000 members.
        workbook = CalamineWorkbook.from_filelike(uploaded)
    except Exception as exc:  # calamine raises zip, XML and format errors for damaged files
        raise file_error(unreadable, name=name) from exc

    errors: list[RowError] = []
    parsed: dict[str, ParsedSheet] = {}
    try:
        by_title = {_header_key(title): title for title in workbook.sheet_names}
        for sheet in SHEETS:
            title = by_title.get(_header_key(sheet.title))
            if title is None:
                continue  # a sheet may be left out of the file
            try:
                rows = _sheet_rows(workbook, title)
            except Exception as exc:  # a sheet broken midway (zip, XML) fails when it is read
                raise file_error(unreadable, name=name) from exc
            result = _read_sheet(sheet, iter(rows), errors)
            if result is not None:
                parsed[sheet.title] = result
    finally:
        workbook.close()

    if not parsed and not errors:
        raise file_error(f"Tệp không có trang tính nào theo mẫu (cần ít nhất một trong các trang: {titles()}).")
    if not errors and not any(sheet.rows for sheet in parsed.values()):
        raise file_error("Tệp không có dòng dữ liệu nào để nhập.")
    return parsed, errors
