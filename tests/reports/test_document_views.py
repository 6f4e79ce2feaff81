"""Staff workflow through the pages (choose → draft with figures → edit → preview → issue → download) and the
access matrix: staff write, leaders read, officers get 403, anonymous users go to the login page."""

import io
from datetime import date

import pytest
import time_machine
from django.urls import URLPattern, reverse
from docx import Document as WordDocument

from dukportal.submissions.models import Deadline
from reports import services
from reports import urls as report_urls
from reports.models import Document, DocumentKind, DocumentStatus

pytestmark = pytest.mark.django_db

READ_VIEWS = {"document": "get", "document_preview": "get", "document_download": "get", "document_tables_xlsx": "get"}
WRITE_VIEWS = {
    "document_edit": "get",
    "document_issue": "post",
    "document_regenerate": "post",
    "document_delete": "post",
    # Recipients, signers and references (tests/reports/test_recipients.py, test_signers.py, test_references.py).
    "document_recipients": "post",
    "document_signer": "post",
    "reference_edit": "get",
    "signers": "get",
    "signer_edit": "get",
    "superior_body_edit": "get",  # tests/reports/test_superior_bodies.py
    "document_requests": "get",  # Tạo hạn nộp từ văn bản (tests/reports/test_deadline_from_section.py)
    # The section editor's preview and problems list (tests/reports/test_document_editor.py).
    "document_editor_preview": "post",
    "document_editor_checks": "post",
}
JOB_VIEWS = {"export_job": "get", "export_download": "get", "export_retry": "post"}  # retry: tests/dukportal_core
# Readers start a long draft's render job (tests/reports/test_document_render_jobs.py); a short draft's is its
# direct download.
RENDER_JOB_VIEWS = {"document_render_job": "post"}
# Văn bản đến: officers of the recipient organisations read these (tests/reports/test_document_delivery.py).
INBOX_VIEWS = {"inbox": "get", "inbox_document": "get", "inbox_download": "get"}
# An organisation's reply to a request, on the shared workflow (tests/reports/test_document_replies.py: only an
# organisation asked may reply, another's officer gets 404, staff review with the shared actions).
REPLY_VIEWS = {"reply_create", "reply", "reply_edit"} | {
    f"reply_{action}" for action in ("submit", "return", "accept", "attach", "withdraw", "delete")
}


def test_matrix_covers_every_id_taking_view():
    names = {p.name for p in report_urls.urlpatterns if isinstance(p, URLPattern) and p.pattern.converters}
    assert names == (
        set(READ_VIEWS) | set(WRITE_VIEWS) | set(JOB_VIEWS) | set(INBOX_VIEWS) | set(RENDER_JOB_VIEWS) | REPLY_VIEWS
    )


@pytest.fixture
def draft(staff_user, issuing_body, term):
    return services.document_create(actor=staff_user, kind=DocumentKind.OTHER, issuing_body=issuing_body)


def _url(name, pk):
    return reverse(
        f"reports:{name}", args=[pk, "pdf"] if name in ("document_download", "document_render_job") else [pk]
    )


def _call(client, method, url):
    return client.post(url) if method == "post" else client.get(url)


@pytest.mark.parametrize(("name", "method"), [*READ_VIEWS.items(), *WRITE_VIEWS.items(), *RENDER_JOB_VIEWS.items()])
def test_anonymous_goes_to_login(client, draft, name, method):
    response = _call(client, method, _url(name, draft.pk))
    assert response.status_code == 302 and reverse("login") in response["Location"]


@pytest.mark.parametrize(("name", "method"), [*READ_VIEWS.items(), *WRITE_VIEWS.items(), *RENDER_JOB_VIEWS.items()])
def test_officer_gets_403_everywhere(officer_client, draft, name, method):
    assert _call(officer_client, method, _url(name, draft.pk)).status_code == 403
    assert Document.objects.get(pk=draft.pk).status == DocumentStatus.DRAFT


