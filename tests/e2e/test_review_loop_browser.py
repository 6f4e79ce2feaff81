"""The whole review loop in a real browser, the officer and staff each in their own session: the officer sends a
registration → staff return it with a comment on a field → the officer sees the notice (bell) and the comment
next to the field, fixes it, adds the file and resends → staff see what changed and accept → the officer is
told."""

import pytest
from playwright.sync_api import expect

from dukportal.celery import app as celery_app
from tests.e2e.browser import sign_in
from tests.factories import CampaignFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def in_process_tasks(settings, tmp_path):
    """Notices are Celery tasks: run them in-process so the bell shows them without a worker."""
    settings.MEDIA_ROOT = tmp_path / "media"
    conf = celery_app.conf
    saved = conf.task_always_eager, conf.task_eager_propagates
    conf.task_always_eager, conf.task_eager_propagates = True, True
    yield
    conf.task_always_eager, conf.task_eager_propagates = saved


def test_return_with_a_field_comment_fix_resend_diff_and_accept(
    page, browser, live_server, officer_user, staff_user, tmp_path
):
    campaign = CampaignFactory(year=2024, created_by=staff_user)
    officer = sign_in(page, live_server, officer_user.username)
    staff_context = browser.new_context()
    staff = sign_in(staff_context.new_page(), live_server, staff_user.username)

    # The officer sends a registration.
    officer.goto(f"{live_server.url}{campaign.get_absolute_url()}")
    officer.get_by_role("link", name="Đăng ký mô hình mới").click()
    officer.get_by_label("Lĩnh vực / loại điển hình").select_option(label="Văn hóa – xã hội")
    officer.get_by_label("Tên mô hình, điển hình").fill("Nhà văn hóa sáng, xanh, sạch")
    officer.get_by_label("Người phụ trách").fill("Hoàng Thị Ánh")
    officer.get_by_label("Ngày bắt đầu").fill("01/03/2024")
    officer.get_by_label("Ngày kết thúc").fill("31/12/2024")
    officer.get_by_role("button", name="Lưu và gửi Ban Tuyên giáo").click()
    expect(officer.locator("#status")).to_contain_text("Đã gửi, chờ duyệt")
    detail_url = officer.url

    # Staff return it with a reason and comments on two fields.
    staff.goto(detail_url)
    staff.get_by_label("Lý do trả lại").fill("Đề nghị bổ sung theo ý kiến từng mục")
    staff.locator("#field-comment-boxes summary").click()
    staff.get_by_label("Tên mô hình, điển hình").fill("Ghi rõ địa bàn")
    staff.get_by_label("Tệp đính kèm").fill("Gửi kèm bản đăng ký có chữ ký")
    staff.get_by_role("button", name="Trả lại để bổ sung").click()
    expect(staff.locator("#status")).to_contain_text("Trả lại để bổ sung")

    # The officer sees the notice on the bell and opens the item from it.
    officer.reload()
    expect(officer.locator("#unread-count")).to_have_text("1")
    officer.locator("#notification-bell").click()
    item = officer.locator("#notification-list .list-group-item").first
    expect(item).to_contain_text("Hồ sơ bị trả lại để bổ sung: Nhà văn hóa sáng, xanh, sạch")
    item.get_by_text("Nội dung").click()
    expect(item).to_contain_text("Tên mô hình, điển hình: Ghi rõ địa bàn")
    item.get_by_role("button", name="Xem").click()
    expect(officer.locator("#field-comments")).to_contain_text("Tên mô hình, điển hình: Ghi rõ địa bàn")

    # On the edit form each comment stands under its field; the officer fixes the name and adds the file.
    officer.get_by_role("link", name="Sửa nội dung").click()
    expect(officer.locator("#field-comment-name")).to_contain_text("Ban Tuyên giáo: Ghi rõ địa bàn")
    expect(officer.locator("#field-comment-attachment")).to_contain_text("Gửi kèm bản đăng ký có chữ ký")
    officer.get_by_label("Tên mô hình, điển hình").fill("Nhà văn hóa sáng, xanh, sạch tại phường Hưng Bình")
    signed = tmp_path / "dang-ky-co-chu-ky.pdf"
    signed.write_bytes(PDF)
    officer.locator("#id_attachment").set_input_files(str(signed))
    officer.get_by_role("button", name="Lưu và gửi Ban Tuyên giáo").click()
    expect(officer.locator("#status")).to_contain_text("Đã gửi, chờ duyệt")
    expect(officer.locator("#field-comments")).to_have_count(0)

    # Staff see what changed between the two versions, then accept.
    staff.goto(detail_url)
    diff = staff.locator("#version-diff")
    expect(diff).to_contain_text("Phiên bản 1 → phiên bản 2")
    name_row = diff.locator("tr[data-field='name']")
    expect(name_row.locator("del")).to_have_text("Nhà văn hóa sáng, xanh, sạch")
    expect(name_row.locator("ins")).to_have_text("Nhà văn hóa sáng, xanh, sạch tại phường Hưng Bình")
    expect(diff).to_contain_text("Thêm tệp: dang-ky-co-chu-ky.pdf")
    staff.get_by_role("button", name="Tiếp nhận").click()
    expect(staff.locator("#status")).to_contain_text("Đã tiếp nhận")

    # The officer is told.
    officer.reload()
    expect(officer.locator("#unread-count")).to_have_text("1")
    officer.locator("#notification-bell").click()
    expect(officer.locator("#notification-list")).to_contain_text(
        "Hồ sơ đã được tiếp nhận: Nhà văn hóa sáng, xanh, sạch tại phường Hưng Bình"
    )
    officer.screenshot(path="/tmp/e2e-review-loop.png", full_page=True)
    staff_context.close()


def test_nil_return_from_the_to_do_list_counts_apart_on_tracking(
    page, browser, live_server, officer_user, other_organization, staff_user
):
    from django.utils import timezone

    from tests.democracy_regs.factories import open_cycle

    open_cycle(staff_user, year=timezone.localdate().year)
    officer = sign_in(page, live_server, officer_user.username)  # lands on the organisation's to-do list
    row = officer.locator("#own-obligations tr", has_text="Tự kiểm tra QCDC")
    expect(officer.locator("#own-obligations tr", has_text="Kế hoạch QCDC").locator(".nil-action")).to_have_count(0)
    row.get_by_role("link", name="Không phát sinh").click()
    officer.get_by_role("button", name="Gửi báo cáo không phát sinh").click()  # no reason: refused, nothing lost
    expect(officer.get_by_text("bắt buộc").first).to_be_visible()
    officer.get_by_label("Lý do không phát sinh").fill("Trong năm đơn vị không tổ chức hoạt động tự kiểm tra")
    officer.get_by_role("button", name="Gửi báo cáo không phát sinh").click()
    expect(officer.locator("#status .nil-badge")).to_have_text("Không phát sinh")
    expect(officer.locator("#nil-reason")).to_contain_text("không tổ chức hoạt động tự kiểm tra")
    officer.goto(f"{live_server.url}/")
    expect(row.locator(".nil-badge")).to_have_text("Không phát sinh")

    staff_context = browser.new_context()
    staff = sign_in(staff_context.new_page(), live_server, staff_user.username)
    staff.goto(f"{live_server.url}/theo-doi-han-nop/")
    card = staff.locator(".deadline-card", has_text="Báo cáo tự kiểm tra, giám sát")
    expect(card.locator(".sent-count")).to_have_text("1")
    expect(card.locator(".nil-count")).to_have_text("1")
    staff_context.close()
