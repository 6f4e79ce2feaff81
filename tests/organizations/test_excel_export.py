"""The downloadable import template and the export of all organisations, cells and members."""

from datetime import date, datetime
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from dukportal.core import outbox, xlsx
from dukportal.core.models import AuditEntry, OutboxMessage
from organizations import spreadsheets
from organizations.imports import ImportRejected, import_workbook
from organizations.models import MemberStatus, Role
from organizations.spreadsheets import build_export
from reports import services as report_services
from reports.models import ExportJob, ExportStatus
from reports.tasks import run_export
from tests.factories import CellFactory, MemberFactory, UserFactory
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
EXPORT_START_URL = reverse("reports:export_start")


def download(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"].startswith("attachment;")
    return b"".join(response.streaming_content), response


def start_member_export(client) -> ExportJob:
    """ "Xuất toàn bộ dữ liệu" on the import/export page: a job, and the job page (nothing built yet, the
    commit callbacks that would hand the job to Celery are not run)."""
    response = client.post(EXPORT_START_URL, {"kind": "members"})
    job = ExportJob.objects.filter(kind="members").latest("pk")
    assert response.status_code == 302 and response["Location"] == reverse("reports:export_job", args=[job.pk])
    assert job.status == ExportStatus.QUEUED
    return job


def run_job(job: ExportJob) -> None:
    """What a worker does with the job's outbox message."""
    assert outbox.run(OutboxMessage.objects.get(key=f"export:{job.pk}").pk)["status"] == "done"
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE


def export_via_job(client):
    job = start_member_export(client)
    run_job(job)
    return download(client, reverse("reports:export_download", args=[job.pk]))


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
    content, response = export_via_job(staff_client)

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
    content, _ = export_via_job(staff_client)
    before = db_snapshot()

    result = import_workbook(actor=staff_user, file=SimpleUploadedFile("xuat.xlsx", content))

    assert [(c.created, c.updated, c.unchanged) for c in result.counts.values()] == [(0, 0, 2), (0, 0, 2), (0, 0, 4)]
    assert db_snapshot() == before


@pytest.mark.django_db
@pytest.mark.usefixtures("data")
def test_export_edited_in_excel_updates_only_the_edited_rows(staff_client, staff_user):
    content, _ = export_via_job(staff_client)
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
def test_anonymous_download_is_sent_to_login(client):
    for response in (client.get(TEMPLATE_URL), client.post(EXPORT_START_URL, {"kind": "members"})):
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert not ExportJob.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("user_client", ["officer_client", "leader_client"])
def test_officer_and_leader_are_forbidden_to_download(request, user_client):
    client = request.getfixturevalue(user_client)
    assert client.get(TEMPLATE_URL).status_code == 403
    assert client.post(EXPORT_START_URL, {"kind": "members"}).status_code == 403
    assert not ExportJob.objects.exists()


@pytest.mark.django_db
@pytest.mark.usefixtures("data")
def test_export_button_queues_a_job_and_builds_nothing_in_the_request(staff_client, monkeypatch):
    page = staff_client.get(reverse("organizations:import")).content.decode()
    assert f'action="{EXPORT_START_URL}"' in page and 'name="kind" value="members"' in page

    def not_in_the_request(*args, **kwargs):
        raise AssertionError("the workbook is built by the job, not in the request")

    monkeypatch.setattr(spreadsheets, "export_xlsx", not_in_the_request)
    job = start_member_export(staff_client)

    assert OutboxMessage.objects.get(key=f"export:{job.pk}").status == "pending"
    assert AuditEntry.objects.filter(action="export.create", changes__kind="members").count() == 1
    page = staff_client.get(reverse("reports:export_job", args=[job.pk])).content.decode()
    assert "Xuất tổ chức, chi bộ và đảng viên" in page


@pytest.mark.django_db
def test_the_job_reports_rising_progress_as_it_writes(staff_client, staff_user, organization, monkeypatch):
    cell = CellFactory(organization=organization)
    MemberFactory.create_batch(12, organization=organization, cell=cell)
    monkeypatch.setattr(spreadsheets, "EXPORT_CHUNK", 2)  # many progress reports from a few rows
    seen = []
    real = spreadsheets.export_xlsx

    def spy(user, progress):
        def recorded(percent):
            progress(percent)
            seen.append(ExportJob.objects.get().progress)  # as the job page's poll reads it

        return real(user, progress=recorded)

    monkeypatch.setattr(spreadsheets, "export_xlsx", spy)
    job = start_member_export(staff_client)
    run_job(job)

    assert seen == sorted(seen) and len(set(seen)) > 4 and seen[0] < 10 and seen[-1] == 100
    status = staff_client.get(reverse("reports:export_job", args=[job.pk]) + "?format=json").json()
    assert status["progress"] == 100 and status["download"] == reverse("reports:export_download", args=[job.pk])


@pytest.mark.django_db
@pytest.mark.usefixtures("data")
def test_the_job_is_built_as_its_requester_and_only_they_download_it(staff_client, staff_user, client, officer_user):
    # The task loads the requester and builds with their reading rights (a job row written by hand for an
    # officer, whom the service would refuse: it proves the file is not built with everything).
    officers_job = ExportJob.objects.create(kind="members", created_by=officer_user)
    assert run_export(officers_job.pk) == "done"
    officers_job.refresh_from_db()
    members = load_workbook(officers_job.file.open("rb"))[MEMBER_SHEET]
    assert {row[0] for row in members.iter_rows(min_row=2, values_only=True)} == {"093001", "093002", "093003"}

    job = start_member_export(staff_client)
    run_job(job)
    other_staff = UserFactory(role=Role.STAFF, organization=None)
    client.force_login(other_staff)
    for name in ("reports:export_job", "reports:export_download"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404
    # Demoted to leader (or officer) after asking: the file they had started is no longer theirs to take.
    staff_user.role = Role.LEADER
    staff_user.save()
    staff_client.force_login(staff_user)
    assert staff_client.get(reverse("reports:export_download", args=[job.pk])).status_code == 403


@pytest.mark.django_db
@pytest.mark.usefixtures("data")
def test_a_job_started_without_the_staff_role_is_refused_by_the_service(leader_user, officer_user):
    for user in (leader_user, officer_user):
        with pytest.raises(PermissionDenied):
            report_services.export_job_create(actor=user, kind="members", params={})
    assert not ExportJob.objects.exists()


@pytest.mark.django_db
@pytest.mark.usefixtures("data")
def test_the_streamed_export_keeps_the_templates_headers_dropdowns_widths_and_text_columns(staff_user):
    """Written in write-only mode, the export still looks like the template a user fills in."""
    exported = load_workbook(BytesIO(spreadsheets.export_xlsx(staff_user)))
    template = load_workbook(BytesIO(xlsx.to_bytes(spreadsheets.build_template())))
    assert exported.active.title == ORG_SHEET
    assert dropdowns(exported[MEMBER_SHEET])  # gender and status lists
    for sheet in exported.worksheets:
        blank = template[sheet.title]
        assert sheet.freeze_panes == blank.freeze_panes == "A2"
        assert dropdowns(sheet) == dropdowns(blank)
        for letter, dimension in blank.column_dimensions.items():
            column = sheet.column_dimensions[letter]
            assert (column.width, column.number_format) == (dimension.width, dimension.number_format), letter
        header = [(cell.value, cell.font.b, cell.fill.fgColor.rgb) for cell in sheet[1]]
        assert header == [(cell.value, cell.font.b, cell.fill.fgColor.rgb) for cell in blank[1]]
        assert sheet.auto_filter.ref == f"A1:{sheet.cell(row=1, column=sheet.max_column).column_letter}{sheet.max_row}"
