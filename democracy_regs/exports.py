"""Excel export of a QCDC cycle's statistics: a summary sheet, one sheet per obligation with every
organisation's standing, and the bright spots."""

from openpyxl.styles import Font

from dukportal.core import cells, xlsx
from dukportal.submissions import deadlines
from dukportal.submissions.models import SubmissionStatus

from .selectors import CycleSummary

BOLD = Font(bold=True)


def _sheet(workbook, title: str, header: list[str], rows):
    sheet = workbook.create_sheet(title[:31])
    xlsx.append_row(sheet, header)
    for cell in sheet[1]:
        cell.font = BOLD
    for row in rows:
        xlsx.append_row(sheet, row)
    for column, width in zip("ABCDEFGH", (6, 45, 24, 18, 18, 40, 16, 16), strict=False):
        sheet.column_dimensions[column].width = width
    return sheet


def _status_label(spot) -> str:
    """Its status on the reference date when the row comes from selectors.bright_spots_on, else today's."""
    status = getattr(spot, "status_on", None) or spot.status
    return str(SubmissionStatus(status).label) if status in SubmissionStatus.values else spot.get_status_display()


def statistics_workbook(stats: CycleSummary, bright_spots: list) -> bytes:
    """`stats`: selectors.cycle_summary with every organisation's row (rows=True; no missing list needed);
    `bright_spots`: those counted on stats.as_of (selectors.bright_spots_on), listed in the last sheet."""
    cycle = stats.cycle
    workbook = xlsx.new_workbook(write_only=False, keep_first_sheet=True)
    summary = workbook.active
    summary.title = "Tổng hợp"
    xlsx.append_row(summary, [f"Quy chế dân chủ ở cơ sở năm {cycle.year}"])
    summary["A1"].font = BOLD
    xlsx.append_row(summary, [f"Kế hoạch số {cycle.bloc_plan_number} ngày {cells.day(cycle.bloc_plan_date)}"])
    xlsx.append_row(summary, [f"Thành phần Ban chỉ đạo tính đến ngày {cells.day(stats.reference_date)}"])
    xlsx.append_row(
        summary, [f"Số liệu tính đến hết ngày {cells.day(stats.as_of)} (hồ sơ gửi sau ngày đó chưa được tính)"]
    )
    xlsx.append_row(summary, [])
    xlsx.append_row(
        summary, ["Nội dung", "Hạn", "Đã thực hiện", "Phải thực hiện", "Tỷ lệ", "Đã tiếp nhận", "Chưa thực hiện"]
    )
    for cell in summary[summary.max_row]:
        cell.font = BOLD
    for item in stats.items:
        xlsx.append_row(
            summary,
            [
                item.label,
                cells.day(item.due_date),
                item.done,
                item.expected,
                item.ratio_label,
                item.accepted,
                item.missing_count,
            ],
        )
    xlsx.append_row(summary, [])
    xlsx.append_row(summary, ["Điểm sáng", "", "Đã gửi", "Đã tiếp nhận"])
    for _, label, sent, accepted in stats.bright_spots:
        xlsx.append_row(summary, [str(label), "", sent, accepted])
    summary.column_dimensions["A"].width = 55
    summary.column_dimensions["B"].width = 14

    header = ["STT", "Tổ chức cơ sở đảng", "Người liên hệ", "Điện thoại", "Tình trạng", "Ghi chú", "Ngày gửi"]
    for item in stats.items:
        rows = [
            [
                number,
                row.name,
                row.contact,
                row.phone,
                "Đạt" if row.done else row.standing,
                row.reason,
                cells.day(row.submitted_at),
            ]
            for number, row in enumerate(item.rows, start=1)
        ]
        _sheet(workbook, deadlines.obligation(item.kind).label, header, rows)

    _sheet(
        workbook,
        "Điểm sáng",
        ["STT", "Tổ chức cơ sở đảng", "Loại", "Tên điểm sáng", "Trạng thái", "Mô tả"],
        [
            [n, s.organization.name, s.get_kind_display(), s.title, _status_label(s), s.description]
            for n, s in enumerate(bright_spots, start=1)
        ],
    )
    return xlsx.to_bytes(workbook)
