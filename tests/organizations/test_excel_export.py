"""The downloadable import template and the export of all organisations, cells and members."""

from datetime import date, datetime
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from dukportal.core.models import AuditEntry
from organizations.imports import ImportRejected, import_workbook
from organizations.models import MemberStatus
from organizations.spreadsheets import build_export
from tests.factories import CellFactory, MemberFactory
from tests.organizations.test_excel_import import (
    CELL_HEADERS,
    CELL_SHEET,
    MEMBER_HEADERS,
    MEMBER_SHEET,
    ORG_HEADERS,
    ORG_SHEET,
    XLSX,
    db_snapshot,
)

TEMPLATE_URL = reverse("organizations:import_template")
EXPORT_URL = reverse("organizations:export")


def download(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"].startswith("attachment;")
    return b"".join(response.streaming_content), response


def headers(worksheet) -> list:
    return [cell.value for cell in worksheet[1]]


def dropdowns(worksheet) -> dict[str, str]:
    """Column letter → the inline list of a list validation."""
    return {
        str(validation.sqref)[0]: validation.formula1
        for validation in worksheet.data_validations.dataValidation
        if validation.type == "list"
    }


@pytest.fixture
def data(organization, other_organization):
    """SOTC with two cells and three members (one not yet official, one transferred); SOYT with a member and an
    end date; Vietnamese names throughout."""
    other_organization.valid_to = date(2025, 6, 30)
    other_organization.email = "soyt@yenbai.gov.vn"
    other_organization.save()
    budget = CellFactory(organization=organization, code="SOTC-01", name="Chi bộ Phòng Ngân sách")
    CellFactory(organization=organization, code="SOTC-02", name="Chi bộ Văn phòng", secretary_name="Đinh Thị Lan")
    MemberFactory(organization=organization, cell=budget, code="093001", full_name="Nguyễn Đức Phương")
    MemberFactory(
        organization=organization,
        cell=budget,
        code="093002",
        full_name="Phạm Thị Ánh Tuyết",
        gender="female",
        official_on=None,
    )
    MemberFactory(organization=organization, code="093003", status=MemberStatus.TRANSFERRED_OUT)
    MemberFactory(organization=other_organization, code="093004", full_name="Âu Minh Châu")


@pytest.mark.django_db
def test_template_has_the_guide_and_one_sheet_per_kind_with_headers_and_dropdowns(staff_client):
    content, response = download(staff_client, TEMPLATE_URL)

    assert 'filename="mau-nhap-to-chuc-dang-vien.xlsx"' in response["Content-Disposition"]
    workbook = load_workbook(BytesIO(content))
    assert workbook.sheetnames == ["Hướng dẫn", ORG_SHEET, CELL_SHEET, MEMBER_SHEET]
    assert headers(workbook[ORG_SHEET]) == ORG_HEADERS
    assert headers(workbook[CELL_SHEET]) == CELL_HEADERS
    assert headers(workbook[MEMBER_SHEET]) == MEMBER_HEADERS
    assert all(workbook[title].max_row == 1 for title in (ORG_SHEET, CELL_SHEET, MEMBER_SHEET))
    assert dropdowns(workbook[ORG_SHEET]) == {
        "C": '"Đảng bộ cơ sở,Chi bộ cơ sở"',
        "D": '"Khối hành chính,Khối sự nghiệp,Khối doanh nghiệp"',
    }
    assert dropdowns(workbook[MEMBER_SHEET]) == {
        "C": '"Nam,Nữ"',
        "I": '"Đang sinh hoạt,Đã chuyển đi,Đã ra khỏi Đảng,Đã từ trần"',  # died: a status of its own
    }
    assert dropdowns(workbook[CELL_SHEET]) == {}
    guide = list(workbook["Hướng dẫn"].iter_rows(values_only=True))
    described = {(row[0], row[1]) for row in guide}
    for title, columns in ((ORG_SHEET, ORG_HEADERS), (CELL_SHEET, CELL_HEADERS), (MEMBER_SHEET, MEMBER_HEADERS)):
        assert all((title, column) in described for column in columns)
    assert any("dd/mm/yyyy" in str(cell) for row in guide for cell in row)


@pytest.mark.django_db
def test_blank_template_is_not_an_import(staff_user, staff_client):
    content, _ = download(staff_client, TEMPLATE_URL)

    with pytest.raises(ImportRejected) as rejected:
        import_workbook(actor=staff_user, file=SimpleUploadedFile("mau.xlsx", content))

    assert "không có dòng dữ liệu nào" in rejected.value.errors[0].message


@pytest.mark.django_db
@pytest.mark.usefixtures("data")
def test_export_writes_every_row_with_vietnamese_labels_and_real_date_cells(staff_client):
    content, response = download(staff_client, EXPORT_URL)

    assert "to-chuc-dang-vien-" in response["Content-Disposition"]
    workbook = load_workbook(BytesIO(content))
    assert workbook.sheetnames == [ORG_SHEET, CELL_SHEET, MEMBER_SHEET]
    organizations = {row[0].value: row for row in workbook[ORG_SHEET].iter_rows(min_row=2)}
    assert set(organizations) == {"SOTC", "SOYT"}
    soyt = [cell.value for cell in organizations["SOYT"]]
    assert soyt[1:4] == ["Đảng bộ Sở Y tế", "Đảng bộ cơ sở", "Khối hành chính"]
    assert soyt[7] == "soyt@yenbai.gov.vn"
    assert soyt[8:] == [datetime(2015, 1, 1), datetime(2025, 6, 30)]
    assert organizations["SOYT"][9].number_format == "DD/MM/YYYY"
    assert organizations["SOTC"][9].value is None

    cells = [list(row) for row in workbook[CELL_SHEET].iter_rows(min_row=2, values_only=True)]
    assert cells == [
        ["SOTC-01", "Chi bộ Phòng Ngân sách", "SOTC", None, datetime(2015, 1, 1), None],
        ["SOTC-02", "Chi bộ Văn phòng", "SOTC", "Đinh Thị Lan", datetime(2015, 1, 1), None],
    ]
    members = {row[0].value: row for row in workbook[MEMBER_SHEET].iter_rows(min_row=2)}
    assert set(members) == {"093001", "093002", "093003", "093004"}
    tuyet = [cell.value for cell in members["093002"]]
    assert tuyet == [
        "093002", "Phạm Thị Ánh Tuyết", "Nữ", datetime(1980, 5, 1), datetime(2005, 3, 2), None, "SOTC", "SOTC-01",
        "Đang sinh hoạt",
    ]  # fmt: skip
    assert [cell.number_format for cell in members["093001"][3:6]] == ["DD/MM/YYYY"] * 3
    assert members["093003"][8].value == "Đã chuyển đi" and members["093003"][7].value is None


@pytest.mark.django_db
@pytest.mark.usefixtures("data")
def test_exported_file_reimports_without_any_change(staff_client, staff_user):
    content, _ = download(staff_client, EXPORT_URL)
    before = db_snapshot()

    result = import_workbook(actor=staff_user, file=SimpleUploadedFile("xuat.xlsx", content))

    assert [(c.created, c.updated, c.unchanged) for c in result.counts.values()] == [(0, 0, 2), (0, 0, 2), (0, 0, 4)]
    assert db_snapshot() == before


@pytest.mark.django_db
@pytest.mark.usefixtures("data")
def test_export_edited_in_excel_updates_only_the_edited_rows(staff_client, staff_user):
    content, _ = download(staff_client, EXPORT_URL)
    workbook = load_workbook(BytesIO(content))
    for row in workbook[MEMBER_SHEET].iter_rows(min_row=2):
        if row[0].value == "093002":
            row[5].value = "15/04/2006"  # typed as text, the way users often do
    buffer = BytesIO()
    workbook.save(buffer)
    audit_before = AuditEntry.objects.count()

    result = import_workbook(actor=staff_user, file=SimpleUploadedFile("xuat.xlsx", buffer.getvalue()))

    assert (result.members.updated, result.members.unchanged) == (1, 3)
    assert (result.organizations.updated, result.cells.updated) == (0, 0)
    entry = AuditEntry.objects.latest("pk")
    assert AuditEntry.objects.count() == audit_before + 1
    assert entry.action == "member.update" and entry.changes == {"official_on": "2006-04-15"}


@pytest.mark.django_db
def test_export_reads_three_queries_whatever_the_number_of_rows(staff_user, organization, django_assert_num_queries):
    cell = CellFactory(organization=organization)
    MemberFactory.create_batch(30, organization=organization, cell=cell)

    with django_assert_num_queries(3):
        workbook = build_export(staff_user)

    assert workbook[MEMBER_SHEET].max_row == 31


@pytest.mark.django_db
@pytest.mark.parametrize("url", [TEMPLATE_URL, EXPORT_URL], ids=["template", "export"])
def test_anonymous_download_is_sent_to_login(client, url):
    response = client.get(url)

    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.django_db
@pytest.mark.parametrize("url", [TEMPLATE_URL, EXPORT_URL], ids=["template", "export"])
@pytest.mark.parametrize("user_client", ["officer_client", "leader_client"])
def test_officer_and_leader_are_forbidden_to_download(request, user_client, url):
    assert request.getfixturevalue(user_client).get(url).status_code == 403
