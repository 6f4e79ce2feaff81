"""The compliance matrix as an Excel workbook (openpyxl)."""

from django.utils import timezone
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from dukportal.core import xlsx
from dukportal.submissions.deadlines import Standing
from organizations.models import Sector

from .selectors import ComplianceMatrix, contact_of

FILLS = {
    Standing.ACCEPTED: "C6EFCE",
    Standing.SUBMITTED: "DDEBF7",
    Standing.RETURNED: "FFEB9C",
    Standing.MISSING: "F2F2F2",
    Standing.LATE: "FFC7CE",
}


def cell_text(standing: Standing | None) -> str:
    if standing is None:
        return "—"
    text = standing.label
    if standing.submitted_at:
        text += f" {timezone.localtime(standing.submitted_at):%d/%m/%Y}"
    if standing.sent_late:
        text += " (nộp muộn)"
    return text


def build_matrix(matrix: ComplianceMatrix):
    workbook = xlsx.new_workbook(write_only=False, keep_first_sheet=True)
    sheet = workbook.active
    sheet.title = f"Năm {matrix.year}"
    sector = dict(Sector.choices).get(matrix.sector, "Tất cả các khối")
    xlsx.append_row(sheet, [f"TÌNH HÌNH NỘP HỒ SƠ NĂM {matrix.year} — {str(sector).upper()}"])
    xlsx.append_row(
        sheet,
        [
            f"Số liệu tính đến hết ngày {matrix.on:%d/%m/%Y} (hồ sơ gửi sau ngày đó chưa được tính). "
            "“—”: đơn vị không phải nộp vào ngày đó."
        ],
    )
    sheet["A1"].font = Font(bold=True, size=13)
    fixed = ["STT", "Mã", "Tên tổ chức cơ sở đảng", "Khối", "Người liên hệ", "Điện thoại"]
    xlsx.append_row(
        sheet, fixed + [f"{c.label}\n{c.deadline.title}\nHạn {c.deadline.due_date:%d/%m/%Y}" for c in matrix.columns]
    )
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for number, row in enumerate(matrix.rows, start=1):
        organization = row.organization
        xlsx.append_row(
            sheet,
            [
                number,
                organization.code,
                organization.name if row.active else f"{organization.name} (đã giải thể/sáp nhập)",
                organization.get_sector_display(),
                contact_of(organization),
                organization.phone,
            ]
            + [cell_text(standing) for standing in row.cells],
        )
        for offset, standing in enumerate(row.cells):
            if standing is not None:
                color = FILLS[standing.code]
                sheet.cell(sheet.max_row, len(fixed) + 1 + offset).fill = PatternFill("solid", start_color=color)
    xlsx.append_row(
        sheet, ["", "", "Đã nộp / phải nộp", "", "", ""] + [f"{c.sent}/{c.expected}" for c in matrix.columns]
    )
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    widths = [6, 10, 45, 18, 28, 16] + [24] * len(matrix.columns)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = sheet.cell(header_row + 1, len(fixed) + 1)
    return workbook
