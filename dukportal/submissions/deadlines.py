"""Deadlines: the registry of obligation kinds, and the one definition of "who owed it, and who had sent it, on
a date". Every page, export, reminder and document asks `deadline_figures` (or the two functions it is made
of, `expected_organizations` and `deadline_cells`); nothing else counts submissions.

Each app registers its kinds in AppConfig.ready():

    deadlines.register(Obligation(kind="danvan.registration", label="Đăng ký …", submissions=...))

`submissions(deadline)` returns the queryset of the concrete submissions that answer the deadline (any status);
whether one of them counts on a day is read from its timeline (dukportal.submissions.timeline).

Who is expected on a reference day D (the rule every page shares):
- the reference point is E = min(D, due date): on or after the due date, the organisations that owed it are
  those active on the due date; before it, those active on D (a figure drafted on D names only organisations
  that existed then, so redrafting later for the same D gives the same text);
- a deadline for a chosen list (units chosen for an inspection visit) is owed by those of the list active on E;
- a kind may narrow the set further, judged on D (the mid-year evaluation is owed only by organisations with
  a model accepted by D).
An organisation dissolved or merged after the due date still counts in "y" (it owed it), but it is no longer
chased: `DeadlineFigures.to_chase` leaves out those not active on D."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Case, F, IntegerField, Model, Q, QuerySet, Value, When

from organizations import history
from organizations.models import BaseOrganization

from . import timeline
from .models import Audience, Deadline, NilReturn, Submission, SubmissionStatus
from .timeline import OrgState


@dataclass(frozen=True)
class Obligation:
    kind: str
    label: str  # short Vietnamese column label for the compliance matrix
    submissions: Callable[[Deadline], QuerySet[Any]]  # the concrete submissions answering a deadline of this kind
    order: int = 100
    # Narrows who owes a deadline of this kind on a day, given the organisations the general rule expects (e.g.
    # only those with a model accepted by then owe its evaluation): a filter of the given queryset (figures_for
    # applies it to all organisations, then the dates). None: every one of them owes it.
    expected: Callable[[Deadline, QuerySet[BaseOrganization], date], QuerySet[BaseOrganization]] | None = None
    # Where an organisation acts on a deadline of this kind (the page to register, fix or send): deadline → URL.
    action_url: Callable[[Deadline], str] | None = None
    # "Không phát sinh" is a valid answer (nothing to report, with a reason): a NilReturn then counts as sent.
    allows_nil: bool = False
    # What a document says of the deadline's content on a day, after its x/y (an indicator report's totals):
    # (deadline, day) → sentences. Document composition asks it for any kind, so it names no feature app.
    figure_lines: Callable[[Deadline, date], list[str]] | None = None


_REGISTRY: dict[str, Obligation] = {}


def register(obligation: Obligation) -> None:
    _REGISTRY[obligation.kind] = obligation


def obligation(kind: str) -> Obligation:
    return _REGISTRY[kind]


def obligations() -> list[Obligation]:
    return sorted(_REGISTRY.values(), key=lambda o: (o.order, o.kind))


@transaction.atomic
def deadline_sync(
    *,
    kind: str,
    source: Model,
    title: str,
    year: int,
    due_date: date,
    organizations: Iterable[BaseOrganization | int] | None = None,
) -> Deadline:
    """Create or update the deadline of `kind` for `source` (a campaign or cycle). Idempotent."""
    deadline, _ = Deadline.objects.update_or_create(
        kind=kind,
        source_type=ContentType.objects.get_for_model(source),
        source_id=source.pk,
        defaults={
            "title": title,
            "year": year,
            "due_date": due_date,
            "audience": Audience.CHOSEN if organizations is not None else Audience.ALL_ACTIVE,
        },
    )
    if organizations is not None:
        deadline.organizations.set(organizations)
    else:
        deadline.organizations.clear()
    return deadline


def reference_point(deadline: Deadline, on: date) -> date:
    """The day whose organisations owe the deadline when asked on `on`: min(on, due date)."""
    return min(on, deadline.due_date)


def expected_organizations(deadline: Deadline, on: date) -> QuerySet[BaseOrganization]:
    """Who owed this deadline on `on` (see the module docstring for the rule)."""
    point = reference_point(deadline, on)
    if deadline.audience == Audience.CHOSEN:
        organizations = BaseOrganization.objects.filter(pk__in=deadline.organizations.values("pk")).active_on(point)
    else:
        organizations = BaseOrganization.objects.active_on(point)
    kind = _REGISTRY.get(deadline.kind)
    return kind.expected(deadline, organizations, on) if kind and kind.expected else organizations


class Standing:
    """One organisation's position on one deadline at the end of a day, as the tracking page and matrix show it."""

    MISSING, LATE, SUBMITTED, RETURNED, ACCEPTED, DRAFT, NIL = (
        "missing",
        "late",
        "submitted",
        "returned",
        "accepted",
        "draft",
        "nil",
    )
    LABELS = {
        "missing": "Chưa nộp",
        "late": "Quá hạn",
        "submitted": "Đã nộp",
        "returned": "Bị trả lại",
        "accepted": "Đã tiếp nhận",
        "nil": "Không phát sinh",
    }

    def __init__(self, state: OrgState | None, due_date: date, on: date, *, nil: OrgState | None = None):
        """`nil`: the organisation's counted nil return, if any; a real submission counted the same day wins."""
        is_nil = state is None and nil is not None
        state = state or nil
        self.submitted_at = state.first_sent_at if state else None
        sent = state is not None
        if state is None:
            self.code = self.LATE if on > due_date else self.MISSING
        elif is_nil:
            self.code = self.NIL
        else:
            self.code = {"returned": self.RETURNED, "accepted": self.ACCEPTED}.get(state.status, self.SUBMITTED)
        self.sent = sent
        sent_day = timeline.local_day(self.submitted_at)
        self.days_late = (sent_day - due_date).days if sent_day else 0
        self.sent_late = self.days_late > 0

    @property
    def label(self) -> str:
        return self.LABELS[self.code]

    @property
    def owes(self) -> bool:
        """Still to be reminded: nothing counted yet."""
        return not self.sent


