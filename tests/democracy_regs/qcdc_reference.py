"""The reference reading of a QCDC cycle's figures, organisation by organisation, through
deadlines.deadline_figures and each organisation's Standing: what democracy_regs.selectors.cycle_summary (counted
in SQL) replaced for the pages, the Excel export and the documents. Kept here only to hold cycle_summary to it
(tests/democracy_regs/test_qcdc_summary.py); nothing in the portal reads it."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from democracy_regs import obligations
from democracy_regs.models import DemocracyCycle, SteeringCommitteeMembership
from democracy_regs.selectors import ITEM_LABELS, _committee_reasons, bright_spot_counts, reference_day
from dukportal.submissions import deadlines
from dukportal.submissions.models import Deadline
from organizations.models import BaseOrganization


def _roster(seats) -> list[dict]:
    return [{"role": s.role} for s in seats]


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
        if problems := _committee_reasons(_roster(seats[org_id]), cycle.committee_min_members):
            result[org_id] = problems
    return result
