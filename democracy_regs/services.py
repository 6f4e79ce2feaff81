"""Writes for grassroots democracy (QCDC). Status changes go through the shared workflow in
dukportal.submissions.services; this module adds what is particular to QCDC: the cycle and its deadlines,
the signed file required before a plan or report is sent, the steering committee's dated make-up."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dukportal.core import audit
from dukportal.core.text import fold, normalize_text
from dukportal.submissions import idempotency
from dukportal.submissions import selectors as workflow_selectors
from dukportal.submissions import services as workflow
from organizations import access
from organizations.models import BaseOrganization

from . import obligations
from .models import (
    BrightSpot,
    CommitteeRole,
    DemocracyCycle,
    DemocracyPlan,
    InspectionReportKind,
    SelfInspectionReport,
    SteeringCommittee,
    SteeringCommitteeMembership,
)

_TEXT_FIELDS = {
    "number", "summary", "officer_in_charge", "officer_position", "officer_phone", "decision_number", "notes",
    "findings_leadership", "findings_publicity", "findings_participation", "findings_supervision", "shortcomings",
    "proposals", "title", "description", "full_name", "position", "change_note",
}  # fmt: skip


def _clean_text(fields: dict) -> dict:
    return {k: normalize_text(v) if k in _TEXT_FIELDS and isinstance(v, str) else v for k, v in fields.items()}


# --- Cycle ------------------------------------------------------------------------------------------------------


@transaction.atomic
def cycle_save(*, actor, instance: DemocracyCycle | None = None, inspected_organizations=None, **fields):
    """Open or change a year's cycle, then bring its deadlines in the shared registry up to date."""
    access.require_staff(actor)
    created = instance is None or instance.pk is None
    if created:
        instance = instance or DemocracyCycle(created_by=actor)
    else:
        instance = DemocracyCycle.objects.select_for_update().get(pk=instance.pk)
    changed = {k: v for k, v in fields.items() if getattr(instance, k, None) != v}
    for name, value in changed.items():
        setattr(instance, name, value)
    chosen = list(inspected_organizations) if inspected_organizations is not None else None
    has_chosen = bool(chosen) if chosen is not None else bool(instance.pk and instance.inspected_organizations.exists())
    if has_chosen and not instance.inspection_deadline:
        raise ValidationError(
            {"inspection_deadline": "Vui lòng nhập hạn gửi báo cáo cho các đơn vị được kiểm tra trực tiếp."}
        )
    instance.full_clean()
    idempotency.save_once(instance)  # two simultaneous openings of a year: one cycle, no server error
    if chosen is not None:
        before = set(instance.inspected_organizations.values_list("pk", flat=True))
        instance.inspected_organizations.set(chosen)
        after = {org.pk for org in chosen}
        if before != after:
            changed["inspected_organizations"] = sorted(after)
    obligations.sync_cycle_deadlines(instance)
    audit.record(
        actor=actor, action="qcdc_cycle.create" if created else "qcdc_cycle.update", target=instance, changes=changed
    )
    return instance


# --- Submissions ------------------------------------------------------------------------------------------------


def _require_signed_file(submission) -> None:
    if not workflow_selectors.attachments(submission).exists():
        raise ValidationError(
            {
                "attachment": ValidationError(
                    "Vui lòng đính kèm bản có chữ ký, đóng dấu (PDF, DOCX hoặc ảnh chụp) trước khi gửi.",
                    code="no_file",
                )
            }
        )


def plan_create(*, actor, cycle: DemocracyCycle, organization: BaseOrganization, token=None, **fields) -> DemocracyPlan:
    plan = DemocracyPlan(cycle=cycle, organization=organization, **_clean_text(fields))
    return workflow.submission_create(actor=actor, submission=plan, token=token)


def plan_update(*, actor, plan: DemocracyPlan, **fields) -> DemocracyPlan:
    return workflow.submission_update(actor=actor, submission=plan, fields=_clean_text(fields))


@transaction.atomic
def plan_submit(*, actor, submission: DemocracyPlan) -> DemocracyPlan:
    workflow.require_owner_or_staff(actor, submission)
    _require_signed_file(submission)
    return workflow.submission_submit(actor=actor, submission=submission)


def committee_create(
    *, actor, cycle: DemocracyCycle, organization: BaseOrganization, token=None, **fields
) -> SteeringCommittee:
    committee = SteeringCommittee(cycle=cycle, organization=organization, **_clean_text(fields))
    return workflow.submission_create(actor=actor, submission=committee, token=token)


