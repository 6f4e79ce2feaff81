"""The Excel workbook the committee exchanges about organisations, cells and members: one format shared by the
blank template, the export and the import.

This module only reads: it parses an uploaded workbook, checks every row against the rest of the file and the
database, and works out what an import would change (an ImportPlan); it also builds the template and the
export. The writes happen in organizations.imports.import_workbook, through the services.
"""

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from io import BytesIO
from itertools import islice
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.db.models import F
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from dukportal.core import xlsx
from dukportal.core.text import normalize_text
from dukportal.submissions.files import validate_upload

from . import access, selectors
from .models import BaseOrganization, BaseOrganizationKind, Bloc, Cell, Gender, Member, MemberStatus, Sector

# Column kinds.
TEXT, EMAIL, CHOICE, DATE, REF = "text", "email", "choice", "date", "ref"
# What an empty cell means: an empty string, NULL, or "keep the stored value" (fields with a model default,
# which a new row then gets).
EMPTY, NULL, KEEP = "empty", "null", "keep"

DATE_NUMBER_FORMAT = "DD/MM/YYYY"
# A sheet is streamed, so this only bounds the work a damaged or hostile file can cause.
MAX_ROWS = 100_000
_IN_BATCH = 900  # SQLite's historical limit on bound parameters is 999
_TEXT_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    kind: str = TEXT
    required: bool = False
    choices: type[models.TextChoices] | None = None
    blank: str = EMPTY
    width: int = 20
    hint: str = ""


@dataclass(frozen=True)
class SheetFormat:
    title: str
    model: type[models.Model]
    columns: tuple[Column, ...]

    @property
    def headers(self) -> list[str]:
        return [column.header for column in self.columns]

    def column_for(self, field_name: str) -> Column | None:
        return next((column for column in self.columns if column.field == field_name), None)


_FROM_HINT = "Để trống: giữ nguyên (dòng mới lấy 01/01/2000)."
_TO_HINT = "Không trước ngày bắt đầu hiệu lực. Để trống: còn hiệu lực."

ORGANIZATIONS = SheetFormat(
    "Tổ chức cơ sở",
    BaseOrganization,
    (
        Column("Mã", "code", required=True, width=12, hint="Mã riêng của tổ chức, ví dụ SOTC."),
        Column("Tên tổ chức", "name", required=True, width=45, hint="Ví dụ: Đảng bộ Sở Tài chính."),
        Column("Loại hình", "kind", CHOICE, required=True, choices=BaseOrganizationKind, width=18),
        Column("Khối", "sector", CHOICE, required=True, choices=Sector, width=20),
        Column("Bí thư", "secretary_name", width=25),
        Column("Cán bộ phụ trách dân vận", "danvan_officer_name", width=26),
        Column("Điện thoại", "phone", width=16),
        Column("Thư điện tử", "email", EMAIL, width=28),
        Column("Hiệu lực từ ngày", "valid_from", DATE, blank=KEEP, width=17, hint=_FROM_HINT),
        Column("Hiệu lực đến ngày", "valid_to", DATE, blank=NULL, width=17, hint=_TO_HINT),
    ),
)
CELLS = SheetFormat(
    "Chi bộ trực thuộc",
    Cell,
    (
        Column("Mã", "code", required=True, width=12, hint="Mã riêng của chi bộ."),
        Column("Tên chi bộ", "name", required=True, width=40),
        Column(
            "Mã đảng bộ cơ sở",
            "organization",
            REF,
            required=True,
            width=18,
            hint="Mã của một đảng bộ cơ sở (ở trang “Tổ chức cơ sở” hoặc đã có trong hệ thống).",
        ),
        Column("Bí thư chi bộ", "secretary_name", width=25),
        Column("Hiệu lực từ ngày", "valid_from", DATE, blank=KEEP, width=17, hint=_FROM_HINT),
        Column("Hiệu lực đến ngày", "valid_to", DATE, blank=NULL, width=17, hint=_TO_HINT),
    ),
)
MEMBERS = SheetFormat(
    "Đảng viên",
    Member,
    (
        Column("Số thẻ đảng viên", "code", required=True, width=18, hint="Số thẻ riêng của mỗi đảng viên."),
        Column("Họ và tên", "full_name", required=True, width=28),
        Column("Giới tính", "gender", CHOICE, required=True, choices=Gender, width=11),
        Column("Ngày sinh", "birth_date", DATE, required=True, width=13),
        Column("Ngày vào Đảng", "admitted_on", DATE, required=True, width=15, hint="Sau ngày sinh."),
        Column(
            "Ngày chính thức",
            "official_on",
            DATE,
            blank=NULL,
            width=15,
            hint="Không trước ngày vào Đảng. Để trống nếu chưa là đảng viên chính thức.",
        ),
        Column(
            "Mã tổ chức cơ sở",
            "organization",
            REF,
            required=True,
            width=17,
            hint="Mã tổ chức cơ sở đảng nơi đảng viên sinh hoạt.",
        ),
        Column(
            "Mã chi bộ trực thuộc",
            "cell",
            REF,
            blank=NULL,
            width=20,
            hint="Mã một chi bộ của chính tổ chức đó. Để trống nếu sinh hoạt ở chi bộ cơ sở.",
        ),
        Column(
            "Tình trạng",
            "status",
            CHOICE,
            choices=MemberStatus,
            blank=KEEP,
            width=18,
            hint="Để trống: giữ nguyên (dòng mới: Đang sinh hoạt).",
        ),
    ),
)
SHEETS = (ORGANIZATIONS, CELLS, MEMBERS)
GUIDE_TITLE = "Hướng dẫn"


