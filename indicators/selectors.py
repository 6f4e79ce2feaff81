"""Reads of periodic indicator reports: what a user may see, and the one aggregate of a round on a date.

Figures on a date D: who owed the round and who had sent it by the end of D come from the shared deadline
figures (dukportal.submissions.deadlines); the values each counted report contributes are those it had *sent*
by D, read from the revision the shared workflow keeps at each sending (a sent report changes only by being
returned and sent again, services.report_update). Asking about the same D later gives the same figures."""

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.text import capfirst

from dukportal.submissions import deadlines, timeline
from dukportal.submissions.models import Deadline, SubmissionRevision
from organizations import access
from organizations.models import Sector

from . import charts
from . import values as indicator_values
from .models import (
    INDICATOR_ORDER,
    NUMERIC_KINDS,
    Aggregation,
    IndicatorKind,
    IndicatorReport,
    ReportDefinition,
    ReportRound,
)
from .obligations import REPORT, current_version
from .services import round_deadline


def reports_visible_to(user):
    return access.scope(IndicatorReport.objects.select_related("round__family", "definition", "organization"), user)


def definitions_current() -> list[ReportDefinition]:
    """The latest version of every report family, each with `round_list` (its family's periods). Two queries."""
    current = list(ReportDefinition.objects.filter(superseded_by__isnull=True).order_by("name"))
    rounds: dict[int, list] = {}
    for round_ in ReportRound.objects.filter(family_id__in=[d.family_id for d in current]).select_related("family"):
        rounds.setdefault(round_.family_id, []).append(round_)
    for definition in current:
        definition.round_list = rounds.get(definition.family_id, [])
    return current


def display(indicator, value) -> str:
    """A stored value as pages and documents show it: 1.966, 1.234.000 đồng, 92,5%, Có/Không."""
    if value is None or value == "":
        return "—"
    if indicator.kind == IndicatorKind.YES_NO:
        return "Có" if value else "Không"
    if indicator.kind in (IndicatorKind.INTEGER, IndicatorKind.MONEY, IndicatorKind.PERCENT):
        text = indicator_values.vn_number(value)
        return f"{text}%" if indicator.kind == IndicatorKind.PERCENT else text
    return str(value)


@dataclass
class IndicatorTotal:
    indicator: object
    answered: int = 0  # counted reports that answered it
    value: Decimal | int | None = None  # sum, average or count of yes
    texts: list = field(default_factory=list)  # [(organisation name, text)] for lists

    @property
    def label(self) -> str:
        if self.indicator.aggregation == Aggregation.LIST:
            return f"{len(self.texts)} nội dung"
        if self.value is None:
            return "—"
        if self.indicator.aggregation == Aggregation.COUNT_YES:
            return f"{self.value}/{self.answered} đơn vị"
        text = indicator_values.vn_number(self.value)
        return f"{text}%" if self.indicator.kind == IndicatorKind.PERCENT else text


@dataclass
class OrganizationRow:
    organization: object
    standing: object  # deadlines.Standing
    values: dict  # code → stored value (empty when not sent or nil)

    def cells(self, indicators) -> list[str]:
        return [display(i, self.values.get(i.code)) if self.values else "" for i in indicators]


@dataclass
class RoundAggregate:
    round: ReportRound
    definition: ReportDefinition
    on: date
    sector: str
    figures: object  # deadlines.DeadlineFigures
    indicators: list
    totals: list
    rows: list

    @property
    def total_by_code(self) -> dict:
        return {t.indicator.code: t for t in self.totals}


def sent_values(reports: list[IndicatorReport], on: date) -> dict[int, dict]:
    """{report id: values} as each report had last sent them by the end of `on`. One query."""
    if not reports:
        return {}
    revisions = SubmissionRevision.objects.filter(
        content_type=ContentType.objects.get_for_model(IndicatorReport),
        object_id__in=[r.pk for r in reports],
        at__lt=timeline.end_of(on),
    ).order_by("object_id", "at", "number")
    result = {}
    for revision in revisions.values("object_id", "data"):
        result[revision["object_id"]] = (revision["data"] or {}).get("values") or {}
    return result


def _average(numbers: list[Decimal]) -> Decimal:
    return (sum(numbers) / len(numbers)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP).normalize()


