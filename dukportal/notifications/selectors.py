"""Reads for deadline tracking, the compliance matrix, reminders and notifications.

Everything here is generic over the obligations registered in dukportal.submissions.deadlines: no kind is
named. Each deadline costs one query (its obligation's `states`), whatever the number of organisations."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Exists, IntegerField, Max, OuterRef, Prefetch, Q, QuerySet, Value
from django.utils import timezone

from dukportal.core import links, prepared
from dukportal.submissions import deadlines, timeline
from dukportal.submissions.deadlines import Standing
from dukportal.submissions.models import Audience, Deadline, NilReturn
from organizations import access
from organizations.models import BaseOrganization, Role, User
from organizations.selectors import scope_key

from .models import JobStatus, Notification, Reminder, ReminderJob, ReminderKind

# The tracking page keeps a deadline for this many days after it passed, the time late notices go out.
TRACKING_DAYS_AFTER = 30
# The tracking page lists the first 20 organisations to chase of each deadline (Vietnamese order; all with
# ?tat_ca=1), as the QCDC statistics list 20 an item: with the counts of all, staff chase the first ones by
# phone. 100 a deadline was 500 rows and 112 KiB with five open deadlines at 1,000 organisations against 68 KiB
# at 74 (bench/README.md, branch dashtrack).
TRACKING_ROWS = 20


def registered_kinds() -> list[str]:
    return [obligation.kind for obligation in deadlines.obligations()]


def _label(deadline: Deadline) -> str:
    return deadlines.obligation(deadline.kind).label


def _column_order(deadline: Deadline) -> tuple:
    return (deadlines.obligation(deadline.kind).order, deadline.due_date, deadline.pk)


def _deadlines_with_audience(queryset: QuerySet) -> list[Deadline]:
    """Deadlines of registered kinds, each with its chosen list prefetched (ids only), in column order."""
    rows = queryset.filter(kind__in=registered_kinds()).prefetch_related(
        Prefetch("organizations", queryset=BaseOrganization.objects.only("pk"), to_attr="chosen")
    )
    return sorted(rows, key=_column_order)


def expects(deadline: Deadline, organization: BaseOrganization, on: date) -> bool:
    """deadlines.expected_organizations, answered in Python for one organisation (the chosen list must have
    been prefetched by _deadlines_with_audience) so a matrix costs no query per column for it. Same rule, step
    by step: a chosen list first (∩ active), then the kind's own narrowing (asked of the shared layer itself,
    once per deadline and day), else active on min(D, due date). tests/notifications/test_expected_agrees.py
    compares the two on every rule for several dates."""
    point = deadlines.reference_point(deadline, on)
    if deadline.audience == Audience.CHOSEN and not any(chosen.pk == organization.pk for chosen in deadline.chosen):
        return False
    kind = deadlines.obligation(deadline.kind)
    if kind.expected is not None:  # the kind narrows who owes it: one query per deadline, kept on the object
        if getattr(deadline, "expected_on", None) != on:
            deadline.expected_ids = set(deadlines.expected_organizations(deadline, on).values_list("pk", flat=True))
            deadline.expected_on = on
        return organization.pk in deadline.expected_ids
    return organization.is_active_on(point)


def days_left_label(due_date: date, today: date) -> str:
    days = (due_date - today).days
    if days > 0:
        return f"Còn {days} ngày"
    if days == 0:
        return "Hôm nay là hạn cuối"
    return f"Quá hạn {-days} ngày"


def contact_of(organization: BaseOrganization) -> str:
    """Who to call: the officer in charge of dân vận work, else the secretary."""
    if organization.danvan_officer_name:
        return organization.danvan_officer_name
    if organization.secretary_name:
        return f"{organization.secretary_name} (bí thư)"
    return ""


# --- Who owes what --------------------------------------------------------------------------------------------


def owing_organizations(deadline: Deadline, day: date, *, sector: str = "") -> list[BaseOrganization]:
    """Organisations to chase for the deadline on `day`: expected, still active, nothing counted. Two queries."""
    return deadlines.deadline_figures(deadline, day, sector=sector).to_chase


def reminder_kind_on(deadline: Deadline, day: date) -> str | None:
    """Which automatic reminder `day` is for this deadline, if any (settings REMINDER_DAYS_BEFORE/AFTER)."""
    days_before = (deadline.due_date - day).days
    if days_before == 0:
        return ReminderKind.DUE
    if days_before > 0 and days_before in settings.REMINDER_DAYS_BEFORE:
        return ReminderKind.BEFORE
    if days_before < 0 and -days_before in settings.REMINDER_DAYS_AFTER:
        return ReminderKind.LATE
    return None


def reminders_due(day: date) -> list[tuple[Deadline, str, list[int]]]:
    """The daily job's work for `day`: (deadline, reminder kind, ids of the organisations still owing)."""
    offsets = {0} | {n for n in settings.REMINDER_DAYS_BEFORE if n > 0} | {-n for n in settings.REMINDER_DAYS_AFTER}
    due_dates = [day + timedelta(days=n) for n in offsets]
    work = []
    for deadline in not_closed_on(day).filter(due_date__in=due_dates, kind__in=registered_kinds()).order_by("pk"):
        kind = reminder_kind_on(deadline, day)
        owing = owing_organizations(deadline, day)
        if kind and owing:
            work.append((deadline, kind, [o.pk for o in owing]))
    return work


