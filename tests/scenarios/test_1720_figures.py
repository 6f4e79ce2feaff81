"""The 1720-CV/ĐUK situation built day by day, asked about afterwards on several dates (shared layer)."""

from datetime import date

import pytest
import time_machine

from democracy_regs import obligations as qcdc_obligations
from democracy_regs.selectors import cycle_statistics
from dukportal.submissions import deadlines
from dukportal.submissions.models import Deadline
from models_danvan import obligations
from models_danvan.selectors import campaign_statistics

from .builder import DISPATCH_DAY, REGISTRATION_DUE, at, build_1720_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(staff_user):
    return build_1720_year(staff_user)


def test_figures_of_15_may_2024_asked_in_december(year):
    with time_machine.travel(at(date(2024, 12, 1)), tick=False):
        stats = campaign_statistics(year.campaign, on=DISPATCH_DAY)
        assert stats.ratio_label == "30/74"
        assert (stats.total, stats.bloc_level, stats.base_level) == (133, 2, 131)
        assert (stats.base_continued, stats.base_new) == (73, 58)
        plans = cycle_statistics(year.cycle, today=DISPATCH_DAY).plans
        assert plans.ratio_label == "40/74"
        registration = deadlines.deadline_figures(Deadline.objects.get(kind=obligations.REGISTRATION), DISPATCH_DAY)
        assert registration.ratio_label == "30/74" and registration.sent_late == 5
        plan = deadlines.deadline_figures(Deadline.objects.get(kind=qcdc_obligations.PLAN), DISPATCH_DAY)
        assert plan.ratio_label == "40/74" and plan.returned == 1


def test_figures_on_other_dates(year):
    with time_machine.travel(at(date(2024, 12, 1)), tick=False):
        assert campaign_statistics(year.campaign, on=REGISTRATION_DUE).ratio_label == "25/74"
        assert campaign_statistics(year.campaign, on=date(2024, 5, 14)).ratio_label == "29/74"
        later = campaign_statistics(year.campaign, on=date(2024, 12, 1))
        assert later.ratio_label == "40/74" and later.total == 133 + 10 - 1
        assert cycle_statistics(year.cycle, today=date(2024, 12, 1)).plans.ratio_label == "48/74"
        assert cycle_statistics(year.cycle, today=date(2024, 5, 14)).plans.ratio_label == "39/74"
