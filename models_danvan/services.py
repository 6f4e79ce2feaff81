"""Writes for “Dân vận khéo”. Status changes (submit/return/accept) use the shared workflow in
dukportal.submissions.services; this module adds what is particular to models and evaluations."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dukportal.core import audit
from dukportal.core.text import normalize_text
from dukportal.notifications import services as notifications
from dukportal.submissions import idempotency
from dukportal.submissions import services as workflow
from dukportal.submissions.models import SubmissionStatus
from organizations import access

from . import obligations
from .models import Campaign, Evaluation, EvaluationPeriod, Level, Origin, Registration

_TEXT_FIELDS = ("name", "aims", "content", "expected_results", "person_in_charge", "results", "figures")


def _clean_text(fields: dict) -> dict:
    return {k: normalize_text(v) if k in _TEXT_FIELDS and isinstance(v, str) else v for k, v in fields.items()}


@transaction.atomic
def campaign_save(*, actor, instance: Campaign | None = None, **fields) -> Campaign:
    access.require_staff(actor)
    created = instance is None or instance.pk is None
    instance = instance or Campaign(created_by=actor)
    changed = {k: v for k, v in fields.items() if getattr(instance, k, None) != v}
    for name, value in changed.items():
        setattr(instance, name, value)
    instance.full_clean()
    idempotency.save_once(instance)  # two simultaneous openings of a year: one campaign, no server error
    obligations.sync_campaign_deadlines(instance)
    audit.record(
        actor=actor, action="campaign.create" if created else "campaign.update", target=instance, changes=changed
    )
    return instance


def registration_create(*, actor, campaign: Campaign, organization=None, token=None, **fields) -> Registration:
    """A new draft. Officers register for their own organisation (base level); staff register bloc-level
    models for the committee itself (organization=None) or act for an organisation."""
    registration = Registration(
        campaign=campaign,
        organization=organization,
        level=Level.BASE if organization else Level.BLOC,
        **_clean_text(fields),
    )
    return workflow.submission_create(actor=actor, submission=registration, token=token)


def registration_update(*, actor, registration: Registration, **fields) -> Registration:
    return workflow.submission_update(actor=actor, submission=registration, fields=_clean_text(fields))


@transaction.atomic
def registration_continue(*, actor, previous: Registration, campaign: Campaign, organization=None) -> Registration:
    """Carry last year's model over in one action: a draft for `campaign`, linked to `previous`. The draft belongs
    to `organization`, by default the officer's own (a successor carrying over a predecessor's model) or else
    the organisation of `previous`."""
    if organization is None:
        organization = actor.organization if access.is_officer(actor) else previous.organization
    if previous.campaign.year >= campaign.year:
        raise ValidationError("Chỉ tiếp tục được mô hình của năm trước.")
    if Registration.objects.filter(campaign=campaign, continued_from=previous).exists():
        raise ValidationError(
            "Mô hình này đã được đăng ký tiếp tục thực hiện trong năm %(year)s.", params={"year": campaign.year}
        )
    registration = Registration(
        campaign=campaign,
        organization=organization,
        level=previous.level,
        category=previous.category,
        origin=Origin.CONTINUED,
        continued_from=previous,
        name=previous.name,
        aims=previous.aims,
        content=previous.content,
        expected_results=previous.expected_results,
        person_in_charge=previous.person_in_charge,
        start_date=date(campaign.year, 1, 1),
        end_date=date(campaign.year, 12, 31),
    )
    return workflow.submission_create(actor=actor, submission=registration)


@transaction.atomic
def registration_mark_outstanding(
    *, actor, registration: Registration, commended: bool, replicated: bool
) -> Registration:
    """Staff mark an outstanding model for commendation (khen thưởng) and/or replication (nhân rộng), once its
    year-end evaluation has been accepted."""
    access.require_staff(actor)
    locked = Registration.objects.select_for_update().get(pk=registration.pk)
    if (commended or replicated) and not locked.evaluations.filter(
        period=EvaluationPeriod.YEAR_END, status=SubmissionStatus.ACCEPTED
    ).exists():
        raise ValidationError("Chỉ khen thưởng, nhân rộng mô hình đã có báo cáo tổng kết năm được tiếp nhận.")
    changes = {"commended": commended, "replicated": replicated}
    locked.commended, locked.replicated = commended, replicated
    locked.save(update_fields=["commended", "replicated", "updated_at"])
    entry = audit.record(actor=actor, action="registration.mark_outstanding", target=locked, changes=changes)
    marks = [label for flag, label in ((commended, "đề nghị khen thưởng"), (replicated, "nhân rộng")) if flag]
    if marks:
        detail = "Mô hình được " + " và ".join(marks)
        title, body = notifications.decision_text(
            submission=locked, action="outstanding", day=timezone.localdate(), detail=detail
        )
        notifications.organization_notice(submission=locked, key=f"audit:{entry.pk}", title=title, body=body)
    return locked


def evaluation_create(*, actor, registration: Registration, period: str, token=None, **fields) -> Evaluation:
    if registration.status != SubmissionStatus.ACCEPTED:
        raise ValidationError("Chỉ đánh giá được mô hình đã được Ban Tuyên giáo tiếp nhận.")
    evaluation = Evaluation(
        registration=registration, organization=registration.organization, period=period, **_clean_text(fields)
    )
    return workflow.submission_create(actor=actor, submission=evaluation, token=token)


def evaluation_update(*, actor, evaluation: Evaluation, **fields) -> Evaluation:
    return workflow.submission_update(actor=actor, submission=evaluation, fields=_clean_text(fields))


@transaction.atomic
def evaluation_assess(
    *, actor, evaluation: Evaluation, committee_rating: str, committee_comment: str = ""
) -> Evaluation:
    """Staff record the committee's assessment, which also accepts the evaluation."""
    access.require_staff(actor)
    if not committee_rating:
        raise ValidationError({"committee_rating": "Vui lòng chọn mức đánh giá của Đảng ủy Khối."})
    locked = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if locked.status != SubmissionStatus.SUBMITTED:
        raise ValidationError("Chỉ đánh giá được báo cáo đã gửi và đang chờ duyệt.")
    locked.committee_rating = committee_rating
    locked.committee_comment = normalize_text(committee_comment)
    locked.full_clean()
    locked.save(update_fields=["committee_rating", "committee_comment", "updated_at"])
    return workflow.submission_accept(
        actor=actor,
        submission=locked,
        comment=locked.committee_comment,
        detail=f"Đảng ủy Khối đánh giá: {locked.get_committee_rating_display()}.",
    )
