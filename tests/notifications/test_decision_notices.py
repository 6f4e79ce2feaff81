"""The loop with the officer: every decision on a submission reaches its organisation (bell and e-mail, with a
link), staff hear when a returned item comes back, and a returned item takes files again."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from dukportal.notifications import services
from dukportal.notifications.models import Notification
from dukportal.submissions.models import Attachment, SubmissionEvent, SubmissionRevision
from models_danvan import services as danvan
from models_danvan.models import Evaluation
from tests.factories import CampaignFactory, RegistrationFactory, UserFactory

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def sent(officer_user, staff_user):
    officer_user.email = "canbo@sotc.vn"
    officer_user.save()
    organization = officer_user.organization
    organization.email = "vanphong@sotc.vn"
    organization.save()
    return RegistrationFactory(campaign=CampaignFactory(created_by=staff_user), organization=organization)


def _notices(user):
    return list(Notification.objects.filter(recipient=user, category="decision"))


def test_a_return_reaches_the_officers_with_the_reason_and_a_link(
    staff_client, officer_user, other_officer_user, staff_user, sent, django_capture_on_commit_callbacks
):
    colleague = UserFactory(role="officer", organization=officer_user.organization, email="")
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            reverse("models_danvan:registration_return", args=[sent.pk]), {"comment": "Bổ sung bản có chữ ký"}
        )
    (notice,) = _notices(officer_user)
    assert notice.title == f"Hồ sơ bị trả lại để bổ sung: {sent}"
    assert "Lý do: Bổ sung bản có chữ ký" in notice.body and notice.url == sent.get_absolute_url()
    assert len(_notices(colleague)) == 1  # every active officer of the organisation
    assert not _notices(other_officer_user) and not _notices(staff_user)
    (message,) = mail.outbox
    assert message.subject == notice.title
    assert sorted(message.to) == ["canbo@sotc.vn", "vanphong@sotc.vn"]
    assert "Bổ sung bản có chữ ký" in message.body and sent.get_absolute_url() in message.body


def test_a_notice_run_twice_tells_nobody_twice(officer_user, sent, django_capture_on_commit_callbacks):
    event = SubmissionEvent.objects.filter(object_id=sent.pk).last()
    args = {"content_type_id": event.content_type_id, "object_id": sent.pk, "key": f"event:{event.pk}"}
    with django_capture_on_commit_callbacks(execute=True):
        assert services.organization_notice_send(**args, title="Tiêu đề", body="Nội dung") == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert services.organization_notice_send(**args, title="Tiêu đề", body="Nội dung") == 0
    assert len(_notices(officer_user)) == 1 and len(mail.outbox) == 1


def test_acceptance_assessment_and_commendation_are_told(
    staff_user, officer_user, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        accepted = danvan_accept(staff_user, sent)
        evaluation = Evaluation.objects.create(
            registration=accepted,
            organization=accepted.organization,
            period="year_end",
            results="Hoàn thành",
            self_rating="good",
            status="submitted",
            created_by=officer_user,
        )
        danvan.evaluation_assess(actor=staff_user, evaluation=evaluation, committee_rating="excellent")
        danvan.registration_mark_outstanding(actor=staff_user, registration=accepted, commended=True, replicated=True)
    titles = [n.title for n in sorted(_notices(officer_user), key=lambda n: n.pk)]
    assert titles[0] == f"Hồ sơ đã được tiếp nhận: {sent}"
    assert titles[1].startswith("Hồ sơ đã được tiếp nhận: Tổng kết năm")
    assert "Đảng ủy Khối đánh giá: Xuất sắc." in _notices(officer_user)[1].body
    assert titles[2] == f"Mô hình được đề nghị khen thưởng và nhân rộng: {sent}"
    assert len(mail.outbox) == 3


def danvan_accept(staff_user, registration):
    from dukportal.submissions import services as workflow

    return workflow.submission_accept(actor=staff_user, submission=registration)


def test_staff_hear_that_a_returned_item_came_back(
    client, staff_client, officer_user, staff_user, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(reverse("models_danvan:registration_return", args=[sent.pk]), {"comment": "Thiếu tệp"})
    client.force_login(officer_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("models_danvan:registration_submit", args=[sent.pk]))
    latest = Notification.objects.filter(recipient=staff_user, category="submission").latest("pk")
    assert latest.title.startswith(f"{officer_user.organization.name} đã gửi lại sau khi bổ sung:")


def test_a_returned_item_takes_a_file_and_a_wrong_one_can_be_removed(
    client, staff_user, officer_user, sent, django_capture_on_commit_callbacks
):
    staff_client = Client()
    staff_client.force_login(staff_user)
    client.force_login(officer_user)
    attach = reverse("models_danvan:registration_attach", args=[sent.pk])
    client.post(attach, {"file": SimpleUploadedFile("sai.pdf", PDF)})
    assert not Attachment.objects.exists()  # sent and waiting: locked for the organisation
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(reverse("models_danvan:registration_return", args=[sent.pk]), {"comment": "Thiếu tệp"})
    client.post(attach, {"file": SimpleUploadedFile("nham.pdf", PDF)})
    client.post(attach, {"file": SimpleUploadedFile("ban-ky.pdf", PDF)})
    wrong = Attachment.objects.get(original_name="nham.pdf")
    page = client.get(sent.get_absolute_url()).content.decode()
    assert reverse("submissions:attachment_remove", args=[wrong.pk]) in page
    response = client.post(reverse("submissions:attachment_remove", args=[wrong.pk]), follow=True)
    assert "Đã gỡ tệp “nham.pdf” khỏi hồ sơ." in response.content.decode()
    page = client.get(sent.get_absolute_url()).content.decode()
    assert "ban-ky.pdf" in page and "nham.pdf" in page  # in the timeline …
    assert [a.original_name for a in response.context["attachments"]] == ["ban-ky.pdf"]  # … not in the list
    wrong.refresh_from_db()
    assert wrong.removed_by == officer_user and wrong.file  # still stored
    client.post(reverse("models_danvan:registration_submit", args=[sent.pk]))
    sent.refresh_from_db()
    assert sent.status == "submitted"
    assert SubmissionEvent.objects.filter(object_id=sent.pk, action="resubmitted").exists()
    assert SubmissionRevision.objects.filter(object_id=sent.pk).count() == 1  # the version sent again is kept
    # Once sent again, the organisation cannot take a file off.
    kept = Attachment.objects.get(original_name="ban-ky.pdf")
    client.post(reverse("submissions:attachment_remove", args=[kept.pk]))
    kept.refresh_from_db()
    assert kept.removed_at is None


def test_only_the_organisation_or_staff_remove_files(client, leader_user, other_officer_user, officer_user, sent):
    attachment = Attachment.objects.create(
        content_type_id=SubmissionEvent.objects.filter(object_id=sent.pk).first().content_type_id,
        object_id=sent.pk,
        organization=sent.organization,
        file=SimpleUploadedFile("a.pdf", PDF),
        original_name="a.pdf",
        mime_type="application/pdf",
        size=len(PDF),
        uploaded_by=officer_user,
    )
    url = reverse("submissions:attachment_remove", args=[attachment.pk])
    client.force_login(other_officer_user)
    assert client.post(url).status_code == 404
    client.force_login(leader_user)
    assert client.post(url).status_code == 403
    attachment.refresh_from_db()
    assert attachment.removed_at is None