def committee_update(*, actor, committee: SteeringCommittee, **fields) -> SteeringCommittee:
    return workflow.submission_update(actor=actor, submission=committee, fields=_clean_text(fields))


def roster_on(organization_id: int, day: date) -> list[dict]:
    members = SteeringCommitteeMembership.objects.filter(organization_id=organization_id).on(day)
    return [
        {"full_name": m.full_name, "position": m.position, "role": m.role, "joined_on": m.joined_on.isoformat()}
        for m in members.order_by("joined_on", "id")
    ]


def completeness_problems(roster: list[dict], minimum: int) -> list[str]:
    """Why a make-up is not complete ("kiện toàn"): it needs exactly one head and at least `minimum` people
    (head included). An empty list means complete."""
    problems = []
    heads = sum(1 for m in roster if m["role"] == CommitteeRole.HEAD)
    if heads == 0:
        problems.append("chưa có trưởng ban")
    elif heads > 1:
        problems.append("có nhiều hơn một trưởng ban")
    if len(roster) < minimum:
        problems.append(f"mới có {len(roster)}/{minimum} thành viên tối thiểu")
    return problems


@transaction.atomic
def committee_submit(*, actor, submission: SteeringCommittee) -> SteeringCommittee:
    """Send the committee with its make-up as of today, which must be complete."""
    workflow.require_owner_or_staff(actor, submission)
    locked = SteeringCommittee.objects.select_for_update().select_related("cycle").get(pk=submission.pk)
    roster = roster_on(locked.organization_id, _today())
    problems = completeness_problems(roster, locked.cycle.committee_min_members)
    if problems:
        raise ValidationError(
            "Ban chỉ đạo chưa được kiện toàn (%(problems)s); vui lòng cập nhật thành phần trước khi gửi.",
            code="incomplete",
            params={"problems": "; ".join(problems)},
        )
    locked.roster = roster
    locked.save(update_fields=["roster", "updated_at"])
    return workflow.submission_submit(actor=actor, submission=locked)


def report_create(
    *,
    actor,
    cycle: DemocracyCycle,
    organization: BaseOrganization,
    kind: str = InspectionReportKind.GENERAL,
    token=None,
    **fields,
) -> SelfInspectionReport:
    """A self-inspection report. An inspected unit's report takes the cycle's review period unless given."""
    if kind == InspectionReportKind.INSPECTION_VISIT:
        if not cycle.inspected_organizations.filter(pk=organization.pk).exists():
            raise ValidationError("Đơn vị không thuộc danh sách được Đoàn kiểm tra làm việc trực tiếp năm nay.")
        fields.setdefault("period_start", cycle.review_start)
        fields.setdefault("period_end", cycle.review_end)
    report = SelfInspectionReport(cycle=cycle, organization=organization, kind=kind, **_clean_text(fields))
    return workflow.submission_create(actor=actor, submission=report, token=token)


def report_update(*, actor, report: SelfInspectionReport, **fields) -> SelfInspectionReport:
    return workflow.submission_update(actor=actor, submission=report, fields=_clean_text(fields))


@transaction.atomic
def report_submit(*, actor, submission: SelfInspectionReport) -> SelfInspectionReport:
    workflow.require_owner_or_staff(actor, submission)
    _require_signed_file(submission)
    return workflow.submission_submit(actor=actor, submission=submission)


def bright_spot_create(
    *, actor, cycle: DemocracyCycle, organization: BaseOrganization, token=None, **fields
) -> BrightSpot:
    spot = BrightSpot(cycle=cycle, organization=organization, **_clean_text(fields))
    return workflow.submission_create(actor=actor, submission=spot, token=token)


def bright_spot_update(*, actor, bright_spot: BrightSpot, **fields) -> BrightSpot:
    return workflow.submission_update(actor=actor, submission=bright_spot, fields=_clean_text(fields))


def bright_spot_submit(*, actor, submission: BrightSpot) -> BrightSpot:
    return workflow.submission_submit(actor=actor, submission=submission)


# --- Steering committee make-up ---------------------------------------------------------------------------------


def _today() -> date:
    return timezone.localdate()


def _check_seat(seat: SteeringCommitteeMembership) -> None:
    """Rules the database cannot express: one head at a time, nobody seated twice at once."""
    others = SteeringCommitteeMembership.objects.filter(organization_id=seat.organization_id).exclude(pk=seat.pk)
    overlapping = others.filter(left_on__isnull=True) | others.filter(left_on__gt=seat.joined_on)
    if seat.left_on:
        overlapping = overlapping.filter(joined_on__lt=seat.left_on)
    if seat.role == CommitteeRole.HEAD and overlapping.filter(role=CommitteeRole.HEAD).exists():
        raise ValidationError(
            {
                "role": "Ban chỉ đạo đã có trưởng ban trong thời gian này; hãy ghi nhận trưởng ban cũ thôi nhiệm vụ trước."
            }
        )
    name = fold(seat.full_name)
    if any(fold(other.full_name) == name for other in overlapping):
        raise ValidationError({"full_name": "Người này đang là thành viên Ban chỉ đạo trong thời gian này."})