@pytest.mark.parametrize("name", ["documents", "document_create", "register", "register_xlsx", "superior_bodies"])
def test_officer_gets_403_on_lists(officer_client, name):
    assert officer_client.get(reverse(f"reports:{name}")).status_code == 403


@pytest.mark.parametrize(("name", "method"), READ_VIEWS.items())
def test_leader_reads(leader_client, draft, name, method):
    assert _call(leader_client, method, _url(name, draft.pk)).status_code == 200


def test_leader_starting_a_render_of_a_short_draft_gets_the_download(leader_client, draft):
    response = leader_client.post(_url("document_render_job", draft.pk))
    assert response.status_code == 302 and response["Location"] == _url("document_download", draft.pk)


@pytest.mark.parametrize(("name", "method"), WRITE_VIEWS.items())
def test_leader_cannot_write(leader_client, draft, name, method):
    assert _call(leader_client, method, _url(name, draft.pk)).status_code == 403
    assert Document.objects.get(pk=draft.pk).status == DocumentStatus.DRAFT


def test_leader_cannot_create_or_set_numbers(leader_client, issuing_body):
    assert leader_client.get(reverse("reports:document_create")).status_code == 403
    assert leader_client.post(reverse("reports:document_create"), {"kind": "other"}).status_code == 403
    response = leader_client.post(reverse("reports:register"), {"action": "counter", "last_number": 5})
    assert response.status_code == 403


def test_unknown_document_is_404_for_staff(staff_client):
    assert staff_client.get(reverse("reports:document", args=[999])).status_code == 404


def test_staff_workflow_from_deadline_to_download(staff_client, staff_user, issuing_body, term):
    from tests.reports.factories import danvan_scenario

    danvan_scenario(staff=staff_user)
    deadline = Deadline.objects.get(kind="danvan.registration")
    response = staff_client.get(reverse("reports:document_create"))
    assert "Công văn đôn đốc theo hạn nộp" in response.content.decode()
    with time_machine.travel(date(2024, 5, 15)):  # figures are counted on the day the draft is made
        response = staff_client.post(
            reverse("reports:document_create"),
            {"kind": DocumentKind.REMINDER, "issuing_body": issuing_body.pk, "deadline": deadline.pk},
        )
    document = Document.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reports:document_edit", args=[document.pk])

    page = staff_client.get(response["Location"]).content.decode()
    assert "Tính đến ngày 15/5/2024 đã có 30/74 chi, đảng bộ cơ sở" in page  # figures in the editable body

    content = document.content
    edited = {
        "subject": "V/v đôn đốc đăng ký mô hình “Dân vận khéo” năm 2024 (lần 2)",
        "recipients": "- Các chi, đảng bộ cơ sở,\n- Các đoàn thể khối.",
        "body": content["body"] + "\nĐoạn do Ban Tuyên giáo viết thêm.",
        "signer_authority": "T/M BAN THƯỜNG VỤ",
        "signer_title": "PHÓ BÍ THƯ",
        "signer_name": "Hoàng Văn Bình",
        "distribution": "- Như trên,\n- Lưu Văn phòng Đảng ủy Khối.",
    }
    response = staff_client.post(reverse("reports:document_edit", args=[document.pk]), edited)
    assert response.status_code == 302

    preview = staff_client.get(reverse("reports:document_preview", args=[document.pk])).content.decode()
    assert "(lần 2)" in preview and "Đoạn do Ban Tuyên giáo viết thêm." in preview
    assert "- Các đoàn thể khối." in preview and "Hoàng Văn Bình" in preview
    assert "/static/fonts/liberation/LiberationSerif-Regular.ttf" in preview
    response = staff_client.get(reverse("reports:document_preview", args=[document.pk]))
    assert response["X-Frame-Options"] == "SAMEORIGIN"  # shown in an iframe on the document page

    with time_machine.travel(date(2024, 5, 22)):
        response = staff_client.post(reverse("reports:document_issue", args=[document.pk]), follow=True)
    assert "Đã phát hành văn bản số 01-CV/ĐUK." in response.content.decode()

    response = staff_client.get(reverse("reports:document_download", args=[document.pk, "docx"]))
    assert response["Content-Disposition"].startswith('attachment; filename="01-CV-DUK.docx"')
    word = WordDocument(io.BytesIO(b"".join(response.streaming_content)))
    assert word.tables[0].rows[1].cells[1].paragraphs[0].text == "Yên Bái, ngày 22 tháng 5 năm 2024"
    assert "Đoạn do Ban Tuyên giáo viết thêm." in [p.text for p in word.paragraphs]
    response = staff_client.get(reverse("reports:document_download", args=[document.pk, "pdf"]))
    assert response["Content-Type"] == "application/pdf"

    response = staff_client.get(reverse("reports:document_edit", args=[document.pk]), follow=True)
    assert "Văn bản đã phát hành không thể sửa" in response.content.decode()