def reminder_recipients(organization: BaseOrganization) -> tuple[list[User], list[str]]:
    """The organisation's active officer accounts, and the e-mail addresses to write to: officers who have
    one, and the organisation's own address (each address once)."""
    return reminder_recipients_of([organization])[organization.pk]


def reminder_recipients_of(organizations) -> dict[int, tuple[list[User], list[str]]]:
    """reminder_recipients for many organisations in one query: {organisation id: (officers, addresses)}."""
    officers: dict[int, list[User]] = {organization.pk: [] for organization in organizations}
    for user in User.objects.filter(organization__in=list(officers), role=Role.OFFICER, is_active=True).order_by("pk"):
        officers[user.organization_id].append(user)
    result = {}
    for organization in organizations:
        addresses: list[str] = []
        for address in [u.email for u in officers[organization.pk]] + [organization.email]:
            if address and address.lower() not in {a.lower() for a in addresses}:
                addresses.append(address)
        result[organization.pk] = (officers[organization.pk], addresses)
    return result


# --- Tracking page --------------------------------------------------------------------------------------------


@dataclass
class OwingOrganization:
    organization: BaseOrganization
    last_reminded: datetime | None = None  # the latest reminder of this deadline, if any

    @property
    def contact(self) -> str:
        return contact_of(self.organization)


@dataclass
class DeadlineProgress:
    deadline: Deadline
    label: str
    today: date
    expected: int = 0
    sent: int = 0
    sent_late: int = 0
    returned: int = 0
    accepted: int = 0
    nil_returns: int = 0  # of `sent`: answered "Không phát sinh"
    owing: list = field(default_factory=list)  # [OwingOrganization]: to chase (expected, not sent, still active)
    no_longer_active: list = field(default_factory=list)  # owed it, not sent, dissolved or merged since: not chased
    # How many to chase in all, when `owing` holds only the first of them (deadline_progress(shown=N)).
    chase_total: int | None = None

    @property
    def to_chase(self) -> int:
        """How many organisations to chase (the length of `owing` unless it holds only the rows shown)."""
        return len(self.owing) if self.chase_total is None else self.chase_total

    @property
    def is_past(self) -> bool:
        return self.today > self.deadline.due_date

    @property
    def ratio_label(self) -> str:
        return f"{self.sent}/{self.expected}"

    @property
    def missing(self) -> int:
        """Not sent, deadline not passed yet."""
        return 0 if self.is_past else self.to_chase

    @property
    def late(self) -> int:
        """Not sent, deadline passed."""
        return self.to_chase if self.is_past else 0

    @property
    def percent(self) -> int:
        return round(100 * self.sent / self.expected) if self.expected else 100

    @property
    def days_left(self) -> int:
        return (self.deadline.due_date - self.today).days

    @property
    def days_left_label(self) -> str:
        return days_left_label(self.deadline.due_date, self.today)


def not_closed_on(day: date) -> QuerySet:
    """Deadlines staff had not closed by the end of `day`."""
    return Deadline.objects.filter(Q(closed_at__isnull=True) | Q(closed_at__gte=timeline.end_of(day)))


def open_deadlines(today: date) -> list[Deadline]:
    """Deadlines not closed by staff on `today`: all of them, whatever their age; deadline_progress leaves out
    those passed more than TRACKING_DAYS_AFTER days ago that nobody owes any more."""
    return _deadlines_with_audience(not_closed_on(today))