@transaction.atomic
def membership_add(
    *, actor, organization: BaseOrganization, full_name: str, position: str, role: str, joined_on: date,
    left_on: date | None = None, change_note: str = "",
) -> SteeringCommitteeMembership:  # fmt: skip
    """Record that someone joined the organisation's steering committee on a date (with `left_on`, a past seat
    entered afterwards, e.g. when the committee's earlier make-up is filled in)."""
    access.require_can_submit_for(actor, organization.pk)
    # One writer at a time per organisation, so two heads cannot be seated concurrently.
    BaseOrganization.objects.select_for_update().get(pk=organization.pk)
    seat = SteeringCommitteeMembership(
        organization=organization,
        role=role,
        joined_on=joined_on,
        left_on=left_on,
        created_by=actor,
        **_clean_text({"full_name": full_name, "position": position, "change_note": change_note}),
    )
    seat.full_clean()
    _check_seat(seat)
    seat.save()
    audit.record(
        actor=actor,
        action="qcdc_membership.add",
        target=seat,
        changes={
            "full_name": seat.full_name,
            "role": role,
            "position": seat.position,
            "joined_on": joined_on,
            "left_on": left_on,
        },  # fmt: skip
    )
    return seat


@transaction.atomic
def membership_end(
    *, actor, membership: SteeringCommitteeMembership, left_on: date, change_note: str = ""
) -> SteeringCommitteeMembership:
    """Record that someone left the committee on `left_on` (the first day they are no longer a member)."""
    access.require_can_submit_for(actor, membership.organization_id)
    BaseOrganization.objects.select_for_update().get(pk=membership.organization_id)
    locked = SteeringCommitteeMembership.objects.select_for_update().get(pk=membership.pk)
    if locked.left_on is not None:
        raise ValidationError(
            "Thành viên này đã thôi tham gia Ban chỉ đạo từ ngày %(day)s.", params={"day": f"{locked.left_on:%d/%m/%Y}"}
        )
    if left_on is None or left_on <= locked.joined_on:
        raise ValidationError(
            {
                "left_on": ValidationError(
                    "Ngày thôi tham gia phải sau ngày tham gia (%(day)s).",
                    params={"day": f"{locked.joined_on:%d/%m/%Y}"},
                )
            }
        )
    locked.left_on = left_on
    if change_note:
        locked.change_note = normalize_text(change_note)
    locked.full_clean()
    locked.save(update_fields=["left_on", "change_note"])
    audit.record(
        actor=actor, action="qcdc_membership.end", target=locked, changes={"left_on": left_on, "note": change_note}
    )
    return locked


@transaction.atomic
def membership_change_role(
    *, actor, membership: SteeringCommitteeMembership, role: str, on: date, position: str = "", change_note: str = ""
) -> SteeringCommitteeMembership:
    """A new role (or position) from `on`: the current seat ends that day and a new one starts."""
    ended = membership_end(actor=actor, membership=membership, left_on=on, change_note=change_note)
    return membership_add(
        actor=actor,
        organization=ended.organization,
        full_name=ended.full_name,
        position=position or ended.position,
        role=role,
        joined_on=on,
        change_note=change_note,
    )


@transaction.atomic
def membership_remove(*, actor, membership: SteeringCommitteeMembership, reason: str) -> None:
    """Staff remove a seat entered by mistake (a wrong person or date), never a real change of make-up: that
    is recorded with membership_end. The removed row is kept in the audit log."""
    access.require_staff(actor)
    reason = normalize_text(reason)
    if not reason:
        raise ValidationError({"reason": "Vui lòng ghi rõ lý do xóa (ví dụ: nhập nhầm)."})
    locked = SteeringCommitteeMembership.objects.select_for_update().get(pk=membership.pk)
    removed = {
        "organization": locked.organization_id, "full_name": locked.full_name, "position": locked.position,
        "role": locked.role, "joined_on": locked.joined_on, "left_on": locked.left_on, "reason": reason,
    }  # fmt: skip
    audit.record(actor=actor, action="qcdc_membership.remove", target=locked, changes=removed)
    locked.delete()
