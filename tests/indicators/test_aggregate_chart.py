"""The aggregate page's bar chart: server-side SVG with the numbers written in Vietnamese format, per organisation
or across periods, for the reference date and sector asked; it needs no script and no style attribute."""

import re
from datetime import date

from django.urls import reverse

from indicators import charts, selectors, services
from organizations.models import Sector
from tests.factories import UserFactory

from .conftest import at, fixtures_built_once

built, definition, first_half, history, bloc, staff_user = fixtures_built_once()


def bars(chart):
    return [(bar.label, bar.text) for bar in chart.bars]


def indicator(aggregate, code):
    return next(i for i in aggregate.indicators if i.code == code)


def test_per_organisation_chart_shows_each_senders_figure_largest_first(history, first_half):
    aggregate = selectors.round_aggregate(first_half, date(2024, 7, 31))
    chart = selectors.chart_by_organization(aggregate, indicator(aggregate, "nhiem_vu"))
    # A resent 10 on 11/7, B sent 1.956, the enterprise 7; C's nil return and D (nothing sent) have no bar.
    assert bars(chart) == [
        ("Đảng bộ Sở Nội vụ", "1.956"),
        ("Đảng bộ Sở Tài chính", "10"),
        ("Đảng bộ Công ty Điện lực", "7"),
    ]
    assert chart.left_out == "2/5 đơn vị chưa có số liệu chỉ tiêu này"
    assert chart.title == "Nhiệm vụ trọng tâm hoàn thành (nhiệm vụ) của từng đơn vị"
    assert chart.subtitle == "số liệu tính đến hết ngày 31/07/2024"
    # The largest bar takes the whole span, the others in proportion (never 0 wide for a positive figure).
    span = charts.WIDTH - charts.LABEL_WIDTH - charts.VALUE_WIDTH
    assert [bar.width for bar in chart.bars] == [span, 2, 1]
    assert "Đảng bộ Sở Nội vụ: 1.956; Đảng bộ Sở Tài chính: 10; Đảng bộ Công ty Điện lực: 7." in chart.desc


def test_per_organisation_chart_reads_what_was_sent_by_the_reference_date(history, first_half):
    on_10 = selectors.round_aggregate(first_half, date(2024, 7, 10))
    # Only A had sent (12, returned on 9/7 and not yet resent): the chart shows what it had sent.
    assert bars(selectors.chart_by_organization(on_10, indicator(on_10, "nhiem_vu"))) == [
        ("Đảng bộ Sở Tài chính", "12")
    ]
    before = selectors.round_aggregate(first_half, date(2024, 7, 4))
    assert selectors.chart_by_organization(before, indicator(before, "nhiem_vu")).bars == []


def test_a_large_bloc_charts_the_largest_figures(history, first_half, monkeypatch):
    monkeypatch.setattr(selectors, "ORGANIZATIONS_CHARTED", 2)
    aggregate = selectors.round_aggregate(first_half, date(2024, 7, 31))
    chart = selectors.chart_by_organization(aggregate, indicator(aggregate, "nhiem_vu"))
    assert bars(chart) == [("Đảng bộ Sở Nội vụ", "1.956"), ("Đảng bộ Sở Tài chính", "10")]
    assert chart.left_out == "biểu đồ ghi 2/3 đơn vị có số liệu lớn nhất; 2/5 đơn vị chưa có số liệu chỉ tiêu này"


def test_money_and_percentages_in_vietnamese_format(history, first_half):
    aggregate = selectors.round_aggregate(first_half, date(2024, 7, 31))
    money = selectors.chart_by_organization(aggregate, indicator(aggregate, "kinh_phi"))
    assert bars(money) == [("Đảng bộ Công ty Điện lực", "250.000.000"), ("Đảng bộ Sở Tài chính", "1.500.000")]
    assert money.title == "Kinh phí hỗ trợ (đồng) của từng đơn vị"
    percent = selectors.chart_by_organization(aggregate, indicator(aggregate, "ty_le"))
    assert bars(percent) == [("Đảng bộ Sở Tài chính", "90%"), ("Đảng bộ Sở Nội vụ", "85,5%")]


def test_sector_filter_applies_to_the_chart(history, first_half):
    enterprise = selectors.round_aggregate(first_half, date(2024, 7, 31), sector=Sector.ENTERPRISE)
    chart = selectors.chart_by_organization(enterprise, indicator(enterprise, "nhiem_vu"))
    assert bars(chart) == [("Đảng bộ Công ty Điện lực", "7")] and chart.left_out == ""
    assert chart.subtitle == "số liệu tính đến hết ngày 31/07/2024, khối doanh nghiệp"


