"""A long draft's PDF or Word file is made by a job with progress, from the structure the user saw when asking;
a short one downloads at once; nobody but the requester follows or downloads the job."""

import io
import zipfile

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from reports import services, tasks
from reports.models import DocType, DocumentKind, ExportJob, ExportStatus

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("small_thresholds")]

ROWS = 60
LONG_BODY = "\n".join(
    [
        "Tình hình thực hiện của các tổ chức cơ sở đảng như sau:",
        "| STT | Tổ chức cơ sở đảng | Số mô hình |",
        *(f"| {n} | Đảng bộ Sở Ban ngành số {n} | {n % 7} |" for n in range(1, ROWS + 1)),
        "Đề nghị các đơn vị tiếp tục thực hiện.",
    ]
)


@pytest.fixture
def eager_celery():
    from dukportal.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


def _draft(staff_user, issuing_body, body=LONG_BODY):
    document = services.document_create(
        actor=staff_user, kind=DocumentKind.OTHER, issuing_body=issuing_body, doc_type=DocType.BC
    )
    return services.document_update(actor=staff_user, document=document, subject="Báo cáo kết quả", body=body)


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_long_draft_download_link_leads_to_the_job_button(staff_client, staff_user, issuing_body):
    document = _draft(staff_user, issuing_body)
    response = staff_client.get(reverse("reports:document_download", args=[document.pk, "pdf"]))
    assert response.status_code == 302 and response["Location"] == document.get_absolute_url()
    assert not ExportJob.objects.exists()
    page = staff_client.get(response["Location"]).content.decode()
    assert "Văn bản dài: tệp PDF được tạo ở chế độ nền" in page
    assert reverse("reports:document_render_job", args=[document.pk, "pdf"]) in page
    assert "Tạo tệp PDF" in page and "Tạo tệp Word" in page


def test_long_draft_pdf_is_rendered_by_a_job_from_the_snapshot(
    staff_client, staff_user, issuing_body, django_capture_on_commit_callbacks, eager_celery
):
    document = _draft(staff_user, issuing_body)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = staff_client.post(reverse("reports:document_render_job", args=[document.pk, "pdf"]))
    job = ExportJob.objects.get()
    assert job.kind == "document" and job.params["size"] == services.structure_of(document).size_estimate
    assert response["Location"] == reverse("reports:export_job", args=[job.pk])
    waiting = staff_client.get(response["Location"] + "?format=json").json()
    assert waiting == {**waiting, "status": ExportStatus.QUEUED, "progress": 0, "download": ""}

    # The draft changes while the job waits: the file is still of what the user saw when asking.
    services.document_update(actor=staff_user, document=document, body="Nội dung đã sửa sau khi bấm nút.")
    for callback in queued:
        callback()

    status = staff_client.get(response["Location"] + "?format=json").json()
    assert status["status"] == ExportStatus.DONE and status["progress"] == 100
    page = staff_client.get(response["Location"]).content.decode()
    assert "Tải tệp PDF" in page and "Tải tệp Excel" not in page
    download = staff_client.get(status["download"])
    assert download["Content-Disposition"].endswith(f'filename="du-thao-{document.pk}-BC.pdf"')
    text = _pdf_text(b"".join(download.streaming_content))
    assert f"Đảng bộ Sở Ban ngành số {ROWS}" in text and "Đề nghị các đơn vị tiếp tục thực hiện." in text
    assert "đã sửa sau khi bấm nút" not in text


