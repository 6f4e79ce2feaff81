"""Reads for grassroots democracy (QCDC): visible submissions, a cycle's statistics (a fixed number of queries
whatever the size of the bloc), an organisation's history across years, the steering committee on a date."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils import timezone

from dukportal.core.text import search_terms
from dukportal.submissions import deadlines, timeline
from dukportal.submissions.models import Deadline, SubmissionStatus
from organizations import access
from organizations.models import BaseOrganization

from . import obligations
from .models import (
    BrightSpot,
    BrightSpotKind,
    DemocracyCycle,
    DemocracyPlan,
    InspectionReportKind,
    SelfInspectionReport,
    SteeringCommittee,
    SteeringCommitteeMembership,
)
from .services import completeness_problems


def plans_visible_to(user) -> QuerySet:
    return access.scope(DemocracyPlan.objects.all(), user).select_related("cycle", "organization")


def committees_visible_to(user) -> QuerySet:
    return access.scope(SteeringCommittee.objects.all(), user).select_related("cycle", "organization")


def reports_visible_to(user) -> QuerySet:
    return access.scope(SelfInspectionReport.objects.all(), user).select_related("cycle", "organization")


def bright_spots_visible_to(user) -> QuerySet:
    return access.scope(BrightSpot.objects.all(), user).select_related("cycle", "organization")


def memberships_visible_to(user) -> QuerySet:
    return access.scope(SteeringCommitteeMembership.objects.all(), user).select_related("organization")


def committee_on(organization_id: int, day: date) -> list[SteeringCommitteeMembership]:
    """The steering committee's make-up on `day`: head first, then deputies, then members."""
    order = {"head": 0, "deputy": 1, "member": 2}
    seats = SteeringCommitteeMembership.objects.filter(organization_id=organization_id).on(day)
    return sorted(seats, key=lambda s: (order[s.role], s.joined_on, s.pk))


def membership_history(organization_id: int) -> QuerySet:
    """Every seat the committee has had, newest change first (joins and departures)."""
    return SteeringCommitteeMembership.objects.filter(organization_id=organization_id).order_by("-joined_on", "-id")


def _roster(seats) -> list[dict]:
    return [{"role": s.role} for s in seats]


def reference_day(cycle: DemocracyCycle, today: date | None = None) -> date:
    """The day a cycle's committee make-up is judged on for figures asked on `today` (the reference date,
    default today): that day, or the cycle's last day once the year is over."""
    today = today or timezone.localdate()
    return min(today, date(cycle.year, 12, 31))


@dataclass
class MissingRow:
    organization: BaseOrganization
    standing: deadlines.Standing
    reason: str = ""


@dataclass
class ItemStatistics:
    """One obligation of the cycle: x of y organisations have done it, and who is still missing."""

    kind: str
    label: str
    due_date: date | None
    expected: int = 0
    done: int = 0
    accepted: int = 0
    returned: int = 0  # sent, then returned for completion: counted as received, shown apart
    sent_late: int = 0
    nil_returns: int = 0  # done by answering "Không phát sinh": counted in `done`, shown apart
    missing: list = field(default_factory=list)  # [MissingRow]
    rows: list = field(default_factory=list)  # [(organization, standing, done)] for the export

    @property
    def ratio_label(self) -> str:
        return f"{self.done}/{self.expected}"


@dataclass
class CycleStatistics:
    cycle: DemocracyCycle
    reference_date: date  # the day committee make-ups are judged on (as_of, at most the cycle's last day)
    as_of: date  # the reference date the figures are read for ("Tính đến ngày …")
    items: list  # [ItemStatistics] in the order plan, committee, self-inspection, inspection visit
    bright_spots: list  # [(kind, label, sent, accepted)]

    def item(self, kind: str) -> ItemStatistics | None:
        return next((i for i in self.items if i.kind == kind), None)

    @property
    def plans(self):
        return self.item(obligations.PLAN)

    @property
    def committees(self):
        return self.item(obligations.COMMITTEE)

    @property
    def self_inspections(self):
        return self.item(obligations.SELF_INSPECTION)

    @property
    def inspection_visits(self):
        return self.item(obligations.INSPECTION_VISIT)


