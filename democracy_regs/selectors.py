"""Reads for grassroots democracy (QCDC): visible submissions, a cycle's statistics (a fixed number of queries
whatever the size of the bloc), an organisation's history across years, the steering committee on a date."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Case, Count, DateTimeField, Max, Min, Q, QuerySet, Value, When
from django.utils import timezone

from dukportal.core import prepared
from dukportal.core.text import search_terms
from dukportal.submissions import deadlines, timeline
from dukportal.submissions.models import Deadline, NilReturn, SubmissionStatus
from organizations import access, history
from organizations.models import BaseOrganization
from organizations.selectors import scope_key

from . import obligations
from .models import (
    BrightSpot,
    BrightSpotKind,
    CommitteeRole,
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


def reference_day(cycle: DemocracyCycle, today: date | None = None) -> date:
    """The day a cycle's committee make-up is judged on for figures asked on `today` (the reference date,
    default today): that day, or the cycle's last day once the year is over."""
    today = today or timezone.localdate()
    return min(today, date(cycle.year, 12, 31))


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


def _committee_reasons(roster: list[dict], minimum: int) -> list[str]:
    """Why a sent committee does not count, as the statistics word it (empty: its make-up is complete)."""
    problems = completeness_problems(roster, minimum)
    return ["Ban chỉ đạo " + problems[0], *problems[1:]] if problems else []


# --- The statistics pages: figures counted in SQL, a few missing organisations per item ------------------------

# The statistics page lists this many of each item's missing organisations (Vietnamese order), then "và N đơn vị
# khác" with a link to the item's full list (MissingListView, a page at a time): staff read the figures and
# phone the first ones; the whole list is one click away, and in the Excel export. Listing up to 100 per item
# made the page grow with the bloc (four tables of 100 rows at 1,000 organisations; issue 13).
MISSING_PREVIEW = 20

# The URL parameter `muc` of the full missing list: a stable short name for each item.
ITEM_SLUGS = {
    "plan": obligations.PLAN,
    "committee": obligations.COMMITTEE,
    "self-inspection": obligations.SELF_INSPECTION,
    "inspection-visit": obligations.INSPECTION_VISIT,
}


@dataclass(frozen=True)
class MissingEntry:
    """One organisation still missing an item, as the pages list it: plain values (the cached page keeps no
    model instances)."""

    organization_id: int
    name: str  # the name it bore on the reference date
    contact: str
    phone: str
    code: str  # "missing", "late" (nothing counted) or "incomplete" (a committee sent, its make-up not complete)
    label: str  # what the status column says: the standing, or why the committee does not count
    active: bool = True  # still active on the reference date (one dissolved since still owed it: not chased)


@dataclass(frozen=True)
class OwedRow:
    """One organisation that owed an item, as the Excel export prints it: done, or its standing and why."""

    name: str  # its current name
    contact: str
    phone: str
    done: bool
    standing: str  # the standing's label (deadlines.Standing.LABELS): sent, returned, accepted, missing, late…
    reason: str  # why a sent steering committee does not count ("" otherwise)
    submitted_at: datetime | None  # its first counted sending (its nil return's when only that counted)


@dataclass
class ItemSummary:
    """One obligation of the cycle on a day, counted in SQL: `done` of `expected` organisations have done it
    (deadlines.deadline_figures' rule; a steering committee counts when sent and complete), `missing_count` have
    not; `missing` lists the first of them (cycle_summary's `missing`: MISSING_PREVIEW for the pages, all of them
    for the documents), `rows` every organisation that owed it when asked for (the Excel export)."""

    kind: str
    label: str
    due_date: date | None
    expected: int = 0
    done: int = 0
    accepted: int = 0
    returned: int = 0
    sent_late: int = 0
    nil_returns: int = 0
    missing_count: int = 0
    missing: list = field(default_factory=list)  # [MissingEntry], the first ones in Vietnamese order
    rows: list = field(default_factory=list)  # [OwedRow] in Vietnamese order, only when asked for

    @property
    def ratio_label(self) -> str:
        return f"{self.done}/{self.expected}"

    @property
    def slug(self) -> str:
        return next(slug for slug, kind in ITEM_SLUGS.items() if kind == self.kind)

    @property
    def more(self) -> int:
        """Missing organisations not listed on the statistics page."""
        return self.missing_count - len(self.missing)


@dataclass
class CycleSummary:
    """A cycle's figures at the end of a day (cycle_summary): what the statistics and cycle pages show (and the
    figures cache keeps: plain values, no organisation instance), the Excel export and the documents print."""

    cycle: DemocracyCycle
    reference_date: date  # the day committee make-ups are judged on (as_of, at most the cycle's last day)
    as_of: date  # the reference date the figures are read for ("Tính đến ngày …")
    items: list  # [ItemSummary] in the order plan, committee, self-inspection, inspection visit
    bright_spots: list  # [(kind, label, sent, accepted)]

    def item(self, kind: str) -> ItemSummary | None:
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