def is_recent(deadline: Deadline, today: date) -> bool:
    """Not passed yet, or passed at most TRACKING_DAYS_AFTER days ago: shown even when everyone has sent."""
    return deadline.due_date >= today - timedelta(days=TRACKING_DAYS_AFTER)


def deadline_progress(user, *, today: date, shown: int | None = None) -> list[DeadlineProgress]:
    """Every deadline open on `today` (any reference date: the tracking page passes the one asked for, the
    dashboard today) — not closed by staff, and either recent or still owed by someone, however long ago it
    fell due — with the figures of deadlines.deadline_figures for that day and the organisations to chase:
    all of them, or with `shown` only the first `shown` in Vietnamese order (`chase_total` says how many in
    all; 0: counts only, as the dashboard prints). The figures are counted in SQL (deadlines.counts_for) and
    only the organisations listed are read (deadlines.owing_for), so the cost does not grow with the number
    of organisations to chase. Queries: 2 for the deadlines, 1 for the counts of all of them (with `shown`
    other than 0, the same statement gives the ids of the organisations listed: deadlines.counts_and_owing)
    and, when some are listed, 1 for them and 1 for their last reminders up to that day — whatever the number
    of deadlines and organisations."""
    if not access.reads_everything(user):
        return []
    result = []
    open_now = sorted(open_deadlines(today), key=lambda d: (d.due_date, _column_order(d)))
    if shown == 0:
        all_counts, lists = deadlines.counts_for(open_now, today), {}
    else:  # a deadline left out below owes nothing: it has no one listed either
        all_counts, lists = deadlines.counts_and_owing(open_now, today, limit=shown)
    for deadline in open_now:
        counts = all_counts[deadline.pk]
        if not is_recent(deadline, today) and not counts.owing:
            continue  # long past and everyone expected has sent: done
        result.append(
            DeadlineProgress(
                deadline=deadline,
                label=_label(deadline),
                today=today,
                expected=counts.expected,
                sent=counts.sent,
                sent_late=counts.sent_late,
                returned=counts.returned,
                accepted=counts.accepted,
                nil_returns=counts.nil_returns,
                chase_total=None if shown is None else counts.to_chase,
            )
        )
    if shown == 0 or not result:
        return result
    for progress in result:
        to_chase, progress.no_longer_active = lists[progress.deadline.pk]
        progress.owing = [OwingOrganization(organization) for organization in to_chase]
    listed = {owing.organization.pk for progress in result for owing in progress.owing}
    if not listed:
        return result
    last = {
        (row["organization_id"], row["deadline_id"]): row["last"]
        for row in Reminder.objects.filter(
            deadline__in=[p.deadline for p in result], organization__in=listed, day__lte=today
        )
        .values("organization_id", "deadline_id")
        .annotate(last=Max("created_at"))
        .order_by()
    }
    for progress in result:
        for owing in progress.owing:
            owing.last_reminded = last.get((owing.organization.pk, progress.deadline.pk))
    return result


def recent_jobs(limit: int = 10) -> list[ReminderJob]:
    return list(ReminderJob.objects.select_related("deadline", "requested_by")[:limit])


def jobs_pending(jobs: list[ReminderJob]) -> bool:
    """Whether the page should keep polling for results."""
    return any(job.status in (JobStatus.QUEUED, JobStatus.RUNNING) for job in jobs)


# --- Compliance matrix ----------------------------------------------------------------------------------------


@dataclass
class MatrixColumn:
    deadline: Deadline
    label: str
    expected: int = 0
    sent: int = 0
    to_chase: int = 0  # owing and still active on the reference date: who "Nhắc" would remind
    nil_returns: int = 0  # of `sent`: answered "Không phát sinh"

    @property
    def owing(self) -> int:
        return self.expected - self.sent

    @property
    def ratio_label(self) -> str:
        return f"{self.sent}/{self.expected}"


@dataclass
class MatrixRow:
    organization: BaseOrganization
    cells: list  # one Standing per column, or None when the organisation did not owe that deadline on the date
    active: bool = True  # active on the reference date; False: dissolved or merged by then (shown, not chased)


@dataclass
class ComplianceMatrix:
    year: int
    sector: str
    on: date  # the reference date ("Số liệu tính đến ngày")
    columns: list  # MatrixColumn, their x/y over ALL the matrix's organisations (the totals row)
    rows: list  # MatrixRow: the page's organisations (all of them without a page)
    page: object = None  # the Paginator page shown, or None when every row is (the Excel export)
    organizations: int = 0  # how many organisations the matrix covers, over all pages

    @property
    def first_number(self) -> int:
        """STT of the first row shown (rows keep their number across pages)."""
        return self.page.start_index() if self.page is not None else 1


