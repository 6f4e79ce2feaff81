"""Excel import of organisations, cells and members: the whole file or nothing.

organizations.spreadsheets reads and checks the workbook and works out which rows are new or changed; this
module writes those rows through the services (which normalise text, refresh keys, validate and audit), so an
unchanged row costs no write and no audit entry.
"""

import logging
from dataclasses import dataclass, field
from datetime import date
from functools import partial

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from .. import services
from .columns import CELLS, MEMBERS, ORGANIZATIONS, SheetFormat
from .errors import ImportRejected, RowError
from .validation import Change, prepare_import

__all__ = ["ImportRejected", "ImportResult", "SheetCounts", "import_workbook"]

logger = logging.getLogger(__name__)


@dataclass
class SheetCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ImportResult:
    counts: dict[str, SheetCounts] = field(default_factory=dict)  # by sheet title; only sheets in the file

    @property
    def organizations(self) -> SheetCounts | None:
        return self.counts.get(ORGANIZATIONS.title)

    @property
    def cells(self) -> SheetCounts | None:
        return self.counts.get(CELLS.title)

    @property
    def members(self) -> SheetCounts | None:
        return self.counts.get(MEMBERS.title)

    @property
    def changed(self) -> bool:
        return any(c.created or c.updated for c in self.counts.values())

    def summary(self) -> str:
        parts = [
            f"{title}: {c.created} thêm mới, {c.updated} cập nhật, {c.unchanged} không đổi"
            for title, c in self.counts.items()
        ]
        lead = "Đã nhập dữ liệu." if self.changed else "Dữ liệu trong tệp trùng với dữ liệu đã có, không có thay đổi."
        return f"{lead} {'; '.join(parts)}."


def _rejected(sheet: SheetFormat, change: Change, exc: Exception) -> ImportRejected:
    """A row the checks let through but the model or the database refused (the checks should make this
    unreachable): refuse the file with the row's errors rather than fail with a server error."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        errors = []
        for name, messages in exc.message_dict.items():
            column = sheet.column_for(name)
            errors.extend(RowError(sheet.title, change.row, column.header if column else "", m) for m in messages)
        return ImportRejected(errors)
    if isinstance(exc, ValidationError):
        return ImportRejected([RowError(sheet.title, change.row, "", m) for m in exc.messages])
    logger.warning("Excel import: row %s of %s refused by the database: %s", change.row, sheet.title, exc)
    return ImportRejected(
        [RowError(sheet.title, change.row, "", "Không lưu được dòng này vì mâu thuẫn với dữ liệu đã có.")]
    )


@transaction.atomic
def import_workbook(*, actor, file, on: date | None = None) -> ImportResult:
    """Import an uploaded .xlsx in the shared format (see organizations.spreadsheets). Every row is checked
    first; any problem raises ImportRejected with the full list and nothing is written. Rows are upserted on
    their code; re-importing the same file creates, changes and audits nothing.

    Members keep their history: a row that puts a member in another organisation or cell is a transfer from
    `on` (the import date, default today), a status no longer active ends their period on that day (see
    services.member_save); the file itself only says where each member is now."""
    on = on or timezone.localdate()
    plan = prepare_import(file)
    organizations = dict(plan.organizations)
    cells = dict(plan.cells)
    result = ImportResult()

    def write(sheet: SheetFormat, save, change: Change, fields: dict):
        try:
            return save(actor=actor, instance=change.instance, **fields)
        except (ValidationError, IntegrityError) as exc:
            raise _rejected(sheet, change, exc) from exc

    def run(sheet: SheetFormat, save, resolve) -> None:
        sheet_plan = plan.sheets.get(sheet.title)
        if sheet_plan is None:
            return
        counts = result.counts.setdefault(sheet.title, SheetCounts(unchanged=sheet_plan.unchanged))
        for change in sheet_plan.changes:
            saved = write(sheet, save, change, resolve(change))
            if change.instance is None:
                counts.created += 1
            else:
                counts.updated += 1
            if sheet is ORGANIZATIONS:
                organizations[saved.code] = saved
            elif sheet is CELLS:
                cells[saved.code] = saved

    def organization_fields(change: Change) -> dict:
        return {**change.fields, "bloc": plan.bloc} if change.instance is None else change.fields

    def with_references(change: Change) -> dict:
        fields = dict(change.fields)
        if "organization" in fields:
            fields["organization"] = organizations[fields["organization"]]
        if fields.get("cell") is not None:
            fields["cell"] = cells[fields["cell"]]
        return fields

    # Organisations first, so cells and members can name the ones this file creates.
    run(ORGANIZATIONS, services.organization_save, organization_fields)
    run(CELLS, services.cell_save, with_references)
    # A đảng bộ cơ sở becomes a chi bộ cơ sở only once its cells have moved (see spreadsheets._Planner).
    for change in plan.sheets[ORGANIZATIONS.title].changes if ORGANIZATIONS.title in plan.sheets else ():
        if change.later:
            write(ORGANIZATIONS, services.organization_save, change, change.later)
    run(MEMBERS, partial(services.member_save, on=on), with_references)
    return result
