"""Reads for “Dân vận khéo”: visible registrations, campaign statistics (a fixed number of queries whatever
the number of organisations, years or the reference date), histories.

Every figure here is computed for a reference date D from the submissions' timelines
(dukportal.submissions.timeline: a registration counts from its first sending until it is withdrawn; a return
does not un-send it; drafts never count), never from the status field as it is now. The year-level "x/y" uses
the registration deadline's expected set (dukportal.submissions.deadlines.expected_organizations): y is the
organisations active on the registration due date, or on D if D is earlier; x is those of them with at least
one registration counted on D. Models ("mô hình", Category.fields()) and exemplars ("điển hình",
Category.exemplars()) are counted apart everywhere."""

from dataclasses import dataclass, field
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import (
    Count,
    DateField,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Least
from django.utils import timezone

from dukportal.core import prepared
from dukportal.submissions import deadlines, timeline
from dukportal.submissions.models import Deadline, SubmissionStatus
from organizations import access, history
from organizations.models import BaseOrganization, Sector
from organizations.selectors import scope_key

from . import obligations
from .models import Campaign, Category, Evaluation, EvaluationPeriod, Level, Origin, Rating, Registration


def registrations_visible_to(user) -> QuerySet:
    """Officers see their organisation's registrations; bloc-level ones (no organisation) only readers."""
    return access.scope(Registration.objects.all(), user).select_related("campaign", "organization", "continued_from")


def evaluations_visible_to(user) -> QuerySet:
    return access.scope(Evaluation.objects.all(), user).select_related(
        "registration", "registration__campaign", "organization"
    )


@dataclass
class CategoryRow:
    """One line of the breakdown table: a field (or a kind of exemplar) by level and by origin."""

    category: str
    label: str
    bloc: int = 0
    base: int = 0
    continued: int = 0
    new: int = 0
    commended: int = 0
    replicated: int = 0

    @property
    def total(self) -> int:
        return self.bloc + self.base

    @property
    def is_exemplar(self) -> bool:
        return self.category in Category.exemplars()


@dataclass
class SectorRow:
    """One sector: organisations owing / registered (the x/y of the sector) and what they registered, models
    and exemplars apart. Bloc-level registrations belong to no sector."""

    sector: str
    label: str
    expected: int = 0
    registered: int = 0
    registrations: int = 0
    models: int = 0
    exemplars: int = 0

    @property
    def ratio_label(self) -> str:
        return f"{self.registered}/{self.expected}"


@dataclass
class EvaluationRow:
    """One evaluation period (mid-year, year-end) on the reference date: who owed it (the deadline's rule:
    organisations with a model accepted by D), who had sent it by D (timeline), and the committee's ratings of
    the evaluations it had assessed (accepted) by D."""

    period: str
    label: str
    due_date: date | None
    expected: int = 0
    sent: int = 0
    sent_late: int = 0
    assessed: int = 0
    ratings: list = field(default_factory=list)  # [(Rating value, label, count)] in Rating order

    @property
    def ratio_label(self) -> str:
        return f"{self.sent}/{self.expected}"


@dataclass
class CampaignStatistics:
    """Figures of one campaign year at the end of `reference_date`. Totals (`total`, `bloc_level`, …) count
    models and exemplars together, as dispatch 1720-CV/ĐUK does ("133 mô hình: 02 cấp Đảng ủy Khối, 131 cấp
    cơ sở"); `field_totals` (models, Category.fields()) and `exemplar_totals` (exemplars) count them apart,
    by level and origin, as the 2023 figures are given (101 base-level models and 9 exemplars, plus 2
    bloc-level models)."""

    campaign: Campaign
    reference_date: date
    expected: int  # organisations owing the registration on reference_date (after filters)
    registered: int  # of those, how many have a registration counted on reference_date
    missing: list  # organisations still to chase (with contact person and phone)
    total: int = 0
    bloc_level: int = 0
    base_level: int = 0
    continued: int = 0
    new: int = 0
    models: int = 0
    exemplars: int = 0
    by_category: dict = field(default_factory=dict)  # Category value → count
    by_category_label: list = field(default_factory=list)  # [(label, count)] in display order
    commended: int = 0
    replicated: int = 0
    sector: str = ""
    category: str = ""
    rows: list[CategoryRow] = field(default_factory=list)  # every Category, in display order
    by_sector: list[SectorRow] = field(default_factory=list)
    registered_organizations: list = field(default_factory=list)  # with .registration_count, for drill-down
    by_level_origin: dict = field(default_factory=dict)  # (Level value, Origin value) → count
    evaluations: list[EvaluationRow] = field(default_factory=list)  # mid-year, year-end

    # The dispatch splits base-level models into continued and new ("131 cấp cơ sở: 73 tiếp tục, 58 mới").
    @property
    def base_continued(self) -> int:
        return self.by_level_origin.get((Level.BASE, Origin.CONTINUED), 0)

    @property
    def base_new(self) -> int:
        return self.by_level_origin.get((Level.BASE, Origin.NEW), 0)

    @property
    def bloc_continued(self) -> int:
        return self.by_level_origin.get((Level.BLOC, Origin.CONTINUED), 0)

    @property
    def bloc_new(self) -> int:
        return self.by_level_origin.get((Level.BLOC, Origin.NEW), 0)

    @property
    def ratio_label(self) -> str:
        return f"{self.registered}/{self.expected}"

    @property
    def field_rows(self) -> list[CategoryRow]:
        return [row for row in self.rows if not row.is_exemplar]

    @property
    def exemplar_rows(self) -> list[CategoryRow]:
        return [row for row in self.rows if row.is_exemplar]

    def _sum(self, rows, name: str) -> int:
        return sum(getattr(row, name) for row in rows)

    @property
    def field_totals(self) -> CategoryRow:
        """Models only (the four fields): .bloc, .base, .continued, .new, …"""
        return self._totals(self.field_rows, "", "Cộng mô hình")

    @property
    def exemplar_totals(self) -> CategoryRow:
        """Exemplars only (collective and individual)."""
        return self._totals(self.exemplar_rows, "", "Cộng điển hình")

    @property
    def grand_totals(self) -> CategoryRow:
        return self._totals(self.rows, "", "Tổng cộng")

    def _totals(self, rows, category: str, label: str) -> CategoryRow:
        names = ("bloc", "base", "continued", "new", "commended", "replicated")
        return CategoryRow(category, label, **{name: self._sum(rows, name) for name in names})

    @property
    def dispatch_sentence(self) -> str:
        """The sentence a dispatch quotes, from the same figures as the page and the export."""
        year = self.campaign.year
        models, exemplars = self.field_totals, self.exemplar_totals
        return (
            f"Tính đến ngày {self.reference_date:%d/%m/%Y} đã có {self.ratio_label} chi, đảng bộ cơ sở gửi đăng ký "
            f"mô hình, điển hình “Dân vận khéo” năm {year}, với {_two(self.total)} mô hình, điển hình, trong đó "
            f"{_two(self.bloc_level)} cấp Đảng ủy Khối và {_two(self.base_level)} cấp cơ sở "
            f"({_two(self.base_continued)} tiếp tục thực hiện từ năm {year - 1}, {_two(self.base_new)} đăng ký mới); "
            f"gồm {_two(models.total)} mô hình ({_two(models.bloc)} cấp Đảng ủy Khối, {_two(models.base)} cấp cơ sở) "
            f"và {_two(exemplars.total)} điển hình."
        )


def _two(number: int) -> str:
    """Party documents write counts from one to nine with two digits ("02 mô hình"); none is "0"."""
    return f"{number:02d}" if number else "0"


def _counted_registrations(queryset: QuerySet, on: date, *, sector: str = "", category: str = "") -> QuerySet:
    registrations = timeline.counted_on(queryset, on)
    if category:
        registrations = registrations.filter(category=category)
    if sector:
        registrations = registrations.filter(organization__sector=sector)
    return registrations


def _sent_registrations(campaign: Campaign, on: date, *, sector: str = "", category: str = "") -> QuerySet:
    """The campaign's registrations that count at the end of `on` (first sent by then, not withdrawn)."""
    return _counted_registrations(Registration.objects.filter(campaign=campaign), on, sector=sector, category=category)


def campaign_deadlines(campaign: Campaign) -> dict[str, Deadline]:
    """{obligation kind: Deadline} of the campaign (registration, mid-year, year-end). One query."""
    return {
        deadline.kind: deadline
        for deadline in Deadline.objects.filter(
            source_type=ContentType.objects.get_for_model(Campaign), source_id=campaign.pk
        )
    }


def registration_deadline(campaign: Campaign) -> Deadline | None:
    return campaign_deadlines(campaign).get(obligations.REGISTRATION)


def expected_organizations(campaign: Campaign, on: date, deadline: Deadline | None = None) -> QuerySet:
    """Who owes registrations for the campaign on `on`: the registration deadline's rule
    (deadlines.expected_organizations: active on the registration due date, or on `on` if earlier), so the
    statistics page, the dashboard, tracking and the matrix never disagree."""
    deadline = deadline or registration_deadline(campaign)
    if deadline is None:  # a campaign saved without its deadlines (never through the services)
        return BaseOrganization.objects.active_on(min(on, campaign.registration_deadline))
    return deadlines.expected_organizations(deadline, on)


_EVALUATION_KINDS = (
    (obligations.MID_YEAR, EvaluationPeriod.MID_YEAR),
    (obligations.YEAR_END, EvaluationPeriod.YEAR_END),
)


def _evaluation_counts(deadline_list: list[Deadline], on: date, sector: str) -> dict[int, tuple[int, int, int]]:
    """{deadline id: (expected, sent, sent late)} at the end of `on`: deadlines.counts_for, the one statement
    the dashboard and tracking count every deadline with (the same answer as deadline_cells' Standings: sent = a
    submission counted on `on`, evaluations allow no nil return; late = first sent after the due day). The
    mid-year and year-end evaluations owe to the same organisations (a model accepted by `on`), read once in
    the statement and hashed by both: written as one aggregate per deadline, each probed the campaign's
    registrations once per organisation (2 × 1,000 probes, 8,000 buffers at 1,000 organisations; bench/README.md,
    branch statsql2)."""
    organizations = BaseOrganization.objects.filter(sector=sector) if sector else None
    counts = deadlines.counts_for(deadline_list, on, organizations=organizations)
    return {pk: (c.expected, c.sent, c.sent_late) for pk, c in counts.items()}


def evaluation_figures(campaign: Campaign, on: date, *, sector: str = "", known: dict | None = None) -> list:
    """Mid-year and year-end evaluations on `on`: x/y by the deadlines' one definition (expected_organizations,
    counted by the timeline as deadline_cells counts them; see _evaluation_counts), and
    the committee's ratings of the evaluations accepted (assessed) by `on`, read from the timeline. Two
    queries whatever the number of organisations (none for a campaign without evaluation deadlines): no list
    of organisation ids goes through Python (at 1,000 organisations the two IN lists of ids and their 2,000
    Standings were half of the statistics page's time)."""
    known = campaign_deadlines(campaign) if known is None else known
    rated = (
        _counted_registrations(
            Evaluation.objects.filter(registration__campaign=campaign), on, sector=sector
        )  # the evaluation's organisation is its registration's
        .filter(status_on=SubmissionStatus.ACCEPTED)
        .order_by()
        .values("period", "committee_rating")
        .annotate(n=Count("pk"))
    )
    ratings: dict = {}
    rows = []
    present = [known[kind] for kind, _period in _EVALUATION_KINDS if known.get(kind) is not None]
    counts = _evaluation_counts(present, on, sector)
    for kind, period in _EVALUATION_KINDS:
        deadline = known.get(kind)
        row = EvaluationRow(period, str(EvaluationPeriod(period).label), deadline.due_date if deadline else None)
        if deadline is not None:
            row.expected, row.sent, row.sent_late = counts[deadline.pk]
        rows.append(row)
    if any(row.due_date for row in rows):
        for group in rated:
            ratings[(group["period"], group["committee_rating"])] = group["n"]
    for row in rows:
        row.ratings = [(value, str(label), ratings.get((row.period, value), 0)) for value, label in Rating.choices]
        row.assessed = sum(n for (period, _), n in ratings.items() if period == row.period)
    return rows


def campaign_statistics(
    campaign: Campaign, *, on: date | None = None, sector: str = "", category: str = ""
) -> CampaignStatistics:
    """Figures for one campaign year at the end of `on` (default today), as dispatch 1720-CV/ĐUK quotes them.

    "x/y": y is the registration deadline's expected set on `on` (organisations active on the registration due
    date, or on `on` if that is earlier; see deadlines.expected_organizations); x is those of them with at least
    one registration counted on `on` (first sent by then and not withdrawn; returned ones still count; in the
    chosen field, when filtered). Models and exemplars are every counted registration, bloc-level included,
    split by level, field / kind of exemplar, origin and sector; commended and replicated are among them.
    Evaluations: see evaluation_figures. A fixed number of SQL queries whatever the number of organisations,
    years, registrations or the reference date: counting happens in the database."""
    on = on or timezone.localdate()
    known = campaign_deadlines(campaign)
    registrations = _sent_registrations(campaign, on, sector=sector, category=category)
    organizations = expected_organizations(campaign, on, known.get(obligations.REGISTRATION))
    if sector:
        organizations = organizations.filter(sector=sector)
    counted = (
        registrations.filter(organization=OuterRef("pk"))
        .order_by()
        .values("organization")
        .annotate(n=Count("pk"))
        .values("n")
    )
    organizations = list(
        history.with_name_on(organizations, on)  # the names they bore on `on`
        .annotate(registration_count=Coalesce(Subquery(counted, output_field=IntegerField()), Value(0)))
        .order_by("sort_key", "code")
    )
    sector_counts: dict[str, tuple[int, int]] = {}
    for org in organizations:
        expected, registered = sector_counts.get(org.sector, (0, 0))
        sector_counts[org.sector] = (expected + 1, registered + bool(org.registration_count))
    return _figures(
        CampaignStatistics,
        campaign,
        on,
        sector=sector,
        category=category,
        registrations=registrations,
        sector_counts=sector_counts,
        evaluations=evaluation_figures(campaign, on, sector=sector, known=known),
        missing=[org for org in organizations if not org.registration_count],
        registered_organizations=[org for org in organizations if org.registration_count],
    )


# What the statistics' aggregates count registrations by: a column that is never null and is in
# registration_counts_idx (COUNT(id) would read every row from the table instead of the index alone).
_ROW = "campaign"


def _add_groups(registrations: QuerySet, rows: dict, sectors: dict | None) -> dict:
    """Add the counted registrations, grouped in SQL by level, field, origin and sector (one query), to the
    breakdown rows and sector rows (sectors None: not grouped by sector, the organisations not joined);
    returns {(Level value, Origin value): count}."""
    keys = ("level", "category", "origin") + (("organization__sector",) if sectors is not None else ())
    grouped = (
        registrations.order_by()  # the model's default ordering would otherwise join the GROUP BY
        .values(*keys)
        .annotate(
            n=Count(_ROW),
            n_commended=Count(_ROW, filter=Q(commended=True)),
            n_replicated=Count(_ROW, filter=Q(replicated=True)),
        )
    )
    by_level_origin: dict = {}
    for group in grouped:
        key = (group["level"], group["origin"])
        by_level_origin[key] = by_level_origin.get(key, 0) + group["n"]
        row = rows[group["category"]]
        # Level and Origin values ("bloc"/"base", "new"/"continued") name CategoryRow's counters.
        n = group["n"]
        setattr(row, group["level"], getattr(row, group["level"]) + n)
        setattr(row, group["origin"], getattr(row, group["origin"]) + n)
        row.commended += group["n_commended"]
        row.replicated += group["n_replicated"]
        if sectors is not None and group["organization__sector"] in sectors:
            sector_row = sectors[group["organization__sector"]]
            sector_row.registrations += n
            if row.is_exemplar:
                sector_row.exemplars += n
            else:
                sector_row.models += n
    return by_level_origin


def _fill_totals(stats: CampaignStatistics) -> None:
    totals = stats.grand_totals
    stats.total = totals.total
    stats.bloc_level, stats.base_level = totals.bloc, totals.base
    stats.continued, stats.new = totals.continued, totals.new
    stats.commended, stats.replicated = totals.commended, totals.replicated
    stats.models = stats.field_totals.total
    stats.exemplars = stats.exemplar_totals.total


def _figures(
    cls,
    campaign: Campaign,
    on: date,
    *,
    registrations: QuerySet,
    sector_counts: dict[str, tuple[int, int]] | None,
    sector: str = "",
    category: str = "",
    expected: int | None = None,
    registered: int | None = None,
    evaluations: list | None = None,
    **lists,
) -> CampaignStatistics:
    """The figures campaign_statistics, campaign_summary and campaign_headline give, built once: the breakdown
    by level, field and origin (and sector) of the counted `registrations` (one query), each sector's x/y from
    `sector_counts` {sector: (expected, registered)} (None: no sector rows, x/y given as `expected` and
    `registered`), the totals; `lists` are the caller's organisation lists (missing, registered_organizations,
    missing_count)."""
    rows = {value: CategoryRow(value, str(label)) for value, label in Category.choices}
    sectors = None
    if sector_counts is not None:
        sectors = {
            value: SectorRow(value, str(label)) for value, label in Sector.choices if not sector or value == sector
        }
        for value, (owing, sent) in sector_counts.items():
            sectors[value].expected, sectors[value].registered = owing, sent
        expected = sum(owing for owing, _sent in sector_counts.values())
        registered = sum(sent for _owing, sent in sector_counts.values())
    by_level_origin = _add_groups(registrations, rows, sectors)
    ordered = list(rows.values())
    stats = cls(
        campaign=campaign,
        reference_date=on,
        expected=expected,
        registered=registered,
        by_category={row.category: row.total for row in ordered},
        by_category_label=[(row.label, row.total) for row in ordered],
        sector=sector,
        category=category,
        rows=ordered,
        by_sector=list(sectors.values()) if sectors is not None else [],
        by_level_origin=by_level_origin,
        evaluations=evaluations or [],
        **{"missing": [], **lists},
    )
    _fill_totals(stats)
    return stats


# The statistics page lists this many organisations still to chase and this many that registered (Vietnamese
# order), then "… và N đơn vị khác" with a link to the full list (StatisticsOrganizationsView, a page at a time),
# as the QCDC statistics do (democracy_regs.selectors.MISSING_PREVIEW): staff read the figures and phone the
# first ones; the whole list is one click away and in the Excel export. Listing up to 100 of each (all with
# ?tat_ca=1) read and rendered a row per organisation at 1,000 organisations (issue 13).
ORGANIZATION_PREVIEW = 20


@dataclass(frozen=True)
class OrganizationEntry:
    """One organisation as the statistics page and its full lists show it: plain values (the cached page keeps
    no model instances)."""

    pk: int
    code: str
    name: str  # the name it bore on the reference date
    sector: str
    danvan_officer_name: str
    secretary_name: str
    phone: str
    email: str
    registration_count: int  # its registrations counted on the reference date (with the page's filters)

    @property
    def sector_label(self) -> str:
        return str(Sector(self.sector).label) if self.sector in Sector.values else ""


@dataclass
class CampaignSummary(CampaignStatistics):
    """What the statistics page shows (and the figures cache keeps): campaign_statistics' figures counted in
    SQL, with the first ORGANIZATION_PREVIEW organisations still to chase (`missing`, of `missing_count`) and
    of those that registered (`registered_organizations`, of `registered`) as OrganizationEntry values."""

    missing_count: int = 0

    @property
    def more_missing(self) -> int:
        return self.missing_count - len(self.missing)

    @property
    def more_registered(self) -> int:
        return self.registered - len(self.registered_organizations)


_ENTRY_FIELDS = ("pk", "code", "name_on_date", "sector", "danvan_officer_name", "secretary_name", "phone", "email")


class _Organizations:
    """The campaign's expected organisations on a day (with the page's filters), split into registered (a
    registration counted that day) and missing, as querysets: the counts and the listed windows are read in
    SQL, never a row per organisation in Python."""

    def __init__(self, campaign: Campaign, on: date, *, sector: str = "", category: str = "", known=None):
        known = campaign_deadlines(campaign) if known is None else known
        self.on = on
        self.registrations = _sent_registrations(campaign, on, sector=sector, category=category)
        expected = expected_organizations(campaign, on, known.get(obligations.REGISTRATION))
        if sector:
            expected = expected.filter(sector=sector)
        self.expected = expected.order_by()
        # An uncorrelated IN (the counted registrations' organisations, hashed once), not an EXISTS per organisation.
        self.registered_q = Q(
            pk__in=self.registrations.filter(organization_id__isnull=False).order_by().values("organization_id")
        )

    def by_sector(self) -> dict[str, tuple[int, int]]:
        """{sector: (expected, registered)}: one query."""
        rows = (
            self.expected.values("sector")
            .annotate(expected=Count("pk"), registered=Count("pk", filter=self.registered_q))
            .values_list("sector", "expected", "registered")
        )
        return {sector: (expected, registered) for sector, expected, registered in rows}

    def window(self, registered: bool) -> QuerySet:
        """The registered (or missing) organisations in Vietnamese order, as values of OrganizationEntry's
        fields; slice it. Names on the day and counts are computed for the rows of the slice only (PostgreSQL
        evaluates the select list's subqueries after the LIMIT)."""
        rows = self.expected.filter(self.registered_q) if registered else self.expected.exclude(self.registered_q)
        count = Value(0, output_field=IntegerField())
        if registered:
            counted = (
                self.registrations.filter(organization=OuterRef("pk"))
                .order_by()
                .values("organization")
                .annotate(n=Count("pk"))
                .values("n")
            )
            count = Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))
        return (
            history.with_name_on(rows, self.on)
            .annotate(registration_count=count)
            .order_by("sort_key", "code")
            .values_list(*_ENTRY_FIELDS, "registration_count")
        )

    def count(self, registered: bool) -> int:
        rows = self.expected.filter(self.registered_q) if registered else self.expected.exclude(self.registered_q)
        return rows.count()