# Rows of the matrix per page (?trang=); the totals row always counts every organisation.
MATRIX_PAGE_SIZE = 100


def _counted_in(queryset: QuerySet, on: date) -> Q:
    """The organisation has a submission of `queryset` counted at the end of `on`. An uncorrelated IN (the
    counted submissions' organisations, computed once and hashed), not an EXISTS per organisation: at 1,000
    organisations the correlated form re-ran the timeline subqueries for each one (bench/statistics_cache.py).
    NULL organisations (bloc-level registrations) are left out, or NOT IN would be unknown for everyone."""
    counted = timeline.counted_on(queryset.filter(organization_id__isnull=False).order_by(), on)
    return Q(pk__in=counted.values("organization_id"))


def matrix_totals(
    deadline_list: list[Deadline], organizations: QuerySet, on: date, *, key: tuple | None = None
) -> dict[int, dict]:
    """Each column's totals over `organizations`, counted in SQL: {deadline id: {expected, sent, nil_returns,
    to_chase}} — one aggregate per deadline, all in ONE query (UNION ALL), whatever the number of
    organisations. The same rule as deadlines.deadline_figures (expected_organizations; counted by the
    timeline; a real submission wins over a nil return; to chase: owing and still active on `on`).

    With `key` (naming what `organizations` depends on: compliance_matrix's scope, year and sector), the SQL is
    compiled once per process for the key, the day and the columns (dukportal.core.prepared.keyed_rows): building
    the UNION with the ORM cost ~0.1 s of CPU a request at 7 columns, running it a fraction of that."""
    if not deadline_list:
        return {}

    def build() -> QuerySet:
        parts = []
        for deadline in deadline_list:
            kind = deadlines.obligation(deadline.kind)
            real = _counted_in(kind.submissions(deadline), on)
            active = Q(valid_from__lte=on) & (Q(valid_to__isnull=True) | Q(valid_to__gte=on))
            if kind.allows_nil:
                nil = _counted_in(NilReturn.objects.filter(deadline=deadline), on)
                counts = {
                    "sent": Count("pk", filter=real | nil),
                    "nil_returns": Count("pk", filter=~real & nil),
                    "to_chase": Count("pk", filter=~real & ~nil & active),
                }
            else:
                counts = {
                    "sent": Count("pk", filter=real),
                    "nil_returns": Value(0, output_field=IntegerField()),
                    "to_chase": Count("pk", filter=~real & active),
                }
            parts.append(
                deadlines.expected_organizations(deadline, on)
                .filter(pk__in=organizations.values("pk"))
                .order_by()
                .annotate(column=Value(deadline.pk, output_field=IntegerField()))
                .values("column")
                .annotate(expected=Count("pk"), **counts)
                .values_list("column", "expected", "sent", "nil_returns", "to_chase")
            )
        return parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]

    if key is None:
        rows = list(build())
    else:
        rows = prepared.keyed_rows(("matrix totals", *key, on, *map(_totals_shape, deadline_list)), build)
    totals = {d.pk: {"expected": 0, "sent": 0, "nil_returns": 0, "to_chase": 0} for d in deadline_list}
    for column, expected, sent, nil_returns, to_chase in rows:
        totals[column] = {"expected": expected, "sent": sent, "nil_returns": nil_returns, "to_chase": to_chase}
    return totals


def _totals_shape(deadline: Deadline) -> tuple:
    """What a deadline's part of matrix_totals' SQL depends on besides the day: _shape, and the fields its
    obligation reads to find its submissions (notifications.services._obligation_key)."""
    return (*_shape(deadline), deadline.year, deadline.source_type_id)