# --- Errors ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    """One problem in an uploaded workbook. sheet "" and row None: the file as a whole."""

    sheet: str
    row: int | None
    column: str
    message: str


def _error_order(error: RowError):
    titles = [sheet.title for sheet in SHEETS]
    sheet_index = titles.index(error.sheet) if error.sheet in titles else -1
    headers = SHEETS[sheet_index].headers if sheet_index >= 0 else []
    column_index = headers.index(error.column) if error.column in headers else -1
    return sheet_index, error.row or 0, column_index, error.message


class ImportRejected(Exception):
    """The workbook was refused as a whole and nothing was written; `errors` lists every problem found."""

    def __init__(self, errors: list[RowError]):
        self.errors = sorted(errors, key=_error_order)
        super().__init__(f"Tệp bị từ chối: {len(self.errors)} lỗi.")


def _file_error(message: str, **params) -> ImportRejected:
    return ImportRejected([RowError("", None, "", message % params if params else message)])


# --- Reading an uploaded file ---------------------------------------------------------------------------------


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


class _Unreadable(Exception):
    """openpyxl failed while streaming a sheet's XML."""


def _guarded(rows):
    """Rows are parsed lazily in read-only mode, so a sheet broken midway fails while we iterate: tell that
    failure apart from a bug in our own parsing."""
    iterator = iter(rows)
    while True:
        try:
            row = next(iterator)
        except StopIteration:
            return
        except Exception as exc:  # zip, XML, KeyError, ValueError… from a damaged sheet
            raise _Unreadable from exc
        yield row


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
        workbook = load_workbook(uploaded, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zip, XML, KeyError, ValueError… for damaged files
        raise _file_error(unreadable, name=name) from exc

    errors: list[RowError] = []
    parsed: dict[str, ParsedSheet] = {}
    try:
        by_title = {_header_key(ws.title): ws for ws in workbook.worksheets}
        for sheet in SHEETS:
            worksheet = by_title.get(_header_key(sheet.title))
            if worksheet is None:
                continue  # a sheet may be left out of the file
            # Some writers store a wrong <dimension>; read every cell whatever it says.
            worksheet.reset_dimensions()
            rows = _guarded(islice(worksheet.iter_rows(values_only=True), MAX_ROWS + 1))
            result = _read_sheet(sheet, rows, errors)
            if result is not None:
                parsed[sheet.title] = result
    except _Unreadable as exc:
        raise _file_error(unreadable, name=name) from exc
    finally:
        workbook.close()

    if not parsed and not errors:
        raise _file_error(f"Tệp không có trang tính nào theo mẫu (cần ít nhất một trong các trang: {_titles()}).")
    if not errors and not any(sheet.rows for sheet in parsed.values()):
        raise _file_error("Tệp không có dòng dữ liệu nào để nhập.")
    return parsed, errors


# --- Checking the rows and planning the import ----------------------------------------------------------------


@dataclass
class Change:
    """One row to write. References to organisations and cells are codes until the writer resolves them."""

    row: int
    instance: models.Model | None  # None: a new row
    fields: dict
    later: dict = field(default_factory=dict)  # written after the cells (see _Planner._plan_sheet)


@dataclass
class SheetPlan:
    format: SheetFormat
    changes: list[Change] = field(default_factory=list)
    unchanged: int = 0


@dataclass
class ImportPlan:
    sheets: dict[str, SheetPlan]  # only the sheets present in the file
    organizations: dict[str, BaseOrganization]  # stored rows, by code
    cells: dict[str, Cell]
    bloc: Bloc | None  # new organisations attach to it


_UNKNOWN = object()  # a code whose row is itself in error: its dependents are not reported again


def _in_batches(values: list, size: int = _IN_BATCH):
    for start in range(0, len(values), size):
        yield values[start : start + size]


class _Planner:
    """Checks every row against the file and the database, then works out each row's change. Rows are keyed on
    their code; the 'final' maps describe the state after the import, so a cell may name an organisation that
    the same file creates."""

    def __init__(self, parsed: dict[str, ParsedSheet], errors: list[RowError]):
        self.parsed = parsed
        self.errors = errors
        self.organizations = {o.code: o for o in BaseOrganization.objects.all()}
        self.organization_codes = {o.pk: code for code, o in self.organizations.items()}
        # A moved cell's closed row shares its code with the open row under its new parent: the open one wins.
        all_cells = list(Cell.objects.order_by(F("valid_to").asc(nulls_last=True), "pk"))
        self.cells = {c.code: c for c in all_cells}
        self.cell_codes = {c.pk: c.code for c in all_cells}
        self.final_kind = {code: o.kind for code, o in self.organizations.items()}
        self.final_cell_organization = {
            code: self.organization_codes[c.organization_id] for code, c in self.cells.items()
        }

    def error(self, sheet: SheetFormat, row: ParsedRow, field_name: str, message: str) -> None:
        column = sheet.column_for(field_name)
        self.errors.append(RowError(sheet.title, row.number, column.header if column else "", message))
        row.invalid.add(field_name)

    def _unique_rows(self, sheet: SheetFormat) -> list[ParsedRow]:
        """Rows whose code appears once in the sheet; a repeated code is reported on each later row."""
        first_seen: dict[str, int] = {}
        unique = []
        for row in self.parsed[sheet.title].rows:
            code = row.values.get("code")
            if code is None:
                continue
            if code in first_seen:
                self.error(sheet, row, "code", f"Mã “{code}” bị trùng với dòng {first_seen[code]}.")
                continue
            first_seen[code] = row.number
            unique.append(row)
        return unique

    def _current(self, row: ParsedRow, instance, name: str, default=None):
        if name in row.values:
            return row.values[name]
        if instance is not None:
            return getattr(instance, name)
        return default

    def _check_validity(self, sheet: SheetFormat, row: ParsedRow, instance) -> None:
        default_from = sheet.model._meta.get_field("valid_from").get_default()
        valid_from = self._current(row, instance, "valid_from", default_from)
        valid_to = self._current(row, instance, "valid_to")
        if valid_to is not None and valid_from is not None and valid_to < valid_from:
            self.error(
                sheet,
                row,
                "valid_to",
                f"Ngày hết hiệu lực ({_dmy(valid_to)}) trước ngày bắt đầu hiệu lực ({_dmy(valid_from)}).",
            )

    def _diff(self, instance, values: dict) -> dict:
        if instance is None:
            return dict(values)
        changed = {}
        for name, value in values.items():
            if name == "organization":
                current = self.organization_codes.get(instance.organization_id)
            elif name == "cell":
                current = self.cell_codes.get(instance.cell_id)
            else:
                current = getattr(instance, name)
            if current != value:
                changed[name] = value
        return changed

    def _plan_sheet(self, sheet: SheetFormat, rows: list[tuple[ParsedRow, models.Model | None]]) -> SheetPlan:
        plan = SheetPlan(sheet)
        for row, instance in rows:
            if row.bad:
                continue
            changed = self._diff(instance, row.values)
            if not changed:
                plan.unchanged += 1
                continue
            change = Change(row.number, instance, changed)
            if (
                sheet is ORGANIZATIONS
                and instance is not None
                and instance.kind == BaseOrganizationKind.COMMITTEE
                and changed.get("kind") == BaseOrganizationKind.CELL
            ):
                # The database refuses a chi bộ cơ sở with cells; its cells may move away in this same file,
                # so the kind changes only after the cells are written.
                change.later["kind"] = change.fields.pop("kind")
            plan.changes.append(change)
        return plan

    # Organisations -----------------------------------------------------------------------------------------

    def check_organizations(self) -> list:
        rows = []
        for row in self._unique_rows(ORGANIZATIONS):
            code = row.values["code"]
            instance = self.organizations.get(code)
            if row.usable("valid_from", "valid_to"):
                self._check_validity(ORGANIZATIONS, row, instance)
            self.final_kind[code] = row.values.get("kind", _UNKNOWN)
            rows.append((row, instance))
        return rows

    def check_organizations_keep_cells(self, rows: list) -> None:
        """A đảng bộ cơ sở that still has cells after the import cannot become a chi bộ cơ sở."""
        cells_of = defaultdict(list)
        for code, organization_code in self.final_cell_organization.items():
            if organization_code is not _UNKNOWN:
                cells_of[organization_code].append(code)
        for row, _instance in rows:
            code = row.values["code"]
            if row.values.get("kind") == BaseOrganizationKind.CELL and cells_of.get(code):
                self.error(
                    ORGANIZATIONS,
                    row,
                    "kind",
                    f"Tổ chức đang có chi bộ trực thuộc ({_some(sorted(cells_of[code]))}) nên không thể là "
                    "chi bộ cơ sở.",
                )

    # Cells -------------------------------------------------------------------------------------------------

    def _check_parent(self, sheet: SheetFormat, row: ParsedRow, organization_code: str) -> bool:
        kind = self.final_kind.get(organization_code)
        if kind is _UNKNOWN:  # that organisation's row is in error and says so
            row.invalid.add("organization")
            return False
        if kind is None:
            self.error(
                sheet,
                row,
                "organization",
                f"Không có tổ chức cơ sở mã “{organization_code}” trong tệp hay trong hệ thống.",
            )
            return False
        if sheet is CELLS and kind != BaseOrganizationKind.COMMITTEE:
            self.error(
                sheet,
                row,
                "organization",
                f"“{organization_code}” là chi bộ cơ sở; chi bộ trực thuộc chỉ đặt dưới một đảng bộ cơ sở.",
            )
            return False
        return True

    def check_cells(self) -> list:
        rows = []
        for row in self._unique_rows(CELLS):
            code = row.values["code"]
            instance = self.cells.get(code)
            parent = row.values.get("organization")
            if parent is not None and self._check_parent(CELLS, row, parent):
                self.final_cell_organization[code] = parent
            else:  # members naming this cell are not reported again: the cell's own row says what is wrong
                self.final_cell_organization[code] = _UNKNOWN
            if row.usable("valid_from", "valid_to"):
                self._check_validity(CELLS, row, instance)
            rows.append((row, instance))
        return rows

    def check_cells_take_their_members(self, rows: list, member_codes_in_file: set[str]) -> None:
        """A cell that moves to another organisation must not leave members behind in the old one."""
        moved = {
            instance.code: row
            for row, instance in rows
            if instance is not None
            and self.final_cell_organization[instance.code] is not _UNKNOWN
            and self.organization_codes[instance.organization_id] != self.final_cell_organization[instance.code]
        }
        if not moved:
            return
        left_behind = defaultdict(list)
        for batch in _in_batches(list(moved)):
            members = Member.objects.filter(cell__code__in=batch).values_list("code", "cell__code", "organization_id")
            for code, cell_code, organization_id in members:
                if code in member_codes_in_file:
                    continue  # the member's own row says where it goes and is checked there
                if self.organization_codes[organization_id] != self.final_cell_organization[cell_code]:
                    left_behind[cell_code].append(code)
        for cell_code, codes in left_behind.items():
            self.error(
                CELLS,
                moved[cell_code],
                "organization",
                f"Chi bộ còn {len(codes)} đảng viên ở tổ chức cũ (số thẻ {_some(sorted(codes))}); hãy chuyển cả "
                "các đảng viên này trong trang “Đảng viên”.",
            )

    # Members -----------------------------------------------------------------------------------------------

    def check_members(self) -> list:
        unique = self._unique_rows(MEMBERS)
        stored = {}
        for batch in _in_batches([row.values["code"] for row in unique]):
            stored.update((m.code, m) for m in Member.objects.filter(code__in=batch))
        rows = []
        for row in unique:
            instance = stored.get(row.values["code"])
            rows.append((row, instance))
            organization_code = row.values.get("organization")
            if organization_code is not None and self._check_parent(MEMBERS, row, organization_code):
                self._check_member_cell(row, instance, organization_code)
            self._check_member_dates(row, instance)
        return rows

    def _check_member_cell(self, row: ParsedRow, instance: Member | None, organization_code: str) -> None:
        if not row.usable("cell"):
            return
        if "cell" in row.values:
            cell_code = row.values["cell"]
        else:  # the column is not in the file: the member stays in its stored cell
            cell_code = self.cell_codes.get(instance.cell_id) if instance is not None else None
        if cell_code is None:
            return
        cell_organization = self.final_cell_organization.get(cell_code)
        if cell_organization is None:
            self.error(
                MEMBERS, row, "cell", f"Không có chi bộ trực thuộc mã “{cell_code}” trong tệp hay trong hệ thống."
            )
        elif cell_organization is _UNKNOWN:  # the cell's own row is in error and says so
            row.invalid.add("cell")
        elif cell_organization != organization_code:
            self.error(
                MEMBERS,
                row,
                "cell",
                f"Chi bộ “{cell_code}” thuộc tổ chức “{cell_organization}”, không thuộc tổ chức "
                f"“{organization_code}” của đảng viên.",
            )

    def _check_member_dates(self, row: ParsedRow, instance: Member | None) -> None:
        birth = self._current(row, instance, "birth_date")
        admitted = self._current(row, instance, "admitted_on")
        official = self._current(row, instance, "official_on")
        # Both orders are checked before either is reported: a wrong admission date may break both.
        admitted_too_early = row.usable("birth_date", "admitted_on") and birth and admitted and admitted <= birth
        official_too_early = row.usable("official_on", "admitted_on") and official and admitted and official < admitted
        if admitted_too_early:
            self.error(
                MEMBERS, row, "admitted_on", f"Ngày vào Đảng ({_dmy(admitted)}) phải sau ngày sinh ({_dmy(birth)})."
            )
        if official_too_early:
            self.error(
                MEMBERS,
                row,
                "official_on",
                f"Ngày chính thức ({_dmy(official)}) không được trước ngày vào Đảng ({_dmy(admitted)}).",
            )

    # Together ----------------------------------------------------------------------------------------------

    def plan(self) -> ImportPlan:
        present = self.parsed.keys()
        organization_rows = self.check_organizations() if ORGANIZATIONS.title in present else []
        cell_rows = self.check_cells() if CELLS.title in present else []
        self.check_organizations_keep_cells(organization_rows)
        member_rows = self.check_members() if MEMBERS.title in present else []
        self.check_cells_take_their_members(cell_rows, {row.values["code"] for row, _ in member_rows})

        sheets = {}
        for sheet, rows in ((ORGANIZATIONS, organization_rows), (CELLS, cell_rows), (MEMBERS, member_rows)):
            if sheet.title in present:
                sheets[sheet.title] = self._plan_sheet(sheet, rows)
        bloc = None
        new_organizations = ORGANIZATIONS.title in sheets and any(
            change.instance is None for change in sheets[ORGANIZATIONS.title].changes
        )
        if new_organizations:
            bloc = selectors.current_bloc()
            if bloc is None:
                self.errors.append(
                    RowError("", None, "", "Hệ thống chưa có Đảng ủy Khối nên chưa thể thêm tổ chức cơ sở mới.")
                )
        return ImportPlan(sheets, self.organizations, self.cells, bloc)


def prepare_import(uploaded) -> ImportPlan:
    """Read and check the whole workbook. Raises ImportRejected listing every problem; otherwise returns what
    the import will create and change (rows that would not change are only counted)."""
    parsed, errors = read_workbook(uploaded)
    plan = _Planner(parsed, errors).plan()
    if errors:
        raise ImportRejected(errors)
    return plan


def _titles() -> str:
    return ", ".join(f"“{sheet.title}”" for sheet in SHEETS)


def _dmy(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _some(codes: list[str], limit: int = 5) -> str:
    shown = ", ".join(codes[:limit])
    return shown + (f" và {len(codes) - limit} mã khác" if len(codes) > limit else "")


# --- Template and export --------------------------------------------------------------------------------------

_HEADER_FONT = Font(bold=True)
_REQUIRED_FILL = PatternFill("solid", fgColor="F8D7DA")
_OPTIONAL_FILL = PatternFill("solid", fgColor="E9ECEF")
_WRAP = Alignment(wrap_text=True, vertical="top")


def _choice_validation(column: Column) -> DataValidation:
    labels = [str(label) for label in column.choices.labels]
    # An inline list is comma-separated, quoted and capped at 255 characters by Excel.
    assert all("," not in label and '"' not in label for label in labels)
    formula = '"' + ",".join(labels) + '"'
    assert len(formula) <= 255
    return DataValidation(
        type="list",
        formula1=formula,
        allow_blank=True,
        showDropDown=False,  # (sic) False shows the in-cell arrow
        showErrorMessage=True,
        errorTitle="Giá trị không hợp lệ",
        error=f"Hãy chọn một giá trị trong danh sách: {'; '.join(labels)}.",
        showInputMessage=True,
        promptTitle=column.header,
        prompt="Chọn trong danh sách.",
    )


def _add_format_sheet(workbook: Workbook, sheet: SheetFormat, rows) -> None:
    worksheet = workbook.create_sheet(sheet.title)
    xlsx.append_row(worksheet, sheet.headers)
    for index, column in enumerate(sheet.columns, start=1):
        letter = get_column_letter(index)
        header = worksheet.cell(row=1, column=index)
        header.font = _HEADER_FONT
        header.fill = _REQUIRED_FILL if column.required else _OPTIONAL_FILL
        dimension = worksheet.column_dimensions[letter]
        dimension.width = column.width
        # Cells the user types into are text: codes and phone numbers keep their zeros ("0216…", "001"), and a
        # typed "05/03/2026" stays text that we read as dd/mm/yyyy, where an Excel set to a US locale would
        # silently turn it into 3 May. Dates written by the export are real date cells (formatted below).
        dimension.number_format = "@"
        if column.kind == CHOICE:
            validation = _choice_validation(column)
            validation.add(f"{letter}2:{letter}1048576")
            worksheet.add_data_validation(validation)
    worksheet.freeze_panes = "A2"
    date_columns = [index for index, column in enumerate(sheet.columns, start=1) if column.kind == DATE]
    last_row = 1
    for last_row, values in enumerate(rows, start=2):
        xlsx.append_row(worksheet, values)
        for index in date_columns:
            worksheet.cell(row=last_row, column=index).number_format = DATE_NUMBER_FORMAT
    # (worksheet.max_row scans every cell, so it is not asked once per row.)
    worksheet.auto_filter.ref = f"A1:{get_column_letter(len(sheet.columns))}{max(last_row, 2)}"


def _add_guide(workbook: Workbook) -> None:
    worksheet = workbook.create_sheet(GUIDE_TITLE, 0)
    worksheet.column_dimensions["A"].width = 20
    worksheet.column_dimensions["B"].width = 28
    worksheet.column_dimensions["C"].width = 10
    worksheet.column_dimensions["D"].width = 90
    xlsx.append_row(worksheet, ["HƯỚNG DẪN NHẬP DỮ LIỆU TỔ CHỨC CƠ SỞ ĐẢNG, CHI BỘ TRỰC THUỘC VÀ ĐẢNG VIÊN"])
    worksheet["A1"].font = Font(bold=True, size=13)
    notes = [
        f"Mỗi loại dữ liệu nằm ở một trang tính: {_titles()}. Giữ nguyên tên trang tính và dòng tiêu đề "
        "(dòng 1); trang tính không cần nhập thì có thể xóa.",
        "Mỗi dòng được nhận ra theo mã (với đảng viên là số thẻ đảng viên): mã đã có trong hệ thống thì cập nhật, "
        "mã chưa có thì thêm mới. Nhập lại đúng tệp đã nhập không làm thay đổi gì.",
        "Tệp được kiểm tra toàn bộ trước khi nhập: chỉ cần một dòng có lỗi thì không dòng nào được nhập; hệ thống "
        "liệt kê từng lỗi theo trang tính, dòng và cột để sửa.",
        "Ngày tháng nhập theo dạng dd/mm/yyyy (ví dụ 05/03/2026) hoặc dùng ô kiểu ngày của Excel. Các cột "
        "trong mẫu để định dạng chữ (Text) để Excel không tự đổi ngày theo kiểu tháng/ngày.",
        "Cột có danh sách chọn phải dùng đúng một giá trị trong danh sách. Cột tô màu đỏ nhạt là cột bắt buộc.",
        "Ô để trống ở cột không bắt buộc sẽ xóa giá trị đang có; riêng “Hiệu lực từ ngày” và “Tình trạng” để "
        "trống thì giữ nguyên giá trị đang có.",
        "Chi bộ trực thuộc và đảng viên có thể dùng mã của tổ chức mới khai báo ở trang “Tổ chức cơ sở” trong "
        "cùng tệp.",
        "Chỉ nhận tệp .xlsx (Excel Workbook).",
    ]
    for number, note in enumerate(notes, start=1):
        xlsx.append_row(worksheet, [f"{number}.", note])
        worksheet.merge_cells(start_row=worksheet.max_row, start_column=2, end_row=worksheet.max_row, end_column=4)
        worksheet.cell(row=worksheet.max_row, column=2).alignment = _WRAP
        worksheet.row_dimensions[worksheet.max_row].height = 32
    xlsx.append_row(worksheet, [])
    xlsx.append_row(worksheet, ["Trang tính", "Cột", "Bắt buộc", "Cách nhập"])
    for cell in worksheet[worksheet.max_row]:
        cell.font = _HEADER_FONT
        cell.fill = _OPTIONAL_FILL
    for sheet in SHEETS:
        for column in sheet.columns:
            hint = column.hint
            if column.kind == CHOICE:
                labels = "; ".join(str(label) for label in column.choices.labels)
                hint = f"Chọn: {labels}. {hint}".strip()
            elif column.kind == DATE and not hint:
                hint = "Dạng dd/mm/yyyy."
            elif column.kind == EMAIL and not hint:
                hint = "Một địa chỉ thư điện tử hợp lệ."
            xlsx.append_row(worksheet, [sheet.title, column.header, "Có" if column.required else "", hint])
            worksheet.cell(row=worksheet.max_row, column=4).alignment = _WRAP


def build_template() -> Workbook:
    """The blank workbook to fill in: the guide, then one sheet per kind of row with headers and dropdowns."""
    workbook = xlsx.new_workbook(write_only=False)
    for sheet in SHEETS:
        _add_format_sheet(workbook, sheet, rows=())
    _add_guide(workbook)
    workbook.active = 0
    return workbook


def _labels(choices: type[models.TextChoices]) -> dict[str, str]:
    return {value: str(label) for value, label in choices.choices}


EXPORT_CHUNK = 2000  # rows fetched per round trip while streaming the export (memory stays flat)


def _stream_format_sheet(workbook: Workbook, sheet: SheetFormat, rows, on_row=lambda: None) -> None:
    """The write-only twin of _add_format_sheet: the same header, widths, text columns, dropdowns, frozen
    header and filter, with the rows streamed to disk as they come (column settings precede the rows)."""
    writer = xlsx.SheetWriter(workbook, sheet.title, [column.width for column in sheet.columns], freeze_below=2)
    worksheet = writer.worksheet
    for index, column in enumerate(sheet.columns, start=1):
        letter = get_column_letter(index)
        worksheet.column_dimensions[letter].number_format = "@"  # see _add_format_sheet
        if column.kind == CHOICE:
            validation = _choice_validation(column)
            validation.add(f"{letter}2:{letter}1048576")
            worksheet.data_validations.append(validation)
    writer.append_styled(
        [
            (header, {"font": _HEADER_FONT, "fill": _REQUIRED_FILL if column.required else _OPTIONAL_FILL})
            for header, column in zip(sheet.headers, sheet.columns, strict=True)
        ]
    )
    for values in rows:
        writer.append(values)  # dates become date cells formatted DD/MM/YYYY
        on_row()
    writer.filter(1, writer.row, len(sheet.columns))


def export_xlsx(user, progress: Callable[[int], None] = lambda percent: None) -> bytes:
    """Every organisation, cell and member the user may read, in the import format (re-importing it is a
    no-op), as the saved file. Three queries whatever the number of rows, read in chunks and written in
    write-only mode, so a background job's memory stays flat; `progress` gets the percentage done."""
    kinds, sectors = _labels(BaseOrganizationKind), _labels(Sector)
    genders, statuses = _labels(Gender), _labels(MemberStatus)
    organizations = (
        access.organizations_visible_to(user)
        .order_by("sort_key", "code")
        .values_list(
            "code", "name", "kind", "sector", "secretary_name", "danvan_officer_name", "phone", "email",
            "valid_from", "valid_to",
        )
    )  # fmt: skip
    cells = (
        access.scope(Cell.objects.filter(moved_to__isnull=True), user)  # a moved cell: its latest row only
        .order_by("organization__sort_key", "organization__code", "sort_key", "code")
        .values_list("code", "name", "organization__code", "secretary_name", "valid_from", "valid_to")
    )
    members = (
        access.scope(Member.objects.all(), user)
        .order_by("organization__sort_key", "organization__code", "sort_key", "code")
        .values_list(
            "code", "full_name", "gender", "birth_date", "admitted_on", "official_on", "organization__code",
            "cell__code", "status",
        )
    )  # fmt: skip
    # The bar moves one point per chunk of rows within each sheet's band (the members dominate): counting the
    # rows first would cost queries on every export, and the bar only has to move forward, never back.
    state = {"rows": 0, "percent": 0, "cap": 0}

    def report(percent: int) -> None:
        if percent > state["percent"]:
            state["percent"] = percent
            progress(percent)

    def band(start: int, end: int):
        report(start)
        state["cap"] = end

    def on_row():
        state["rows"] += 1
        if state["rows"] % EXPORT_CHUNK == 0:
            report(min(state["cap"], state["percent"] + 1))

    workbook = xlsx.new_workbook()
    band(1, 9)
    _stream_format_sheet(
        workbook,
        ORGANIZATIONS,
        (
            (c, n, kinds[k], sectors[s], sec, dv, ph, em, vf, vt)
            for c, n, k, s, sec, dv, ph, em, vf, vt in organizations.iterator(chunk_size=EXPORT_CHUNK)
        ),
        on_row,
    )
    band(10, 19)
    _stream_format_sheet(workbook, CELLS, cells.iterator(chunk_size=EXPORT_CHUNK), on_row)
    band(20, 95)
    _stream_format_sheet(
        workbook,
        MEMBERS,
        (
            (c, n, genders[g], b, a, o, org, cell, statuses[st])
            for c, n, g, b, a, o, org, cell, st in members.iterator(chunk_size=EXPORT_CHUNK)
        ),
        on_row,
    )
    report(96)
    data = xlsx.to_bytes(workbook)
    report(100)
    return data


def build_export(user) -> Workbook:
    """The export (export_xlsx) read back as a workbook, for callers that inspect its rows."""
    return load_workbook(BytesIO(export_xlsx(user)))