def _entries(rows) -> list[OrganizationEntry]:
    return [OrganizationEntry(*row) for row in rows]


def _union_entries(*windows: QuerySet) -> list[OrganizationEntry]:
    """Several sliced windows in ONE query: each compiled by the ORM and wrapped as a subquery of a UNION ALL
    (the ORM's own union() refuses a LIMIT in each part on SQLite). Columns are read by name: the ORM selects
    model fields before annotations whatever the order asked."""
    parts = [window.query.sql_with_params() for window in windows]
    sql = " UNION ALL ".join(f"SELECT * FROM ({part}) w{index}" for index, (part, _params) in enumerate(parts))
    with connection.cursor() as cursor:
        cursor.execute(sql, [param for _part, params in parts for param in params])
        names = [column[0] for column in cursor.description]
        rows = cursor.fetchall()
    order = [names.index(name) for name in (*_ENTRY_FIELDS, "registration_count")]
    return [OrganizationEntry(*(row[index] for index in order)) for row in rows]


def campaign_summary(
    campaign: Campaign, *, on: date | None = None, sector: str = "", category: str = ""
) -> CampaignSummary:
    """campaign_statistics' figures at the end of `on` (default today) for the statistics page, counted in SQL,
    with the first ORGANIZATION_PREVIEW missing and registered organisations: six queries and the same work
    whatever the number of organisations (tests/models_danvan/test_statistics_summary.py holds it to
    campaign_statistics on many dates, sectors and fields)."""
    on = on or timezone.localdate()
    known = campaign_deadlines(campaign)
    organizations = _Organizations(campaign, on, sector=sector, category=category, known=known)
    counts = organizations.by_sector()
    listed = _union_entries(
        organizations.window(False)[:ORGANIZATION_PREVIEW], organizations.window(True)[:ORGANIZATION_PREVIEW]
    )
    return _figures(
        CampaignSummary,
        campaign,
        on,
        sector=sector,
        category=category,
        registrations=organizations.registrations,
        sector_counts=counts,
        evaluations=evaluation_figures(campaign, on, sector=sector, known=known),
        missing=[entry for entry in listed if not entry.registration_count],
        registered_organizations=[entry for entry in listed if entry.registration_count],
        missing_count=sum(owing - sent for owing, sent in counts.values()),
    )


