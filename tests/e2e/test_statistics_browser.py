"""A leader follows the navigation to the statistics, filters by sector and downloads the Excel file."""

from datetime import datetime
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import time_machine
from django.urls import reverse
from playwright.sync_api import expect

from dukportal.submissions import services as workflow
from models_danvan.exports import SUMMARY_TITLE
from models_danvan.models import Category
from organizations.models import Sector
from tests.factories import CampaignFactory
from tests.models_danvan.factories import make_organizations, registration
from tests.timeline import complete_timelines

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_leader_reads_statistics_filters_and_downloads_excel(
    page, live_server, log_in, leader_user, staff_user, tmp_path
):
    organizations = make_organizations([Sector.ADMINISTRATIVE] * 3 + [Sector.ENTERPRISE] * 2)
    campaign = CampaignFactory(year=2024, created_by=staff_user)
    for organization, category in zip(
        organizations[:3], [Category.ECONOMY, Category.CULTURE_SOCIETY, Category.EXEMPLAR_INDIVIDUAL], strict=True
    ):
        registration(campaign, organization, category).save()
    registration(campaign, organizations[3], Category.ECONOMY).save()
    complete_timelines()

    log_in(leader_user.username)
    page.get_by_role("button", name="“Dân vận khéo”").click()  # the menu
    page.get_by_role("link", name="Thống kê “Dân vận khéo”").click()
    expect(page.locator("#registered-ratio")).to_have_text("4/5")
    expect(page.locator("#missing-table")).to_contain_text(organizations[4].name)
    expect(page.locator("#missing-table")).to_contain_text(organizations[4].phone)
    expect(page.locator("#n-economy-base")).to_have_text("2")
    # The chart is drawn by a script at the end of the page: wait for it rather than racing the parser.
    page.wait_for_function("() => window.Chart && Chart.getChart('category-chart')")
    assert page.evaluate("Chart.getChart('category-chart').data.datasets[1].data") == [2, 1, 0, 0, 0, 1]
    page.screenshot(path="/tmp/e2e-statistics.png", full_page=True)

    page.get_by_label("Khối").select_option(label="Khối doanh nghiệp")
    page.get_by_role("button", name="Lọc").click()
    expect(page.locator("#registered-ratio")).to_have_text("1/2")
    expect(page.locator("#figure-total")).to_have_text("1")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Xuất Excel thống kê").click()
    path = tmp_path / "thong-ke.xlsx"
    download_info.value.save_as(path)
    assert download_info.value.suggested_filename == "thong-ke-dan-van-kheo-2024.xlsx"
    figures = {row[0]: row[1] for row in openpyxl.load_workbook(path)[SUMMARY_TITLE].iter_rows(values_only=True)}
    assert figures["Tổ chức cơ sở đảng đã gửi đăng ký"] == "1/2"


def test_leader_reads_statistics_as_of_a_past_date_and_the_dashboard_agrees(
    page, live_server, log_in, leader_user, staff_user, tmp_path
):
    """Every registration below was sent on 15/4/2024 (one of them withdrawn on 2/5): as of 10/4 nothing had
    been sent; as of 30/4 three of four organisations had; today two. The export and the dashboard follow."""
    organizations = make_organizations([Sector.ADMINISTRATIVE] * 4)
    campaign = CampaignFactory(year=2024, created_by=staff_user)
    for organization, category in zip(
        organizations[:3], [Category.ECONOMY, Category.EXEMPLAR_INDIVIDUAL, Category.CULTURE_SOCIETY], strict=True
    ):
        registration(campaign, organization, category).save()
    complete_timelines()
    withdrawn = campaign.registrations.get(organization=organizations[2])
    with time_machine.travel(datetime(2024, 5, 2, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")), tick=False):
        workflow.submission_withdraw(actor=staff_user, submission=withdrawn, comment="Gửi nhầm.")

    log_in(leader_user.username)
    page.goto(f"{live_server.url}{reverse('models_danvan:statistics', args=[campaign.pk])}")
    expect(page.locator("#registered-ratio")).to_have_text("2/4")
    date_field = page.get_by_label("Số liệu tính đến ngày")
    date_field.fill("10/04/2024")
    page.get_by_role("button", name="Lọc").click()
    expect(page.locator("#reference-date")).to_have_text("10/04/2024")
    expect(page.locator("#registered-ratio")).to_have_text("0/4")
    date_field.fill("30/04/2024")
    page.get_by_role("button", name="Lọc").click()
    expect(page.locator("#registered-ratio")).to_have_text("3/4")
    expect(page.locator("#figure-models")).to_have_text("2")
    expect(page.locator("#figure-exemplars")).to_have_text("1")
    expect(page.locator("#dispatch-sentence")).to_contain_text("Tính đến ngày 30/04/2024 đã có 3/4 chi, đảng bộ cơ sở")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Xuất Excel thống kê").click()
    assert download_info.value.suggested_filename == "thong-ke-dan-van-kheo-2024-den-30-04-2024.xlsx"
    path = tmp_path / "thong-ke.xlsx"
    download_info.value.save_as(path)
    rows = list(openpyxl.load_workbook(path)[SUMMARY_TITLE].iter_rows(values_only=True))
    assert rows[2][:1] == ("Số liệu tính đến ngày 30/04/2024",)
    figures = {row[0]: row[1] for row in rows}
    assert (figures["Tổ chức cơ sở đảng đã gửi đăng ký"], figures["Mô hình (theo lĩnh vực)"]) == ("3/4", 2)

    page.get_by_label("Số liệu tính đến ngày").fill("31/02/2024")
    page.get_by_role("button", name="Lọc").click()
    expect(page.get_by_text("Ngày không hợp lệ")).to_be_visible()
    expect(page.get_by_label("Số liệu tính đến ngày")).to_have_value("31/02/2024")
    expect(page.locator("#registered-ratio")).to_have_text("2/4")  # today's figures

    page.goto(f"{live_server.url}{reverse('dashboard:index')}?ngay=30/04/2024")
    expect(page.locator("#campaign-ratio")).to_have_text("3/4")
    expect(page.locator("#campaign-exemplars")).to_have_text("1")
    page.screenshot(path="/tmp/e2e-dashboard-dated.png", full_page=True)
    page.get_by_role("link", name="Xem thống kê chi tiết").click()
    expect(page.locator("#reference-date")).to_have_text("30/04/2024")
    expect(page.locator("#registered-ratio")).to_have_text("3/4")
