"""A periodic report from end to end in a real browser, each user in their own session: staff define a report
through the pages (name, period, indicators) and open a period with its deadline; officer A fills the figures
and sends them, officer B answers "Không phát sinh" with a reason; staff open the aggregate and read x/y sent,
the sums, the chart and the Excel link."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.browser import sign_in
from tests.e2e.test_accessibility_crawl import AXE, OVERFLOW, RUN_AXE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


# As in test_csp_browser: each document records what the Content-Security-Policy refused.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => window.__cspViolations.push(e.violatedDirective));
"""


def _add_indicator(staff, *, code, label, kind, unit):
    box = staff.locator("#add-indicator")
    box.locator("summary").click()
    box.get_by_label("Mã chỉ tiêu").fill(code)
    box.get_by_label("Tên chỉ tiêu").fill(label)
    box.get_by_label("Loại dữ liệu").select_option(label=kind)
    box.get_by_label("Đơn vị tính").fill(unit)
    box.get_by_role("button", name="Thêm chỉ tiêu").click()
    expect(staff.locator(".alert-success")).to_contain_text(f"Đã thêm chỉ tiêu “{label}”")


def test_staff_define_a_report_two_officers_answer_and_staff_read_the_sums(
    page, browser, live_server, staff_user, officer_user, other_officer_user
):
    today = timezone.localdate()
    due = today + timedelta(days=20)
    page.add_init_script(RECORD_VIOLATIONS)
    staff = sign_in(page, live_server, staff_user.username)

    # Staff define the report from the navigation, add two indicators and open the first half of the year.
    staff.get_by_role("button", name="Hạn nộp, báo cáo").click()
    staff.get_by_role("link", name="Báo cáo định kỳ").click()
    staff.get_by_role("link", name="Tạo mẫu báo cáo").click()
    staff.get_by_label("Tên báo cáo").fill("Báo cáo công tác dân vận")
    staff.get_by_label("Kỳ báo cáo").select_option(label="6 tháng")
    staff.get_by_label("Đơn vị phải báo cáo").select_option(label="Tất cả tổ chức cơ sở đảng")
    staff.get_by_role("button", name="Lưu", exact=True).click()
    expect(staff.get_by_role("heading", level=1)).to_have_text("Báo cáo công tác dân vận")
    _add_indicator(staff, code="nhiem_vu", label="Nhiệm vụ trọng tâm hoàn thành", kind="Số nguyên", unit="nhiệm vụ")
    _add_indicator(staff, code="kinh_phi", label="Kinh phí hỗ trợ", kind="Số tiền (đồng)", unit="đồng")
    expect(staff.locator("#indicators tbody tr:has(code)")).to_have_count(2)
    staff.screenshot(path="/tmp/e2e-indicators-definition.png", full_page=True)
    opening = staff.locator("#open-round")
    opening.get_by_label("Năm").fill(str(today.year))
    opening.get_by_label("Kỳ báo cáo").select_option(label="6 tháng đầu năm")
    opening.get_by_label("Hạn nộp").fill(due.strftime("%d/%m/%Y"))
    opening.get_by_role("button", name="Mở kỳ").click()
    expect(staff.locator(".alert-success")).to_contain_text(
        f"Đã mở kỳ báo cáo 6 tháng đầu năm {today.year}, hạn nộp {due:%d/%m/%Y}."
    )
    round_url = staff.url

    # Officer A finds it on their organisation's to-do list, fills the figures as they write them and sends.
    a_context = browser.new_context()
    a = sign_in(a_context.new_page(), live_server, officer_user.username)
    row = a.locator("#own-obligations tr", has_text="Báo cáo công tác dân vận")
    row.locator(".obligation-action").click()
    a.get_by_role("link", name="Lập báo cáo").click()
    a.get_by_label("Nhiệm vụ trọng tâm hoàn thành (nhiệm vụ)").fill("1.966")
    a.get_by_label("Kinh phí hỗ trợ (đồng)").fill("1.234.000")
    a.get_by_role("button", name="Lưu và gửi Ban Tuyên giáo").click()
    expect(a.locator("#status")).to_contain_text("Đã gửi")
    expect(a.locator("#values tr[data-code='nhiem_vu']")).to_contain_text("1.966 nhiệm vụ")

    # Officer B has nothing to report: "Không phát sinh" with the reason (refused without one).
    b_context = browser.new_context()
    b = sign_in(b_context.new_page(), live_server, other_officer_user.username)
    b.locator("#own-obligations tr", has_text="Báo cáo công tác dân vận").get_by_role(
        "link", name="Không phát sinh"
    ).click()
    b.get_by_role("button", name="Gửi báo cáo không phát sinh").click()
    expect(b.get_by_text("bắt buộc").first).to_be_visible()
    b.get_by_label("Lý do không phát sinh").fill("Trong kỳ đơn vị không tổ chức hoạt động dân vận")
    b.get_by_role("button", name="Gửi báo cáo không phát sinh").click()
    expect(b.locator("#status .nil-badge")).to_have_text("Không phát sinh")

    # Staff read the aggregate: x/y sent, the sums, the chart and the export of the same figures.
    staff.goto(round_url)
    expect(staff.locator("#round-ratio")).to_contain_text("đã gửi 2/2 đơn vị (trong đó 1 báo cáo không phát sinh)")
    staff.get_by_role("link", name="Tổng hợp số liệu").click()
    expect(staff.locator(".breadcrumb")).to_contain_text("Báo cáo công tác dân vận")
    expect(staff.locator("#ratio")).to_contain_text("Đã gửi 2/2 đơn vị (trong đó 1 báo cáo không phát sinh)")
    expect(staff.locator("#totals tr[data-code='nhiem_vu']")).to_contain_text("1.966 nhiệm vụ")
    expect(staff.locator("#totals tr[data-code='kinh_phi']")).to_contain_text("1.234.000 đồng")
    by_organization = staff.locator("#by-organization")
    expect(by_organization.locator("tr", has_text="Đảng bộ Sở Tài chính")).to_contain_text("1.966")
    expect(by_organization.locator("tr", has_text="Đảng bộ Sở Y tế")).to_contain_text("Không phát sinh")
    chart = staff.locator("#chart-svg")
    expect(chart).to_be_visible()
    expect(chart.locator("g.bar")).to_have_count(1)
    expect(chart.locator("g.bar .bar-value")).to_have_text("1.966")
    expect(staff.locator("#chart-left-out")).to_contain_text("1/2 đơn vị chưa có số liệu")
    staff.locator("#chart-form").get_by_label("Chỉ tiêu").select_option(label="Kinh phí hỗ trợ")
    staff.get_by_role("button", name="Vẽ biểu đồ").click()
    expect(staff.locator("#chart-svg g.bar .bar-value")).to_have_text("1.234.000")
    assert staff.evaluate("window.__cspViolations") == []  # the chart needs nothing the policy refuses
    with staff.expect_download() as download:
        staff.get_by_role("link", name="Xuất Excel").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    staff.screenshot(path="/tmp/e2e-indicators-aggregate.png", full_page=True)

    # The page with its chart passes axe (WCAG 2.1 AA, serious or critical) and fits a phone's width. axe is
    # injected as a script tag, which the policy rightly refuses: this check runs in a context that bypasses it.
    checking = browser.new_context(bypass_csp=True)
    checking.add_cookies(staff.context.cookies())
    axe_page = checking.new_page()
    for width, height in [(1366, 768), (375, 812)]:
        axe_page.set_viewport_size({"width": width, "height": height})
        axe_page.goto(staff.url)
        axe_page.add_script_tag(path=str(AXE))
        assert axe_page.evaluate(RUN_AXE) == [], width
        assert axe_page.evaluate(OVERFLOW) <= 0, width
    axe_page.screenshot(path="/tmp/e2e-indicators-aggregate-375.png", full_page=True)
    for context in (a_context, b_context, checking):
        context.close()