def deadline_cells(deadline: Deadline, organization_ids: list[int], on: date) -> dict[int, Standing]:
    """Each organisation's Standing at the end of `on`. One query (two when the kind allows nil returns)."""
    kind = obligation(deadline.kind)
    states = timeline.states_on(kind.submissions(deadline), on, organization_ids)
    nil = (
        timeline.states_on(NilReturn.objects.filter(deadline=deadline), on, organization_ids) if kind.allows_nil else {}
    )
    return {
        org_id: Standing(states.get(org_id), deadline.due_date, on, nil=nil.get(org_id)) for org_id in organization_ids
    }


@dataclass
class DeadlineFigures:
    """The answer to "who owed this deadline on D, and who had sent it by then", with the counts behind x/y."""

    deadline: Deadline
    on: date
    organizations: list[BaseOrganization]  # the expected organisations, in Vietnamese order
    standings: dict[int, "Standing"]  # organization id → Standing
    sent: int = 0
    sent_late: int = 0
    returned: int = 0
    accepted: int = 0
    nil_returns: int = 0  # of `sent`: answered "Không phát sinh"
    owing: list[BaseOrganization] = field(default_factory=list)  # expected, nothing counted yet
    to_chase: list[BaseOrganization] = field(default_factory=list)  # of those, the ones still active on D

    @property
    def expected(self) -> int:
        return len(self.organizations)

    @property
    def ratio_label(self) -> str:
        return f"{self.sent}/{self.expected}"

    @property
    def is_past(self) -> bool:
        return self.on > self.deadline.due_date

    @property
    def no_longer_active(self) -> list[BaseOrganization]:
        """Owing, but dissolved or merged since: counted in y, not chased."""
        chased = {o.pk for o in self.to_chase}
        return [o for o in self.owing if o.pk not in chased]


