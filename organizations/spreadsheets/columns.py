"""The columns of the workbook the committee exchanges about organisations, cells and members: one format shared
by the blank template, the export and the import."""

from dataclasses import dataclass
from datetime import date

from django.db import models

from ..models import BaseOrganization, BaseOrganizationKind, Cell, Gender, Member, MemberStatus, Sector

# Column kinds.
TEXT, EMAIL, CHOICE, DATE, REF = "text", "email", "choice", "date", "ref"
# What an empty cell means: an empty string, NULL, or "keep the stored value" (fields with a model default,
# which a new row then gets).
EMPTY, NULL, KEEP = "empty", "null", "keep"

DATE_NUMBER_FORMAT = "DD/MM/YYYY"


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


def titles() -> str:
    """The sheet names, quoted, for messages and the guide."""
    return ", ".join(f"“{sheet.title}”" for sheet in SHEETS)


def dmy(day: date) -> str:
    return day.strftime("%d/%m/%Y")