def _sql(queryset: QuerySet) -> tuple[str, list]:
    sql, params = queryset.query.sql_with_params()
    return sql, list(params)


class _ItemFacts:
    """One item's question on a day as one SQL relation, a row per organisation that owed it: its contact and
    validity, its first counted sending, and 0/1 columns read as deadlines.Standing reads an organisation's
    counted submissions (deadlines.deadline_cells, timeline._fold):

    - `sent`: a submission counted at the end of the day, or (where the kind allows it) a counted nil return;
    - `done`: sent and, for the steering committee, a complete make-up on the cycle's reference day (exactly one
      head and at least the cycle's minimum of people: services.completeness_problems);
    - `accepted`: one of the counted submissions was accepted that day; `returned`: every one was returned;
      `nil`: only a nil return counted; `on_time`: the first sending (the nil return's when nothing else
      counted) before the end of the due date.

    Made of four ORM querysets (the expected organisations, their counted submissions grouped per organisation,
    the counted nil returns, the seats on the reference day), each compiled once and joined in SQL: the same
    conditions written as Q objects, repeated in each count, cost more Python to compile than the query took."""

    def __init__(self, cycle: DemocracyCycle, deadline: Deadline, on: date):
        self.deadline, self.on, self.minimum = deadline, on, cycle.committee_min_members
        self.is_committee = deadline.kind == obligations.COMMITTEE
        judged_on = reference_day(cycle, on)
        kind = deadlines.obligation(deadline.kind)
        # Names on the day are read for the listed rows only (_with_names): in this relation the planner
        # evaluated the name subquery for each of the 568 missing organisations before keeping 20.
        expected = (
            deadlines.expected_organizations(deadline, on)
            .order_by()
            .values(
                "id",
                "sort_key",
                "code",
                "name",
                "danvan_officer_name",
                "secretary_name",
                "phone",
                "valid_from",
                "valid_to",
            )
        )
        counted = (
            timeline.counted_on(kind.submissions(deadline).filter(organization_id__isnull=False).order_by(), on)
            .values("organization_id")
            .annotate(
                accepted=Max(Case(When(status_on=SubmissionStatus.ACCEPTED, then=1), default=0)),
                all_returned=Min(Case(When(status_on=SubmissionStatus.RETURNED, then=1), default=0)),
                first_sent=Min("counted_from"),
            )
        )
        parts = [_sql(expected), _sql(counted)]
        joins = ["LEFT JOIN ({}) s ON s.organization_id = e.id"]
        nil_first = "NULL"
        if kind.allows_nil:
            nil_returns = (
                NilReturn.objects.filter(deadline=deadline)
                .filter(timeline.counted_q(on))
                .order_by()
                .values("organization_id")
                .annotate(first_sent=Min("counted_from"))
            )
            parts.append(_sql(nil_returns))
            joins.append("LEFT JOIN ({}) n ON n.organization_id = e.id")
            nil_first = "n.first_sent"
        complete = "1"
        if self.is_committee:
            seats = (
                SteeringCommitteeMembership.objects.on(judged_on)
                .order_by()
                .values("organization_id")
                .annotate(seats=Count("pk"), heads=Count("pk", filter=Q(role=CommitteeRole.HEAD)))
            )
            parts.append(_sql(seats))
            joins.append("LEFT JOIN ({}) k ON k.organization_id = e.id")
            complete = "CASE WHEN k.heads = 1 AND k.seats >= %s THEN 1 ELSE 0 END"
        real = "s.organization_id IS NOT NULL"
        sent = f"({real} OR {nil_first} IS NOT NULL)"
        due_end = connection.ops.adapt_datetimefield_value(timeline.end_of(deadline.due_date))
        columns = [
            "e.id AS organization_id, e.sort_key, e.code, e.name, e.danvan_officer_name, e.secretary_name, e.phone",
            f"CASE WHEN {real} THEN 1 ELSE 0 END AS was_sent",
            "COALESCE(k.seats, 0) AS seats, COALESCE(k.heads, 0) AS heads" if self.is_committee else "0, 0",
            f"CASE WHEN {sent} THEN {complete} ELSE 0 END AS done",
            "COALESCE(s.accepted, 0) AS accepted",
            "COALESCE(s.all_returned, 0) AS returned",
            f"CASE WHEN {real} THEN 0 WHEN {nil_first} IS NOT NULL THEN 1 ELSE 0 END AS nil",
            f"CASE WHEN COALESCE(s.first_sent, {nil_first}) < %s THEN 1 ELSE 0 END AS on_time",
            f"e.valid_from, e.valid_to, COALESCE(s.first_sent, {nil_first}) AS first_sent",
        ]
        # Placeholders in the order they appear: the columns' (the minimum, the due date's end), then the parts'.
        params = [self.minimum] * self.is_committee + [due_end] + [p for _sql_text, ps in parts for p in ps]
        self.sql = f"SELECT {', '.join(columns)} FROM ({parts[0][0]}) e " + " ".join(
            join.format(part[0]) for join, part in zip(joins, parts[1:], strict=True)
        )
        self.params = params

    def counts_sql(self) -> tuple[str, list]:
        """(deadline id, expected, done, accepted, returned, on time, nil) over the item's organisations; accepted,
        returned, nil and on time among those that did it."""
        return (
            "SELECT %s, COUNT(*), COALESCE(SUM(done), 0), COALESCE(SUM(done * accepted), 0),"
            " COALESCE(SUM(done * returned), 0), COALESCE(SUM(done * on_time), 0), COALESCE(SUM(done * nil), 0)"
            f" FROM ({self.sql}) f",
            [self.deadline.pk, *self.params],
        )

    def missing(self, *, limit: int | None = None, offset: int = 0) -> list["MissingEntry"]:
        """The organisations that owed it and have not done it, in Vietnamese order (a window of them), without
        their names on the day (_with_names adds them)."""
        sql = f"SELECT * FROM ({self.sql}) f WHERE done = 0 ORDER BY sort_key, code"
        params = list(self.params)
        if limit is not None:
            sql += " LIMIT %s OFFSET %s"
            params += [limit, offset]
        return [self._entry(row) for row in _fetch(sql, params)]

    def missing_count(self) -> int:
        return _fetch(f"SELECT COUNT(*) FROM ({self.sql}) f WHERE done = 0", self.params)[0][0]

    def rows(self) -> list[OwedRow]:
        """Every organisation that owed it, in Vietnamese order (one query)."""
        moment = _moment_reader()
        return [
            self._owed(row, moment)
            for row in _fetch(f"SELECT * FROM ({self.sql}) f ORDER BY sort_key, code", self.params)
        ]

    def _reason(self, row: tuple) -> str:
        """Why a sent steering committee does not count on the reference day ("" when it does)."""
        was_sent, seats, heads, done = row[7:11]
        if not (self.is_committee and was_sent) or done:
            return ""
        roster = [{"role": CommitteeRole.HEAD}] * heads + [{"role": CommitteeRole.MEMBER}] * (seats - heads)
        return "; ".join(_committee_reasons(roster, self.minimum))

    def _unsent(self) -> str:
        return deadlines.Standing.LATE if self.on > self.deadline.due_date else deadlines.Standing.MISSING

    def _entry(self, row: tuple) -> "MissingEntry":
        organization_id, _sort_key, _code, name, officer, secretary, phone, was_sent = row[:8]
        valid_from, valid_to = row[15:17]
        if self.is_committee and was_sent:
            code, label = "incomplete", self._reason(row)
        else:
            code = self._unsent()
            label = deadlines.Standing.LABELS[code]
        active = valid_from <= self.on and (valid_to is None or valid_to >= self.on)
        return MissingEntry(organization_id, name, officer or secretary, phone, code, label, active)

    def _owed(self, row: tuple, moment) -> OwedRow:
        _id, _sort_key, _code, name, officer, secretary, phone, was_sent = row[:8]
        done, accepted, returned, nil = row[10:14]
        Standing = deadlines.Standing
        if was_sent:
            code = Standing.ACCEPTED if accepted else Standing.RETURNED if returned else Standing.SUBMITTED
        else:
            code = Standing.NIL if nil else self._unsent()
        reason = self._reason(row)
        return OwedRow(name, officer or secretary, phone, bool(done), Standing.LABELS[code], reason, moment(row[17]))


