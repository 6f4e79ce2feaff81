"""A leader follows the navigation to the statistics, filters by sector and downloads the Excel file."""

import openpyxl
import pytest
from playwright.sync_api import expect

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
