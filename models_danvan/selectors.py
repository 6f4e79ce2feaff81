"""Reads for “Dân vận khéo”: visible registrations, campaign statistics (a fixed number of queries whatever
the number of organisations or years), histories."""

from dataclasses import dataclass, field
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from dukportal.submissions import deadlines, timeline
from dukportal.submissions.models import Deadline, SubmissionStatus
from organizations import access, history
from organizations.models import BaseOrganization, Sector

from . import obligations
from .models import Campaign, Category, Evaluation, Level, Origin, Registration


def registrations_visible_to(user) -> QuerySet:
    """Officers see their organisation's registrations; bloc-level ones (no organisation) only readers."""
    return access.scope(Registration.objects.all(), user).select_related("campaign", "organization", "continued_from")


def evaluations_visible_to(user) -> QuerySet:
    return access.scope(Evaluation.objects.all(), user).select_related(
        "registration", "registration__campaign", "organization"
    )


def sent(queryset: QuerySet) -> QuerySet:
    """Registrations that have been sent to the committee (drafts are the organisation's own business)."""
    return queryset.exclude(status=SubmissionStatus.DRAFT)


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
    sector: str
    label: str
    expected: int = 0
    registered: int = 0
    registrations: int = 0

    @property
    def ratio_label(self) -> str:
        return f"{self.registered}/{self.expected}"


@dataclass
class CampaignStatistics:
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
        return self._totals(self.field_rows, "", "Cộng mô hình")

    @property
    def exemplar_totals(self) -> CategoryRow:
        return self._totals(self.exemplar_rows, "", "Cộng điển hình")

    @property
    def grand_totals(self) -> CategoryRow:
        return self._totals(self.rows, "", "Tổng cộng")

    def _totals(self, rows, category: str, label: str) -> CategoryRow:
        names = ("bloc", "base", "continued", "new", "commended", "replicated")
        return CategoryRow(category, label, **{name: self._sum(rows, name) for name in names})


def _sent_registrations(campaign: Campaign, on: date, *, sector: str = "", category: str = "") -> QuerySet:
    """The campaign's registrations that count at the end of `on` (first sent by then, not withdrawn)."""
    registrations = timeline.counted_on(Registration.objects.filter(campaign=campaign), on)
    if category:
        registrations = registrations.filter(category=category)
    if sector:
        registrations = registrations.filter(organization__sector=sector)
    return registrations


def registration_deadline(campaign: Campaign) -> Deadline | None:
    return Deadline.objects.filter(
        kind=obligations.REGISTRATION,
        source_type=ContentType.objects.get_for_model(Campaign),
        source_id=campaign.pk,
    ).first()


def expected_organizations(campaign: Campaign, on: date) -> QuerySet:
    """Who owes registrations for the campaign on `on`: the registration deadline's rule
    (deadlines.expected_organizations), so the statistics page, tracking and the matrix never disagree."""
    deadline = registration_deadline(campaign)
    if deadline is None:  # a campaign saved without its deadlines (never through the services)
        return BaseOrganization.objects.active_on(min(on, campaign.registration_deadline))
    return deadlines.expected_organizations(deadline, on)


