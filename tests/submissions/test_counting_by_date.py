"""Whether a submission counts on a day is read from its timeline: from its first sending until it is
withdrawn; a return does not un-send it; drafts and later sendings do not count. Built day by day with frozen
time, asked about afterwards."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from dukportal.submissions import deadlines, services
from dukportal.submissions.models import Deadline
from models_danvan import obligations
from tests.factories import CampaignFactory, OrganizationFactory, UserFactory, registration_by_service

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def moment(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=HCM)


@pytest.fixture
def history(bloc, staff_user):
    """Registration deadline 30/4/2024. A sends on 10/4, is returned on 20/4 and resends on 5/5; B sends on
    2/5 (late) and withdraws on 20/5; C sends at 23:30 on 14/5; D only has a draft."""
    campaign = CampaignFactory(year=2024, created_by=staff_user, registration_deadline=date(2024, 4, 30))
    obligations.sync_campaign_deadlines(campaign)
    a, b, c, d = (OrganizationFactory(code=code, valid_from=date(2020, 1, 1)) for code in "ABCD")
    officers = {org.code: UserFactory(role="officer", organization=org) for org in (a, b, c, d)}
    with time_machine.travel(moment(date(2024, 4, 1)), tick=False):
        items = {
            org.code: registration_by_service(officers[org.code], campaign, org, f"Mô hình {org.code}")
            for org in (a, b, c, d)
        }
    with time_machine.travel(moment(date(2024, 4, 10)), tick=False):
        items["A"] = services.submission_submit(actor=officers["A"], submission=items["A"])
    with time_machine.travel(moment(date(2024, 4, 20)), tick=False):
        items["A"] = services.submission_return(actor=staff_user, submission=items["A"], comment="Bổ sung tệp")
    with time_machine.travel(moment(date(2024, 5, 2)), tick=False):
        items["B"] = services.submission_submit(actor=officers["B"], submission=items["B"])
    with time_machine.travel(moment(date(2024, 5, 5)), tick=False):
        items["A"] = services.submission_submit(actor=officers["A"], submission=items["A"])
    with time_machine.travel(moment(date(2024, 5, 14), hour=23), tick=False):
        items["C"] = services.submission_submit(actor=officers["C"], submission=items["C"])
    with time_machine.travel(moment(date(2024, 5, 20)), tick=False):
        services.submission_withdraw(actor=officers["B"], submission=items["B"], comment="Gửi nhầm đợt")
    return Deadline.objects.get(kind=obligations.REGISTRATION), {org.code: org for org in (a, b, c, d)}


def _codes(deadline, orgs, day):
    figures = deadlines.deadline_figures(deadline, day)
    return figures.ratio_label, {code: figures.standings[org.pk].code for code, org in orgs.items()}


def test_figures_on_past_days_follow_the_timeline_not_todays_status(history):
    deadline, orgs = history
    with time_machine.travel(moment(date(2024, 12, 1)), tick=False):  # asked long afterwards
        assert _codes(deadline, orgs, date(2024, 4, 9)) == (
            "0/4",
            {"A": "missing", "B": "missing", "C": "missing", "D": "missing"},
        )
        assert _codes(deadline, orgs, date(2024, 4, 25)) == (
            "1/4",
            {"A": "returned", "B": "missing", "C": "missing", "D": "missing"},
        )
        assert _codes(deadline, orgs, date(2024, 5, 14)) == (
            "3/4",
            {"A": "submitted", "B": "submitted", "C": "submitted", "D": "late"},
        )
        assert _codes(deadline, orgs, date(2024, 5, 13))[0] == "2/4"  # C sent late in the evening of the 14th
        # Withdrawn on 20/5: it no longer counts from that day, but the earlier days keep it.
        assert _codes(deadline, orgs, date(2024, 5, 20)) == (
            "2/4",
            {"A": "submitted", "B": "late", "C": "submitted", "D": "late"},
        )
        assert _codes(deadline, orgs, date(2024, 5, 19))[0] == "3/4"


def test_lateness_is_measured_from_the_first_sending(history):
    deadline, orgs = history
    standings = deadlines.deadline_figures(deadline, date(2024, 5, 31)).standings
    # A first sent on 10/4 (on time); its resending after the return on 5/5 does not make it late.
    assert not standings[orgs["A"].pk].sent_late
    assert standings[orgs["C"].pk].sent_late and standings[orgs["C"].pk].days_late == 14


def test_withdrawal_needs_a_reason_and_a_sent_submission(bloc, staff_user, organization, officer_user):
    campaign = CampaignFactory(year=2024, created_by=staff_user)
    draft = registration_by_service(officer_user, campaign, organization, "Mô hình nháp")
    with pytest.raises(ValidationError):
        services.submission_withdraw(actor=officer_user, submission=draft, comment="Nhầm")
    sent = services.submission_submit(actor=officer_user, submission=draft)
    with pytest.raises(ValidationError) as error:
        services.submission_withdraw(actor=officer_user, submission=sent, comment="  ")
    assert "lý do" in str(error.value)
