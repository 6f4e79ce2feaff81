"""Excel workbooks of “Dân vận khéo”: the registration list, and the statistics of a campaign year (a summary
sheet, one sheet per field and kind of exemplar, and the organisations still to chase)."""

from datetime import date

from django.utils import timezone
from django.utils.encoding import force_str
from openpyxl import Workbook

from dukportal.core import xlsx
from dukportal.core.xlsx import Column
from dukportal.submissions.models import SubmissionStatus
from organizations.models import Sector

from .models import Campaign, Category, Registration
from .selectors import CampaignStatistics, CategoryRow

SUMMARY_TITLE = "Tổng hợp"
MISSING_TITLE = "Chưa đăng ký"

REGISTRATION_COLUMNS = (
    Column("STT", 6),
    Column("Đơn vị", 36),
    Column("Khối", 18),
    Column("Cấp", 18),
    Column("Lĩnh vực / loại điển hình", 26),
    Column("Tên mô hình, điển hình", 48),
    Column("Hình thức", 18),
    Column("Tiếp tục từ năm", 10),
    Column("Người phụ trách", 24),
    Column("Ngày bắt đầu", 13),
    Column("Ngày kết thúc", 13),
    Column("Trạng thái", 20),
    Column("Ngày gửi", 13),
    Column("Đề nghị khen thưởng", 11),
    Column("Nhân rộng", 11),
    Column("Mục đích, yêu cầu", 40),
    Column("Nội dung, giải pháp thực hiện", 40),
    Column("Kết quả dự kiến", 40),
)
BREAKDOWN_COLUMNS = (
    Column("Lĩnh vực / loại điển hình", 30),
    Column("Cấp Đảng ủy Khối", 12),
    Column("Cấp cơ sở", 12),
    Column("Tổng số", 12),
    Column("Tiếp tục thực hiện", 12),
    Column("Đăng ký mới", 12),
    Column("Đề nghị khen thưởng", 12),
    Column("Nhân rộng", 12),
)
MISSING_COLUMNS = (
    Column("STT", 6),
    Column("Tổ chức cơ sở đảng", 40),
    Column("Khối", 18),
    Column("Người liên hệ", 26),
    Column("Điện thoại", 16),
    Column("Thư điện tử", 28),
)

_SECTORS = dict(Sector.choices)


def _yes(flag: bool) -> str:
    return "Có" if flag else ""


_STATUSES = dict(SubmissionStatus.choices)
# A registration's labels as get_<field>_display() gives them, from dicts built once: Django's method rebuilds
# the field's choices on every call, most of a long export's time.
_LEVELS, _CATEGORIES, _ORIGINS = (
    dict(Registration._meta.get_field(name).flatchoices) for name in ("level", "category", "origin")
)


def _label(labels: dict, value) -> str:
    return force_str(labels.get(value, value), strings_only=True)


def _registration_row(number: int, registration) -> list:
    """One registration. Rows of the statistics export are annotated from the timeline (status_on,
    first_sent_at: as of the reference date); rows of the list export show the current status."""
    organization = registration.organization
    if hasattr(registration, "status_on"):
        status = str(_STATUSES.get(registration.status_on, registration.status_on))
        submitted = registration.first_sent_at
    else:
        status = registration.get_status_display()
        submitted = registration.submitted_at
    return [
        number,
        organization.name if organization else "Đảng ủy Khối",
        str(_SECTORS.get(organization.sector, "")) if organization else "",
        _label(_LEVELS, registration.level),
        _label(_CATEGORIES, registration.category),
        registration.name,
        _label(_ORIGINS, registration.origin),
        registration.continued_from.campaign.year if registration.continued_from_id else None,
        registration.person_in_charge,
        registration.start_date,
        registration.end_date,
        status,
        timezone.localtime(submitted).date() if submitted else None,
        _yes(registration.commended),
        _yes(registration.replicated),
        registration.aims,
        registration.content,
        registration.expected_results,
    ]