class OrganizationList:
    """The registered or missing organisations of a campaign on a day (the statistics page's filters), for a
    Paginator: count() is one COUNT, a slice one query giving OrganizationEntry values."""

    def __init__(self, campaign: Campaign, on: date, *, registered: bool, sector: str = "", category: str = ""):
        self.organizations = _Organizations(campaign, on, sector=sector, category=category)
        self.registered = registered

    def count(self) -> int:
        return self.organizations.count(self.registered)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[OrganizationEntry]:
        return _entries(self.organizations.window(self.registered)[window])


def yearly_totals(*, on: date | None = None, sector: str = "", category: str = "") -> list[dict]:
    """The trend under a year's statistics: for every campaign year up to `on`'s year, newest first, what
    counted at the end of `on` (default today), read from the timeline: `organizations` (x: organisations of
    the year's expected set with a counted registration), `expected` (y: the registration deadline's rule,
    organisations active on min(`on`, the registration due date)), `total`, `models`, `exemplars`, `continued`,
    `new`. Each year's line agrees with campaign_statistics(that year, on=on). Two queries for every year: the
    rule of deadlines.expected_organizations is written here as SQL over all campaigns at once (the
    registration deadline is always for every active organisation; its due date is the campaign's
    registration_deadline, kept in sync by obligations.sync_campaign_deadlines).

    Ten years of a 1,000-organisation bloc are 20,000 registrations: the counts per year are one aggregate
    with no join (read from registration_counts_idx alone), and x is counted per year over the
    expected organisations, each probing that index. Written as one aggregate joining organisations and
    counting DISTINCT organisations, the query sorted every registration and took 4–6× as long (bench/README.md,
    branch statsdvk)."""
    on = on or timezone.localdate()
    years = Campaign.objects.filter(year__lte=on.year).values("pk")
    registrations = _counted_registrations(
        Registration.objects.filter(campaign__in=years), on, sector=sector, category=category
    )
    exemplar = Q(category__in=Category.exemplars())
    lines = {
        row["campaign_id"]: row
        for row in registrations.order_by()
        .values("campaign_id")
        .annotate(
            total=Count(_ROW),
            models=Count(_ROW, filter=~exemplar),
            exemplars=Count(_ROW, filter=exemplar),
            continued=Count(_ROW, filter=Q(origin=Origin.CONTINUED)),
            new=Count(_ROW, filter=Q(origin=Origin.NEW)),
            # The organisations with a counted registration, read in the index's order (campaign, organization);
            # those of them not in the year's expected set are taken off below (`gone`).
            registered=Count("organization", distinct=True),
        )
    }
    day = Least(Value(on, output_field=DateField()), F("registration_deadline"))
    active = BaseOrganization.objects.filter(
        Q(valid_from__lte=OuterRef("day")), Q(valid_to__isnull=True) | Q(valid_to__gte=OuterRef("day"))
    )
    if sector:
        active = active.filter(sector=sector)
    counted = _counted_registrations(
        Registration.objects.filter(campaign_id=OuterRef(OuterRef("pk")), organization_id__isnull=False),
        on,
        category=category,
    )
    # Registered but not owing that year (not active on its point: dissolved or merged by then, set up later):
    # a few organisations, each probing registration_counts_idx.
    inactive = BaseOrganization.objects.filter(Q(valid_from__gt=OuterRef("day")) | Q(valid_to__lt=OuterRef("day")))
    if sector:
        inactive = inactive.filter(sector=sector)
    gone = inactive.filter(pk__in=counted.order_by().values("organization_id"))

    def count(organizations: QuerySet) -> Coalesce:
        organizations = organizations.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
        return Coalesce(Subquery(organizations, output_field=IntegerField()), Value(0))

    campaigns = (
        Campaign.objects.filter(year__lte=on.year)
        .annotate(day=day)
        .annotate(expected=count(active), gone=count(gone))
        .order_by("-year")
        .values("pk", "year", "expected", "gone")
    )
    empty = {"total": 0, "models": 0, "exemplars": 0, "continued": 0, "new": 0, "registered": 0}
    result = []
    for campaign in campaigns:
        line = {**empty, **lines.get(campaign["pk"], {})}
        line.update(
            campaign_id=campaign["pk"],
            campaign__year=campaign["year"],
            expected=campaign["expected"],
            organizations=line.pop("registered") - campaign["gone"],
        )
        line["ratio_label"] = f"{line['organizations']}/{line['expected']}"
        result.append(line)
    return result


