"""A long draft is issued by a job: "Phát hành" answers at once with a page that follows the job, the number is
taken only when the files are rendered, and the job issues the draft as it was when the button was pressed —
refusing, with a message, a draft edited meanwhile. A rerun or a second click never issues twice."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from reports import services, tasks
from reports.models import DocType, DocumentKind, DocumentStatus, ExportJob, ExportStatus, NumberCounter
from tests.factories import UserFactory
from tests.reports.drafts import finish

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("small_thresholds")]

ROWS = 60
LONG_BODY = "\n".join(
    [
        "Kết quả của các tổ chức cơ sở đảng như sau:",
        "| STT | Tổ chức cơ sở đảng | Số mô hình |",
        *(f"| {n} | Đảng bộ Sở Ban ngành số {n} | {n % 7} |" for n in range(1, ROWS + 1)),
        "Đề nghị các đơn vị tiếp tục thực hiện.",
    ]
)
ISSUED_ON = "22/05/2024"


@pytest.fixture(autouse=True)
def in_may_2024():
    with time_machine.travel(date(2024, 5, 23), tick=False):
        yield


def _draft(staff_user, issuing_body, body=LONG_BODY):
    document = services.document_create(
        actor=staff_user, kind=DocumentKind.OTHER, issuing_body=issuing_body, doc_type=DocType.BC
    )
    document = services.document_update(actor=staff_user, document=document, subject="Báo cáo kết quả", body=body)
    return finish(document, staff_user)


def _press_issue(client, document, captured):
    with captured(execute=False) as queued:
        response = client.post(reverse("reports:document_issue", args=[document.pk]), {"issued_on": ISSUED_ON})
    return response, queued


def _run(queued):
    for callback in queued:
        callback()


def test_a_long_draft_is_issued_by_a_job_and_the_page_leads_to_it(
    staff_client, staff_user, issuing_body, term, django_capture_on_commit_callbacks, celery_eager
):
    document = _draft(staff_user, issuing_body)
    response, queued = _press_issue(staff_client, document, django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reports:export_job", args=[job.pk])
    document.refresh_from_db()
    assert (document.status, document.number) == (DocumentStatus.DRAFT, None)  # no number before the files
    waiting = staff_client.get(response["Location"]).content.decode()
    assert "Phát hành: Báo cáo kết quả" in waiting and "Số văn bản được lấy khi tệp đã tạo xong" in waiting

    _run(queued)

    document.refresh_from_db()
    assert document.status == DocumentStatus.ISSUED and document.number == 1
    assert document.issued_on == date(2024, 5, 22) and document.issued_by == staff_user
    assert document.pdf_file and document.docx_file
    status = staff_client.get(response["Location"] + "?format=json").json()
    assert status["status"] == ExportStatus.DONE and status["progress"] == 100
    assert status["download"] == document.get_absolute_url()
    assert "Xem văn bản đã phát hành" in staff_client.get(response["Location"]).content.decode()


def test_a_short_draft_is_issued_in_the_request(staff_client, staff_user, issuing_body, term):
    document = _draft(staff_user, issuing_body, "Các đơn vị đã thực hiện đầy đủ.")
    response = staff_client.post(reverse("reports:document_issue", args=[document.pk]), {"issued_on": ISSUED_ON})
    assert response["Location"] == document.get_absolute_url()
    document.refresh_from_db()
    assert document.status == DocumentStatus.ISSUED and not ExportJob.objects.exists()


def test_an_unfinished_long_draft_is_refused_on_the_page_without_a_job(staff_client, staff_user, issuing_body, term):
    document = _draft(staff_user, issuing_body)
    services.document_update(actor=staff_user, document=document, body=LONG_BODY + "\nGửi về trước ngày […].")
    response = staff_client.post(
        reverse("reports:document_issue", args=[document.pk]), {"issued_on": ISSUED_ON}, follow=True
    )
    assert "Chưa thể phát hành" in response.content.decode()
    assert not ExportJob.objects.exists()


def test_a_draft_edited_while_the_job_waits_is_not_issued(
    staff_client, staff_user, issuing_body, term, django_capture_on_commit_callbacks, celery_eager
):
    document = _draft(staff_user, issuing_body)
    response, queued = _press_issue(staff_client, document, django_capture_on_commit_callbacks)
    services.document_update(actor=staff_user, document=document, body=LONG_BODY + "\nThêm một câu sau khi bấm.")
    _run(queued)

    document.refresh_from_db()
    assert document.status == DocumentStatus.DRAFT and document.number is None
    assert not NumberCounter.objects.filter(last_number__gt=0).exists()  # no number burnt
    job = ExportJob.objects.get()
    assert job.status == ExportStatus.FAILED and "Dự thảo đã được sửa sau khi bấm “Phát hành”" in job.error
    page = staff_client.get(response["Location"]).content.decode()
    assert "Chưa phát hành được:" in page and "Dự thảo đã được sửa" in page


def test_a_rerun_after_the_issue_committed_takes_no_second_number(
    staff_client, staff_user, issuing_body, term, django_capture_on_commit_callbacks, celery_eager
):
    document = _draft(staff_user, issuing_body)
    _response, queued = _press_issue(staff_client, document, django_capture_on_commit_callbacks)
    _run(queued)
    job = ExportJob.objects.get()
    # The worker died after the issue committed and before it marked the job: the outbox runs it again.
    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.RUNNING)
    assert tasks.issue_document(job.pk) == "already issued"
    document.refresh_from_db()
    assert document.number == 1
    assert NumberCounter.objects.get().last_number == 1


def test_a_double_click_issues_once(
    staff_client, staff_user, issuing_body, term, django_capture_on_commit_callbacks, celery_eager
):
    document = _draft(staff_user, issuing_body)
    _first, queued_first = _press_issue(staff_client, document, django_capture_on_commit_callbacks)
    _second, queued_second = _press_issue(staff_client, document, django_capture_on_commit_callbacks)
    _run(queued_first)
    _run(queued_second)
    document.refresh_from_db()
    assert document.number == 1 and NumberCounter.objects.get().last_number == 1
    assert set(ExportJob.objects.values_list("status", flat=True)) == {ExportStatus.DONE}


def test_only_the_requester_follows_the_issue_job(
    client, staff_client, staff_user, issuing_body, term, django_capture_on_commit_callbacks
):
    document = _draft(staff_user, issuing_body)
    response, _queued = _press_issue(staff_client, document, django_capture_on_commit_callbacks)
    client.force_login(UserFactory(username="bantuyengiao2", role="staff"))
    assert client.get(response["Location"]).status_code == 404
