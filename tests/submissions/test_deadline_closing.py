"""A deadline stays on the tracking page and the dashboard until every expected organisation has sent it or staff
close it ("Đóng hạn nộp"), however long ago it fell due. History is built day by day, then asked about several
dates afterwards."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from dukportal.core.models import AuditEntry
from dukportal.dashboard.selectors import dashboard_for
from dukportal.notifications import selectors
from dukportal.submissions import services
from models_danvan import obligations
from tests.factories import OrganizationFactory
from tests.notifications.factories import at, campaign_with_deadlines, deadline_of, submitted

pytestmark = pytest.mark.django_db
REGISTRATION = obligations.REGISTRATION


def _tracked(user, day):
    return [p.deadline.kind for p in selectors.deadline_progress(user, today=day)]


@pytest.fixture
def history(bloc, staff_user):
    """Registration due 30/4/2024. A sends on 25/4; B only on 15/9; C never (staff close it on 1/11)."""
    with time_machine.travel(at(date(2024, 3, 1)), tick=False):
        campaign = campaign_with_deadlines(2024, created_by=staff_user)
        a, b, c = (OrganizationFactory(code=code) for code in "ABC")
    submitted(campaign, a, at(date(2024, 4, 25)))
    submitted(campaign, b, at(date(2024, 9, 15)))
    deadline = deadline_of(campaign)
    with time_machine.travel(at(date(2024, 11, 1), hour=10), tick=False):
        services.deadline_close(actor=staff_user, deadline=deadline, reason="Chi bộ C đã có văn bản xin miễn")
    return deadline, (a, b, c)


def test_a_long_past_deadline_stays_tracked_while_someone_owes_it_and_leaves_once_closed(history, staff_user):
    deadline, _ = history
    assert REGISTRATION in _tracked(staff_user, date(2024, 5, 20))  # within the usual 30 days
    assert REGISTRATION in _tracked(staff_user, date(2024, 8, 1))  # 3 months late: B and C still owe it
    assert REGISTRATION in _tracked(staff_user, date(2024, 10, 31))  # C still owes it, not yet closed
    assert REGISTRATION not in _tracked(staff_user, date(2024, 11, 1))  # closed that day
    assert REGISTRATION not in _tracked(staff_user, date(2025, 3, 1))
    (progress,) = [p for p in selectors.deadline_progress(staff_user, today=date(2024, 8, 1)) if p.deadline == deadline]
    assert (progress.sent, progress.expected, progress.late) == (1, 3, 2)


def test_a_long_past_deadline_everyone_has_sent_leaves_the_page(bloc, staff_user):
    with time_machine.travel(at(date(2024, 3, 1)), tick=False):
        campaign = campaign_with_deadlines(2024, created_by=staff_user)
        a = OrganizationFactory(code="A")
    submitted(campaign, a, at(date(2024, 8, 10)))
    assert REGISTRATION in _tracked(staff_user, date(2024, 8, 9))  # late, still owed
    assert REGISTRATION in _tracked(staff_user, date(2024, 5, 25))  # recent: shown even when complete later
    assert REGISTRATION not in _tracked(staff_user, date(2024, 8, 10))  # everyone has sent, long past


def test_the_dashboard_follows_the_same_rule(history, staff_user):
    def kinds(day):
        return [p.deadline.kind for p in dashboard_for(staff_user, today=day).deadlines]

    assert REGISTRATION in kinds(date(2024, 10, 1))
    assert REGISTRATION not in kinds(date(2024, 11, 2))


def test_closing_is_audited_needs_a_reason_and_staff_and_happens_once(history, staff_user, officer_user):
    deadline, _ = history
    deadline.refresh_from_db()
    assert deadline.closed_by == staff_user and deadline.close_reason == "Chi bộ C đã có văn bản xin miễn"
    assert AuditEntry.objects.filter(action="deadline.close", target_id=str(deadline.pk)).count() == 1
    with pytest.raises(ValidationError, match="đã được đóng ngày 01/11/2024"):
        services.deadline_close(actor=staff_user, deadline=deadline, reason="Lần nữa")
    services.deadline_reopen(actor=staff_user, deadline=deadline)
    with pytest.raises(ValidationError, match="lý do đóng"):
        services.deadline_close(actor=staff_user, deadline=deadline, reason="  ")
    with pytest.raises(PermissionDenied):
        services.deadline_close(actor=officer_user, deadline=deadline, reason="Không cần")
    deadline.refresh_from_db()
    assert deadline.closed_at is None


def test_a_closed_deadline_sends_no_more_reminders(history, settings, staff_user):
    settings.REMINDER_DAYS_AFTER = [1, 7, 14, 200]

    def due(day):
        return [w for w in selectors.reminders_due(day) if w[0].kind == REGISTRATION]

    assert due(date(2024, 5, 14))  # 14 days late, before the closing: C and B are reminded
    assert not due(date(2024, 11, 16))  # 200 days late, after the closing
    services.deadline_reopen(actor=staff_user, deadline=history[0])
    assert due(date(2024, 11, 16))


def test_staff_close_from_the_tracking_page_and_others_may_not(history, staff_user, officer_user, leader_user):
    deadline, _ = history
    services.deadline_reopen(actor=staff_user, deadline=deadline)
    url = reverse("notifications:close_deadline", args=[deadline.pk])
    for user in (officer_user, leader_user):
        client = Client()
        client.force_login(user)
        assert client.post(url, {"reason": "x"}).status_code == 403
    client = Client()
    client.force_login(staff_user)
    with time_machine.travel(at(date(2024, 12, 1)), tick=False):
        page = client.get(reverse("notifications:tracking")).content.decode()
        assert f'action="{url}"' in page and "Đóng hạn nộp" in page
        response = client.post(url, {"reason": "Đã hết năm"}, follow=True)
    assert "Đã đóng hạn nộp" in response.content.decode()
    deadline.refresh_from_db()
    assert deadline.close_reason == "Đã hết năm"