def test_docx_job_reports_progress_while_it_renders(
    staff_client, staff_user, issuing_body, django_capture_on_commit_callbacks, eager_celery, monkeypatch
):
    rows = 900  # progress is reported every 200 rows
    body = "\n".join(["| STT | Tên |", *(f"| {n} | Chi bộ {n} |" for n in range(1, rows + 1))])
    document = _draft(staff_user, issuing_body, body)
    seen = []
    real = tasks.render_docx

    def watched(structure, *, progress):
        def report(percent):
            progress(percent)
            seen.append(staff_client.get(status_url + "?format=json").json()["progress"])

        return real(structure, progress=report)

    monkeypatch.setattr(tasks, "render_docx", watched)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = staff_client.post(reverse("reports:document_render_job", args=[document.pk, "docx"]))
    status_url = response["Location"]
    for callback in queued:
        callback()

    assert len(seen) >= 4 and seen == sorted(seen) and 0 < seen[0] < seen[-1] < 100, seen
    job = ExportJob.objects.get()
    assert job.status == ExportStatus.DONE and job.progress == 100
    with job.file.open("rb") as stored:
        xml = zipfile.ZipFile(stored).read("word/document.xml").decode()
    assert f"Chi bộ {rows}<" in xml


def test_short_draft_downloads_at_once(staff_client, staff_user, issuing_body):
    document = _draft(staff_user, issuing_body, "Một đoạn.\nHai đoạn.")
    for fmt, content_type in (
        ("pdf", "application/pdf"),
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ):
        response = staff_client.get(reverse("reports:document_download", args=[document.pk, fmt]))
        assert response.status_code == 200 and response["Content-Type"] == content_type
    page = staff_client.get(document.get_absolute_url()).content.decode()
    assert "Tải PDF" in page and "Tạo tệp PDF" not in page
    # Posting for a short draft does not make a job: it is the direct download.
    response = staff_client.post(reverse("reports:document_render_job", args=[document.pk, "pdf"]))
    assert response["Location"] == reverse("reports:document_download", args=[document.pk, "pdf"])
    assert not ExportJob.objects.exists()


def test_short_draft_pdf_downloads_as_its_text(staff_client, staff_user, issuing_body):
    document = _draft(staff_user, issuing_body, "Một đoạn ngắn của dự thảo.")
    response = staff_client.get(reverse("reports:document_download", args=[document.pk, "pdf"]))
    assert "Một đoạn ngắn của dự thảo." in _pdf_text(response.content)


def _client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_only_the_requester_follows_and_downloads_the_job(
    staff_client, leader_user, officer_user, staff_user, issuing_body, django_capture_on_commit_callbacks, eager_celery
):
    leader_client, officer_client = _client_of(leader_user), _client_of(officer_user)
    document = _draft(staff_user, issuing_body)
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(reverse("reports:document_render_job", args=[document.pk, "pdf"]))
    job = ExportJob.objects.get()
    assert job.status == ExportStatus.DONE
    urls = [
        reverse("reports:export_job", args=[job.pk]),
        reverse("reports:export_job", args=[job.pk]) + "?format=json",
        reverse("reports:export_download", args=[job.pk]),
    ]
    for url in urls:
        assert staff_client.get(url).status_code == 200
        assert leader_client.get(url).status_code == 404  # another reader of the same document
        assert officer_client.get(url).status_code == 403  # a base organisation's officer reads no documents
    assert leader_client.post(reverse("reports:export_retry", args=[job.pk])).status_code == 404


def test_failed_render_job_is_retried_with_its_snapshot(
    staff_client, staff_user, issuing_body, django_capture_on_commit_callbacks, eager_celery
):
    document = _draft(staff_user, issuing_body)
    with django_capture_on_commit_callbacks(execute=False):
        staff_client.post(reverse("reports:document_render_job", args=[document.pk, "docx"]))
    job = ExportJob.objects.get()
    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.FAILED, error="Hết thời gian.")
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse("reports:export_retry", args=[job.pk]))
    assert response["Location"] == reverse("reports:export_job", args=[job.pk])
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE
    with job.file.open("rb") as stored:
        assert f"Đảng bộ Sở Ban ngành số {ROWS}<" in zipfile.ZipFile(stored).read("word/document.xml").decode()


def test_size_estimate_counts_paragraphs_and_table_rows(staff_user, issuing_body):
    document = _draft(staff_user, issuing_body)
    structure = services.structure_of(document)
    # Two paragraphs, the header row and the body rows, and the "Nơi nhận" lines.
    assert len(structure.distribution) == 2 and not structure.recipients
    assert structure.size_estimate == 2 + 1 + ROWS + 2
