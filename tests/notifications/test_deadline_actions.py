"""The tracking page offers staff the actions other apps register on a deadline
(dukportal.notifications.deadline_actions): one declared here alone is a button on each deadline still owed,
linking to its page for that deadline and reference date; reports' reminder dispatch is one of them."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from dukportal.notifications import deadline_actions
from dukportal.submissions.models import Deadline
from models_danvan import obligations
from tests.factories import CampaignFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def owed_deadline(staff_user, bloc):
    OrganizationFactory()
    campaign = CampaignFactory(year=2024, created_by=staff_user, registration_deadline=date(2024, 5, 15))
    obligations.sync_campaign_deadlines(campaign)
    return Deadline.objects.get(kind=obligations.REGISTRATION)


@pytest.fixture
def visit_action():
    deadline_actions.register(
        deadline_actions.DeadlineAction(
            key="tests.visit",
            label="Lên lịch kiểm tra",
            url=lambda deadline, reference_query: f"/kiem-tra/?deadline={deadline.pk}&{reference_query}",
            icon="calendar",
            css_class="plan-visit",
        )
    )
    yield
    deadline_actions.unregister("tests.visit")


@time_machine.travel(date(2024, 5, 10), tick=False)
def test_a_registered_action_is_offered_on_an_owed_deadline(staff_client, owed_deadline, visit_action):
    page = staff_client.get(reverse("notifications:tracking"), {"ngay": "10/05/2024"}).content.decode()
    assert (
        f'<a class="btn btn-outline-secondary plan-visit" href="/kiem-tra/?deadline={owed_deadline.pk}&amp;ngay=10%2F05%2F2024">'
        '<i class="bi bi-calendar"></i> Lên lịch kiểm tra</a>'
    ) in page
    assert "write-dispatch" in page  # reports' own action stays


@time_machine.travel(date(2024, 5, 10), tick=False)
def test_leaders_are_not_offered_the_actions(leader_client, owed_deadline, visit_action):
    page = leader_client.get(reverse("notifications:tracking")).content.decode()
    assert "plan-visit" not in page and "write-dispatch" not in page