def deadline_figures(
    deadline: Deadline, on: date, *, sector: str = "", organizations: QuerySet[BaseOrganization] | None = None
) -> DeadlineFigures:
    """Everything about one deadline on `on`. Two queries whatever the number of organisations. `organizations`
    restricts the expected set (e.g. to what a user may see); `sector` to one sector."""
    expected = expected_organizations(deadline, on)
    if organizations is not None:
        expected = expected.filter(pk__in=organizations.values("pk"))
    if sector:
        expected = expected.filter(sector=sector)
    # Each organisation carries `name_on_date`, the name it bore on `on` (a renamed one keeps its old name in
    # figures and documents of before).
    rows = list(history.with_name_on(expected, on).order_by("sort_key", "code"))
    standings = deadline_cells(deadline, [o.pk for o in rows], on)
    return _fold_figures(deadline, on, rows, standings)


def days_late(submission: Submission, deadline: Deadline | None) -> int:
    """How many days after the deadline the submission was first sent (0: on time, not sent, or no deadline),
    read from its timeline as every figure is. Shown where staff review it ("nộp muộn N ngày")."""
    if deadline is None:
        return 0
    first = timeline.first_sent_at(submission)
    return max((timeline.local_day(first) - deadline.due_date).days, 0) if first else 0


def figures_for(
    deadline_list: Iterable[Deadline], on: date, *, sector: str = "", organizations: QuerySet[Any] | None = None
) -> dict[int, DeadlineFigures]:
    """deadline_figures for many deadlines at once, {deadline id: DeadlineFigures}, in at most four queries
    whatever the number of deadlines and organisations (tests/submissions/test_figures_for_agrees.py holds the
    two to the same answer):
    1. every organisation active on one of the deadlines' reference points, with its name on `on`;
    2. the chosen lists of the deadlines for chosen units (none when `.chosen` was prefetched, as
       notifications.selectors._deadlines_with_audience does);
    3. for kinds that narrow who owes them, what each distinct narrowing keeps, as one UNION ALL;
    4. the counted submissions and nil returns of every deadline, as one UNION ALL (timeline.states_on_many)."""
    deadline_list = list(deadline_list)
    if not deadline_list:
        return {}
    points = {reference_point(d, on) for d in deadline_list}
    active_on_a_point = Q()
    for point in points:
        active_on_a_point |= Q(valid_from__lte=point) & (Q(valid_to__isnull=True) | Q(valid_to__gte=point))
    candidates = BaseOrganization.objects.filter(active_on_a_point)
    if organizations is not None:
        candidates = candidates.filter(pk__in=organizations.values("pk"))
    if sector:
        candidates = candidates.filter(sector=sector)
    rows = list(history.with_name_on(candidates, on).order_by("sort_key", "code"))  # query 1

    chosen: dict[int, set[int]] = {}
    unfetched = [d.pk for d in deadline_list if d.audience == Audience.CHOSEN and not hasattr(d, "chosen")]
    for d in deadline_list:
        if d.audience == Audience.CHOSEN and hasattr(d, "chosen"):
            chosen[d.pk] = {o.pk for o in d.chosen}
    if unfetched:  # query 2
        through = Deadline.organizations.through
        for deadline_id, organization_id in through.objects.filter(deadline_id__in=unfetched).values_list(
            "deadline_id", "baseorganization_id"
        ):
            chosen.setdefault(deadline_id, set()).add(organization_id)

    # What each narrowing kind keeps of all organisations (the dates and chosen lists are applied to `rows`
    # below: a narrowing is a filter), one part per distinct question: the mid-year and year-end evaluations of
    # a campaign both ask for its organisations with a model accepted by `on`, read once.
    everyone = BaseOrganization.objects.all()
    distinct: dict[tuple[str, str], tuple[QuerySet[Any], list[int]]] = {}
    for d in deadline_list:
        if (kind := _REGISTRY.get(d.kind)) and kind.expected:
            narrowing = kind.expected(d, everyone, on).order_by().values_list("pk", flat=True)
            sql, params = narrowing.query.sql_with_params()
            distinct.setdefault((sql, repr(params)), (narrowing, []))[1].append(d.pk)
    narrowed: dict[int, set[int]] = {}
    if distinct:  # query 3
        parts = [
            narrowing.annotate(part=Value(index, output_field=IntegerField())).values_list("pk", "part")
            for index, (narrowing, _ids) in enumerate(distinct.values())
        ]
        sets: dict[int, set[int]] = {index: set() for index in range(len(parts))}
        for organization_id, index in parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]:
            sets[index].add(organization_id)
        for index, (_narrowing, deadline_ids) in enumerate(distinct.values()):
            for deadline_id in deadline_ids:
                narrowed[deadline_id] = sets[index]

    querysets = {}
    for d in deadline_list:
        kind = obligation(d.kind)
        querysets[d.pk] = kind.submissions(d)
        if kind.allows_nil:
            querysets[-d.pk] = NilReturn.objects.filter(deadline=d)
    if organizations is not None:  # a page of the matrix: read only those organisations' submissions
        querysets = {key: qs.filter(organization_id__in=organizations.values("pk")) for key, qs in querysets.items()}
    states = timeline.states_on_many(querysets, on)  # query 4

    result = {}
    for d in deadline_list:
        point = reference_point(d, on)
        kind = obligation(d.kind)
        expected = [o for o in rows if o.is_active_on(point)]
        if d.audience == Audience.CHOSEN:
            expected = [o for o in expected if o.pk in chosen.get(d.pk, set())]
        if kind.expected:
            expected = [o for o in expected if o.pk in narrowed.get(d.pk, set())]
        submitted, nil = states[d.pk], states.get(-d.pk, {})
        standings = {o.pk: Standing(submitted.get(o.pk), d.due_date, on, nil=nil.get(o.pk)) for o in expected}
        result[d.pk] = _fold_figures(d, on, expected, standings)
    return result


