"""The reference reading of a QCDC cycle's figures, organisation by organisation, through
deadlines.deadline_figures and each organisation's Standing: what democracy_regs.selectors.cycle_summary (counted
in SQL) replaced for the pages, the Excel export and the documents. Kept here only to hold cycle_summary to it
(tests/democracy_regs/test_qcdc_summary.py); nothing in the portal reads it."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from democracy_regs import obligations
from democracy_regs.models import DemocracyCycle, SteeringCommitteeMembership
from democracy_regs.selectors import (
    ITEM_LABELS,
    CycleSummary,
    ItemSummary,
    _committee_reasons,
    _cycle_deadlines_plain,
    bright_spot_counts,
    reference_day,
)
from dukportal.submissions import deadlines
from organizations.models import BaseOrganization


def _roster(seats) -> list[dict]:
    return [{"role": s.role} for s in seats]


@dataclass
class MissingRow:
    organization: BaseOrganization
    standing: deadlines.Standing
    reason: str = ""


@dataclass
class ItemStatistics(ItemSummary):
    """One obligation of the cycle, read organisation by organisation: ItemSummary's figures, with `missing` as
    [MissingRow] (every one of them) and `rows` as [(organization, standing, done)] for the export."""


@dataclass
class CycleStatistics(CycleSummary):
    """CycleSummary with ItemStatistics as its items."""


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
    by_kind = _cycle_deadlines_plain(cycle)
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
        item.missing_count = len(item.missing)
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