ITEM_LABELS = {
    obligations.PLAN: "Kế hoạch thực hiện QCDC đã gửi",
    obligations.COMMITTEE: "Ban chỉ đạo đã kiện toàn",
    obligations.SELF_INSPECTION: "Báo cáo tự kiểm tra, giám sát đã gửi",
    obligations.INSPECTION_VISIT: "Báo cáo của đơn vị được kiểm tra trực tiếp",
}


def deadline_for(submission) -> Deadline | None:
    """The deadline a QCDC submission answers (an inspected unit's report: the inspection visit's)."""
    kind = {
        DemocracyPlan: obligations.PLAN,
        SteeringCommittee: obligations.COMMITTEE,
        SelfInspectionReport: obligations.INSPECTION_VISIT
        if getattr(submission, "kind", "") == InspectionReportKind.INSPECTION_VISIT
        else obligations.SELF_INSPECTION,
    }.get(type(submission))
    if kind is None:  # bright spots have no deadline
        return None
    return Deadline.objects.filter(
        source_type=ContentType.objects.get_for_model(DemocracyCycle), source_id=submission.cycle_id, kind=kind
    ).first()


def cycle_deadlines(cycle: DemocracyCycle) -> dict[str, Deadline]:
    rows = Deadline.objects.filter(
        source_type=ContentType.objects.get_for_model(DemocracyCycle), source_id=cycle.pk, kind__in=obligations.KINDS
    ).prefetch_related("organizations")
    return {row.kind: row for row in rows}


def cycle_statistics(cycle: DemocracyCycle, *, on: date | None = None, today: date | None = None) -> CycleStatistics:
    """Figures of one cycle at the end of the reference date `on` (default today; `today=` is its former name,
    still accepted), as dispatch 1720-CV/ĐUK quotes them ("Tính đến ngày 15/5/2024 … 40/74 chi, đảng bộ cơ
    sở…").

    Each "x/y" is deadlines.deadline_figures for the cycle's deadline on that date: y the organisations that
    owed it (the shared rule: active on min(D, due date), or the chosen units among them), x those whose
    submission counted by then on its timeline — for the steering committee, sent and complete on the day its
    make-up is judged (reference_day). Bright spots are read from the timeline too. About a dozen SQL queries
    whatever the number of organisations and the date."""
    as_of = on or today or timezone.localdate()
    judged_on = reference_day(cycle, as_of)
    by_kind = cycle_deadlines(cycle)
    items = []
    for kind in obligations.KINDS:
        deadline = by_kind.get(kind)
        if deadline is None:
            continue
        figures = deadlines.deadline_figures(deadline, as_of)
        organizations, ids, cells = figures.organizations, [org.pk for org in figures.organizations], figures.standings
        item = ItemStatistics(kind=kind, label=ITEM_LABELS[kind], due_date=deadline.due_date, expected=len(ids))
        problems = {}
        if kind == obligations.COMMITTEE:
            problems = _committee_problems(cycle, [i for i in ids if cells[i].sent], judged_on)
        for org in organizations:
            standing = cells[org.pk]
            reason = "; ".join(problems.get(org.pk, []))
            done = standing.sent and not reason
            item.rows.append((org, standing, done))
            if done:
                item.done += 1
                item.accepted += standing.code == deadlines.Standing.ACCEPTED
                item.returned += standing.code == deadlines.Standing.RETURNED
                item.sent_late += standing.sent_late
                item.nil_returns += standing.code == deadlines.Standing.NIL
            else:
                item.missing.append(MissingRow(org, standing, reason))
        items.append(item)
    return CycleStatistics(
        cycle=cycle,
        reference_date=judged_on,
        as_of=as_of,
        items=items,
        bright_spots=bright_spot_counts(cycle, on=as_of),
    )


