"""Excel import of organisations, cells and members: the whole file or nothing, keyed on code, NFC text."""

import unicodedata
import zipfile
from datetime import date, datetime
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from dukportal.core.models import AuditEntry
from organizations.imports import ImportRejected, import_workbook
from organizations.models import BaseOrganization, Bloc, Cell, Member, MemberStatus
from tests.factories import CellFactory, MemberFactory, OrganizationFactory

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ORG_SHEET, CELL_SHEET, MEMBER_SHEET = "Tổ chức cơ sở", "Chi bộ trực thuộc", "Đảng viên"
ORG_HEADERS = [
    "Mã", "Tên tổ chức", "Loại hình", "Khối", "Bí thư", "Cán bộ phụ trách dân vận", "Điện thoại", "Thư điện tử",
    "Hiệu lực từ ngày", "Hiệu lực đến ngày",
]  # fmt: skip
CELL_HEADERS = ["Mã", "Tên chi bộ", "Mã đảng bộ cơ sở", "Bí thư chi bộ", "Hiệu lực từ ngày", "Hiệu lực đến ngày"]
MEMBER_HEADERS = [
    "Số thẻ đảng viên", "Họ và tên", "Giới tính", "Ngày sinh", "Ngày vào Đảng", "Ngày chính thức",
    "Mã tổ chức cơ sở", "Mã chi bộ trực thuộc", "Tình trạng",
]  # fmt: skip


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def xlsx(sheets: dict[str, list[list]], name: str = "du-lieu.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        worksheet = workbook.create_sheet(title)
        for row in rows:
            worksheet.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=XLSX)


def valid_sheets() -> dict[str, list[list]]:
    """Two organisations (one with two cells) and three members; names typed with decomposed accents."""
    return {
        ORG_SHEET: [
            ORG_HEADERS,
            ["SOTC", nfd("Đảng bộ Sở Tài chính"), "Đảng bộ cơ sở", "Khối hành chính", nfd("Nguyễn Văn Hùng"),
             "Lê Thị Hoa", "0216 3852 123", "sotc@yenbai.gov.vn", "01/01/2015", None],
            ["BVT", "Chi bộ Báo Yên Bái", "Chi bộ cơ sở", "Khối sự nghiệp", None, None, None, None,
             datetime(2016, 3, 5), None],
        ],
        CELL_SHEET: [
            CELL_HEADERS,
            ["SOTC-01", nfd("Chi bộ Phòng Ngân sách"), "SOTC", "Trần Văn An", "01/01/2015", None],
            ["SOTC-02", "Chi bộ Văn phòng", "SOTC", None, None, None],
        ],
        MEMBER_SHEET: [
            MEMBER_HEADERS,
            ["093001", nfd("Nguyễn Đức Phương"), "Nam", "05/03/1980", datetime(2005, 3, 2), "02/03/2006", "SOTC",
             "SOTC-01", "Đang sinh hoạt"],
            ["093002", "Phạm Thị Ánh Tuyết", "Nữ", date(1990, 12, 31), "19/05/2015", None, "SOTC", "SOTC-02", None],
            ["093003", "Hoàng Văn Bình", "Nam", "01/01/1975", "01/01/2000", "01/01/2001", "BVT", None,
             "Đã chuyển đi"],
        ],
    }  # fmt: skip


def db_snapshot() -> dict:
    """Every stored column of every imported table, and the audit log size."""
    return {
        "organizations": list(BaseOrganization.objects.order_by("code").values()),
        "cells": list(Cell.objects.order_by("code").values()),
        "members": list(Member.objects.order_by("code").values()),
        "audit": AuditEntry.objects.count(),
    }