def _fold_figures(
    deadline: Deadline, on: date, rows: list[BaseOrganization], standings: dict[int, Standing]
) -> DeadlineFigures:
    figures = DeadlineFigures(deadline=deadline, on=on, organizations=rows, standings=standings)
    for organization in rows:
        standing = standings[organization.pk]
        if standing.owes:
            figures.owing.append(organization)
            if organization.is_active_on(on):
                figures.to_chase.append(organization)
        else:
            figures.sent += 1
            figures.sent_late += standing.sent_late
            figures.returned += standing.code == Standing.RETURNED
            figures.accepted += standing.code == Standing.ACCEPTED
            figures.nil_returns += standing.code == Standing.NIL
    return figures


# --- Counts and lists without a row per organisation ------------------------------------------------------------
#
# figures_for builds a Standing per expected organisation and deadline (6,000 at 1,000 organisations and seven
# open deadlines) to print seven x/y and the first 100 names of each list: the tracking page and the dashboard
# spent most of their time there (bench/README.md, "Statistics and cache", branch trackdash). counts_for and
# owing_for answer the same question in SQL, each deadline's expected organisations LEFT JOINed to its counted
# submissions folded per organisation (one scan of the deadline's submissions), and return only counts and the
# rows a page shows.


@dataclass(frozen=True)
class DeadlineCounts:
    """The counts of DeadlineFigures, without its organisations (counts_for)."""

    expected: int = 0
    sent: int = 0
    sent_late: int = 0
    returned: int = 0
    accepted: int = 0
    nil_returns: int = 0  # of `sent`: answered "Không phát sinh"
    owing: int = 0  # expected, nothing counted yet
    to_chase: int = 0  # of those, the ones still active on the reference date


def _active_on(day: date) -> Q:
    """BaseOrganization.is_active_on, as a filter."""
    return Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gte=day))


