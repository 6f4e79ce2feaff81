"""Withdrawing a sent submission from its page: the organisation's officer or staff, with a reason; from that
moment it no longer counts, while the figures of earlier days keep it."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from democracy_regs.selectors import cycle_summary
from models_danvan import obligations
from models_danvan.selectors import campaign_statistics
from tests.democracy_regs.factories import PlanFactory, open_cycle
from tests.factories import CampaignFactory, RegistrationFactory

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
SENT, WITHDRAWN = datetime(2024, 5, 2, 9, tzinfo=HCM), datetime(2024, 6, 3, 10, tzinfo=HCM)


@pytest.fixture
def registration(staff_user, organization):
    campaign = CampaignFactory(year=2024, created_by=staff_user)
    obligations.sync_campaign_deadlines(campaign)
    return RegistrationFactory(campaign=campaign, organization=organization, submitted_at=SENT)


def test_officer_withdraws_with_a_reason_and_earlier_figures_keep_it(client, officer_user, registration):
    client.force_login(officer_user)
    url = reverse("models_danvan:registration_withdraw", args=[registration.pk])
    page = client.get(registration.get_absolute_url()).content.decode()
    assert url in page and "Rút lại hồ sơ đã gửi" in page
    with time_machine.travel(WITHDRAWN, tick=False):
        response = client.post(url, {"comment": "Đăng ký nhầm đợt"}, follow=True)
    assert "Đã rút lại hồ sơ" in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == "withdrawn"
    campaign = registration.campaign
    assert campaign_statistics(campaign, on=date(2024, 6, 2)).total == 1
    assert campaign_statistics(campaign, on=date(2024, 6, 3)).total == 0
    # Nothing more to withdraw, and no form any more.
    assert url not in client.get(registration.get_absolute_url()).content.decode()


def test_a_withdrawal_without_a_reason_changes_nothing(client, officer_user, registration):
    client.force_login(officer_user)
    url = reverse("models_danvan:registration_withdraw", args=[registration.pk])
    response = client.post(url, {"comment": "  "}, follow=True)
    assert "Vui lòng ghi rõ lý do rút lại hồ sơ." in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == "submitted"


def test_only_the_organisation_or_staff_withdraw(client, registration, other_officer_user, leader_user):
    url = reverse("models_danvan:registration_withdraw", args=[registration.pk])
    assert client.post(url, {"comment": "x"}).status_code == 302  # anonymous → login
    client.force_login(other_officer_user)
    assert client.post(url, {"comment": "x"}).status_code == 404
    client.force_login(leader_user)
    assert client.post(url, {"comment": "x"}).status_code == 403
    registration.refresh_from_db()
    assert registration.status == "submitted"


def test_staff_withdraw_a_qcdc_plan(staff_client, staff_user, organization):
    cycle = open_cycle(staff_user)
    plan = PlanFactory(cycle=cycle, organization=organization, submitted_at=SENT)
    with time_machine.travel(WITHDRAWN, tick=False):
        staff_client.post(reverse("democracy_regs:plan_withdraw", args=[plan.pk]), {"comment": "Gửi nhầm đơn vị"})
    plan.refresh_from_db()
    assert plan.status == "withdrawn"
    assert cycle_summary(cycle, on=date(2024, 6, 2)).plans.done == 1
    assert cycle_summary(cycle, on=date(2024, 6, 3)).plans.done == 0


def test_after_withdrawing_its_plan_an_organisation_can_send_a_new_one(staff_user, organization, officer_user, client):
    cycle = open_cycle(staff_user)
    plan = PlanFactory(cycle=cycle, organization=organization, submitted_at=SENT)
    client.force_login(officer_user)
    with time_machine.travel(WITHDRAWN, tick=False):
        client.post(reverse("democracy_regs:plan_withdraw", args=[plan.pk]), {"comment": "Gửi nhầm bản"})
    page = client.get(cycle.get_absolute_url()).content.decode()
    assert reverse("democracy_regs:plan_create", args=[cycle.pk]) in page
    second = PlanFactory(cycle=cycle, organization=organization, submitted_at=datetime(2024, 6, 5, 9, tzinfo=HCM))
    assert cycle_summary(cycle, on=date(2024, 6, 4)).plans.done == 0
    assert cycle_summary(cycle, on=date(2024, 6, 5)).plans.done == 1
    assert second.pk != plan.pk