@pytest.mark.django_db
def test_valid_file_creates_organisations_cells_and_members_with_nfc_names_and_keys(bloc, staff_user):
    result = import_workbook(actor=staff_user, file=xlsx(valid_sheets()))

    assert (result.organizations.created, result.cells.created, result.members.created) == (2, 2, 3)
    assert (result.organizations.updated, result.cells.updated, result.members.updated) == (0, 0, 0)
    org = BaseOrganization.objects.get(code="SOTC")
    assert org.name == "Đảng bộ Sở Tài chính" and unicodedata.is_normalized("NFC", org.name)
    assert org.secretary_name == unicodedata.normalize("NFC", "Nguyễn Văn Hùng")
    assert org.bloc == bloc and org.kind == "committee" and org.sector == "administrative"
    assert org.valid_from == date(2015, 1, 1) and org.valid_to is None
    assert org.search_key == "dang bo so tai chinh sotc" and org.sort_key
    assert BaseOrganization.objects.get(code="BVT").valid_from == date(2016, 3, 5)
    cell = Cell.objects.get(code="SOTC-01")
    assert cell.organization == org and cell.name == "Chi bộ Phòng Ngân sách" and cell.search_key
    assert Cell.objects.get(code="SOTC-02").valid_from == date(2000, 1, 1)  # the model default
    member = Member.objects.get(code="093001")
    assert member.full_name == "Nguyễn Đức Phương" and unicodedata.is_normalized("NFC", member.full_name)
    assert member.search_key == "nguyen duc phuong" and member.sort_key
    assert (member.birth_date, member.admitted_on, member.official_on) == (
        date(1980, 3, 5),
        date(2005, 3, 2),
        date(2006, 3, 2),
    )
    assert member.cell == cell and member.organization == org
    assert Member.objects.get(code="093002").status == MemberStatus.ACTIVE  # empty: the default
    assert Member.objects.get(code="093003").status == MemberStatus.TRANSFERRED_OUT
    assert AuditEntry.objects.filter(action="member.create", actor=staff_user).count() == 3
    assert "3 thêm mới" in result.summary()


