"""An organisation's page shows its own obligations with their status, and the reminders it received."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from dukportal.notifications import tasks

from .factories import at, campaign_with_deadlines, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def reminded(organization, officer_user, django_capture_on_commit_callbacks):
    officer_user.email = "canbo@stc.vn"
    officer_user.save()
    campaign = campaign_with_deadlines(
        2024,
        registration_deadline=date(2024, 5, 15),
        midyear_deadline=date(2024, 6, 30),
        yearend_deadline=date(2024, 11, 30),
    )
    with time_machine.travel(at(date(2024, 5, 8)), tick=False), django_capture_on_commit_callbacks(execute=True):
        tasks.send_due_reminders.delay()
    # Accepted: the organisation then also owes the model's mid-year and year-end evaluations.
    submitted(campaign, organization, at(date(2024, 5, 12)), status="accepted")
    return campaign


def test_officer_sees_own_obligations_and_reminders_received(officer_client, organization, reminded):
    with time_machine.travel(at(date(2024, 5, 20), hour=10), tick=False):
        response = officer_client.get(reverse("organizations:detail", args=[organization.pk]))
    html = response.content.decode()
    assert "Hồ sơ phải nộp năm 2024" in html
    assert "Đăng ký mô hình “Dân vận khéo” năm 2024" in html
    assert 'Đã tiếp nhận</span> <span class="small">12/05/2024' in html
    assert "Báo cáo sơ kết 6 tháng mô hình “Dân vận khéo” năm 2024" in html and "Còn 41 ngày" in html
    # The reminder received on 08/05: when, what, by which channel.
    assert "08/05/2024 07:00" in html
    assert "Nhắc trước hạn" in html
    assert "Thông báo trên Cổng (1 tài khoản)" in html and "Thư điện tử: canbo@stc.vn" in html


def test_another_organisation_page_shows_none_of_it(client, other_officer_user, organization, reminded):
    client.force_login(other_officer_user)
    assert client.get(reverse("organizations:detail", args=[organization.pk])).status_code == 404


def test_leader_sees_an_organisations_reminders(leader_client, organization, reminded):
    html = leader_client.get(reverse("organizations:detail", args=[organization.pk])).content.decode()
    assert "Nhắc nhở đã nhận" in html and "canbo@stc.vn" in html
