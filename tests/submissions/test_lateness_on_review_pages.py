"""Where staff review a submission, a late one says how late, counted from its first sending."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from dukportal.submissions import services as workflow
from models_danvan import obligations
from tests.democracy_regs.factories import PlanFactory, open_cycle
from tests.factories import CampaignFactory, RegistrationFactory

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def campaign(staff_user):
    campaign = CampaignFactory(year=2024, created_by=staff_user, registration_deadline=date(2024, 4, 30))
    obligations.sync_campaign_deadlines(campaign)
    return campaign


def test_a_late_registration_shows_its_days_late_and_a_resend_does_not_add_any(staff_client, staff_user, campaign):
    late = RegistrationFactory(campaign=campaign, submitted_at=datetime(2024, 5, 3, 9, tzinfo=HCM))
    on_time = RegistrationFactory(campaign=campaign, submitted_at=datetime(2024, 4, 30, 22, tzinfo=HCM))
    page = staff_client.get(late.get_absolute_url()).content.decode()
    assert 'id="days-late">nộp muộn 3 ngày<' in page
    assert 'id="days-late"' not in staff_client.get(on_time.get_absolute_url()).content.decode()
    # Returned and sent again weeks later: still 3 days late (its first sending).
    with time_machine.travel(datetime(2024, 5, 10, 9, tzinfo=HCM), tick=False):
        returned = workflow.submission_return(actor=staff_user, submission=late, comment="Bổ sung")
    with time_machine.travel(datetime(2024, 6, 1, 9, tzinfo=HCM), tick=False):
        workflow.submission_submit(actor=staff_user, submission=returned)
    assert 'id="days-late">nộp muộn 3 ngày<' in staff_client.get(late.get_absolute_url()).content.decode()


def test_a_late_qcdc_plan_shows_its_days_late(staff_client, staff_user, organization):
    cycle = open_cycle(staff_user)  # plans due 15/5/2024
    plan = PlanFactory(cycle=cycle, organization=organization, submitted_at=datetime(2024, 5, 20, 9, tzinfo=HCM))
    assert 'id="days-late">nộp muộn 5 ngày<' in staff_client.get(plan.get_absolute_url()).content.decode()