@pytest.mark.django_db
def test_file_with_bad_rows_is_rejected_with_each_error_located_and_nothing_written(bloc, staff_user):
    OrganizationFactory(code="CBCS", name="Chi bộ Công ty Điện lực", kind="cell")
    existing = OrganizationFactory(code="SOTC", name="Đảng bộ Sở Tài chính")
    before = db_snapshot()
    sheets = valid_sheets()
    sheets[ORG_SHEET] += [
        ["SOYT", None, "Đảng bộ cơ sở", "Khối hành chính", None, None, None, None, None, None],  # row 4: no name
        ["SONN", "Đảng bộ Sở Nông nghiệp", "Đảng bộ", "Khối hành chính", None, None, None, "khong-phai-email",
         None, None],  # row 5: unknown kind label, bad e-mail
        ["SOTC", "Trùng mã", "Đảng bộ cơ sở", "Khối hành chính", None, None, None, None, None, None],  # row 6
        ["SOXD", "Đảng bộ Sở Xây dựng", "Đảng bộ cơ sở", "Khối hành chính", None, None, None, None, "01/06/2020",
         "31/12/2019"],  # row 7: ends before it starts
    ]  # fmt: skip
    sheets[CELL_SHEET] += [
        ["BVT-01", "Chi bộ dưới chi bộ cơ sở", "BVT", None, None, None],  # row 4: parent is a chi bộ cơ sở (file)
        ["CBCS-01", "Chi bộ dưới chi bộ cơ sở", "CBCS", None, None, None],  # row 5: parent is a chi bộ cơ sở (DB)
        ["KHONG-01", "Chi bộ mồ côi", "KHONGCO", None, "31/02/2020", None],  # row 6: unknown parent, no such date
    ]
    sheets[MEMBER_SHEET] += [
        ["093004", "Lê Văn Cường", "Nam", "01/01/1985", "01/01/2010", None, "BVT", "SOTC-01", None],  # row 5
        ["093005", "Vũ Thị Dung", "Nữ", "01/01/2000", "01/01/1999", "01/01/1998", "SOTC", None, None],  # row 6
        ["093006", "Đỗ Văn Em", "Nam", "5/3/80", "01/01/2010", None, "SOTC", None, "Đang công tác"],  # row 7
        ["093001", "Trùng số thẻ", "Nam", "01/01/1980", "01/01/2010", None, "SOTC", None, None],  # row 8
        ["093007", None, "Khác", None, "01/01/2010", None, "SOTC", None, None],  # row 9
    ]

    with pytest.raises(ImportRejected) as rejected:
        import_workbook(actor=staff_user, file=xlsx(sheets))

    located = {(e.sheet, e.row, e.column) for e in rejected.value.errors}
    assert located == {
        (ORG_SHEET, 4, "Tên tổ chức"),
        (ORG_SHEET, 5, "Loại hình"),
        (ORG_SHEET, 5, "Thư điện tử"),
        (ORG_SHEET, 6, "Mã"),
        (ORG_SHEET, 7, "Hiệu lực đến ngày"),
        (CELL_SHEET, 4, "Mã đảng bộ cơ sở"),
        (CELL_SHEET, 5, "Mã đảng bộ cơ sở"),
        (CELL_SHEET, 6, "Hiệu lực từ ngày"),
        (CELL_SHEET, 6, "Mã đảng bộ cơ sở"),
        (MEMBER_SHEET, 5, "Mã chi bộ trực thuộc"),
        (MEMBER_SHEET, 6, "Ngày vào Đảng"),
        (MEMBER_SHEET, 6, "Ngày chính thức"),
        (MEMBER_SHEET, 7, "Ngày sinh"),
        (MEMBER_SHEET, 7, "Tình trạng"),
        (MEMBER_SHEET, 8, "Số thẻ đảng viên"),
        (MEMBER_SHEET, 9, "Họ và tên"),
        (MEMBER_SHEET, 9, "Giới tính"),
        (MEMBER_SHEET, 9, "Ngày sinh"),
    }
    messages = {(e.sheet, e.row, e.column): e.message for e in rejected.value.errors}
    assert messages[(ORG_SHEET, 4, "Tên tổ chức")] == "Chưa nhập (cột bắt buộc)."
    assert "“Đảng bộ” không có trong danh sách: Đảng bộ cơ sở; Chi bộ cơ sở" in messages[(ORG_SHEET, 5, "Loại hình")]
    assert "thư điện tử" in messages[(ORG_SHEET, 5, "Thư điện tử")]
    assert "trùng với dòng 2" in messages[(ORG_SHEET, 6, "Mã")]
    assert "trước ngày bắt đầu hiệu lực" in messages[(ORG_SHEET, 7, "Hiệu lực đến ngày")]
    assert "“BVT” là chi bộ cơ sở" in messages[(CELL_SHEET, 4, "Mã đảng bộ cơ sở")]
    assert "“CBCS” là chi bộ cơ sở" in messages[(CELL_SHEET, 5, "Mã đảng bộ cơ sở")]
    assert "Ngày “31/02/2020” không tồn tại" in messages[(CELL_SHEET, 6, "Hiệu lực từ ngày")]
    assert "Không có tổ chức cơ sở mã “KHONGCO”" in messages[(CELL_SHEET, 6, "Mã đảng bộ cơ sở")]
    assert "không thuộc tổ chức “BVT”" in messages[(MEMBER_SHEET, 5, "Mã chi bộ trực thuộc")]
    assert "phải sau ngày sinh" in messages[(MEMBER_SHEET, 6, "Ngày vào Đảng")]
    assert "không được trước ngày vào Đảng" in messages[(MEMBER_SHEET, 6, "Ngày chính thức")]
    assert "dd/mm/yyyy" in messages[(MEMBER_SHEET, 7, "Ngày sinh")]
    # Errors come in sheet, row, column order, as the error table shows them.
    assert rejected.value.errors[0].sheet == ORG_SHEET and rejected.value.errors[-1].sheet == MEMBER_SHEET
    # The valid rows were not written either, and the stored organisation kept its name.
    assert db_snapshot() == before
    existing.refresh_from_db()
    assert existing.name == "Đảng bộ Sở Tài chính"