def _folded(queryset: QuerySet[Any], on: date, due_date: date) -> tuple[str, tuple[Any, ...]]:
    """SQL of `queryset`'s submissions counted at the end of `on`, folded per organisation as timeline._fold
    folds them: (org: the organisation's id, accepted: how many were accepted on `on`, not_returned: how many were not
    returned then, on_time: how many were first sent by the due day). Each row's status on `on` is computed once,
    in an inner query the planner may not flatten (OFFSET 0): written as three COUNT(…) FILTER of the ORM's
    `status_on`, the CASE and its correlated subquery on the events were copied into each count — three SubPlans
    per deadline, planned for every one (a statement's planning took 70–85 ms for 7 deadlines, more than its
    execution at 74 organisations: bench/README.md, branch dashtrack)."""
    counted = timeline.counted_on(queryset.filter(organization_id__isnull=False).order_by(), on)
    inner_sql, inner_params = (
        counted.annotate(f_org=F("organization_id"), f_from=F("counted_from"))
        .values_list("f_org", "status_on", "f_from")
        .order_by()
        .query.sql_with_params()
    )
    fence = " OFFSET 0" if connection.vendor == "postgresql" else ""
    sql = (
        "SELECT f.f_org AS org, SUM(CASE WHEN f.status_on = %s THEN 1 ELSE 0 END) AS accepted, "
        "SUM(CASE WHEN f.status_on IS NULL OR f.status_on <> %s THEN 1 ELSE 0 END) AS not_returned, "
        "SUM(CASE WHEN f.f_from < %s THEN 1 ELSE 0 END) AS on_time "
        f"FROM ({inner_sql}{fence}) f GROUP BY f.f_org"
    )
    params = (
        SubmissionStatus.ACCEPTED,
        SubmissionStatus.RETURNED,
        timeline.end_of(due_date),
        *inner_params,
    )
    return sql, params


def _narrowing_ctes(deadline_list: list[Deadline], on: date) -> tuple[list[tuple[str, list[Any]]], dict[int, str]]:
    """What each distinct narrowing keeps of all organisations, as CTEs `nw0(id)`, `nw1(id)`…: the mid-year and
    year-end evaluations of a campaign ask the same question (its organisations with a model accepted by `on`),
    read once per statement and hashed by the deadlines that use it. Inline, each evaluation deadline of each
    query probed the campaign's registrations once per organisation (a nested loop of 1,000 index probes,
    3,000 buffers at 1,000 organisations: bench/README.md, branch dashtrack); the CTE still does, once. A
    narrowing is a filter of the organisations (figures_for applies it the same way). Returns
    ([(cte sql, params)], {deadline id: cte name})."""
    everyone = BaseOrganization.objects.all()
    ctes: dict[tuple[str, str], tuple[str, str, list[Any]]] = {}
    names: dict[int, str] = {}
    for d in deadline_list:
        if (kind := _REGISTRY.get(d.kind)) and kind.expected:
            sql, params = kind.expected(d, everyone, on).order_by().values_list("pk", flat=True).query.sql_with_params()
            name = f"nw{len(ctes)}"
            _name, _sql, _params = ctes.setdefault((str(sql), repr(params)), (name, str(sql), list(params)))
            names[d.pk] = _name
    return [(f"{name}(id) AS MATERIALIZED ({sql})", params) for name, sql, params in ctes.values()], names


def _joined(
    deadline: Deadline, on: date, organizations: QuerySet[Any] | None, narrowed_by: str | None
) -> tuple[str, list[Any], str]:
    """FROM clause for one deadline: its expected organisations `o` (org: the id, active: 1 if active on `on`,
    by_name and by_code: the sort key and code) LEFT JOINed to its folded counted submissions `s` and, for a kind
    that allows them, nil returns `n`. The expected set is expected_organizations' rule with the kind's
    narrowing read from the CTE `narrowed_by` (_narrowing_ctes). Returns (sql, params, the nil returns'
    organisation column, "NULL" without them)."""
    kind = obligation(deadline.kind)
    point = reference_point(deadline, on)
    expected = BaseOrganization.objects.active_on(point)
    if deadline.audience == Audience.CHOSEN:
        expected = expected.filter(pk__in=deadline.organizations.values("pk"))
    if organizations is not None:
        expected = expected.filter(pk__in=organizations.values("pk"))
    expected_sql, expected_params = (
        expected.order_by()
        .annotate(
            org=F("pk"),
            active=Case(When(_active_on(on), then=Value(1)), default=Value(0), output_field=IntegerField()),
            by_name=F("sort_key"),
            by_code=F("code"),
        )
        .values_list("org", "active", "by_name", "by_code")
        .query.sql_with_params()
    )
    if narrowed_by is not None:
        expected_sql = f"SELECT * FROM ({expected_sql}) e WHERE e.org IN (SELECT id FROM {narrowed_by})"
    real_sql, real_params = _folded(kind.submissions(deadline), on, deadline.due_date)
    sql = f"({expected_sql}) o LEFT JOIN ({real_sql}) s ON s.org = o.org"
    params = [*expected_params, *real_params]
    if not kind.allows_nil:
        return sql, params, "NULL"
    nil_sql, nil_params = _folded(NilReturn.objects.filter(deadline=deadline), on, deadline.due_date)
    return f"{sql} LEFT JOIN ({nil_sql}) n ON n.org = o.org", [*params, *nil_params], "n.org"