def _committee_problems(cycle: DemocracyCycle, organization_ids: list[int], on: date) -> dict[int, list[str]]:
    """For organisations that have sent their committee: why its make-up on `on` is not complete (one query)."""
    seats = defaultdict(list)
    for seat in SteeringCommitteeMembership.objects.filter(organization_id__in=organization_ids).on(on):
        seats[seat.organization_id].append(seat)
    result = {}
    for org_id in organization_ids:
        problems = completeness_problems(_roster(seats[org_id]), cycle.committee_min_members)
        if problems:
            result[org_id] = ["Ban chỉ đạo " + problems[0], *problems[1:]]
    return result


def bright_spot_counts(cycle: DemocracyCycle, *, on: date | None = None) -> list[tuple[str, str, int, int]]:
    """Bright spots of a cycle by kind at the end of `on` (default today): (kind, label, sent, accepted), read
    from each one's timeline — sent: counted on that day (sent by then, not withdrawn; drafts never);
    accepted: its status that day was accepted. One query."""
    on = on or timezone.localdate()
    sent, accepted = Counter(), Counter()
    rows = timeline.counted_on(BrightSpot.objects.filter(cycle=cycle).order_by(), on).values_list("kind", "status_on")
    for kind, status in rows:
        sent[kind] += 1
        accepted[kind] += status == SubmissionStatus.ACCEPTED
    return [(value, str(label), sent[value], accepted[value]) for value, label in BrightSpotKind.choices]


def bright_spots_on(user, cycle: DemocracyCycle, on: date) -> QuerySet:
    """The bright spots of a cycle the user may see that counted at the end of `on` (the same ones
    bright_spot_counts counts), each annotated with `status_on`, its status that day."""
    queryset = bright_spots_visible_to(user).filter(cycle=cycle).order_by()
    return timeline.counted_on(queryset, on).order_by("kind", "organization__sort_key", "id")


def bright_spot_list(user, cycle: DemocracyCycle, *, kind: str = "", status: str = "") -> QuerySet:
    queryset = bright_spots_visible_to(user).filter(cycle=cycle)
    if access.reads_everything(user):  # drafts are the organisation's own business
        queryset = queryset.exclude(status=SubmissionStatus.DRAFT)
    if kind:
        queryset = queryset.filter(kind=kind)
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("kind", "organization__sort_key", "id")


# What a row of the bright spot list shows, read as values (views.bright_spot_rows).
BRIGHT_SPOT_ROW_FIELDS = ("pk", "title", "kind", "status", "organization__name")


@dataclass
class OwnItems:
    """What one organisation has for a cycle (the officer's view of the cycle page)."""

    plan: DemocracyPlan | None
    committee: SteeringCommittee | None
    general_report: SelfInspectionReport | None
    visit_report: SelfInspectionReport | None
    bright_spots: list
    inspected: bool


def own_items(user, cycle: DemocracyCycle, organization_id: int) -> OwnItems:
    # A withdrawn item is history (its timeline stays readable); the organisation's current one is the other.
    current = {"cycle": cycle, "organization_id": organization_id}
    plan = plans_visible_to(user).filter(**current).exclude(status=SubmissionStatus.WITHDRAWN).first()
    committee = committees_visible_to(user).filter(**current).exclude(status=SubmissionStatus.WITHDRAWN).first()
    reports = {r.kind: r for r in reports_visible_to(user).filter(**current).exclude(status=SubmissionStatus.WITHDRAWN)}
    return OwnItems(
        plan=plan,
        committee=committee,
        general_report=reports.get(InspectionReportKind.GENERAL),
        visit_report=reports.get(InspectionReportKind.INSPECTION_VISIT),
        bright_spots=list(bright_spots_visible_to(user).filter(cycle=cycle, organization_id=organization_id)),
        inspected=cycle.inspected_organizations.filter(pk=organization_id).exists(),
    )