def statistics_registrations(
    campaign: Campaign, *, on: date | None = None, sector: str = "", category: str = ""
) -> QuerySet:
    """The registrations behind the statistics on `on` (same filters), for the per-field sheets of the export;
    annotated with `status_on` and `first_sent_at` (their status and first sending as of `on`)."""
    return (
        _sent_registrations(campaign, on or timezone.localdate(), sector=sector, category=category)
        .select_related("organization", "continued_from__campaign")
        .order_by("category", "level", "organization__sort_key", "id")
    )


def registration_list(user, campaign: Campaign, *, organization_id=None, status="", category="", sector="") -> QuerySet:
    """The registrations staff and officers work on, filtered by their *current* status (what is waiting for
    review now). A list to act on, not a figure: counts as of a date come from campaign_statistics."""
    queryset = registrations_visible_to(user).filter(campaign=campaign)
    if organization_id:
        queryset = queryset.filter(organization_id=organization_id)
    if status:
        queryset = queryset.filter(status=status)
    if category:
        queryset = queryset.filter(category=category)
    if sector:
        queryset = queryset.filter(organization__sector=sector)
    return queryset.order_by("level", "organization__sort_key", "category", "id")


# What a row of the registration list shows (a page of rows reads nothing else: no campaign, no predecessor).
REGISTRATION_ROW_FIELDS = (
    "pk", "campaign_id", "organization_id", "organization__name", "level", "category", "origin", "name",
    "person_in_charge", "status",
)  # fmt: skip