_Lists = dict[int, tuple[list[BaseOrganization], list[BaseOrganization]]]


def counts_for(
    deadline_list: Iterable[Deadline], on: date, *, organizations: QuerySet[Any] | None = None
) -> dict[int, DeadlineCounts]:
    """figures_for's counts, {deadline id: DeadlineCounts}, in ONE query (a UNION ALL of one aggregate per
    deadline) whatever the number of deadlines and organisations, with no row per organisation leaving the
    database. Each organisation is folded as figures_for folds it (tests/submissions/test_figures_for_agrees.py
    holds the two together): sent with a counted submission or else a counted nil return (nil_returns: the
    latter); accepted when one of its counted submissions was accepted on `on` (the most advanced status wins),
    returned when all of them were returned then; sent late when its first counted sending (the submission's,
    else the nil return's) came after the due day."""
    counts, _lists = _run(list(deadline_list), on, organizations=organizations, counts=True, limit=None, lists=False)
    return counts


def owing_for(deadline_list: Iterable[Deadline], on: date, *, limit: int | None = None) -> _Lists:
    """figures_for's lists, {deadline id: (to chase, no longer active)}: the expected organisations with nothing
    counted at the end of `on`, still active on `on` (to chase: the first `limit` of them in Vietnamese order,
    all without a limit) or dissolved or merged by then (all of them), in Vietnamese order, each with its name
    on `on` (`name_on_date`). Two queries whatever the number of deadlines (one when nobody owes anything): the
    ids (a UNION ALL; the rank in each list is taken in SQL, so only the rows shown leave the database), then
    those organisations."""
    _counts, lists = _run(list(deadline_list), on, organizations=None, counts=False, limit=limit, lists=True)
    return lists


def counts_and_owing(
    deadline_list: Iterable[Deadline], on: date, *, limit: int | None = None
) -> tuple[dict[int, DeadlineCounts], _Lists]:
    """counts_for and owing_for together (the tracking page) in two queries whatever the number of deadlines
    (one when nobody owes anything): the counts and the ids listed in ONE statement, each deadline's expected
    organisations joined to its submissions once (a MATERIALIZED CTE read by its aggregate and by its ranked
    list), then the organisations listed."""
    return _run(list(deadline_list), on, organizations=None, counts=True, limit=limit, lists=True)


_COUNTS = (
    "COUNT(*), "
    "SUM(CASE WHEN s_org IS NOT NULL THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN s_org IS NOT NULL OR n_org IS NOT NULL THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN s_on_time > 0 THEN 1 WHEN s_org IS NULL AND n_on_time > 0 THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN s_not_returned = 0 THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN s_accepted > 0 THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN s_org IS NULL AND n_org IS NULL AND active = 1 THEN 1 ELSE 0 END)"
)


