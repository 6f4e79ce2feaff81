"""The aggregate page's chart across periods reads every earlier period at once: the same number of queries for
2 periods shown as for 6, and for each period the same total as that period's own aggregate page shows for the
same date, sector and reader."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators import selectors, services
from organizations.models import Sector
from tests.factories import UserFactory

from .conftest import at, fixtures_built_once

# Six half-year periods, 2024 to 2026; the history fixture's reports answer the first.
YEARS = (2024, 2025, 2026)


built, definition, first_half, history, bloc, staff_user = fixtures_built_once()


@pytest.fixture
def periods(staff_user, definition, first_half, history):
    rounds = [first_half]
    for year in YEARS:
        for number in (1, 2):
            if (year, number) != (2024, 1):
                rounds.append(services.round_open(actor=staff_user, definition=definition, year=year, number=number))
    officers = {key: UserFactory(role="officer", organization=org) for key, org in history.items()}
    # Each later period: A, B and the enterprise send a few days after its end, with figures that differ.
    for index, round_ in enumerate(rounds[1:], start=1):
        sent_on = date(round_.year, 7, 5) if round_.number == 1 else date(round_.year + 1, 1, 5)
        for offset, key in enumerate(("A", "B", "E")):
            if (index + offset) % 4 == 3:
                continue  # someone misses a period now and then
            with at(date.fromordinal(sent_on.toordinal() + offset)):
                report = services.report_create(
                    actor=officers[key],
                    round_=round_,
                    organization=history[key],
                    values={"nhiem_vu": str(10 * index + offset), "doi_thoai": str(index + offset)},
                )
                services.report_submit(actor=officers[key], report=report)
    return rounds


def _chart(round_, on, code, *, sector="", user=None):
    aggregate = selectors.round_aggregate(round_, on, sector=sector, user=user)
    indicator = next(i for i in aggregate.indicators if i.code == code)
    with CaptureQueriesContext(connection) as captured:
        chart = selectors.chart_by_period(aggregate, indicator, user=user)
    return chart, len(captured)


def _page_totals(rounds, on, code, *, sector="", user=None):
    """Each period's total as its own aggregate page computes it (round_aggregate, one period at a time)."""
    totals = []
    for round_ in rounds:
        total = selectors.round_aggregate(round_, on, sector=sector, user=user).total_by_code[code]
        totals.append(total.value)
    return totals


def test_the_chart_costs_the_same_queries_for_2_and_6_periods(periods, staff_user):
    on = date(2027, 1, 31)
    two, queries_for_two = _chart(periods[1], on, "nhiem_vu", user=staff_user)
    six, queries_for_six = _chart(periods[5], on, "nhiem_vu", user=staff_user)
    assert len(two.bars) == 2 and len(six.bars) == 6
    assert queries_for_six == queries_for_two
    sector, queries_for_sector = _chart(periods[5], on, "nhiem_vu", sector=Sector.ENTERPRISE, user=staff_user)
    assert len(sector.bars) == 6 and queries_for_sector == queries_for_two


def test_each_bar_is_the_total_its_periods_page_shows(periods, staff_user):
    """For a sum and an average, the whole bloc and each sector, on four dates (one data set for all 24)."""
    labels = [f"6 tháng {half} năm {year}" for year in YEARS for half in ("đầu", "cuối")]
    for on in [date(2024, 7, 31), date(2025, 7, 6), date(2026, 1, 6), date(2027, 1, 31)]:
        for sector in ["", Sector.ADMINISTRATIVE, Sector.ENTERPRISE]:
            for code in ["nhiem_vu", "doi_thoai"]:
                chart, _queries = _chart(periods[5], on, code, sector=sector, user=staff_user)
                case = f"{code}, sector {sector or 'all'}, on {on:%d/%m/%Y}"
                expected = _page_totals(periods, on, code, sector=sector, user=staff_user)
                assert [bar.value for bar in chart.bars] == expected, case
                assert [bar.label for bar in chart.bars] == labels, case


def test_an_officer_charts_only_its_own_figures(periods, history, staff_user):
    officer = UserFactory(role="officer", organization=history["B"])
    on = date(2027, 1, 31)
    chart, _queries = _chart(periods[5], on, "nhiem_vu", user=officer)
    assert [bar.value for bar in chart.bars] == _page_totals(periods, on, "nhiem_vu", user=officer)
    assert chart.bars[0].value == 1956  # B's own figure, not the bloc's 1.973
    assert [bar.value for bar in chart.bars] != [bar.value for bar in _chart(periods[5], on, "nhiem_vu")[0].bars]