def registration_rows(user, campaign: Campaign, **filters) -> QuerySet:
    """registration_list with only what its table shows: one query a page whatever the campaign's size."""
    return (
        registration_list(user, campaign, **filters)
        .select_related(None)
        .select_related("organization")
        .only(*REGISTRATION_ROW_FIELDS)
    )


# registration_rows' own columns as registration_row_pages reads them (in the model's order, as from_db takes them),
# then its organisation's name.
_ROW_COLUMNS = tuple(
    f.attname
    for f in Registration._meta.concrete_fields
    if f.primary_key or f.name in REGISTRATION_ROW_FIELDS or f.attname in REGISTRATION_ROW_FIELDS
)


def _registration_row(*columns) -> Registration:
    """A Registration as registration_rows' queryset gives it: only the table's fields (the others deferred),
    its organisation (id and name) read with it, None for a bloc-level one."""
    registration = Registration.from_db("default", _ROW_COLUMNS, columns[:-1])
    organization = None
    if registration.organization_id is not None:
        organization = BaseOrganization.from_db("default", ("id", "name"), (registration.organization_id, columns[-1]))
    Registration.organization.field.set_cached_value(registration, organization)
    return registration


def registration_row_pages(user, campaign: Campaign, **filters) -> prepared.IdsFirstKeyedList:
    """registration_rows(user, campaign, **filters) for a Paginator: the count and each page (its ids ranked and
    cut first, as IdsFirstPaginator reads the queryset) compiled once per process for the user's scope, the
    campaign and the filters (dukportal.core.prepared); the same rows, as the same Registration instances. Why
    (issue 13): the ORM building the list's count and page cost more CPU than running them, on every request."""
    filters = {name: filters.get(name) or "" for name in ("status", "category", "sector")}
    return prepared.IdsFirstKeyedList(
        ("registration rows", scope_key(user), campaign.pk, *filters.values()),
        lambda: registration_rows(user, campaign, **filters).values_list(*_ROW_COLUMNS, "organization__name"),
        _registration_row,
    )