def test_bad_edit_keeps_what_was_typed(staff_client, draft):
    response = staff_client.post(
        reverse("reports:document_edit", args=[draft.pk]),
        {"subject": "V/v giữ nguyên chữ đã gõ", "body": "", "signer_title": "BÍ THƯ", "signer_name": "A"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "V/v giữ nguyên chữ đã gõ" in page and "Trường này là bắt buộc." in page


def test_reminder_without_deadline_shows_error_next_to_field(staff_client, issuing_body):
    response = staff_client.post(
        reverse("reports:document_create"), {"kind": DocumentKind.REMINDER, "issuing_body": issuing_body.pk}
    )
    assert response.status_code == 200 and "Chọn hạn nộp cần đôn đốc." in response.content.decode()


def test_draft_download_is_rendered_now_and_named_as_draft(leader_client, draft):
    response = leader_client.get(reverse("reports:document_download", args=[draft.pk, "docx"]))
    assert response.status_code == 200
    assert f"du-thao-{draft.pk}-CV.docx" in response["Content-Disposition"]


def test_document_list_query_count_does_not_grow(
    staff_client, staff_user, issuing_body, term, django_assert_max_num_queries
):
    def make(n):
        for _ in range(n):
            draft = services.document_create(actor=staff_user, kind=DocumentKind.OTHER, issuing_body=issuing_body)
            services.document_update(actor=staff_user, document=draft, subject="V/v <b>thử</b>", body="x")

    make(2)
    with django_assert_max_num_queries(8) as small:
        staff_client.get(reverse("reports:documents"))
    make(10)
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = staff_client.get(reverse("reports:documents")).content.decode()
    assert "V/v &lt;b&gt;thử&lt;/b&gt;" in page  # escaped


def test_register_page_sets_paper_number_and_terms(staff_client, issuing_body, term):
    response = staff_client.post(
        reverse("reports:register"),
        {"action": "counter", "issuing_body": issuing_body.pk, "doc_type": "CV", "term": term.pk, "last_number": 1719},
        follow=True,
    )
    assert "văn bản tiếp theo sẽ mang số 1720" in response.content.decode()
    response = staff_client.post(
        reverse("reports:register"),
        {"action": "term", "name": "Trùng", "start_date": "01/01/2024", "end_date": "01/01/2026"},
    )
    assert "trùng thời gian" in response.content.decode()


def test_staff_creates_issuing_bodies_from_bloc_data(staff_client, bloc):
    staff_client.post(reverse("reports:register"), {"action": "bodies"})
    codes = sorted(body.code for body in bloc.issuing_bodies.all())
    assert codes == ["BTGĐUK", "ĐUK"]
    committee = bloc.issuing_bodies.get(kind="committee")
    assert (committee.header_superior, committee.header_name) == (bloc.parent_name, bloc.name)


def test_nav_shows_documents_link_to_readers_only(client, leader_user, officer_user):
    link = f'href="{reverse("reports:documents")}">Văn bản</a>'
    client.force_login(leader_user)
    assert link in client.get(reverse("models_danvan:campaigns")).content.decode()
    client.force_login(officer_user)
    assert link not in client.get(reverse("models_danvan:campaigns")).content.decode()