def test_only_numbers_that_add_up_are_offered(history, first_half):
    aggregate = selectors.round_aggregate(first_half, date(2024, 7, 31))
    assert [i.code for i in selectors.chart_indicators(aggregate)] == ["nhiem_vu", "doi_thoai", "kinh_phi", "ty_le"]


def test_across_periods_chart_shows_each_periods_total_on_the_date(staff_user, definition, first_half, history):
    second_half = services.round_open(actor=staff_user, definition=definition, year=2024, number=2)
    officer = UserFactory(role="officer", organization=history["B"])
    with at(date(2025, 1, 6)):
        report = services.report_create(
            actor=officer, round_=second_half, organization=history["B"], values={"nhiem_vu": "2.001", "doi_thoai": "5"}
        )
        services.report_submit(actor=officer, report=report)

    def chart(code, on, round_=second_half, sector=""):
        aggregate = selectors.round_aggregate(round_, on, sector=sector)
        return selectors.chart_by_period(aggregate, indicator(aggregate, code))

    # Oldest first, up to the page's period; a period with nothing sent by the date keeps its row, without a bar.
    summer = chart("nhiem_vu", date(2024, 7, 31))
    assert bars(summer) == [("6 tháng đầu năm 2024", "1.973"), ("6 tháng cuối năm 2024", "—")]
    assert summer.bars[1].width == 0
    assert summer.title == "Nhiệm vụ trọng tâm hoàn thành (nhiệm vụ) qua các kỳ (tổng các đơn vị)"
    assert bars(chart("nhiem_vu", date(2025, 1, 10))) == [
        ("6 tháng đầu năm 2024", "1.973"),
        ("6 tháng cuối năm 2024", "2.001"),
    ]
    # Averages per period; the sector filter holds for every period.
    assert bars(chart("doi_thoai", date(2025, 1, 10))) == [
        ("6 tháng đầu năm 2024", "3,5"),
        ("6 tháng cuối năm 2024", "5"),
    ]
    assert bars(chart("nhiem_vu", date(2025, 1, 10), sector=Sector.ENTERPRISE)) == [
        ("6 tháng đầu năm 2024", "7"),
        ("6 tháng cuối năm 2024", "—"),
    ]
    # The first half's page charts no later period.
    assert bars(chart("nhiem_vu", date(2025, 1, 10), round_=first_half)) == [("6 tháng đầu năm 2024", "1.973")]


def _chart_section(page: str) -> str:
    return re.search(r'<section class="card mb-3" id="chart".*?</section>', page, re.S).group(0)


def test_aggregate_page_draws_the_chart_as_accessible_svg(login, staff_user, first_half, history):
    url = reverse("indicators:aggregate", args=[first_half.pk])
    browser = login(staff_user)
    page = browser.get(url, {"ngay": "31/07/2024", "chi_tieu": "kinh_phi"}).content.decode()
    section = _chart_section(page)
    assert 'role="img" aria-labelledby="chart-title chart-desc"' in section
    assert (
        '<title id="chart-title">Kinh phí hỗ trợ (đồng) của từng đơn vị, số liệu tính đến hết ngày 31/07/2024</title>'
        in section
    )
    assert "Đảng bộ Công ty Điện lực: 250.000.000; Đảng bộ Sở Tài chính: 1.500.000." in section  # <desc>
    values = re.findall(r'<text class="bar-value"[^>]*>([^<]*)</text>', section)
    assert values == ["250.000.000", "1.500.000"]
    assert "3/5 đơn vị chưa có số liệu chỉ tiêu này" in section
    # Nothing the CSP would refuse, and the choice survives a change of date or sector.
    assert "<script" not in section and "style=" not in section
    assert '<option value="kinh_phi" selected>' in section
    assert '<input type="hidden" name="chi_tieu" value="kinh_phi">' in page
    assert '<input type="hidden" name="ngay" value="31/07/2024">' in section

    default = _chart_section(browser.get(url, {"ngay": "31/07/2024", "chi_tieu": "ten_mo_hinh"}).content.decode())
    assert "Nhiệm vụ trọng tâm hoàn thành (nhiệm vụ) của từng đơn vị" in default  # not a number: the first one

    periods = _chart_section(browser.get(url, {"ngay": "31/07/2024", "bieu_do": "ky"}).content.decode())
    assert re.findall(r'<text class="bar-value"[^>]*>([^<]*)</text>', periods) == ["1.973"]
    assert '<option value="ky" selected>' in periods