def _run(
    deadline_list: list[Deadline],
    on: date,
    *,
    organizations: QuerySet[Any] | None,
    counts: bool,
    limit: int | None,
    lists: bool,
) -> tuple[dict[int, DeadlineCounts], _Lists]:
    """One statement: the narrowing CTEs, then per deadline its joined rows `j<i>` (a CTE, MATERIALIZED when
    both its counts and its list read it), then a UNION ALL of rows (deadline id, part, nine values): part 0
    the counts, part 1 an organisation listed (id, 1 if still active on `on`)."""
    result: dict[int, DeadlineCounts] = {d.pk: DeadlineCounts() for d in deadline_list}
    listed: _Lists = {d.pk: ([], []) for d in deadline_list}
    if not deadline_list:
        return result, listed
    ctes, narrowed = _narrowing_ctes(deadline_list, on)
    with_parts = [sql for sql, _params in ctes]
    params: list[Any] = [p for _sql, cte_params in ctes for p in cte_params]
    selects: list[str] = []
    select_params: list[Any] = []
    materialized = "MATERIALIZED " if counts and lists else ""
    for index, d in enumerate(deadline_list):
        sql, joined_params, nil = _joined(d, on, organizations, narrowed.get(d.pk))
        # Typed NULLs: a bare NULL column of a CTE is text on PostgreSQL, and `n_on_time > 0` would not compile.
        nil_org, nil_on_time = (nil, "n.on_time") if nil != "NULL" else ("CAST(NULL AS INTEGER)",) * 2
        with_parts.append(
            f"j{index} AS {materialized}(SELECT o.org AS org, o.active AS active, o.by_name AS by_name, "
            "o.by_code AS by_code, s.org AS s_org, s.accepted AS s_accepted, s.not_returned AS s_not_returned, "
            f"s.on_time AS s_on_time, {nil_org} AS n_org, {nil_on_time} AS n_on_time FROM {sql})"
        )
        params += joined_params
        if counts:
            selects.append(f"SELECT %s, 0, {_COUNTS} FROM j{index}")
            select_params.append(d.pk)
        if lists:
            ranked = (
                "SELECT org, active, ROW_NUMBER() OVER (PARTITION BY active ORDER BY by_name, by_code) AS rank "
                f"FROM j{index} WHERE s_org IS NULL AND n_org IS NULL"
            )
            shown = "" if limit is None else " WHERE r.active = 0 OR r.rank <= %s"
            selects.append(f"SELECT %s, 1, r.org, r.active, NULL, NULL, NULL, NULL, NULL FROM ({ranked}) r{shown}")
            select_params += [d.pk, *([] if limit is None else [limit])]
    statement = f"WITH {', '.join(with_parts)} {' UNION ALL '.join(selects)}"
    ids: dict[int, tuple[set[int], set[int]]] = {d.pk: (set(), set()) for d in deadline_list}
    with connection.cursor() as cursor:
        cursor.execute(statement, [*params, *select_params])
        for deadline_id, part, *values in cursor.fetchall():
            if part == 1:
                organization_id, active = values[:2]
                ids[deadline_id][0 if active else 1].add(organization_id)
                continue
            expected, real, sent, on_time, returned, accepted, to_chase = values[:7]
            real, sent, on_time = real or 0, sent or 0, on_time or 0
            result[deadline_id] = DeadlineCounts(
                expected=expected,
                sent=sent,
                sent_late=sent - on_time,
                returned=returned or 0,
                accepted=accepted or 0,
                nil_returns=sent - real,
                owing=expected - sent,
                to_chase=to_chase or 0,
            )
    if lists:
        _read_listed(ids, on, listed)
    return result, listed


def _read_listed(ids: dict[int, tuple[set[int], set[int]]], on: date, result: _Lists) -> None:
    """The organisations listed, with their names on `on`, in Vietnamese order (one query, none if nobody)."""
    wanted = set().union(*(chased | gone for chased, gone in ids.values()))
    if not wanted:
        return
    for organization in history.with_name_on(BaseOrganization.objects.filter(pk__in=wanted), on).order_by(
        "sort_key", "code"
    ):
        for deadline_id, (chased, gone) in ids.items():
            if organization.pk in chased:
                result[deadline_id][0].append(organization)
            elif organization.pk in gone:
                result[deadline_id][1].append(organization)
