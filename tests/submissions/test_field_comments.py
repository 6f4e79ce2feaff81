"""Staff comment on individual fields when returning a submission; the officer meets each comment next to its
field (edit form, detail page) and in the notice, for registrations and for QCDC submissions."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from dukportal.core.models import AuditEntry
from dukportal.notifications.models import Notification
from dukportal.submissions import revisions, services
from dukportal.submissions.models import SubmissionEvent
from tests.democracy_regs.factories import PlanFactory, open_cycle
from tests.factories import CampaignFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(officer_user, staff_user):
    return RegistrationFactory(
        campaign=CampaignFactory(created_by=staff_user), organization=officer_user.organization, name="Mô hình A"
    )


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _return(staff_user, sent, **field_comments):
    return _client(staff_user).post(
        reverse("models_danvan:registration_return", args=[sent.pk]),
        {"comment": "Bổ sung theo ý kiến", **{f"comment_on_{k}": v for k, v in field_comments.items()}},
    )


def test_return_form_offers_a_comment_box_for_each_field_the_officer_fills_in(staff_user, sent):
    page = _client(staff_user).get(sent.get_absolute_url()).content.decode()
    assert 'name="comment_on_name"' in page and "Tên mô hình, điển hình" in page
    assert 'name="comment_on_attachment"' in page
    assert 'name="comment_on_level"' not in page  # set by how it was registered, not typed in


def test_field_comments_are_kept_with_the_return_in_form_order_without_empty_ones(staff_user, sent):
    _return(staff_user, sent, attachment="Thiếu bản có chữ ký", name="Ghi rõ địa bàn", aims="  ")
    event = SubmissionEvent.objects.get(object_id=sent.pk, action="returned")
    assert list(event.field_comments.items()) == [("name", "Ghi rõ địa bàn"), ("attachment", "Thiếu bản có chữ ký")]
    entry = AuditEntry.objects.get(action="submission.returned", target_id=str(sent.pk))
    assert entry.changes["field_comments"]["name"] == "Ghi rõ địa bàn"


def test_a_comment_on_an_unknown_field_is_refused_and_nothing_changes(staff_user, sent):
    with pytest.raises(ValidationError, match="không có trong hồ sơ"):
        services.submission_return(
            actor=staff_user, submission=sent, comment="Bổ sung", field_comments={"commended": "x"}
        )
    sent.refresh_from_db()
    assert sent.status == "submitted"


def test_the_notice_lists_the_fields_to_fix(
    staff_user, officer_user, sent, django_capture_on_commit_callbacks, celery_eager
):
    with django_capture_on_commit_callbacks(execute=True):
        _return(staff_user, sent, name="Ghi rõ địa bàn")
    (notice,) = Notification.objects.filter(recipient=officer_user, category="decision")
    assert "Các mục cần sửa, bổ sung:\n- Tên mô hình, điển hình: Ghi rõ địa bàn" in notice.body
    assert notice.body.index("Lý do: Bổ sung theo ý kiến") < notice.body.index("Các mục cần sửa")


def test_officer_sees_each_comment_next_to_its_field_on_the_edit_form_and_on_the_detail_page(
    staff_user, officer_user, sent
):
    _return(staff_user, sent, name="Ghi rõ địa bàn", attachment="Thiếu bản có chữ ký")
    client = _client(officer_user)
    form = client.get(reverse("models_danvan:registration_edit", args=[sent.pk])).content.decode()
    # Under the field: the comment sits in the field's help text, right after its input.
    name_input = form.index('id="id_name"')
    comment = form.index('id="field-comment-name"')
    assert name_input < comment < form.index('id="id_aims"')
    assert "Ban Tuyên giáo: Ghi rõ địa bàn" in form
    assert form.index('id="id_attachment"') < form.index('id="field-comment-attachment"')
    detail = client.get(sent.get_absolute_url()).content.decode()
    assert 'id="field-comments"' in detail and "Tên mô hình, điển hình:</strong> Ghi rõ địa bàn" in detail


def test_comments_leave_the_form_once_the_item_is_sent_again(staff_user, officer_user, sent):
    _return(staff_user, sent, name="Ghi rõ địa bàn")
    services.submission_submit(actor=officer_user, submission=sent)
    assert revisions.open_field_comments(sent) == []
    page = _client(staff_user).get(sent.get_absolute_url()).content.decode()
    assert 'id="field-comments"' not in page


def test_a_qcdc_plan_returned_with_a_field_comment_shows_it_on_its_edit_form_and_page(staff_user, officer_user):
    plan = PlanFactory(cycle=open_cycle(staff_user), organization=officer_user.organization)
    _client(staff_user).post(
        reverse("democracy_regs:plan_return", args=[plan.pk]),
        {"comment": "Bổ sung", "comment_on_summary": "Nêu rõ lịch hội nghị người lao động"},
    )
    client = _client(officer_user)
    form = client.get(reverse("democracy_regs:plan_edit", args=[plan.pk])).content.decode()
    assert form.index('id="id_summary"') < form.index('id="field-comment-summary"')
    assert "Ban Tuyên giáo: Nêu rõ lịch hội nghị người lao động" in form
    detail = client.get(plan.get_absolute_url()).content.decode()
    assert "Nêu rõ lịch hội nghị người lao động" in detail
