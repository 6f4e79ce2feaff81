"""The officer's landing page is a to-do list: each obligation with its due date, state and one button to act."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from tests.democracy_regs.factories import PlanFactory, open_cycle

from .factories import at, campaign_with_deadlines, submitted

pytestmark = pytest.mark.django_db


@time_machine.travel(at(date(2024, 5, 10), hour=9), tick=False)
def test_each_obligation_has_a_button_worded_by_where_the_organisation_stands(client, officer_user, staff_user):
    organization = officer_user.organization
    campaign = campaign_with_deadlines(2024, registration_deadline=date(2024, 5, 15), created_by=staff_user)
    cycle = open_cycle(staff_user)
    PlanFactory(cycle=cycle, organization=organization, status="returned")
    client.force_login(officer_user)
    response = client.get(reverse("home"), follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("organizations:detail", args=[organization.pk])
    campaign_url = reverse("models_danvan:campaign", args=[campaign.pk])
    assert f'href="{campaign_url}">Lập và gửi hồ sơ</a>' in page
    assert f'href="{reverse("democracy_regs:cycle", args=[cycle.pk])}">Bổ sung hồ sơ bị trả lại</a>' in page
    submitted(campaign, organization, at(date(2024, 5, 10), hour=8))
    page = client.get(reverse("organizations:detail", args=[organization.pk])).content.decode()
    assert f'href="{campaign_url}">Xem hồ sơ</a>' in page