def test_the_aggregate_page_across_periods_costs_the_same_queries_for_2_and_6_periods(login, staff_user, periods):
    counts = []
    for round_ in (periods[1], periods[5]):
        url = reverse("indicators:aggregate", args=[round_.pk])
        with at(date(2027, 2, 1)):
            browser = login(staff_user)  # signed in on that day (a session from the real clock would have expired)
            browser.get(url, {"ngay": "31/01/2027", "bieu_do": "ky"})  # warm the session and content types
            with CaptureQueriesContext(connection) as captured:
                response = browser.get(url, {"ngay": "31/01/2027", "bieu_do": "ky"})
        assert response.context["on"] == date(2027, 1, 31)
        assert all(bar.value is not None for bar in response.context["chart"].bars)  # every period had reports
        counts.append((len(response.context["chart"].bars), len(captured)))
    assert counts[0][0] == 2 and counts[1][0] == 6
    assert counts[0][1] == counts[1][1]


def test_the_reports_table_across_periods_costs_the_same_queries_for_2_and_6_periods(
    staff_user, definition, first_half, history
):
    """The report's page lists every period of the family with its x/y and totals (selectors.across_periods)."""
    services.round_open(actor=staff_user, definition=definition, year=2024, number=2)
    on = date(2024, 7, 31)
    with CaptureQueriesContext(connection) as two:
        _indicators, periods = selectors.across_periods(definition, on)
    assert len(periods) == 2
    before = [(r.pk, p.figures.ratio_label, p.total_by_code["nhiem_vu"].value) for r, p in periods]
    for year in (2025, 2026):
        for number in (1, 2):
            services.round_open(actor=staff_user, definition=definition, year=year, number=number)
    with CaptureQueriesContext(connection) as six:
        _indicators, periods = selectors.across_periods(definition, on)
    assert len(periods) == 6 and len(six) == len(two)
    assert [(r.pk, p.figures.ratio_label, p.total_by_code["nhiem_vu"].value) for r, p in periods][-2:] == before
    for round_, period in periods:
        page = selectors.round_aggregate(round_, on)
        assert period.figures.ratio_label == page.figures.ratio_label
        assert [t.label for t in period.totals] == [page.total_by_code[t.indicator.code].label for t in period.totals]


@pytest.mark.parametrize("audience", ["sector", "chosen"])
def test_periods_read_together_owe_what_each_periods_page_says(staff_user, history, audience):
    """A report owed by one sector or by a chosen list: who owed each period and what was sent, read for several
    periods at once, is what each period's own page reads."""
    from indicators.models import AudienceKind, IndicatorKind, PeriodKind

    chosen = audience == "chosen"
    definition = services.definition_create(
        actor=staff_user,
        name="Báo cáo sản xuất kinh doanh",
        period_kind=PeriodKind.YEAR,
        audience=AudienceKind.CHOSEN if chosen else AudienceKind.SECTOR,
        sector="" if chosen else Sector.ENTERPRISE,
        organizations=[history["A"], history["E"]] if chosen else (),
    )
    services.indicator_add(
        actor=staff_user, definition=definition, code="doanh_thu", label="Doanh thu", kind=IndicatorKind.MONEY
    )
    rounds = [services.round_open(actor=staff_user, definition=definition, year=year) for year in (2024, 2025, 2026)]
    for index, round_ in enumerate(rounds):
        for key in ("A", "B", "E"):
            with at(date(round_.year + 1, 1, 5 + index)):
                officer = UserFactory(role="officer", organization=history[key])
                report = services.report_create(
                    actor=officer,
                    round_=round_,
                    organization=history[key],
                    values={"doanh_thu": str(1000 * (index + 1))},
                )
                services.report_submit(actor=officer, report=report)
    on = date(2027, 1, 31)
    indicators = list(rounds[0].family.indicators.all())
    together = selectors.periods_figures(rounds, indicators, on, user=staff_user)
    for round_ in rounds:
        page = selectors.round_aggregate(round_, on, user=staff_user)
        period = together[round_.pk]
        assert [o.pk for o in period.figures.organizations] == [o.pk for o in page.figures.organizations]
        assert period.figures.ratio_label == page.figures.ratio_label
        assert period.total_by_code["doanh_thu"].value == page.total_by_code["doanh_thu"].value
    expected = 2 if chosen else 1  # A and the enterprise, or the enterprise only
    assert [together[r.pk].figures.ratio_label for r in rounds] == [f"{expected}/{expected}"] * 3