@pytest.mark.django_db
def test_importing_the_same_file_twice_changes_nothing_the_second_time(bloc, staff_user):
    import_workbook(actor=staff_user, file=xlsx(valid_sheets()))
    after_first = db_snapshot()

    result = import_workbook(actor=staff_user, file=xlsx(valid_sheets()))

    assert [(c.created, c.updated, c.unchanged) for c in result.counts.values()] == [(0, 0, 2), (0, 0, 2), (0, 0, 3)]
    assert not result.changed and "không có thay đổi" in result.summary()
    assert db_snapshot() == after_first  # same rows, same keys, no new audit entry


@pytest.mark.django_db
def test_unchanged_reimport_reads_a_few_queries_whatever_the_number_of_rows(
    bloc, staff_user, django_assert_max_num_queries
):
    sheets = valid_sheets()
    sheets[MEMBER_SHEET] += [
        [f"1{n:05d}", f"Đảng viên số {n}", "Nữ", "01/01/1990", "01/01/2015", None, "SOTC", "SOTC-02", None]
        for n in range(300)
    ]
    import_workbook(actor=staff_user, file=xlsx(sheets))

    with django_assert_max_num_queries(6):
        result = import_workbook(actor=staff_user, file=xlsx(sheets))

    assert result.members.unchanged == 303


@pytest.mark.django_db
def test_changing_one_value_updates_exactly_that_row_and_audits_the_change(bloc, staff_user):
    import_workbook(actor=staff_user, file=xlsx(valid_sheets()))
    audit_before = AuditEntry.objects.count()
    others_before = list(Member.objects.exclude(code="093002").order_by("code").values())
    sheets = valid_sheets()
    sheets[MEMBER_SHEET][2][1] = "Phạm Thị Ánh Tuyết Mai"

    result = import_workbook(actor=staff_user, file=xlsx(sheets))

    assert (result.members.created, result.members.updated, result.members.unchanged) == (0, 1, 2)
    assert (result.organizations.updated, result.cells.updated) == (0, 0)
    member = Member.objects.get(code="093002")
    assert member.full_name == "Phạm Thị Ánh Tuyết Mai" and member.search_key == "pham thi anh tuyet mai"
    assert list(Member.objects.exclude(code="093002").order_by("code").values()) == others_before
    entry = AuditEntry.objects.get(pk__gt=AuditEntry.objects.order_by("pk")[audit_before - 1].pk)
    assert entry.action == "member.update" and entry.changes == {"full_name": "Phạm Thị Ánh Tuyết Mai"}


@pytest.mark.django_db
def test_sheet_left_out_of_the_file_is_skipped(staff_user, organization):
    cell = CellFactory(organization=organization, code="SOTC-09")
    result = import_workbook(
        actor=staff_user,
        file=xlsx(
            {
                MEMBER_SHEET: [
                    MEMBER_HEADERS,
                    ["093100", "Lý Thị Giang", "Nữ", "02/09/1988", "03/02/2012", None, "SOTC", "SOTC-09", None],
                ]
            }
        ),
    )

    assert result.organizations is None and result.cells is None
    assert result.members.created == 1
    assert Member.objects.get(code="093100").cell == cell


@pytest.mark.django_db
def test_member_moves_to_another_organisation_and_leaves_its_old_cell(staff_user, organization, other_organization):
    member = MemberFactory(organization=organization, cell=CellFactory(organization=organization), code="093200")

    import_workbook(
        actor=staff_user,
        file=xlsx(
            {
                MEMBER_SHEET: [
                    MEMBER_HEADERS,
                    ["093200", member.full_name, "Nam", member.birth_date, member.admitted_on, member.official_on,
                     "SOYT", None, "Đang sinh hoạt"],
                ]
            }
        ),
    )  # fmt: skip

    member.refresh_from_db()
    assert (member.organization, member.cell) == (other_organization, None)