def compliance_matrix(
    user, *, year: int, sector: str = "", on: date | None = None, page_number=None, per_page: int = MATRIX_PAGE_SIZE
) -> ComplianceMatrix:
    """One row per base organisation active at some point of the year, one column per deadline of the year,
    each cell the organisation's standing at the end of `on` (default today).
    A cell is None where the organisation did not owe the deadline on `on` (deadlines.expected_organizations),
    so each column's x/y is deadline_figures(deadline, on)'s for the same organisations. With `page_number`
    (the page's ?trang=) only a page of `per_page` rows is built; the columns' totals always count every
    organisation, in SQL (matrix_totals). Queries: a constant number whatever the number of organisations and
    of deadlines (the page's cells come from deadlines.figures_for)."""
    on = on or timezone.localdate()
    organizations = access.organizations_visible_to(user).active_during(year)
    if sector:
        organizations = organizations.filter(sector=sector)
    ordered = organizations.order_by("sort_key", "code")
    page = None
    if page_number is None:
        shown = list(ordered)
        count = len(shown)
    else:
        # The page is of a range, not of the queryset: the matrix pickles into the figures cache.
        count = ordered.count()
        page = Paginator(range(count), per_page).get_page(page_number)
        shown = list(ordered[page.start_index() - 1 : page.end_index()]) if count else []
    columns_of_year = _deadlines_with_audience(Deadline.objects.filter(year=year))
    totals = matrix_totals(columns_of_year, organizations, on, key=(scope_key(user), year, sector))
    figures = deadlines.figures_for(
        columns_of_year, on, organizations=BaseOrganization.objects.filter(pk__in=[o.pk for o in shown])
    )
    columns = [MatrixColumn(deadline, _label(deadline), **totals[deadline.pk]) for deadline in columns_of_year]
    rows = [
        MatrixRow(o, [figures[d.pk].standings.get(o.pk) for d in columns_of_year], o.is_active_on(on)) for o in shown
    ]
    return ComplianceMatrix(year=year, sector=sector, on=on, columns=columns, rows=rows, page=page, organizations=count)


def matrix_years(today: date) -> list[int]:
    years = set(Deadline.objects.order_by().values_list("year", flat=True).distinct()) | {today.year}
    return sorted(years, reverse=True)


# --- One organisation's page ----------------------------------------------------------------------------------


@dataclass
class OwnObligation:
    deadline: Deadline
    label: str
    standing: Standing
    today: date

    @property
    def days_left_label(self) -> str:
        return days_left_label(self.deadline.due_date, self.today)

    @cached_property
    def action_url(self) -> str:
        """The page where the organisation acts on it (its kind says), or "" (the template asks twice)."""
        make = deadlines.obligation(self.deadline.kind).action_url
        return make(self.deadline) if make else ""

    @property
    def nil_url(self) -> str:
        """Where the organisation answers “Không phát sinh”, while it owes a deadline whose kind allows it."""
        if self.standing.owes and deadlines.obligation(self.deadline.kind).allows_nil:
            return links.url_with_pk("submissions:nil_return_create", self.deadline.pk)
        return ""

    @property
    def action_label(self) -> str:
        """One button for the officer's to-do list, worded by where the organisation stands."""
        if self.standing.code == Standing.RETURNED:
            return "Bổ sung hồ sơ bị trả lại"
        return "Lập và gửi hồ sơ" if self.standing.owes else "Xem hồ sơ"


def organization_obligations(organization: BaseOrganization, *, on: date | None = None) -> list[OwnObligation]:
    """What this organisation owed in the year of `on` (default today) and where it stood at the end of that
    day, by the shared rule (the same answer as `expects` and deadlines.deadline_cells, deadline by deadline;
    tests/notifications/test_organization_obligations_batched.py holds them together). At most four queries
    whatever the number of deadlines: the year's deadlines and their chosen lists; for the kinds that narrow who
    owes them, whether this organisation is in each one's expected set (one UNION ALL); its counted submissions
    and nil returns for every deadline it owes (one UNION ALL, as timeline.states_on_many reads them).

    The two UNIONs are the same SQL for every organisation on a day: they are compiled once per process and run
    with the organisation's id (dukportal.core.prepared; building them with the ORM cost 30–40 ms of CPU a
    request, running them about 1 ms)."""
    on = on or timezone.localdate()
    year_deadlines = _own_year_deadlines(organization, on.year)
    owed = [d for d in year_deadlines if _expected_without_narrowing(d, organization, on)]
    narrowing = [d for d in owed if deadlines.obligation(d.kind).expected is not None]
    if narrowing:
        inside = {
            row[0]
            for row in prepared.rows(
                ("own narrowed", on, *map(_shape, narrowing)), _narrowed(narrowing, on), organization.pk
            )
        }
        owed = [d for d in owed if deadlines.obligation(d.kind).expected is None or d.pk in inside]
    states: dict[int, dict[int, timeline.OrgState]] = {}
    if owed:
        rows = prepared.rows(("own states", on, *map(_shape, owed)), _counted(owed, on), organization.pk)
        timeline.fold_states(rows, states)
    result = [
        OwnObligation(
            d,
            _label(d),
            Standing(
                states.get(d.pk, {}).get(organization.pk),
                d.due_date,
                on,
                nil=states.get(-d.pk, {}).get(organization.pk),
            ),
            on,
        )
        for d in owed
    ]
    return sorted(result, key=lambda o: (o.deadline.due_date, o.deadline.pk))


