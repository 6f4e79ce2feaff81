"""Nothing unfinished is issued: the draft lists what is missing, and issuing refuses it with that list."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from reports import services
from reports.checks import issue_problems
from reports.models import DocType, DocumentKind, DocumentStatus, NumberCounter
from tests.reports.drafts import finish

pytestmark = pytest.mark.django_db


def _blank(staff_user, issuing_body, doc_type=DocType.CV):
    return services.document_create(
        actor=staff_user, kind=DocumentKind.OTHER, issuing_body=issuing_body, doc_type=doc_type
    )


def test_a_blank_document_cannot_be_issued_unchanged_and_burns_no_number(staff_user, issuing_body, term):
    draft = _blank(staff_user, issuing_body)
    with time_machine.travel(date(2024, 5, 22)), pytest.raises(ValidationError) as refused:
        services.document_issue(actor=staff_user, document=draft)
    assert "Trích yếu còn chỗ để trống chưa điền (“…” hoặc “[…]”)." in refused.value.messages
    assert "Nội dung còn chỗ để trống chưa điền (“…” hoặc “[…]”)." in refused.value.messages
    draft.refresh_from_db()
    assert draft.status == DocumentStatus.DRAFT and draft.number is None
    assert not NumberCounter.objects.filter(last_number__gt=0).exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"signer_name": ""}, "Chưa có họ tên người ký."),
        ({"signer_title": ""}, "Chưa có chức vụ người ký."),
        ({"recipients": []}, "Công văn chưa có nơi nhận ở dòng “Kính gửi”."),
        ({"distribution": []}, "Chưa có “Nơi nhận”."),
        (
            {"body": "Đoạn mở đầu.\n# 1. Về việc đăng ký mô hình\n# 2. Về Quy chế dân chủ\nĐã triển khai."},
            "Mục “1. Về việc đăng ký mô hình” chưa có nội dung.",
        ),
        ({"body": "Đề nghị [tên đơn vị] báo cáo."}, "Nội dung còn chỗ để trống chưa điền (“…” hoặc “[…]”)."),
        ({"body": "Đề nghị các đơn vị báo cáo..."}, "Nội dung còn chỗ để trống chưa điền (“…” hoặc “[…]”)."),
        ({"subject": "V/v " + "triển khai nhiệm vụ " * 10}, "Trích yếu dài 203 ký tự, vượt quá 150 ký tự"),
    ],
)
def test_each_missing_part_is_named(staff_user, issuing_body, term, change, message):
    draft = finish(_blank(staff_user, issuing_body), staff_user)
    assert issue_problems(draft) == []
    draft.content = {**draft.content, **change}
    draft.save()
    problems = issue_problems(draft)
    assert any(problem.startswith(message) for problem in problems), problems
    with time_machine.travel(date(2024, 5, 22)), pytest.raises(ValidationError):
        services.document_issue(actor=staff_user, document=draft)


def test_a_long_subject_is_refused_not_cut(staff_user, issuing_body, term):
    subject = "về kết quả thực hiện " + "nhiệm vụ công tác dân vận " * 8
    draft = finish(_blank(staff_user, issuing_body, DocType.BC), staff_user)
    draft = services.document_update(actor=staff_user, document=draft, subject=subject)
    assert draft.content["subject"] == subject.strip()  # kept whole in the draft
    assert any("vượt quá 200 ký tự" in problem for problem in issue_problems(draft))


def test_a_report_needs_no_recipients(staff_user, issuing_body, term):
    draft = finish(_blank(staff_user, issuing_body, DocType.BC), staff_user)
    assert issue_problems(draft) == []


def test_a_finished_draft_is_issued(staff_user, issuing_body, term):
    draft = finish(_blank(staff_user, issuing_body), staff_user)
    with time_machine.travel(date(2024, 5, 22)):
        issued = services.document_issue(actor=staff_user, document=draft)
    assert issued.number == 1


def test_the_draft_page_lists_the_problems_before_the_button_is_pressed(staff_client, staff_user, issuing_body, term):
    draft = _blank(staff_user, issuing_body)
    draft.content = {**draft.content, "signer_name": ""}
    draft.save()
    page = staff_client.get(reverse("reports:document", args=[draft.pk])).content.decode()
    assert 'id="issue-problems"' in page
    assert "Chưa có họ tên người ký." in page and "Trích yếu còn chỗ để trống" in page

    with time_machine.travel(date(2024, 5, 22)):
        response = staff_client.post(reverse("reports:document_issue", args=[draft.pk]), follow=True)
    assert "Chưa thể phát hành: " in response.content.decode()
    draft.refresh_from_db()
    assert draft.number is None

    finish(draft, staff_user)
    draft.refresh_from_db()
    draft.content = {**draft.content, "signer_name": "Nguyễn Văn An"}
    draft.save()
    page = staff_client.get(reverse("reports:document", args=[draft.pk])).content.decode()
    assert 'id="issue-problems"' not in page