@pytest.mark.django_db
def test_organisation_with_cells_cannot_become_a_chi_bo_co_so(staff_user, organization):
    CellFactory(organization=organization, code="SOTC-01")
    sheets = {
        ORG_SHEET: [ORG_HEADERS, ["SOTC", organization.name, "Chi bộ cơ sở", "Khối hành chính"]],
    }

    with pytest.raises(ImportRejected) as rejected:
        import_workbook(actor=staff_user, file=xlsx(sheets))

    [error] = rejected.value.errors
    assert (error.sheet, error.row, error.column) == (ORG_SHEET, 2, "Loại hình")
    assert "đang có chi bộ trực thuộc (SOTC-01)" in error.message
    organization.refresh_from_db()
    assert organization.kind == "committee"


@pytest.mark.django_db
def test_organisation_becomes_a_chi_bo_co_so_when_its_cells_move_away_in_the_same_file(
    staff_user, organization, other_organization
):
    cell = CellFactory(organization=organization, code="SOTC-01", name="Chi bộ Phòng Ngân sách")
    MemberFactory(organization=organization, cell=cell, code="093300", full_name="Ngô Văn Hải")
    sheets = {
        ORG_SHEET: [ORG_HEADERS, ["SOTC", organization.name, "Chi bộ cơ sở", "Khối hành chính"]],
        CELL_SHEET: [CELL_HEADERS, ["SOTC-01", "Chi bộ Phòng Ngân sách", "SOYT"]],
        MEMBER_SHEET: [
            MEMBER_HEADERS,
            ["093300", "Ngô Văn Hải", "Nam", "01/05/1980", "02/03/2005", "02/03/2006", "SOYT", "SOTC-01"],
        ],
    }

    result = import_workbook(actor=staff_user, file=xlsx(sheets))

    assert (result.organizations.updated, result.cells.updated, result.members.updated) == (1, 1, 1)
    organization.refresh_from_db()
    cell.refresh_from_db()
    assert organization.kind == "cell" and cell.organization == other_organization
    assert Member.objects.get(code="093300").organization == other_organization


@pytest.mark.django_db
def test_cell_cannot_move_to_another_organisation_leaving_its_members_behind(
    staff_user, organization, other_organization
):
    cell = CellFactory(organization=organization, code="SOTC-01", name="Chi bộ Phòng Ngân sách")
    MemberFactory(organization=organization, cell=cell, code="093400")

    with pytest.raises(ImportRejected) as rejected:
        import_workbook(
            actor=staff_user,
            file=xlsx({CELL_SHEET: [CELL_HEADERS, ["SOTC-01", "Chi bộ Phòng Ngân sách", "SOYT"]]}),
        )

    [error] = rejected.value.errors
    assert (error.sheet, error.row, error.column) == (CELL_SHEET, 2, "Mã đảng bộ cơ sở")
    assert "093400" in error.message
    cell.refresh_from_db()
    assert cell.organization == organization


@pytest.mark.django_db
def test_missing_required_column_is_reported_on_the_header_row(bloc, staff_user):
    sheets = {CELL_SHEET: [["Mã", "Tên chi bộ"], ["SOTC-01", "Chi bộ Văn phòng"]]}

    with pytest.raises(ImportRejected) as rejected:
        import_workbook(actor=staff_user, file=xlsx(sheets))

    assert [(e.sheet, e.row, e.column) for e in rejected.value.errors] == [(CELL_SHEET, 1, "Mã đảng bộ cơ sở")]
    assert "Thiếu cột" in rejected.value.errors[0].message


