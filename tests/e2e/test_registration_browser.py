"""An officer registers a model in a real browser, submits it, and sees why staff returned it."""

import re

import pytest
from playwright.sync_api import expect

from dukportal.submissions import services as workflow
from models_danvan.models import Registration
from tests.factories import CampaignFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_officer_registers_submits_and_reads_the_return_reason(page, live_server, log_in, officer_user, staff_user):
    campaign = CampaignFactory(year=2024, created_by=staff_user)
    log_in(officer_user.username)
    page.goto(f"{live_server.url}{campaign.get_absolute_url()}")
    page.get_by_role("link", name="Đăng ký mô hình mới").click()

    page.get_by_label("Lĩnh vực / loại điển hình").select_option(label="Văn hóa – xã hội")
    page.get_by_label("Tên mô hình, điển hình").fill("Mô hình “Nhà văn hóa sáng, xanh, sạch”")
    page.get_by_label("Người phụ trách").fill("Hoàng Thị Ánh")
    page.get_by_label("Ngày bắt đầu").fill("01/03/2024")
    page.get_by_label("Ngày kết thúc").fill("01/01/2024")  # before the start: must be refused, nothing lost
    page.get_by_role("button", name="Lưu và gửi Ban Tuyên giáo").click()
    expect(page.get_by_text("Ngày kết thúc phải sau ngày bắt đầu.").first).to_be_visible()
    expect(page.get_by_label("Tên mô hình, điển hình")).to_have_value("Mô hình “Nhà văn hóa sáng, xanh, sạch”")

    page.get_by_label("Ngày kết thúc").fill("31/12/2024")
    page.get_by_role("button", name="Lưu và gửi Ban Tuyên giáo").click()
    expect(page.locator("#status")).to_contain_text("Đã gửi, chờ duyệt")

    registration = Registration.objects.get()
    workflow.submission_return(actor=staff_user, submission=registration, comment="Đề nghị bổ sung kết quả dự kiến")

    page.reload()
    expect(page.locator("#return-reason")).to_contain_text("Đề nghị bổ sung kết quả dự kiến")
    expect(page.locator("#status")).to_contain_text("Trả lại để bổ sung")
    page.get_by_role("link", name="Sửa nội dung").click()
    page.get_by_label("Kết quả dự kiến").fill("Mỗi quý 1 buổi sinh hoạt chung")
    page.get_by_role("button", name="Lưu và gửi Ban Tuyên giáo").click()
    expect(page.locator("#status")).to_contain_text("Đã gửi, chờ duyệt")
    expect(page.locator("#timeline")).to_contain_text(re.compile("Gửi lại sau khi bổ sung"))
    page.screenshot(path="/tmp/e2e-registration.png", full_page=True)