@dataclass
class HistoryRow:
    cycle: DemocracyCycle
    plan: DemocracyPlan | None
    committee: SteeringCommittee | None
    general_report: SelfInspectionReport | None
    visit_report: SelfInspectionReport | None
    bright_spots: list


def organization_history(user, organization: BaseOrganization) -> list[HistoryRow]:
    """An organisation's QCDC record, newest year first: five queries whatever the number of years."""
    cycles = list(DemocracyCycle.objects.order_by("-year"))
    own = {"organization": organization}
    withdrawn = SubmissionStatus.WITHDRAWN
    plans = {p.cycle_id: p for p in plans_visible_to(user).filter(**own).exclude(status=withdrawn)}
    committees = {c.cycle_id: c for c in committees_visible_to(user).filter(**own).exclude(status=withdrawn)}
    reports = {(r.cycle_id, r.kind): r for r in reports_visible_to(user).filter(**own).exclude(status=withdrawn)}
    spots = defaultdict(list)
    for spot in bright_spots_visible_to(user).filter(organization=organization).order_by("kind", "id"):
        spots[spot.cycle_id].append(spot)
    return [
        HistoryRow(
            cycle=cycle,
            plan=plans.get(cycle.pk),
            committee=committees.get(cycle.pk),
            general_report=reports.get((cycle.pk, InspectionReportKind.GENERAL)),
            visit_report=reports.get((cycle.pk, InspectionReportKind.INSPECTION_VISIT)),
            bright_spots=spots[cycle.pk],
        )
        for cycle in cycles
    ]


SENT_KINDS = {"plan": DemocracyPlan, "committee": SteeringCommittee, "report": SelfInspectionReport}


def sent_in_cycle(user, cycle: DemocracyCycle, model, *, on: date | None = None, query: str = "") -> QuerySet:
    """submissions_of_cycle as a queryset for a paginated list: only what a row shows (the organisation's name,
    the status that day, a report's kind), optionally the organisations whose code or name holds `query`."""
    visible = {
        DemocracyPlan: plans_visible_to,
        SteeringCommittee: committees_visible_to,
        SelfInspectionReport: reports_visible_to,
        BrightSpot: bright_spots_visible_to,
    }[model]
    queryset = visible(user).filter(cycle=cycle).select_related(None).select_related("organization").order_by()
    for term in search_terms(query):
        queryset = queryset.filter(organization__search_key__contains=term)
    fields = ["pk", "status", "organization_id", "organization__name", "organization__code"]
    if model is SelfInspectionReport:
        fields.append("kind")
    rows = timeline.counted_on(queryset.only(*fields), on or timezone.localdate())
    return rows.order_by("organization__sort_key", "id")


def with_status_labels(rows) -> list:
    """The rows with `status_label_on`, the Vietnamese label of their status on the list's date."""
    labels = dict(SubmissionStatus.choices)
    rows = list(rows)
    for row in rows:
        row.status_label_on = labels.get(row.status_on, row.get_status_display())
    return rows


def submissions_of_cycle(user, cycle: DemocracyCycle, model, *, on: date | None = None) -> list:
    """Submissions of one kind for a cycle that counted at the end of `on` (default today: sent, not withdrawn),
    read from their timeline, for the cycle page's lists. Each carries `status_on` and `status_label_on`, its
    status that day."""
    visible = {
        DemocracyPlan: plans_visible_to,
        SteeringCommittee: committees_visible_to,
        SelfInspectionReport: reports_visible_to,
        BrightSpot: bright_spots_visible_to,
    }[model]
    queryset = visible(user).filter(cycle=cycle).order_by()
    rows = list(timeline.counted_on(queryset, on or timezone.localdate()).order_by("organization__sort_key", "id"))
    labels = dict(SubmissionStatus.choices)
    for row in rows:
        row.status_label_on = labels.get(row.status_on, row.get_status_display())
    return rows
