"""Issue 10, delivery: staff issue a dispatch to three organisations, two officers open it from their "Văn bản
đến", and the document page shows "Đã xem 2/3"; a deadline made from one of its sections is then on the
tracking page."""

from datetime import date, timedelta

import pytest
from celery import current_app as celery_app
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from reports import recipients
from reports.document import text_date
from tests.factories import OrganizationFactory, UserFactory
from tests.reports.delivery_helpers import dispatch
from tests.reports.factories import IssuingBodyFactory, TermFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def celery_eager():
    """The live server runs the delivery task in-process (no worker in a test)."""
    conf = celery_app.conf
    saved = conf.task_always_eager, conf.task_eager_propagates
    conf.task_always_eager, conf.task_eager_propagates = True, True
    yield
    conf.task_always_eager, conf.task_eager_propagates = saved


def test_staff_issue_two_officers_open_and_the_page_shows_2_of_3_read(
    page, live_server, log_in, staff_user, celery_eager, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    today = timezone.localdate()
    due = today + timedelta(days=60)
    TermFactory(start_date=date(today.year - 2, 1, 1), end_date=date(today.year + 3, 1, 1))
    issuing_body = IssuingBodyFactory()
    orgs = [OrganizationFactory(name=f"Đảng bộ Sở {n}") for n in ("An Bình", "Bắc Hà", "Cát Tiên")]
    first = UserFactory(username="coso001", organization=orgs[0])
    second = UserFactory(username="coso002", organization=orgs[1])
    body = (
        "# 1. Về việc báo cáo sơ kết công tác dân vận\n"
        f"Đề nghị các chi, đảng bộ cơ sở gửi báo cáo về Ban Tuyên giáo trước ngày {text_date(due)}.\n"
    )
    draft = dispatch(
        staff_user,
        issuing_body,
        recipients.RecipientChoice(base="chosen", organizations=[o.pk for o in orgs]),
        body=body,
        as_of=today,
    )

    log_in(staff_user.username)
    page.goto(f"{live_server.url}{reverse('reports:document', args=[draft.pk])}")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Phát hành (cấp số)").click()
    expect(page.get_by_text("Đã phát hành văn bản số")).to_be_visible()
    expect(page.locator("#delivery-ratio")).to_have_text("0/3")

    for officer in (first, second):
        page.context.clear_cookies()
        log_in(officer.username)
        page.get_by_role("link", name="Văn bản đến").first.click()
        row = page.locator("#inbox-table tbody tr.inbox-unread")
        expect(row).to_have_count(1)
        row.get_by_role("link").click()
        expect(page.locator("#document-subject")).to_have_text("V/v triển khai nhiệm vụ năm 2024")
        page.get_by_role("link", name="Văn bản đến").first.click()
        expect(page.locator("#inbox-table tbody tr.inbox-read")).to_have_count(1)

    page.context.clear_cookies()
    log_in(staff_user.username)
    page.goto(f"{live_server.url}{reverse('reports:document', args=[draft.pk])}")
    expect(page.locator("#delivery-ratio")).to_have_text("2/3")
    expect(page.locator("#delivery-opened")).to_contain_text("Đảng bộ Sở An Bình")
    expect(page.locator("#delivery-opened")).to_contain_text("Đảng bộ Sở Bắc Hà")
    expect(page.locator("#delivery-unopened")).to_contain_text("Đảng bộ Sở Cát Tiên")

    page.get_by_role("link", name="Tạo hạn nộp từ văn bản").click()
    section = page.locator(".request-section").first
    expect(section.get_by_label("Nội dung phải nộp")).to_have_value("Báo cáo sơ kết công tác dân vận")
    expect(section.get_by_label("Hạn nộp")).to_have_value(f"{due:%d/%m/%Y}")
    section.get_by_role("button", name="Tạo hạn nộp").click()
    expect(page.get_by_text("Đã tạo hạn nộp “Báo cáo sơ kết công tác dân vận”")).to_be_visible()

    page.goto(f"{live_server.url}{reverse('notifications:tracking')}")
    expect(page.get_by_text("Báo cáo sơ kết công tác dân vận").first).to_be_visible()