def _totals(indicators: list, figures, by_org: dict, sent: dict) -> list[IndicatorTotal]:
    """Each indicator's total over the expected organisations of `figures` (in their order): the values their
    counted report (`by_org`: organisation id → report) had sent (`sent`: report id → values). No query."""
    names = {o.pk: o.name_on_date for o in figures.organizations}
    totals = []
    for indicator in indicators:
        total = IndicatorTotal(indicator)
        answers = []  # (organisation id, value), in the organisations' order
        for organization in figures.organizations:
            report = by_org.get(organization.pk)
            value = sent.get(report.pk, {}).get(indicator.code) if report is not None else None
            if value not in (None, ""):
                answers.append((organization.pk, value))
        total.answered = len(answers)
        if indicator.aggregation == Aggregation.LIST:
            total.texts = [(names[org_id], text) for org_id, text in answers]
        elif indicator.aggregation == Aggregation.COUNT_YES:
            total.value = sum(1 for _o, v in answers if v is True)
        elif answers:
            numbers = [indicator_values.number_of(v) for _o, v in answers]
            total.value = sum(numbers) if indicator.aggregation == Aggregation.SUM else _average(numbers)
        totals.append(total)
    return totals


def round_aggregate(round_: ReportRound, on: date, *, sector: str = "", user=None) -> RoundAggregate:
    """x/y sent, each indicator's total over the reports counted at the end of `on`, and one row per expected
    organisation, for one sector or all (and only the organisations `user` may see)."""
    deadline = round_deadline(round_)
    visible = access.organizations_visible_to(user) if user is not None else None
    figures = deadlines.deadline_figures(deadline, on, sector=sector, organizations=visible)
    definition = current_version(round_.family)
    indicators = list(definition.indicators.select_related("section").order_by(*INDICATOR_ORDER))
    expected_ids = [o.pk for o in figures.organizations]
    counted = list(
        timeline.counted_on(IndicatorReport.objects.filter(round=round_, organization_id__in=expected_ids), on)
    )
    by_org = {r.organization_id: r for r in counted}
    sent = sent_values(counted, on)
    totals = _totals(indicators, figures, by_org, sent)
    rows = []
    for organization in figures.organizations:
        report = by_org.get(organization.pk)
        values = sent.get(report.pk, {}) if report is not None else {}
        rows.append(OrganizationRow(organization, figures.standings[organization.pk], values))
    return RoundAggregate(
        round=round_,
        definition=definition,
        on=on,
        sector=sector,
        figures=figures,
        indicators=indicators,
        totals=totals,
        rows=rows,
    )


@dataclass
class PeriodFigures:
    """One period's x/y and indicator totals on a date, as its aggregate page shows them (without the rows)."""

    round: ReportRound
    figures: object  # deadlines.DeadlineFigures
    totals: list

    @property
    def total_by_code(self) -> dict:
        return {t.indicator.code: t for t in self.totals}


def periods_figures(
    rounds: list[ReportRound], indicators: list, on: date, *, sector: str = "", user=None
) -> dict[int, PeriodFigures]:
    """{round id: PeriodFigures} for several periods at once, each the same x/y and totals of `indicators` as
    round_aggregate gives its page (same date, sector and reader), in a fixed number of queries whatever the
    number of periods and organisations: the rounds' deadlines; deadlines.figures_for (who owed each, who had
    sent; at most four); the counted reports of every period; the values they had sent by `on`."""
    rounds = list(rounds)
    if not rounds:
        return {}
    deadline_of = {
        d.source_id: d
        for d in Deadline.objects.filter(
            kind=REPORT, source_type__model="reportround", source_id__in=[r.pk for r in rounds]
        )
    }
    visible = access.organizations_visible_to(user) if user is not None else None
    figures = deadlines.figures_for(deadline_of.values(), on, sector=sector, organizations=visible)
    expected_ids = {o.pk for d in deadline_of.values() for o in figures[d.pk].organizations}
    counted = list(
        timeline.counted_on(
            IndicatorReport.objects.filter(round__in=[r.pk for r in rounds], organization_id__in=expected_ids), on
        )
    )
    sent = sent_values(counted, on)
    by_round: dict[int, dict] = {}
    for report in counted:
        by_round.setdefault(report.round_id, {})[report.organization_id] = report
    result = {}
    for round_ in rounds:
        period = figures[deadline_of[round_.pk].pk]
        result[round_.pk] = PeriodFigures(
            round_, period, _totals(indicators, period, by_round.get(round_.pk, {}), sent)
        )
    return result