def _with_evaluations(queryset: QuerySet) -> QuerySet:
    return queryset.prefetch_related(Prefetch("evaluations", queryset=Evaluation.objects.order_by("period", "id")))


def organization_history(user, organization: BaseOrganization, *, on: date | None = None) -> QuerySet:
    """Every registration of an organisation across the years, newest year first (two queries), annotated
    from its timeline at the end of `on` (default today): `first_sent_at`, `withdrawn_at`, `status_on`. A
    registration counted in the figures that day is one sent by then and not withdrawn (see history_by_year)."""
    return _with_evaluations(
        timeline.with_facts(
            registrations_visible_to(user).filter(organization=organization).select_related("continued_from__campaign"),
            on or timezone.localdate(),
        )
    ).order_by("-campaign__year", "category", "id")


def is_counted(registration: Registration) -> bool:
    """Whether a registration annotated by timeline.with_facts counted on that day."""
    return registration.first_sent_at is not None and registration.withdrawn_at is None


@dataclass
class HistoryYear:
    """One year of an organisation's history: its registrations and what of them counted (models and
    exemplars apart)."""

    year: int
    registrations: list
    counted: int = 0
    models: int = 0
    exemplars: int = 0


def history_by_year(registrations) -> list[HistoryYear]:
    """[HistoryYear], in the order given. Registrations annotated by timeline.with_facts get `counted` and
    add to the year's counted models or exemplars; others (not annotated) are taken as they come."""
    years: dict[int, HistoryYear] = {}
    for registration in registrations:
        line = years.setdefault(registration.campaign.year, HistoryYear(registration.campaign.year, []))
        line.registrations.append(registration)
        if hasattr(registration, "first_sent_at"):
            registration.counted = is_counted(registration)
            if registration.counted:
                line.counted += 1
                if registration.is_exemplar:
                    line.exemplars += 1
                else:
                    line.models += 1
    return list(years.values())


