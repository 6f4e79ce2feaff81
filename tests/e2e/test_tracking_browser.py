"""Staff look at the compliance matrix and the tracking page as they stood on a past date: they type the date
into "Số liệu tính đến ngày", the figures go back to that day, and the year filter and the Excel link keep it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import OrganizationFactory
from tests.notifications.factories import at, campaign_with_deadlines, submitted

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_staff_read_the_matrix_and_tracking_for_a_past_date(page, live_server, log_in, staff_user):
    today = timezone.localdate()
    due = today - timedelta(days=10)
    past = today - timedelta(days=5)
    campaign = campaign_with_deadlines(
        due.year,
        registration_deadline=due,
        midyear_deadline=due + timedelta(days=60),
        yearend_deadline=due + timedelta(days=90),
        created_by=staff_user,
    )
    early = OrganizationFactory(code="EARLY", name="Đảng bộ Sở Tư pháp")
    late = OrganizationFactory(code="LATE", name="Đảng bộ Sở Công thương")
    OrganizationFactory(code="NONE", name="Chi bộ Văn phòng")
    submitted(campaign, early, at(due - timedelta(days=3)))
    submitted(campaign, late, at(today - timedelta(days=2)))

    log_in(staff_user.username)
    page.goto(f"{live_server.url}{reverse('notifications:matrix')}?nam={due.year}")
    column = page.locator("#compliance-matrix th[data-deadline] .column-ratio").first
    expect(column).to_have_text("Đã nộp 2/3")

    page.get_by_label("Số liệu tính đến ngày").fill(f"{past:%d/%m/%Y}")
    page.get_by_role("button", name="Xem", exact=True).click()
    expect(page.locator("#reference-date")).to_have_text(f"{past:%d/%m/%Y}")
    expect(column).to_have_text("Đã nộp 1/3")
    expect(page.locator(f"tr[data-organization='{late.pk}'] td[data-code]").first).to_have_attribute(
        "data-code", "late"
    )
    assert f"ngay={past:%d}%2F{past:%m}%2F{past:%Y}" in page.locator("#matrix-export").get_attribute("href")
    expect(page.get_by_role("button", name="Nhắc", exact=True)).to_have_count(0)  # reminders go by today's figures

    page.get_by_label("Số liệu tính đến ngày").fill("32/01/2024")
    page.get_by_role("button", name="Xem", exact=True).click()
    expect(page.get_by_text("Ngày không hợp lệ; nhập theo dạng ngày/tháng/năm")).to_be_visible()
    expect(column).to_have_text("Đã nộp 2/3")  # today's figures meanwhile

    page.goto(f"{live_server.url}{reverse('notifications:tracking')}?ngay={past:%d/%m/%Y}")
    card = page.locator(".deadline-card").first
    expect(card.locator(".sent-count")).to_have_text("1")
    expect(card.locator(".owing-table")).to_contain_text("Đảng bộ Sở Công thương")