def across_periods(definition: ReportDefinition, on: date) -> tuple[list, list]:
    """(indicators with a figure, [(round, PeriodFigures)]) for every period of the family, newest first, as of
    `on`: the same x/y and totals as each period's page, in a fixed number of queries (periods_figures)."""
    family = definition.family or definition
    indicators = [
        i for i in current_version(family).indicators.order_by(*INDICATOR_ORDER) if i.aggregation != Aggregation.LIST
    ]
    rounds = list(ReportRound.objects.filter(family=family).select_related("family"))
    by_round = periods_figures(rounds, indicators, on)
    return indicators, [(round_, by_round[round_.pk]) for round_ in rounds]


# --- The aggregate page's chart -------------------------------------------------------------------------------

# The per-period chart shows the round and at most this many periods before it; the per-organisation chart the
# organisations with the largest figures, at most this many (the table below it lists them all).
PERIODS_CHARTED = 8
ORGANIZATIONS_CHARTED = 50


def chart_indicators(aggregate: RoundAggregate) -> list:
    """The indicators a bar chart can show: numbers, money and percentages that add up as a sum or an average."""
    return [
        i
        for i in aggregate.indicators
        if i.kind in NUMERIC_KINDS and i.aggregation in (Aggregation.SUM, Aggregation.AVERAGE)
    ]


def _chart_title(indicator, suffix: str) -> str:
    unit = f" ({indicator.unit})" if indicator.unit and indicator.kind != IndicatorKind.PERCENT else ""
    return f"{indicator.label}{unit} {suffix}"


def _chart_subtitle(aggregate: RoundAggregate) -> str:
    text = f"số liệu tính đến hết ngày {aggregate.on:%d/%m/%Y}"
    return text + (f", {Sector(aggregate.sector).label.lower()}" if aggregate.sector else "")


def chart_by_organization(aggregate: RoundAggregate, indicator) -> charts.BarChart:
    """One bar per organisation that had reported a figure for `indicator` by the aggregate's date, largest
    first (ties in the table's order); the others are counted under the chart. No query."""
    answers = []
    for position, row in enumerate(aggregate.rows):
        number = indicator_values.number_of(row.values.get(indicator.code)) if row.values else None
        if number is not None:
            answers.append((-number, position, row.organization.name_on_date, number))
    answers.sort()
    missing = len(aggregate.rows) - len(answers)
    left_out = [f"{missing}/{len(aggregate.rows)} đơn vị chưa có số liệu chỉ tiêu này"] if missing else []
    if len(answers) > ORGANIZATIONS_CHARTED:
        left_out.insert(0, f"biểu đồ ghi {ORGANIZATIONS_CHARTED}/{len(answers)} đơn vị có số liệu lớn nhất")
    return charts.bar_chart(
        _chart_title(indicator, "của từng đơn vị"),
        _chart_subtitle(aggregate),
        [(name, number) for _key, _position, name, number in answers[:ORGANIZATIONS_CHARTED]],
        percent=indicator.kind == IndicatorKind.PERCENT,
        left_out="; ".join(left_out),
    )


def chart_by_period(aggregate: RoundAggregate, indicator, *, user=None) -> charts.BarChart:
    """One bar per period of the family up to the aggregate's round (oldest first, at most PERIODS_CHARTED
    before it): the indicator's total (sum or average) as the aggregate page of that period shows it for the
    same date, sector and reader. The earlier periods are read together (periods_figures): the same queries for
    two periods shown as for nine."""
    current = aggregate.round
    earlier = list(
        ReportRound.objects.filter(family=current.family_id)
        .filter(Q(year__lt=current.year) | Q(year=current.year, number__lt=current.number))
        .select_related("family")
        .order_by("-year", "-number")[:PERIODS_CHARTED]
    )[::-1]
    by_round = periods_figures(earlier, [indicator], aggregate.on, sector=aggregate.sector, user=user)
    periods = [by_round[r.pk] for r in earlier] + [aggregate]
    rows = []
    for period in periods:
        total = period.total_by_code.get(indicator.code)
        rows.append((capfirst(period.round.period_label), total.value if total is not None else None))
    how = "tổng" if indicator.aggregation == Aggregation.SUM else "trung bình"
    return charts.bar_chart(
        _chart_title(indicator, f"qua các kỳ ({how} các đơn vị)"),
        _chart_subtitle(aggregate),
        rows,
        percent=indicator.kind == IndicatorKind.PERCENT,
    )