def model_lineage(user, registration: Registration) -> list[Registration]:
    """The same model across years, oldest first: its predecessors (the continued_from chain) and its
    continuations. A model continues one of its own organisation's models or one of that organisation's
    predecessors' (merge, split: organizations.history), so one query over the registrations of the
    organisations linked by succession (plus one for the links and one for evaluations) finds the whole chain,
    across reorganisations."""
    if registration.organization_id:
        family = _lineage_registrations(user, history.related_ids([registration.organization_id]))
    else:
        family = registrations_visible_to(user)
        family = family.filter(organization__isnull=True, level=Level.BLOC)
    by_id = {r.pk: r for r in _with_evaluations(family.order_by("campaign__year", "id"))}
    successors: dict[int, Registration] = {}
    for candidate in by_id.values():  # oldest first, so the earliest continuation wins
        if candidate.continued_from_id:
            successors.setdefault(candidate.continued_from_id, candidate)
    start = current = by_id.get(registration.pk, registration)
    chain, seen = [start], {start.pk}
    while current.continued_from_id in by_id and current.continued_from_id not in seen:
        current = by_id[current.continued_from_id]
        chain.insert(0, current)
        seen.add(current.pk)
    current = start
    while (following := successors.get(current.pk)) is not None and following.pk not in seen:
        chain.append(following)
        seen.add(following.pk)
        current = following
    return chain