def filter_line(sector: str = "", category: str = "", status: str = "", statuses=None) -> str:
    parts = []
    if sector:
        parts.append(f"Khối: {_SECTORS.get(sector, sector)}")
    if category:
        parts.append(f"Lĩnh vực: {dict(Category.choices).get(category, category)}")
    if status and statuses:
        parts.append(f"Trạng thái: {dict(statuses).get(status, status)}")
    return "Lọc theo " + "; ".join(parts) if parts else ""


def _date_line(day: date | None = None) -> str:
    return f"Số liệu tính đến ngày {(day or timezone.localdate()):%d/%m/%Y}"


def registrations_workbook(campaign: Campaign, registrations, *, filters: str = "") -> Workbook:
    """The registration list as shown on the list page (same rows, same order)."""
    workbook = xlsx.new_workbook()
    heading = [
        f"DANH SÁCH ĐĂNG KÝ MÔ HÌNH, ĐIỂN HÌNH “DÂN VẬN KHÉO” NĂM {campaign.year}",
        f"Kế hoạch số {campaign.plan_number} ngày {campaign.plan_date:%d/%m/%Y}",
        *([filters] if filters else []),
        _date_line(),
    ]
    rows = (_registration_row(number, r) for number, r in enumerate(registrations, start=1))
    xlsx.add_table(workbook, "Danh sách đăng ký", REGISTRATION_COLUMNS, rows, heading=heading)
    return workbook


def _breakdown_row(row: CategoryRow) -> list:
    return [row.label, row.bloc, row.base, row.total, row.continued, row.new, row.commended, row.replicated]


def summary_figures(stats: CampaignStatistics) -> list[tuple[str, object]]:
    """The headline figures, labelled as the dispatch words them (also the first table of the summary sheet).
    The first block counts models and exemplars together, as the dispatch does; then models and exemplars
    apart."""
    models, exemplars = stats.field_totals, stats.exemplar_totals
    return [
        ("Tổ chức cơ sở đảng đã gửi đăng ký", stats.ratio_label),
        ("Tổ chức cơ sở đảng phải đăng ký", stats.expected),
        ("Số tổ chức đã gửi đăng ký", stats.registered),
        ("Số tổ chức chưa gửi đăng ký", len(stats.missing)),
        ("Tổng số mô hình, điển hình", stats.total),
        ("Cấp Đảng ủy Khối", stats.bloc_level),
        ("Cấp cơ sở", stats.base_level),
        ("Tiếp tục thực hiện", stats.continued),
        ("Đăng ký mới", stats.new),
        ("Cấp cơ sở tiếp tục thực hiện", stats.base_continued),
        ("Cấp cơ sở đăng ký mới", stats.base_new),
        ("Cấp Đảng ủy Khối tiếp tục thực hiện", stats.bloc_continued),
        ("Cấp Đảng ủy Khối đăng ký mới", stats.bloc_new),
        ("Mô hình (theo lĩnh vực)", stats.models),
        ("Mô hình cấp Đảng ủy Khối", models.bloc),
        ("Mô hình cấp cơ sở", models.base),
        ("Mô hình tiếp tục thực hiện", models.continued),
        ("Mô hình đăng ký mới", models.new),
        ("Điển hình", stats.exemplars),
        ("Điển hình cấp Đảng ủy Khối", exemplars.bloc),
        ("Điển hình cấp cơ sở", exemplars.base),
        ("Điển hình tiếp tục thực hiện", exemplars.continued),
        ("Điển hình đăng ký mới", exemplars.new),
        ("Đề nghị khen thưởng", stats.commended),
        ("Nhân rộng", stats.replicated),
    ]


