"""The export: every organisation, cell and member a user may read, in the import format, streamed in
write-only mode so memory stays flat whatever the number of rows."""

from collections.abc import Callable
from io import BytesIO

from django.db import models
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from dukportal.core import xlsx

from .. import access
from ..models import BaseOrganizationKind, Cell, Gender, Member, MemberStatus, Sector
from .columns import CELLS, CHOICE, MEMBERS, ORGANIZATIONS, SheetFormat
from .template import HEADER_FONT, OPTIONAL_FILL, REQUIRED_FILL, choice_validation


def _labels(choices: type[models.TextChoices]) -> dict[str, str]:
    return {value: str(label) for value, label in choices.choices}


def _chunk() -> int:
    """Rows fetched per round trip while streaming (organizations.spreadsheets.EXPORT_CHUNK, read when an
    export starts so that the package's setting, which a test lowers, is the one used)."""
    from organizations import spreadsheets

    return spreadsheets.EXPORT_CHUNK


def _stream_format_sheet(workbook: Workbook, sheet: SheetFormat, rows, on_row=lambda: None) -> None:
    """The write-only twin of template._add_format_sheet: the same header, widths, text columns, dropdowns, frozen
    header and filter, with the rows streamed to disk as they come (column settings precede the rows)."""
    writer = xlsx.SheetWriter(workbook, sheet.title, [column.width for column in sheet.columns], freeze_below=2)
    worksheet = writer.worksheet
    for index, column in enumerate(sheet.columns, start=1):
        letter = get_column_letter(index)
        worksheet.column_dimensions[letter].number_format = "@"  # see template._add_format_sheet
        if column.kind == CHOICE:
            validation = choice_validation(column)
            validation.add(f"{letter}2:{letter}1048576")
            worksheet.data_validations.append(validation)
    writer.append_styled(
        [
            (header, {"font": HEADER_FONT, "fill": REQUIRED_FILL if column.required else OPTIONAL_FILL})
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
    chunk = _chunk()
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
        if state["rows"] % chunk == 0:
            report(min(state["cap"], state["percent"] + 1))

    workbook = xlsx.new_workbook()
    band(1, 9)
    _stream_format_sheet(
        workbook,
        ORGANIZATIONS,
        (
            (c, n, kinds[k], sectors[s], sec, dv, ph, em, vf, vt)
            for c, n, k, s, sec, dv, ph, em, vf, vt in organizations.iterator(chunk_size=chunk)
        ),
        on_row,
    )
    band(10, 19)
    _stream_format_sheet(workbook, CELLS, cells.iterator(chunk_size=chunk), on_row)
    band(20, 95)
    _stream_format_sheet(
        workbook,
        MEMBERS,
        (
            (c, n, genders[g], b, a, o, org, cell, statuses[st])
            for c, n, g, b, a, o, org, cell, st in members.iterator(chunk_size=chunk)
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