def _own_year_deadlines(organization: BaseOrganization, year: int) -> list[Deadline]:
    """_deadlines_with_audience(the year's deadlines) as `organization` needs them, in one query compiled once per
    process (dukportal.core.prepared): each deadline's `chosen` holds the organisation if it is on the deadline's
    chosen list, nothing else (its only reader here asks whether the organisation is on it), instead of the whole
    list prefetched. tests/notifications/test_own_year_deadlines.py holds the two together."""
    kinds = tuple(registered_kinds())
    through = Deadline.organizations.through

    def build(organization_id: int) -> QuerySet:
        on_list = through.objects.filter(deadline=OuterRef("pk"), baseorganization_id=organization_id)
        return Deadline.objects.filter(year=year, kind__in=kinds).annotate(own_chosen=Exists(on_list))

    rows = prepared.instances(
        ("own year deadlines", year, kinds), Deadline, build, organization.pk, annotations=("own_chosen",)
    )
    for deadline in rows:
        deadline.chosen = [organization] if deadline.own_chosen else []
        del deadline.own_chosen
    return sorted(rows, key=_column_order)


def _shape(deadline: Deadline) -> tuple:
    """What a deadline's part of the organisation's queries depends on, besides the organisation and the day
    (the registered obligation itself too: a kind registered again, in a test, builds other SQL)."""
    obligation = deadlines.obligation(deadline.kind)
    return (deadline.pk, deadline.kind, id(obligation), deadline.source_id, deadline.audience, deadline.due_date)


def _narrowed(owed: list[Deadline], on: date):
    """For prepared.rows: the deadlines (of kinds that narrow who owes them) whose expected set on `on` holds
    the organisation `organization_id`, as rows (deadline id,)."""

    def build(organization_id: int) -> QuerySet:
        parts = [
            deadlines.expected_organizations(d, on)
            .filter(pk=organization_id)
            .order_by()
            .annotate(state_key=Value(d.pk, output_field=IntegerField()))
            .values_list("state_key")
            for d in owed
        ]
        return parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]

    return build


def _counted(owed: list[Deadline], on: date):
    """For prepared.rows: the organisation's counted submissions (key: the deadline id) and nil returns (key:
    minus the deadline id) at the end of `on` (timeline.counted_union, as timeline.states_on_many reads them)."""

    def build(organization_id: int) -> QuerySet:
        querysets = {}
        for d in owed:
            kind = deadlines.obligation(d.kind)
            querysets[d.pk] = kind.submissions(d).filter(organization_id=organization_id)
            if kind.allows_nil:
                querysets[-d.pk] = NilReturn.objects.filter(deadline=d, organization_id=organization_id)
        return timeline.counted_union(querysets, on)

    return build


def _expected_without_narrowing(deadline: Deadline, organization: BaseOrganization, on: date) -> bool:
    """`expects` without the kind's own narrowing (asked by the caller, for all deadlines in one query): on the
    chosen list if the deadline has one (prefetched), and active on min(D, due date)."""
    if deadline.audience == Audience.CHOSEN and not any(chosen.pk == organization.pk for chosen in deadline.chosen):
        return False
    if deadlines.obligation(deadline.kind).expected is not None:
        return True  # expected_organizations applies the chosen list and the activity itself
    return organization.is_active_on(deadlines.reference_point(deadline, on))


def organization_reminders(organization: BaseOrganization, *, limit: int = 30) -> list[Reminder]:
    # The organisation page's: the same SQL for every organisation, compiled once per process.
    return prepared.instances(
        ("organization reminders", limit),
        Reminder,
        lambda pk: Reminder.objects.filter(organization_id=pk)[:limit],
        organization.pk,
        related=("deadline",),
    )


# --- Notifications --------------------------------------------------------------------------------------------


def notifications_of(user) -> QuerySet:
    return Notification.objects.filter(recipient=user)


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