@pytest.mark.django_db
def test_headers_and_labels_match_whatever_their_case_and_unicode_form(bloc, staff_user):
    sheets = {
        nfd(ORG_SHEET): [
            [nfd(header).upper() for header in ORG_HEADERS],
            ["SOTC", "Đảng bộ Sở Tài chính", nfd("đảng bộ cơ sở"), nfd("KHỐI HÀNH CHÍNH")],
        ]
    }

    result = import_workbook(actor=staff_user, file=xlsx(sheets))

    assert result.organizations.created == 1
    assert BaseOrganization.objects.get(code="SOTC").sector == "administrative"


@pytest.mark.django_db
def test_new_organisation_without_a_bloc_is_refused(staff_user):
    Bloc.objects.all().delete()
    sheets = {ORG_SHEET: [ORG_HEADERS, ["SOTC", "Đảng bộ Sở Tài chính", "Đảng bộ cơ sở", "Khối hành chính"]]}

    with pytest.raises(ImportRejected) as rejected:
        import_workbook(actor=staff_user, file=xlsx(sheets))

    assert "chưa có Đảng ủy Khối" in rejected.value.errors[0].message
    assert not BaseOrganization.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("du-lieu.csv", b"Ma,Ten\nSOTC,So Tai chinh\n", "không phải tệp Excel .xlsx"),
        ("du-lieu.xlsx", b"day khong phai tep excel", "không phải là tệp XLSX hợp lệ"),
        ("du-lieu.xlsx", b"", "rỗng"),
    ],
    ids=["csv", "garbage", "empty"],
)
def test_file_that_is_not_a_genuine_xlsx_is_refused_in_vietnamese(bloc, staff_user, name, content, message):
    with pytest.raises(ImportRejected) as rejected:
        import_workbook(actor=staff_user, file=SimpleUploadedFile(name, content))

    [error] = rejected.value.errors
    assert (error.sheet, error.row) == ("", None)
    assert message in error.message


def _damaged_xlsx() -> bytes:
    """A package that passes the type checks (it has xl/workbook.xml) but openpyxl cannot open."""
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("xl/workbook.xml", "<workbook><sheets>")
    return buffer.getvalue()


