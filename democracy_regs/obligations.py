"""What organisations owe for a QCDC cycle, in the shared deadline mechanism (dukportal.submissions.deadlines).

Four kinds: the implementation plan, the steering committee and the self-inspection report are owed by every
base organisation active on the due date; the inspected units' report only by the units the cycle chose for a
direct inspection visit, by their own earlier deadline."""

from django.contrib.contenttypes.models import ContentType

from dukportal.core import links
from dukportal.submissions import deadlines
from dukportal.submissions.models import Deadline

from .models import DemocracyCycle, DemocracyPlan, InspectionReportKind, SelfInspectionReport, SteeringCommittee

PLAN = "qcdc.plan"
COMMITTEE = "qcdc.steering_committee"
SELF_INSPECTION = "qcdc.self_inspection"
INSPECTION_VISIT = "qcdc.inspection_visit"
KINDS = (PLAN, COMMITTEE, SELF_INSPECTION, INSPECTION_VISIT)


def _submissions_of(queryset_for):
    def submissions(deadline):
        return queryset_for(deadline.source_id)

    return submissions


def _plans(cycle_id):
    return DemocracyPlan.objects.filter(cycle_id=cycle_id)


def _committees(cycle_id):
    return SteeringCommittee.objects.filter(cycle_id=cycle_id)


def _all_reports(cycle_id):
    # An inspected unit's report also counts as its general self-inspection report.
    return SelfInspectionReport.objects.filter(cycle_id=cycle_id)


def _visit_reports(cycle_id):
    return SelfInspectionReport.objects.filter(cycle_id=cycle_id, kind=InspectionReportKind.INSPECTION_VISIT)


def _cycle_page(deadline) -> str:
    """The officer sends each item of the cycle from its page (their own items are listed there)."""
    return links.url_with_pk("democracy_regs:cycle", deadline.source_id)  # reverse() once per process


def register() -> None:
    deadlines.register(
        deadlines.Obligation(PLAN, "Kế hoạch QCDC", _submissions_of(_plans), order=20, action_url=_cycle_page)
    )
    deadlines.register(
        deadlines.Obligation(
            COMMITTEE, "Ban chỉ đạo QCDC", _submissions_of(_committees), order=21, action_url=_cycle_page
        )
    )
    deadlines.register(
        deadlines.Obligation(
            SELF_INSPECTION,
            "Tự kiểm tra QCDC",
            _submissions_of(_all_reports),
            order=22,
            action_url=_cycle_page,
            # An organisation with no self-inspection or supervision activity in the year answers "Không phát
            # sinh" with the reason. Plans, committees, the inspected units' report (asked for by the visiting
            # team) and the "Dân vận khéo" registrations and evaluations are always owed in full.
            allows_nil=True,
        )
    )
    deadlines.register(
        deadlines.Obligation(
            INSPECTION_VISIT,
            "Báo cáo đơn vị được kiểm tra",
            _submissions_of(_visit_reports),
            order=23,
            action_url=_cycle_page,
        )
    )


def sync_cycle_deadlines(cycle: DemocracyCycle) -> None:
    """Create or update the cycle's deadlines from its dates (idempotent). Without an inspection visit the
    inspected units' deadline is removed."""
    year = cycle.year
    deadlines.deadline_sync(
        kind=PLAN,
        source=cycle,
        title=f"Kế hoạch thực hiện Quy chế dân chủ ở cơ sở năm {year}",
        year=year,
        due_date=cycle.plan_deadline,
    )
    deadlines.deadline_sync(
        kind=COMMITTEE,
        source=cycle,
        title=f"Kiện toàn Ban chỉ đạo thực hiện Quy chế dân chủ ở cơ sở năm {year}",
        year=year,
        due_date=cycle.committee_deadline,
    )
    deadlines.deadline_sync(
        kind=SELF_INSPECTION,
        source=cycle,
        title=f"Báo cáo tự kiểm tra, giám sát thực hiện dân chủ ở cơ sở năm {year}",
        year=year,
        due_date=cycle.self_inspection_deadline,
    )
    if cycle.inspection_deadline:
        deadlines.deadline_sync(
            kind=INSPECTION_VISIT,
            source=cycle,
            title=f"Báo cáo tự kiểm tra của đơn vị được kiểm tra trực tiếp năm {year}",
            year=year,
            due_date=cycle.inspection_deadline,
            organizations=list(cycle.inspected_organizations.all()),
        )
    else:
        Deadline.objects.filter(
            kind=INSPECTION_VISIT, source_type=ContentType.objects.get_for_model(cycle), source_id=cycle.pk
        ).delete()
