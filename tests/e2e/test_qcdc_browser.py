"""An officer of an inspected unit, in a real browser: records the steering committee, sends the QCDC plan with
its signed file (a renamed program is refused first), and sends the inspected unit's report."""

import pytest
from playwright.sync_api import expect

from democracy_regs.models import DemocracyPlan
from tests.democracy_regs.factories import ELF_BYTES, MINIMAL_PDF, open_cycle

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_officer_sends_committee_plan_and_inspected_unit_report(
    page, live_server, log_in, officer_user, staff_user, tmp_path
):
    cycle = open_cycle(staff_user, inspected=[officer_user.organization])
    log_in(officer_user.username)
    page.get_by_role("link", name="Dân chủ cơ sở").click()
    page.get_by_role("link", name="Năm 2024").click()

    page.get_by_role("link", name="thành phần").click()
    for name, role in [
        ("Nguyễn Văn Hùng", "Trưởng ban"),
        ("Phạm Thị Lan", "Phó trưởng ban"),
        ("Đỗ Minh Tuấn", "Thành viên"),
    ]:
        form = page.locator("#add-member")
        form.get_by_label("Họ và tên").fill(name)
        form.get_by_label("Chức vụ").fill("Cán bộ")
        form.get_by_label("Nhiệm vụ trong Ban chỉ đạo").select_option(label=role)
        form.get_by_label("Ngày tham gia").fill("01/04/2024")
        form.get_by_role("button", name="Ghi nhận").click()
        expect(page.locator("#members")).to_contain_text(name)
    expect(page.locator("#completeness")).to_have_text("Đã kiện toàn")

    page.goto(f"{live_server.url}{cycle.get_absolute_url()}")
    page.get_by_role("link", name="Lập kế hoạch").click()
    page.get_by_label("Số kế hoạch").fill("05-KH/ĐU")
    page.get_by_label("Ngày ban hành").fill("10/04/2024")
    page.get_by_label("Nội dung chính").fill("Thực hiện dân chủ trong cơ quan năm 2024")
    page.get_by_label("Cán bộ phụ trách QCDC").fill("Trần Thị Mai")
    program = tmp_path / "plan.pdf"
    program.write_bytes(ELF_BYTES)
    page.get_by_label("Kế hoạch đã ký").set_input_files(str(program))
    page.get_by_role("button", name="Lưu và gửi Ban Tuyên giáo").click()
    # Beside the field, and in the summary at the top of the form (issue 11).
    expect(page.locator(".invalid-feedback").get_by_text("không phải là tệp PDF hợp lệ")).to_be_visible()
    expect(page.locator("#form-errors")).to_contain_text("không phải là tệp PDF hợp lệ")
    expect(page.get_by_label("Cán bộ phụ trách QCDC")).to_have_value("Trần Thị Mai")
    signed = tmp_path / "ke-hoach-da-ky.pdf"
    signed.write_bytes(MINIMAL_PDF)
    page.get_by_label("Kế hoạch đã ký").set_input_files(str(signed))
    page.get_by_role("button", name="Lưu và gửi Ban Tuyên giáo").click()
    expect(page.locator("#status")).to_contain_text("Đã gửi, chờ duyệt")
    expect(page.locator("#attachments")).to_contain_text("ke-hoach-da-ky.pdf")
    assert DemocracyPlan.objects.get().status == "submitted"

    page.goto(f"{live_server.url}{cycle.get_absolute_url()}")
    page.get_by_role("link", name="Lập báo cáo").click()
    expect(page.locator("h1")).to_contain_text("rà soát từ ngày 01/10/2023 đến ngày 30/09/2024")
    page.get_by_label("Công tác lãnh đạo, chỉ đạo, tổ chức thực hiện").fill("Rà soát văn bản thực hiện dân chủ")
    page.get_by_label("Báo cáo đã ký").set_input_files(str(signed))
    page.get_by_role("button", name="Lưu và gửi Ban Tuyên giáo").click()
    expect(page.locator("#review-period")).to_contain_text("Từ ngày 01/10/2023 đến ngày 30/09/2024")
    page.screenshot(path="/tmp/e2e-qcdc.png", full_page=True)