def _truncated_sheet_xlsx() -> bytes:
    """A workbook that opens, but whose members sheet breaks off halfway (read lazily, so it fails late)."""
    source, buffer = BytesIO(xlsx(valid_sheets()).read()), BytesIO()
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(buffer, "w") as package:
        for item in original.infolist():
            content = original.read(item)
            if item.filename == "xl/worksheets/sheet3.xml":
                content = content[: len(content) // 2]
            package.writestr(item, content)
    return buffer.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize("content", [_damaged_xlsx, _truncated_sheet_xlsx], ids=["no-workbook", "sheet-cut-off"])
def test_damaged_workbook_is_refused_with_a_clear_message(bloc, staff_user, content):
    before = db_snapshot()

    with pytest.raises(ImportRejected) as rejected:
        import_workbook(actor=staff_user, file=SimpleUploadedFile("hong.xlsx", content()))

    assert [e.message for e in rejected.value.errors] == [
        "Không đọc được tệp “hong.xlsx”: tệp bị hỏng hoặc không đúng định dạng Excel .xlsx."
    ]
    assert db_snapshot() == before


@pytest.mark.django_db
def test_file_over_the_size_limit_is_refused(bloc, staff_user, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    with pytest.raises(ImportRejected) as rejected:
        import_workbook(actor=staff_user, file=xlsx(valid_sheets()))

    assert "vượt quá mức tối đa" in rejected.value.errors[0].message
    assert not BaseOrganization.objects.exists()


@pytest.mark.django_db
def test_workbook_without_any_sheet_of_the_format_is_refused(bloc, staff_user):
    with pytest.raises(ImportRejected) as rejected:
        import_workbook(actor=staff_user, file=xlsx({"Sheet1": [["A", "B"], [1, 2]]}))

    assert "không có trang tính nào theo mẫu" in rejected.value.errors[0].message


@pytest.mark.django_db
def test_row_refused_by_the_model_rejects_the_file_and_rolls_back_earlier_rows(bloc, staff_user, monkeypatch):
    """The checks should leave the model nothing to refuse; if it still does, the file is refused, not a 500."""
    model_clean = Member.clean

    def refuse(member):
        if member.code == "093001":
            raise ValidationError({"full_name": ["Họ và tên không hợp lệ."]})
        model_clean(member)

    monkeypatch.setattr(Member, "clean", refuse)
    before = db_snapshot()

    with pytest.raises(ImportRejected) as rejected:
        import_workbook(actor=staff_user, file=xlsx(valid_sheets()))

    assert [(e.sheet, e.row, e.column, e.message) for e in rejected.value.errors] == [
        (MEMBER_SHEET, 2, "Họ và tên", "Họ và tên không hợp lệ.")
    ]
    assert db_snapshot() == before  # the organisations and cells written before it are gone too


# --- The page ---------------------------------------------------------------------------------------------------

URL = reverse("organizations:import")


@pytest.mark.django_db
def test_anonymous_user_is_sent_to_login(client):
    response = client.get(URL)

    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.django_db
@pytest.mark.parametrize("user_client", ["officer_client", "leader_client"])
def test_officer_and_leader_are_forbidden_to_import(request, user_client):
    client = request.getfixturevalue(user_client)

    assert client.get(URL).status_code == 403
    assert client.post(URL, {"file": xlsx(valid_sheets())}).status_code == 403
    assert not Member.objects.exists()


@pytest.mark.django_db
def test_staff_sees_the_upload_form_and_download_links(staff_client):
    response = staff_client.get(URL)

    assert response.status_code == 200
    content = response.content.decode()
    assert 'type="file"' in content and 'enctype="multipart/form-data"' in content
    assert reverse("organizations:import_template") in content and reverse("reports:export_start") in content


@pytest.mark.django_db
def test_staff_upload_of_a_valid_file_redirects_with_a_vietnamese_summary(staff_client):
    response = staff_client.post(URL, {"file": xlsx(valid_sheets())}, follow=True)

    assert response.redirect_chain == [(URL, 302)]
    assert "Đã nhập dữ liệu. Tổ chức cơ sở: 2 thêm mới" in response.content.decode()
    assert Member.objects.count() == 3


@pytest.mark.django_db
def test_non_xlsx_upload_gets_a_vietnamese_error(staff_client):
    upload = SimpleUploadedFile("danh-sach.csv", b"Ma,Ten\n", content_type="text/csv")

    response = staff_client.post(URL, {"file": upload})

    assert response.status_code == 200
    assert "Tệp “danh-sach.csv” không phải tệp Excel .xlsx" in response.content.decode()
    assert response.context["form"].errors["file"]


@pytest.mark.django_db
def test_bad_workbook_shows_the_error_table_and_changes_nothing(staff_client):
    sheets = valid_sheets()
    sheets[MEMBER_SHEET][1][3] = "30/02/1980"
    before = db_snapshot()

    response = staff_client.post(URL, {"file": xlsx(sheets, name="sai.xlsx")})

    assert response.status_code == 200
    content = response.content.decode()
    assert "Tệp “sai.xlsx” chưa được nhập: có 1 lỗi." in content
    assert "<th>Trang tính</th>" in content and "<th>Lỗi</th>" in content
    errors = response.context["errors"]
    assert [(e.sheet, e.row, e.column) for e in errors] == [(MEMBER_SHEET, 2, "Ngày sinh")]
    assert "Ngày “30/02/1980” không tồn tại." in content
    assert db_snapshot() == before


@pytest.mark.django_db
def test_damaged_workbook_upload_shows_an_error_not_a_server_error(staff_client):
    response = staff_client.post(URL, {"file": SimpleUploadedFile("hong.xlsx", _damaged_xlsx())})

    assert response.status_code == 200
    assert "Không đọc được tệp “hong.xlsx”" in response.content.decode()