def campaign_statistics(
    campaign: Campaign, *, on: date | None = None, sector: str = "", category: str = ""
) -> CampaignStatistics:
    """Figures for one campaign year at the end of `on` (default today), as dispatch 1720-CV/ĐUK quotes them.

    "x/y": y is the organisations that owe the registration on `on` (the registration deadline's rule: active
    on the due date, or on `on` if earlier); x is those of them with at least one registration counted on `on`
    (first sent by then and not withdrawn; returned ones still count; in the chosen field, when filtered).
    Models are every counted registration, bloc-level included. A fixed number of SQL queries whatever the
    number of organisations, years or registrations: counting happens in the database."""
    on = on or timezone.localdate()
    registrations = _sent_registrations(campaign, on, sector=sector, category=category)
    organizations = expected_organizations(campaign, on)
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
        organizations.annotate(
            registration_count=Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))
        ).order_by("sort_key", "code")
    )
    missing = [org for org in organizations if not org.registration_count]
    registered_organizations = [org for org in organizations if org.registration_count]

    rows = {value: CategoryRow(value, str(label)) for value, label in Category.choices}
    sectors = {value: SectorRow(value, str(label)) for value, label in Sector.choices if not sector or value == sector}
    for org in organizations:
        sectors[org.sector].expected += 1
        sectors[org.sector].registered += bool(org.registration_count)
    grouped = (
        registrations.order_by()  # the model's default ordering would otherwise join the GROUP BY
        .values("level", "category", "origin", "organization__sector")
        .annotate(
            n=Count("pk"),
            n_commended=Count("pk", filter=Q(commended=True)),
            n_replicated=Count("pk", filter=Q(replicated=True)),
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
        if group["organization__sector"] in sectors:
            sectors[group["organization__sector"]].registrations += n

    ordered = list(rows.values())
    by_category = {row.category: row.total for row in ordered}
    stats = CampaignStatistics(
        campaign=campaign,
        reference_date=on,
        expected=len(organizations),
        registered=len(registered_organizations),
        missing=missing,
        by_category=by_category,
        by_category_label=[(row.label, row.total) for row in ordered],
        sector=sector,
        category=category,
        rows=ordered,
        by_sector=list(sectors.values()),
        registered_organizations=registered_organizations,
        by_level_origin=by_level_origin,
    )
    totals = stats.grand_totals
    stats.total = totals.total
    stats.bloc_level, stats.base_level = totals.bloc, totals.base
    stats.continued, stats.new = totals.continued, totals.new
    stats.commended, stats.replicated = totals.commended, totals.replicated
    stats.models = stats.field_totals.total
    stats.exemplars = stats.exemplar_totals.total
    return stats


def yearly_totals(*, sector: str = "", category: str = "") -> list[dict]:
    """Sent registrations per campaign year, newest first: organisations that registered, models, continued
    and new (one query over every year, for the trend under a year's statistics)."""
    registrations = sent(Registration.objects.all())
    if category:
        registrations = registrations.filter(category=category)
    if sector:
        registrations = registrations.filter(organization__sector=sector)
    return list(
        registrations.order_by()
        .values("campaign_id", "campaign__year")
        .annotate(
            organizations=Count("organization", distinct=True),
            total=Count("pk"),
            continued=Count("pk", filter=Q(origin=Origin.CONTINUED)),
            new=Count("pk", filter=Q(origin=Origin.NEW)),
        )
        .order_by("-campaign__year")
    )


def statistics_registrations(
    campaign: Campaign, *, on: date | None = None, sector: str = "", category: str = ""
) -> QuerySet:
    """The registrations behind the statistics on `on` (same filters), for the per-field sheets of the export."""
    return (
        _sent_registrations(campaign, on or timezone.localdate(), sector=sector, category=category)
        .select_related("organization", "continued_from__campaign")
        .order_by("category", "level", "organization__sort_key", "id")
    )


def registration_list(user, campaign: Campaign, *, organization_id=None, status="", category="", sector="") -> QuerySet:
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


def _with_evaluations(queryset: QuerySet) -> QuerySet:
    return queryset.prefetch_related(Prefetch("evaluations", queryset=Evaluation.objects.order_by("period", "id")))


def organization_history(user, organization: BaseOrganization) -> QuerySet:
    """Every registration of an organisation across the years, newest year first (two queries)."""
    return _with_evaluations(
        registrations_visible_to(user).filter(organization=organization).select_related("continued_from__campaign")
    ).order_by("-campaign__year", "category", "id")


def history_by_year(registrations) -> list[tuple[int, list[Registration]]]:
    """[(year, registrations of that year)], in the order given."""
    years: dict[int, list] = {}
    for registration in registrations:
        years.setdefault(registration.campaign.year, []).append(registration)
    return list(years.items())


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
