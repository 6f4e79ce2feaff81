"""Excel exports (openpyxl). Small tables are built in memory and downloaded at once; the deadline matrix
(every organisation × every deadline) is written in write-only mode by a Celery task that reports progress."""

from collections.abc import Callable
from datetime import date

from django.utils import timezone
from openpyxl.styles import Alignment, Font

from dukportal.core import xlsx
from dukportal.submissions import deadlines
from dukportal.submissions.models import Deadline
from organizations import access, spreadsheets
from organizations.models import BaseOrganization

from .models import DocumentStatus

BOLD = Font(bold=True)


def register_xlsx(documents) -> bytes:
    """Sổ văn bản đi: the issued documents, in number order within each sequence."""
    workbook = xlsx.new_workbook(write_only=False, keep_first_sheet=True)
    sheet = workbook.active
    sheet.title = "So van ban di"
    xlsx.append_row(sheet, ["Sổ đăng ký văn bản đi"])
    sheet["A1"].font = Font(bold=True, size=14)
    header = [
        "Số, ký hiệu",
        "Ngày ban hành",
        "Thể loại",
        "Cơ quan ban hành",
        "Tiêu đề (khi phát hành)",
        "Địa danh",
        "Trích yếu",
        "Người ký",
        "Nhiệm kỳ",
        "Người phát hành",
    ]
    xlsx.append_row(sheet, header)
    for cell in sheet[2]:
        cell.font = BOLD
    issued = documents.filter(status=DocumentStatus.ISSUED).order_by("issuing_body", "term", "doc_type", "number")
    for document in issued:
        xlsx.append_row(
            sheet,
            [
                document.number_label,
                document.issued_on,
                document.get_doc_type_display(),
                document.issuer_label,
                f"{document.header_superior.upper()} / {document.header_name.upper()}",
                document.place_name,
                document.content.get("subject", ""),
                " ".join(
                    filter(None, [document.content.get("signer_title", ""), document.content.get("signer_name", "")])
                ),
                str(document.term),
                str(document.issued_by),
            ],
        )
        sheet.cell(row=sheet.max_row, column=2).number_format = "DD/MM/YYYY"
    for column, width in zip("ABCDEFGHIJ", (18, 14, 12, 36, 50, 14, 70, 30, 22, 24), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=3, min_col=7, max_col=7):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    return xlsx.to_bytes(workbook)


def deadline_matrix_xlsx(progress: Callable[[int], None] = lambda p: None, on: date | None = None) -> bytes:
    """Every base organisation × every deadline at the end of `on` (default today): who owed it and who had
    sent it, from the shared deadline layer (never the status field); write-only, memory stays flat."""
    today = on or timezone.localdate()
    all_deadlines = list(Deadline.objects.order_by("due_date", "id"))
    organizations = list(BaseOrganization.objects.order_by("sort_key").only("id", "code", "name"))
    ids = [org.pk for org in organizations]
    standings = []
    for index, deadline in enumerate(all_deadlines, start=1):
        expected = set(deadlines.expected_organizations(deadline, today).values_list("pk", flat=True))
        cells = deadlines.deadline_cells(deadline, [pk for pk in ids if pk in expected], today)
        standings.append(cells)
        progress(int(80 * index / max(len(all_deadlines), 1)))

    workbook = xlsx.new_workbook()
    sheet = xlsx.SheetWriter(workbook, "Tinh hinh nop", widths=())
    sheet.append(
        [
            "Mã",
            "Tổ chức cơ sở đảng",
            *(f"{d.title} (hạn {d.due_date:%d/%m/%Y}; tính đến {today:%d/%m/%Y})" for d in all_deadlines),
        ],
        font=BOLD,
    )
    for index, org in enumerate(organizations, start=1):
        row = [org.code, org.name]
        for cells in standings:
            standing = cells.get(org.pk)
            row.append(standing.label if standing else "—")
        sheet.append(row)
        if index % 50 == 0:
            progress(80 + int(19 * index / len(organizations)))
    data = xlsx.to_bytes(workbook)
    progress(100)
    return data


