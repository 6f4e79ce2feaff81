"""Excel exports: the register downloads at once; the deadline matrix runs as a Celery task (eager without
Redis) whose job row the page polls for progress."""

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reports import services
from reports.models import DocumentKind, ExportJob, ExportStatus
from tests.reports.drafts import finish
from tests.reports.factories import danvan_scenario

pytestmark = pytest.mark.django_db


@pytest.fixture
def eager_celery():
    """Run the task in-process even when REDIS_URL is set (no worker runs during tests)."""
    from dukportal.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


def test_register_xlsx_lists_issued_documents(leader_client, staff_user, issuing_body, term):
    draft = services.document_create(actor=staff_user, kind=DocumentKind.OTHER, issuing_body=issuing_body)
    services.document_issue(actor=staff_user, document=finish(draft, staff_user), issued_on=date(2024, 5, 22))
    services.document_create(actor=staff_user, kind=DocumentKind.OTHER, issuing_body=issuing_body)  # a draft
    response = leader_client.get(reverse("reports:register_xlsx"))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert len(rows) == 1 and rows[0][0] == "01-CV/ĐUK"


def test_deadline_matrix_runs_as_a_job_with_progress(
    staff_client, staff_user, django_capture_on_commit_callbacks, eager_celery
):
    danvan_scenario(staff=staff_user, organizations=12, registered=5, base_level=9, continued=3)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse("reports:export_start"), {"kind": "deadline_matrix"})
    job = ExportJob.objects.get()
    assert response["Location"] == reverse("reports:export_job", args=[job.pk])
    status = staff_client.get(response["Location"] + "?format=json").json()
    assert status["status"] == ExportStatus.DONE and status["progress"] == 100
    page = staff_client.get(response["Location"]).content.decode()
    assert "Tải tệp Excel" in page
    download = staff_client.get(status["download"])
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][2].startswith("Đăng ký mô hình “Dân vận khéo” năm 2024")
    assert len(rows) == 1 + 12
    standings = [row[2] for row in rows[1:]]
    assert standings.count("Đã nộp") == 5


def test_another_users_job_is_404(staff_client, leader_user, django_capture_on_commit_callbacks):
    job = ExportJob.objects.create(kind="deadline_matrix", created_by=leader_user)
    assert staff_client.get(reverse("reports:export_job", args=[job.pk])).status_code == 404
    assert staff_client.get(reverse("reports:export_download", args=[job.pk])).status_code == 404


def test_year_report_tables_download_as_workbook(leader_client, staff_user, issuing_body):
    campaign, _ = danvan_scenario(staff=staff_user, organizations=6, registered=3, base_level=6, continued=2)
    document = services.document_create(
        actor=staff_user, kind=DocumentKind.DANVAN_REPORT, issuing_body=issuing_body, source=campaign
    )
    response = leader_client.get(reverse("reports:document_tables_xlsx", args=[document.pk]))
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames[:2] == ["Bang 1", "Bang 2"]
    by_field = list(workbook["Bang 1"].iter_rows(values_only=True))
    assert by_field[0][0] == "Lĩnh vực / loại"
    assert by_field[-1] == ("Cộng", 2, 6, 2, 6, 8)