def _lineage_registrations(user, organization_ids: set[int]) -> QuerySet:
    """Registrations of the given organisations as a model's history shows them. An organisation inherits its
    predecessors' models, so an officer also sees those of their own organisation's predecessors (never of
    its siblings or unrelated organisations); staff and leaders see all."""
    if not access.reads_everything(user):
        organization_ids = (
            organization_ids & history.ancestor_ids([user.organization_id]) if access.is_officer(user) else set()
        )
    return Registration.objects.filter(organization_id__in=organization_ids).select_related(
        "campaign", "organization", "continued_from"
    )


def carry_over_candidates(user, campaign: Campaign, organization_id) -> QuerySet:
    """Last year's sent registrations of the organisation, and of its predecessors (a successor carries over
    the models of the organisations merged into it), that are not yet continued this year."""
    already = Registration.objects.filter(campaign=campaign, continued_from=OuterRef("pk"))
    if organization_id:
        queryset = _lineage_registrations(user, history.ancestor_ids([organization_id]))
    else:
        queryset = registrations_visible_to(user).filter(level=Level.BLOC)
    queryset = queryset.filter(campaign__year=campaign.year - 1).exclude(status=SubmissionStatus.DRAFT)
    return queryset.annotate(already_continued=Exists(already)).filter(already_continued=False)


def campaign_headline(campaign: Campaign, *, on: date | None = None) -> CampaignStatistics:
    """The headline figures of campaign_statistics (x/y registered, models and exemplars by level and origin,
    commended, replicated), all counted in SQL, never a row per organisation: for the dashboard's card and the
    campaign's page. The lists (who is missing, registered organisations, by sector, evaluations) are left
    empty; the statistics page has them. Three queries whatever the number of organisations."""
    on = on or timezone.localdate()
    registrations = _sent_registrations(campaign, on)
    organizations = expected_organizations(campaign, on)
    # An uncorrelated IN (the counted registrations' organisations, hashed once), not an EXISTS per organisation.
    registered = Q(pk__in=registrations.filter(organization_id__isnull=False).order_by().values("organization_id"))
    counts = organizations.order_by().aggregate(expected=Count("pk"), registered=Count("pk", filter=registered))
    return _figures(
        CampaignStatistics,
        campaign,
        on,
        registrations=registrations,
        sector_counts=None,
        expected=counts["expected"],
        registered=counts["registered"],
    )