def document_tables_xlsx(structure) -> bytes:
    """The figure tables of a document, one sheet each, figures as numbers (for further work in Excel)."""
    workbook = xlsx.new_workbook(write_only=False)
    tables = [block for block in structure.body if block.kind == "table"]
    for index, block in enumerate(tables, start=1):
        sheet = workbook.create_sheet(f"Bang {index}")
        numeric = block.numeric_columns
        for row_index, row in enumerate(block.rows):
            values = [
                int(cell) if row_index and column < len(numeric) and numeric[column] and cell.isdigit() else cell
                for column, cell in enumerate(row)
            ]
            xlsx.append_row(sheet, values)
        for cell in sheet[1]:
            cell.font = BOLD
        for column_cells in sheet.columns:
            width = max(len(str(cell.value or "")) for cell in column_cells)
            sheet.column_dimensions[column_cells[0].column_letter].width = min(max(width + 2, 8), 60)
    if not tables:
        xlsx.append_row(workbook.create_sheet("Bang"), ["Văn bản không có bảng số liệu."])
    return xlsx.to_bytes(workbook)


def members_xlsx(progress: Callable[[int], None], user, **_params) -> bytes:
    """Organisations, cells and members in the import format, as the requesting staff member sees them (the
    rows of today: a reference date posted with the request does not apply)."""
    return spreadsheets.export_xlsx(user, progress=progress)


# kind: (download name, its {day} filled in from the job's date; build(progress, user=…, **params)).
# Every export is built as the user who asked for it (the task loads them), so it holds what they may read.
EXPORTS = {
    "deadline_matrix": (
        "tinh-hinh-nop-bao-cao.xlsx",
        lambda progress, user, **extra: deadline_matrix_xlsx(progress, **extra),
    ),
    "members": ("to-chuc-dang-vien-{day:%d-%m-%Y}.xlsx", members_xlsx),
}
# Who may create and download each kind (default: those who read everything). The member export was a staff
# button before it became a job, and stays one.
EXPORT_ALLOWED = {"members": access.is_staff}
TITLES = {"deadline_matrix": "Xuất tình hình nộp báo cáo", "members": "Xuất tổ chức, chi bộ và đảng viên"}

# A long document's PDF or Word file made by a job (reports.tasks.render_document) from the structure the user
# saw when asking (params: document id, format, download name, the structure's snapshot). Not in EXPORTS: its
# build is the renderer, and who may download it also depends on the document (selectors.job_in_scope).
DOCUMENT_RENDER = "document"
DOCUMENT_FORMATS = {"pdf": "PDF", "docx": "Word"}
# A long draft issued by a job (reports.tasks.issue_document): rendering its files takes seconds, so the request
# only records the wish (params: document id, the issue date asked for, a digest of the content when asked).
DOCUMENT_ISSUE = "document_issue"


def may_export(user, kind: str) -> bool:
    return EXPORT_ALLOWED.get(kind, access.reads_everything)(user)


def export_filename(job) -> str:
    if job.kind in (DOCUMENT_RENDER, DOCUMENT_ISSUE):
        return job.params["filename"]
    return EXPORTS[job.kind][0].format(day=timezone.localdate(job.created_at))


def job_labels(job) -> tuple[str, str]:
    """The job page's title and its download button."""
    if job.kind == DOCUMENT_RENDER:
        label = DOCUMENT_FORMATS[job.params["format"]]
        return f"Tạo tệp {label}: {job.params.get('subject') or job.params['filename']}", f"Tải tệp {label}"
    if job.kind == DOCUMENT_ISSUE:
        return f"Phát hành: {job.params.get('subject') or job.params['filename']}", "Xem văn bản đã phát hành"
    return TITLES.get(job.kind, ""), "Tải tệp Excel"
