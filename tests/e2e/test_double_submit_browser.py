"""A double click on “Lưu và gửi” in a real browser leaves one record with one file: with the portal's script
(the button is disabled after the first click) and without it (the browser really posts twice; the form's
one-time token makes the second post find the first one's record)."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from playwright.sync_api import expect

from democracy_regs.models import DemocracyPlan
from dukportal.submissions.models import Attachment
from models_danvan.models import Registration
from tests.democracy_regs.factories import MINIMAL_PDF, complete_committee, open_cycle
from tests.factories import PASSWORD, CampaignFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(params=["with-script", "without-script"])
def officer_page(request, browser, live_server, officer_user):
    context = browser.new_context(java_script_enabled=request.param == "with-script")
    page = context.new_page()
    page.goto(f"{live_server.url}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(officer_user.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(lambda url: "/dang-nhap/" not in url)
    yield page
    context.close()


def files_of(record):
    return Attachment.objects.filter(content_type=ContentType.objects.get_for_model(record), object_id=record.pk)


def test_double_click_on_send_registers_one_model_with_one_file(officer_page, live_server, staff_user, tmp_path):
    page = officer_page
    campaign = CampaignFactory(year=2024, created_by=staff_user)
    signed = tmp_path / "ke-hoach-mo-hinh.pdf"
    signed.write_bytes(MINIMAL_PDF)
    page.goto(live_server.url + reverse("models_danvan:registration_create", args=[campaign.pk]))
    page.get_by_label("Lĩnh vực / loại điển hình").select_option(label="Văn hóa – xã hội")
    page.get_by_label("Tên mô hình, điển hình").fill("Mô hình “Nhà văn hóa sáng, xanh, sạch”")
    page.get_by_label("Người phụ trách").fill("Hoàng Thị Ánh")
    page.get_by_label("Ngày bắt đầu").fill("01/03/2024")
    page.get_by_label("Ngày kết thúc").fill("31/12/2024")
    page.get_by_label("Tệp đính kèm (PDF, DOCX, XLSX, ảnh)").set_input_files(str(signed))

    page.get_by_role("button", name="Lưu và gửi Ban Tuyên giáo").dblclick()

    expect(page.locator("#status")).to_contain_text("Đã gửi, chờ duyệt")
    registration = Registration.objects.get()
    assert registration.status == "submitted"
    assert [f.original_name for f in files_of(registration)] == ["ke-hoach-mo-hinh.pdf"]


def test_double_click_on_send_makes_one_qcdc_plan_with_one_file(
    officer_page, live_server, staff_user, officer_user, tmp_path
):
    page = officer_page
    cycle = open_cycle(staff_user)
    complete_committee(officer_user.organization)
    signed = tmp_path / "ke-hoach-da-ky.pdf"
    signed.write_bytes(MINIMAL_PDF)
    page.goto(f"{live_server.url}{cycle.get_absolute_url()}")
    page.get_by_role("link", name="Lập kế hoạch").click()
    page.get_by_label("Số kế hoạch").fill("05-KH/ĐU")
    page.get_by_label("Ngày ban hành").fill("10/04/2024")
    page.get_by_label("Nội dung chính").fill("Thực hiện dân chủ trong cơ quan năm 2024")
    page.get_by_label("Cán bộ phụ trách QCDC").fill("Trần Thị Mai")
    page.get_by_label("Kế hoạch đã ký").set_input_files(str(signed))

    page.get_by_role("button", name="Lưu và gửi Ban Tuyên giáo").dblclick()

    expect(page.locator("#status")).to_contain_text("Đã gửi, chờ duyệt")
    plan = DemocracyPlan.objects.get()
    assert plan.status == "submitted"
    assert files_of(plan).count() == 1


def test_a_refused_form_shows_the_summary_focused_and_says_the_file_must_be_chosen_again(
    page, live_server, log_in, officer_user, staff_user, tmp_path
):
    campaign = CampaignFactory(year=2024, created_by=staff_user)
    signed = tmp_path / "ke-hoach-mo-hinh.pdf"
    signed.write_bytes(MINIMAL_PDF)
    log_in(officer_user.username)
    page.goto(live_server.url + reverse("models_danvan:registration_create", args=[campaign.pk]))
    page.get_by_label("Tên mô hình, điển hình").fill("Mô hình “Nhà văn hóa sáng, xanh, sạch”")
    page.get_by_label("Tệp đính kèm (PDF, DOCX, XLSX, ảnh)").set_input_files(str(signed))
    page.get_by_role("button", name="Lưu và gửi Ban Tuyên giáo").click()

    summary = page.get_by_role("alert").filter(has_text="Biểu mẫu còn")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Tệp đã chọn chưa được lưu: hãy chọn lại tệp trước khi gửi.")
    expect(page.get_by_label("Tên mô hình, điển hình")).to_have_value("Mô hình “Nhà văn hóa sáng, xanh, sạch”")
    summary.get_by_role("link", name="Người phụ trách").click()
    expect(page.get_by_label("Người phụ trách")).to_be_focused()
    assert not Registration.objects.exists()
