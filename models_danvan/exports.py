"""Excel workbooks of “Dân vận khéo”: the registration list, and the statistics of a campaign year (a summary
sheet, one sheet per field and kind of exemplar, and the organisations still to chase)."""

from django.utils import timezone
from openpyxl import Workbook

from dukportal.core import xlsx
from dukportal.core.xlsx import Column
from organizations.models import Sector

from .models import Campaign, Category
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


def _registration_row(number: int, registration) -> list:
    organization = registration.organization
    submitted = registration.submitted_at
    return [
        number,
        organization.name if organization else "Đảng ủy Khối",
        str(_SECTORS.get(organization.sector, "")) if organization else "",
        registration.get_level_display(),
        registration.get_category_display(),
        registration.name,
        registration.get_origin_display(),
        registration.continued_from.campaign.year if registration.continued_from_id else None,
        registration.person_in_charge,
        registration.start_date,
        registration.end_date,
        registration.get_status_display(),
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


def _today_line() -> str:
    return f"Số liệu tính đến ngày {timezone.localdate():%d/%m/%Y}"


def registrations_workbook(campaign: Campaign, registrations, *, filters: str = "") -> Workbook:
    """The registration list as shown on the list page (same rows, same order)."""
    workbook = xlsx.new_workbook()
    heading = [
        f"DANH SÁCH ĐĂNG KÝ MÔ HÌNH, ĐIỂN HÌNH “DÂN VẬN KHÉO” NĂM {campaign.year}",
        f"Kế hoạch số {campaign.plan_number} ngày {campaign.plan_date:%d/%m/%Y}",
        *([filters] if filters else []),
        _today_line(),
    ]
    rows = (_registration_row(number, r) for number, r in enumerate(registrations, start=1))
    xlsx.add_table(workbook, "Danh sách đăng ký", REGISTRATION_COLUMNS, rows, heading=heading)
    return workbook


def _breakdown_row(row: CategoryRow) -> list:
    return [row.label, row.bloc, row.base, row.total, row.continued, row.new, row.commended, row.replicated]


def summary_figures(stats: CampaignStatistics) -> list[tuple[str, object]]:
    """The headline figures, labelled as the dispatch words them (also the first table of the summary sheet)."""
    return [
        ("Tổ chức cơ sở đảng đã gửi đăng ký", stats.ratio_label),
        ("Tổ chức cơ sở đảng hoạt động trong năm", stats.expected),
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
        ("Điển hình", stats.exemplars),
        ("Đề nghị khen thưởng", stats.commended),
        ("Nhân rộng", stats.replicated),
    ]


def statistics_workbook(stats: CampaignStatistics, registrations) -> Workbook:
    """Summary sheet (headline figures, breakdown by field and level, by sector), then one sheet per field and
    kind of exemplar listing its registrations, then the organisations that have not registered."""
    campaign = stats.campaign
    workbook = xlsx.new_workbook()
    heading = [
        f"THỐNG KÊ ĐĂNG KÝ MÔ HÌNH, ĐIỂN HÌNH “DÂN VẬN KHÉO” NĂM {campaign.year}",
        f"Kế hoạch số {campaign.plan_number} ngày {campaign.plan_date:%d/%m/%Y}",
        *([line] if (line := filter_line(stats.sector, stats.category)) else []),
        _today_line(),
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
        ["Khối", "Tổ chức hoạt động", "Đã gửi đăng ký", "Tỷ lệ", "Số mô hình, điển hình"],
        [[str(row.label), row.expected, row.registered, row.ratio_label, row.registrations] for row in stats.by_sector],
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
            heading=[f"{row.label.upper()} NĂM {campaign.year}", f"Số lượng: {len(listed)}"],
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
        heading=[f"TỔ CHỨC CƠ SỞ ĐẢNG CHƯA GỬI ĐĂNG KÝ NĂM {campaign.year}", f"Số lượng: {len(stats.missing)}"],
    )
    return workbook
