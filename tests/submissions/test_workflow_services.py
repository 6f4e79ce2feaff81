"""The shared submission workflow: transitions, who may do what, and what is kept."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dukportal.core.models import AuditEntry
from dukportal.submissions import services
from dukportal.submissions.models import SubmissionEvent, SubmissionRevision
from models_danvan.models import Registration
from tests.factories import RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(officer_user):
    return RegistrationFactory(organization=officer_user.organization, status="draft", name="Mô hình A")


def test_accepting_a_draft_is_refused_with_a_vietnamese_message(draft, staff_user):
    with pytest.raises(ValidationError, match="đang ở trạng thái “Bản nháp”"):
        services.submission_accept(actor=staff_user, submission=draft)
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_return_needs_a_reason(draft, staff_user, officer_user):
    services.submission_submit(actor=officer_user, submission=draft)
    with pytest.raises(ValidationError, match="lý do trả lại"):
        services.submission_return(actor=staff_user, submission=draft, comment="   ")
    assert Registration.objects.get(pk=draft.pk).status == "submitted"


def test_officers_and_leaders_cannot_review(draft, officer_user, leader_user):
    submitted = services.submission_submit(actor=officer_user, submission=draft)
    for user in (officer_user, leader_user):
        with pytest.raises(PermissionDenied):
            services.submission_accept(actor=user, submission=submitted)
        with pytest.raises(PermissionDenied):
            services.submission_return(actor=user, submission=submitted, comment="x")


def test_officer_cannot_submit_for_another_organisation(draft, other_officer_user):
    with pytest.raises(PermissionDenied):
        services.submission_submit(actor=other_officer_user, submission=draft)


def test_submitting_twice_is_refused_and_records_nothing_more(draft, officer_user):
    services.submission_submit(actor=officer_user, submission=draft)
    events = SubmissionEvent.objects.count()
    with pytest.raises(ValidationError):
        services.submission_submit(actor=officer_user, submission=draft)
    assert SubmissionEvent.objects.count() == events


def test_each_submission_keeps_a_revision_and_an_audit_row(draft, officer_user, staff_user):
    services.submission_submit(actor=officer_user, submission=draft)
    services.submission_return(actor=staff_user, submission=draft, comment="Bổ sung")
    services.submission_update(actor=officer_user, submission=draft, fields={"name": "Mô hình A (sửa)"})
    services.submission_submit(actor=officer_user, submission=draft)
    assert list(SubmissionRevision.objects.order_by("number").values_list("number", "data__name")) == [
        (1, "Mô hình A"),
        (2, "Mô hình A (sửa)"),
    ]
    audited = list(AuditEntry.objects.filter(target_id=str(draft.pk)).values_list("action", "actor__username"))
    assert ("submission.returned", staff_user.username) in audited
    assert [a for a, _ in audited].count("submission.submitted") + [a for a, _ in audited].count(
        "submission.resubmitted"
    ) == 2


def test_officer_cannot_change_a_sent_submission(draft, officer_user):
    services.submission_submit(actor=officer_user, submission=draft)
    with pytest.raises(ValidationError, match="liên hệ Ban Tuyên giáo"):
        services.submission_update(actor=officer_user, submission=draft, fields={"name": "Đổi tên lặng lẽ"})
    assert Registration.objects.get(pk=draft.pk).name == "Mô hình A"


def test_a_draft_stored_against_the_rules_is_not_sent(draft, officer_user):
    """Sending checks the draft again (saved before a rule tightened, or around the forms): its fields and the
    model's own rules. Only what the database vouches for in the stored row (its constraints, that its filled
    references exist) is not looked up again."""
    dates = {"start_date": draft.start_date, "end_date": draft.end_date}
    # Outside the campaign's year: a rule of Registration.clean (the database has no constraint for it).
    Registration.objects.filter(pk=draft.pk).update(start_date="1990-01-01", end_date="1990-06-30")
    with pytest.raises(ValidationError) as refused:
        services.submission_submit(actor=officer_user, submission=draft)
    assert "start_date" in refused.value.message_dict
    Registration.objects.filter(pk=draft.pk).update(**dates, name="")
    with pytest.raises(ValidationError) as refused:
        services.submission_submit(actor=officer_user, submission=draft)
    assert "name" in refused.value.message_dict
    assert Registration.objects.get(pk=draft.pk).status == "draft"