def statistics_workbook(stats: CampaignStatistics, registrations, *, years=None) -> Workbook:
    """Summary sheet (headline figures, breakdown by field and level, by sector, evaluations, the trend across
    years), then one sheet per field and kind of exemplar listing its registrations, then the organisations
    that have not registered. Everything as of stats.reference_date, said in every sheet's heading."""
    campaign = stats.campaign
    date_line = _date_line(stats.reference_date)
    workbook = xlsx.new_workbook()
    heading = [
        f"THỐNG KÊ ĐĂNG KÝ MÔ HÌNH, ĐIỂN HÌNH “DÂN VẬN KHÉO” NĂM {campaign.year}",
        f"Kế hoạch số {campaign.plan_number} ngày {campaign.plan_date:%d/%m/%Y}",
        *([line] if (line := filter_line(stats.sector, stats.category)) else []),
        date_line,
        stats.dispatch_sentence,
    ]
    summary = xlsx.SheetWriter(workbook, SUMMARY_TITLE, [column.width for column in BREAKDOWN_COLUMNS])
    summary.heading(heading)
    summary.blank()
    summary.table(["Chỉ tiêu", "Số lượng"], summary_figures(stats))
    summary.blank()
    summary.heading(["Theo lĩnh vực, cấp và hình thức đăng ký"])
    summary.table(
        BREAKDOWN_COLUMNS,
        [*map(_breakdown_row, stats.field_rows), _breakdown_row(stats.field_totals)]
        + [*map(_breakdown_row, stats.exemplar_rows), _breakdown_row(stats.exemplar_totals)],
        total=_breakdown_row(stats.grand_totals),
    )
    summary.blank()
    summary.heading(["Theo khối"])
    summary.table(
        ["Khối", "Tổ chức phải đăng ký", "Đã gửi đăng ký", "Tỷ lệ", "Số mô hình, điển hình", "Mô hình", "Điển hình"],
        [
            [
                str(row.label),
                row.expected,
                row.registered,
                row.ratio_label,
                row.registrations,
                row.models,
                row.exemplars,
            ]
            for row in stats.by_sector
        ],
    )
    if any(row.due_date for row in stats.evaluations):
        summary.blank()
        summary.heading(["Báo cáo sơ kết, tổng kết"])
        ratings = [label for _, label, _ in stats.evaluations[0].ratings]
        summary.table(
            ["Kỳ báo cáo", "Hạn", "Tổ chức phải báo cáo", "Đã gửi", "Tỷ lệ", "Đã đánh giá", *ratings],
            [
                [row.label, row.due_date, row.expected, row.sent, row.ratio_label, row.assessed]
                + [n for _, _, n in row.ratings]
                for row in stats.evaluations
                if row.due_date
            ],
        )
    if years:
        summary.blank()
        summary.heading(["Qua các năm"])
        summary.table(
            ["Năm", "Tổ chức đã gửi / phải đăng ký", "Mô hình, điển hình", "Mô hình", "Điển hình", "Tiếp tục", "Mới"],
            [
                [
                    y["campaign__year"],
                    y["ratio_label"],
                    y["total"],
                    y["models"],
                    y["exemplars"],
                    y["continued"],
                    y["new"],
                ]
                for y in years
            ],
        )

    by_category: dict[str, list] = {row.category: [] for row in stats.rows}
    for registration in registrations:
        by_category[registration.category].append(registration)
    for row in stats.rows:
        if stats.category and row.category != stats.category:
            continue
        listed = by_category[row.category]
        xlsx.add_table(
            workbook,
            row.label,
            REGISTRATION_COLUMNS,
            (_registration_row(number, r) for number, r in enumerate(listed, start=1)),
            heading=[f"{row.label.upper()} NĂM {campaign.year}", date_line, f"Số lượng: {len(listed)}"],
        )

    xlsx.add_table(
        workbook,
        MISSING_TITLE,
        MISSING_COLUMNS,
        (
            [
                number,
                org.name,
                str(_SECTORS.get(org.sector, "")),
                org.danvan_officer_name or org.secretary_name,
                org.phone,
                org.email,
            ]
            for number, org in enumerate(stats.missing, start=1)
        ),
        heading=[
            f"TỔ CHỨC CƠ SỞ ĐẢNG CHƯA GỬI ĐĂNG KÝ NĂM {campaign.year}",
            date_line,
            f"Số lượng: {len(stats.missing)}",
        ],
    )
    return workbook
