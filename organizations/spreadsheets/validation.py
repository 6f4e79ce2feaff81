"""Checking the parsed rows against each other and the database, and working out what an import would change
(an ImportPlan). Everything the checks need is loaded up front in a few queries; the rows are then checked in
memory, so the cost does not grow with the number of queries per row."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db import models
from django.db.models import F
from django.utils import timezone

from .. import selectors
from ..models import BaseOrganization, BaseOrganizationKind, Bloc, Cell, Member, MemberStatus
from .columns import CELLS, MEMBERS, ORGANIZATIONS, SheetFormat, dmy
from .errors import ImportRejected, RowError
from .reading import ParsedRow, ParsedSheet, read_workbook

_IN_BATCH = 900  # SQLite's historical limit on bound parameters is 999


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

    def __init__(self, parsed: dict[str, ParsedSheet], errors: list[RowError], on: date):
        self.parsed = parsed
        self.on = on
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
        # Each organisation's and cell's name and validity after the import: a member can only start belonging
        # somewhere that exists on the import day.
        self.final_place = {
            ("organization", code): (o.name, o.valid_from, o.valid_to) for code, o in self.organizations.items()
        }
        self.final_place.update({("cell", code): (c.name, c.valid_from, c.valid_to) for code, c in self.cells.items()})

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
                f"Ngày hết hiệu lực ({dmy(valid_to)}) trước ngày bắt đầu hiệu lực ({dmy(valid_from)}).",
            )

    def _note_place(self, sheet: SheetFormat, kind: str, row: ParsedRow, instance) -> None:
        default_from = sheet.model._meta.get_field("valid_from").get_default()
        self.final_place[kind, row.values["code"]] = (
            self._current(row, instance, "name", ""),
            self._current(row, instance, "valid_from", default_from),
            self._current(row, instance, "valid_to"),
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
            self._note_place(ORGANIZATIONS, "organization", row, instance)
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
            self._note_place(CELLS, "cell", row, instance)
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
            if organization_code is not None and row.usable("organization", "cell", "status"):
                self._check_member_place_exists(row, instance, organization_code)
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

    def _check_member_place_exists(self, row: ParsedRow, instance: Member | None, organization_code: str) -> None:
        """A member starts belonging somewhere (a new member, a move, back to active) only where that place exists
        on the import day, the day the move is dated (services._check_place): an organisation or cell that has
        ended, or whose code names a cell that moved to another organisation, cannot take members."""
        if self._current(row, instance, "status", MemberStatus.ACTIVE) != MemberStatus.ACTIVE:
            return  # no period opens: the row only says where the member was last
        cell_code = row.values.get("cell")
        if instance is not None:
            stored_cell = self.cell_codes.get(instance.cell_id)
            if "cell" not in row.values:
                cell_code = stored_cell
            same_place = (organization_code, cell_code) == (
                self.organization_codes[instance.organization_id],
                stored_cell,
            )
            if same_place and instance.status == MemberStatus.ACTIVE:
                return
        for kind, code, label in (("organization", organization_code, "Tổ chức"), ("cell", cell_code, "Chi bộ")):
            if code is None or (kind, code) not in self.final_place:
                continue
            name, valid_from, valid_to = self.final_place[kind, code]
            if (valid_from is not None and valid_from > self.on) or (valid_to is not None and valid_to < self.on):
                self.error(
                    MEMBERS,
                    row,
                    kind,
                    f"{label} “{name or code}” ({code}) không có hiệu lực vào ngày nhập {dmy(self.on)}"
                    + (f" (hiệu lực đến ngày {dmy(valid_to)})" if valid_to is not None and valid_to < self.on else "")
                    + ": không thể đưa đảng viên vào.",
                )
                return

    def _check_member_dates(self, row: ParsedRow, instance: Member | None) -> None:
        birth = self._current(row, instance, "birth_date")
        admitted = self._current(row, instance, "admitted_on")
        official = self._current(row, instance, "official_on")
        # Both orders are checked before either is reported: a wrong admission date may break both.
        admitted_too_early = row.usable("birth_date", "admitted_on") and birth and admitted and admitted <= birth
        official_too_early = row.usable("official_on", "admitted_on") and official and admitted and official < admitted
        if admitted_too_early:
            self.error(
                MEMBERS, row, "admitted_on", f"Ngày vào Đảng ({dmy(admitted)}) phải sau ngày sinh ({dmy(birth)})."
            )
        if official_too_early:
            self.error(
                MEMBERS,
                row,
                "official_on",
                f"Ngày chính thức ({dmy(official)}) không được trước ngày vào Đảng ({dmy(admitted)}).",
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


def prepare_import(uploaded, *, on: date | None = None) -> ImportPlan:
    """Read and check the whole workbook. Raises ImportRejected listing every problem; otherwise returns what
    the import will create and change (rows that would not change are only counted)."""
    parsed, errors = read_workbook(uploaded)
    plan = _Planner(parsed, errors, on or timezone.localdate()).plan()
    if errors:
        raise ImportRejected(errors)
    return plan


def _some(codes: list[str], limit: int = 5) -> str:
    shown = ", ".join(codes[:limit])
    return shown + (f" và {len(codes) - limit} mã khác" if len(codes) > limit else "")
