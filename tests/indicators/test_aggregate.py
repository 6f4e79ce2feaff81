"""The aggregate of a round on a reference date: history built day by day with the clock frozen, then asked
about several dates afterwards."""

from datetime import date
from decimal import Decimal
from io import BytesIO

from openpyxl import load_workbook

from indicators import exports, selectors, services
from organizations.models import Sector


def totals(aggregate):
    return {t.indicator.code: (t.value, t.answered) for t in aggregate.totals}


def test_before_anything_was_sent(history, first_half):
    aggregate = selectors.round_aggregate(first_half, date(2024, 7, 4))
    assert aggregate.figures.ratio_label == "0/5"
    assert totals(aggregate)["nhiem_vu"] == (None, 0)
    assert totals(aggregate)["co_mo_hinh"] == (0, 0)


def test_a_report_counts_with_what_it_had_sent_by_the_date(history, first_half):
    on_10 = selectors.round_aggregate(first_half, date(2024, 7, 10))
    assert on_10.figures.ratio_label == "1/5"
    assert totals(on_10)["nhiem_vu"] == (12, 1)  # returned on 9/7, still counted with what it had sent

    on_11 = selectors.round_aggregate(first_half, date(2024, 7, 11))
    assert totals(on_11)["nhiem_vu"] == (10, 1)  # resent on 11/7


def test_each_aggregation_after_the_deadline(history, first_half):
    aggregate = selectors.round_aggregate(first_half, date(2024, 7, 15))
    assert aggregate.figures.ratio_label == "3/5" and aggregate.figures.nil_returns == 1
    result = totals(aggregate)
    assert result["nhiem_vu"] == (1966, 2)  # sum: 10 + 1.956
    assert result["doi_thoai"] == (Decimal("3.5"), 2)  # average
    assert result["kinh_phi"] == (1500000, 1)
    assert result["ty_le"] == (Decimal("87.75"), 2)  # average of percentages
    assert result["co_mo_hinh"] == (1, 2)  # count of yes among those who answered
    by_code = aggregate.total_by_code
    assert by_code["ten_mo_hinh"].texts == [("Đảng bộ Sở Tài chính", "Cơ quan thân thiện")]
    assert by_code["nhiem_vu"].label == "1.966"
    assert by_code["co_mo_hinh"].label == "1/2 đơn vị"
    assert by_code["ty_le"].label == "87,75%"

    later = selectors.round_aggregate(first_half, date(2024, 7, 31))
    assert later.figures.ratio_label == "4/5" and later.figures.sent_late == 1
    assert totals(later)["nhiem_vu"] == (1973, 3)
    assert totals(later)["kinh_phi"] == (251500000, 2)


def test_sector_filter(history, first_half):
    administrative = selectors.round_aggregate(first_half, date(2024, 7, 31), sector=Sector.ADMINISTRATIVE)
    assert administrative.figures.ratio_label == "3/4"
    assert totals(administrative)["nhiem_vu"] == (1966, 2)
    enterprise = selectors.round_aggregate(first_half, date(2024, 7, 31), sector=Sector.ENTERPRISE)
    assert enterprise.figures.ratio_label == "1/1"
    assert totals(enterprise)["nhiem_vu"] == (7, 1)
    assert enterprise.total_by_code["ten_mo_hinh"].texts == [("Đảng bộ Công ty Điện lực", "Doanh nghiệp vì cộng đồng")]


def test_per_organisation_rows(history, first_half):
    aggregate = selectors.round_aggregate(first_half, date(2024, 7, 31))
    rows = {row.organization.code: row for row in aggregate.rows}
    assert rows["C"].standing.label == "Không phát sinh" and rows["C"].values == {}
    assert rows["D"].standing.label == "Quá hạn"
    assert rows["B"].cells(aggregate.indicators)[:4] == ["1.956", "3", "—", "85,5%"]


def test_excel_export_holds_the_figures_of_the_date(history, first_half):
    aggregate = selectors.round_aggregate(first_half, date(2024, 7, 15), sector=Sector.ADMINISTRATIVE)
    workbook = load_workbook(BytesIO(exports.aggregate_workbook(aggregate)))
    summary = [list(r) for r in workbook["Tổng hợp"].iter_rows(values_only=True)]
    assert summary[0][0] == "Báo cáo công tác dân vận 6 tháng đầu năm 2024"
    assert summary[1][0] == "Số liệu tính đến hết ngày 15/07/2024 · Khối hành chính"
    assert summary[2][0] == "Đã gửi 3/4 đơn vị (trong đó 1 báo cáo không phát sinh)"
    table = {row[0]: row for row in summary[4:]}
    assert table["nhiem_vu"][4] == 1966 and table["nhiem_vu"][5] == 2
    assert table["ten_mo_hinh"][4] == "Đảng bộ Sở Tài chính: Cơ quan thân thiện"
    by_org = [list(r) for r in workbook["Theo đơn vị"].iter_rows(values_only=True)][4:]
    names = [row[1] for row in by_org]
    assert "Đảng bộ Công ty Điện lực" not in names
    b = next(row for row in by_org if row[1] == "Đảng bộ Sở Nội vụ")
    assert b[2] == "Đã nộp" and b[3] == 1956 and b[6] == 85.5 and b[7] == "Không"


def test_across_periods(staff_user, definition, first_half, history):
    second_half = services.round_open(actor=staff_user, definition=definition, year=2024, number=2)
    indicators, periods = selectors.across_periods(definition, date(2024, 7, 31))
    assert "ten_mo_hinh" not in [i.code for i in indicators]
    assert [(r, a.figures.ratio_label) for r, a in periods] == [(second_half, "0/5"), (first_half, "4/5")]
    assert periods[1][1].total_by_code["nhiem_vu"].value == 1973