def _with_names(entries: list[MissingEntry], on: date) -> list[MissingEntry]:
    """The entries with the names their organisations bore on `on` (history.with_name_on), in one query."""
    if not entries:
        return entries
    ids = {entry.organization_id for entry in entries}
    names = dict(
        history.with_name_on(BaseOrganization.objects.filter(pk__in=ids), on).values_list("pk", "name_on_date")
    )
    return [replace(entry, name=names[entry.organization_id]) for entry in entries]


def _moment_reader():
    """A function giving a moment read by raw SQL as the ORM gives a DateTimeField's value: the backend's own
    converters (SQLite returns a MIN() or COALESCE() of moments as text in UTC, with no declared type to parse
    it by; PostgreSQL an aware datetime already, no converter)."""
    expression = Value(None, output_field=DateTimeField())
    converters = connection.ops.get_db_converters(expression) + expression.output_field.get_db_converters(connection)

    def read(value):
        for converter in converters:
            value = converter(value, expression, connection)
        return value

    return read


def _fetch(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _item_counts(facts: list[_ItemFacts]) -> dict[int, tuple[int, ...]]:
    """{deadline id: (expected, done, accepted, returned, on time, nil)} for every item in ONE query (UNION ALL)."""
    if not facts:
        return {}
    parts = [f.counts_sql() for f in facts]
    sql = " UNION ALL ".join(f"SELECT * FROM ({part}) c{index}" for index, (part, _p) in enumerate(parts))
    rows = _fetch(sql, [p for _part, params in parts for p in params])
    return {row[0]: tuple(int(value) for value in row[1:]) for row in rows}


def _cycle_deadlines_plain(cycle: DemocracyCycle) -> dict[str, Deadline]:
    rows = Deadline.objects.filter(
        source_type=ContentType.objects.get_for_model(DemocracyCycle), source_id=cycle.pk, kind__in=obligations.KINDS
    )
    return {row.kind: row for row in rows}


def cycle_summary(
    cycle: DemocracyCycle, *, on: date | None = None, missing: int | None = MISSING_PREVIEW, rows: bool = False
) -> CycleSummary:
    """Figures of one cycle at the end of the reference date `on` (default today), as dispatch 1720-CV/ĐUK quotes
    them ("Tính đến ngày 15/5/2024 … 40/74 chi, đảng bộ cơ sở…"), counted in SQL. Each "x/y" answers the cycle's
    deadline on that date: y the organisations that owed it (deadlines.expected_organizations: active on min(D,
    due date), or the chosen units among them), x those whose submission counted by then on its timeline — for
    the steering committee, sent and complete on the day its make-up is judged (reference_day).

    Each item lists its first `missing` missing organisations with their names on the day (None: all of them,
    as the documents print them) and, with `rows`, every organisation that owed it (the Excel export). The pages'
    call is eight queries and the same work whatever the number of organisations; `rows` adds one query an
    item, and a whole missing list costs no more queries than its first ones. tests/democracy_regs/test_qcdc_summary.py holds it to the reference reading,
    organisation by organisation, on many dates."""
    as_of = on or timezone.localdate()
    by_kind = _cycle_deadlines_plain(cycle)
    facts = [_ItemFacts(cycle, by_kind[kind], as_of) for kind in obligations.KINDS if kind in by_kind]
    counts = _item_counts(facts)
    previews = [item.missing(limit=missing) if missing != 0 else [] for item in facts]
    named = iter(_with_names([entry for preview in previews for entry in preview], as_of))
    items = []
    for item, preview in zip(facts, previews, strict=True):
        deadline = item.deadline
        expected, done, accepted, returned, on_time, nil = counts[deadline.pk]
        items.append(
            ItemSummary(
                kind=deadline.kind,
                label=ITEM_LABELS[deadline.kind],
                due_date=deadline.due_date,
                expected=expected,
                done=done,
                accepted=accepted,
                returned=returned,
                sent_late=done - on_time,
                nil_returns=nil,
                missing_count=expected - done,
                missing=[next(named) for _entry in preview],
                rows=item.rows() if rows else [],
            )
        )
    return CycleSummary(
        cycle=cycle,
        reference_date=reference_day(cycle, as_of),
        as_of=as_of,
        items=items,
        bright_spots=bright_spot_counts(cycle, on=as_of),
    )


class MissingList:
    """An item's missing organisations on a day, for a Paginator: count() is one COUNT, a slice two queries (the
    rows, their names on the day) giving MissingEntry values. Empty when the cycle has no such deadline."""

    def __init__(self, cycle: DemocracyCycle, kind: str, on: date):
        deadline = _cycle_deadlines_plain(cycle).get(kind)
        self.facts = _ItemFacts(cycle, deadline, on) if deadline is not None else None

    def count(self) -> int:
        return self.facts.missing_count() if self.facts is not None else 0

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[MissingEntry]:
        if self.facts is None:
            return []
        start = window.start or 0
        return _with_names(self.facts.missing(limit=window.stop - start, offset=start), self.facts.on)


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


def sent_rows_of_cycle(
    user, cycle: DemocracyCycle, model, fields: tuple[str, ...], *, on: date, query: str = ""
) -> prepared.KeyedList:
    """sent_in_cycle's `fields` for a Paginator: the count and each page compiled once per process for the user's
    scope, the cycle, the kind, the day and the search words (issue 13, branch pages74b: building the query with
    its timeline subqueries cost more than running it)."""
    return prepared.KeyedList(
        ("qcdc sent", scope_key(user), cycle.pk, model._meta.label, on, tuple(search_terms(query)), fields),
        lambda: sent_in_cycle(user, cycle, model, on=on, query=query).values_list(*fields),
    )


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
