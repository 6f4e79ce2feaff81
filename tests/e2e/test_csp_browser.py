"""With the Content-Security-Policy on, the pages still work in a real browser and the browser reports no
violation: the dashboard, the tracking page whose reminder-job panel htmx refreshes, the statistics chart,
and a document page with its confirmation buttons and the preview's styles."""

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from dukportal.notifications.models import ReminderJob
from reports import services as documents
from reports.models import DocumentKind
from tests.factories import OrganizationFactory
from tests.notifications.factories import campaign_with_deadlines, deadline_of, submitted
from tests.reports.factories import IssuingBodyFactory, TermFactory
from tests.timeline import complete_timelines

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Each document records what the browser refused; navigation starts a new list.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


def test_pages_work_under_the_policy_without_a_single_violation(page, live_server, log_in, staff_user):
    today = timezone.localdate()
    campaign = campaign_with_deadlines(today.year, created_by=staff_user)
    organizations = [OrganizationFactory() for _ in range(3)]
    submitted(campaign, organizations[0], timezone.now())
    complete_timelines()
    # A queued job: the tracking page's panel polls it through htmx (hx-trigger="every 3s").
    ReminderJob.objects.create(deadline=deadline_of(campaign), requested_by=staff_user)
    TermFactory()
    document = documents.document_create(actor=staff_user, kind=DocumentKind.OTHER, issuing_body=IssuingBodyFactory())

    console_violations = []
    page.on(
        "console",
        lambda message: console_violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    page.add_init_script(RECORD_VIOLATIONS)

    def violations():
        return page.evaluate("window.__cspViolations")

    log_in(staff_user.username)

    response = page.goto(f"{live_server.url}{reverse('dashboard:index')}")
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert page.evaluate("typeof bootstrap") == "object"
    page.locator(".navbar .dropdown-toggle").last.click()  # Bootstrap's JS opens the user menu
    expect(page.get_by_role("link", name="Đổi mật khẩu")).to_be_visible()
    assert violations() == []

    page.goto(f"{live_server.url}{reverse('notifications:tracking')}")
    assert page.evaluate("htmx.config.includeIndicatorStyles") is False
    with page.expect_response(lambda r: reverse("notifications:jobs") in r.url, timeout=10_000) as polled:
        pass
    assert polled.value.status == 200
    expect(page.locator("#job-table")).to_contain_text("Đang chờ máy chủ xử lý")
    assert page.locator("head style").count() == 0  # htmx injected no inline <style>
    assert violations() == []

    page.goto(f"{live_server.url}{reverse('models_danvan:statistics', args=[campaign.pk])}")
    page.wait_for_function("() => window.Chart && Chart.getChart('category-chart')")
    assert violations() == []

    page.goto(f"{live_server.url}{document.get_absolute_url()}")
    preview = page.frame_locator("iframe[title='Xem trước văn bản']")
    expect(preview.locator("body")).to_be_visible()
    # The preview's <style> (nonced) applied: "body { margin: 0 }" replaced the browser's 8px.
    assert preview.locator("body").evaluate("e => getComputedStyle(e).marginTop") == "0px"
    # The confirmation, now from static/js/portal.js rather than an inline onclick: dismissing it keeps the draft.
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="Xóa dự thảo").click()
    expect(page).to_have_url(f"{live_server.url}{document.get_absolute_url()}")
    expect(page.get_by_role("button", name="Xóa dự thảo")).to_be_visible()
    assert violations() == []

    assert console_violations == []
