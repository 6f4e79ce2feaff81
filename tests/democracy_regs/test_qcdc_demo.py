"""The demo seed includes the 2024 QCDC cycle of dispatch 1720-CV/ĐUK, and a second run creates nothing."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from democracy_regs import selectors
from democracy_regs.models import BrightSpot, DemocracyCycle, DemocracyPlan


@pytest.mark.django_db
def test_demo_cycle_shows_40_of_74_plans_and_is_seeded_once(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    counts = (DemocracyPlan.objects.count(), BrightSpot.objects.count())
    call_command("seed_demo", stdout=StringIO())
    assert (DemocracyPlan.objects.count(), BrightSpot.objects.count()) == counts
    cycle = DemocracyCycle.objects.get()
    stats = selectors.cycle_statistics(cycle, today=date(2024, 5, 15))
    assert stats.plans.ratio_label == "40/74"
    assert stats.committees.ratio_label == "32/74"
    assert stats.inspection_visits.ratio_label == "0/3"
    assert sorted(o.name for o in cycle.inspected_organizations.all()) == [
        "Chi bộ Ban Quản lý các khu công nghiệp tỉnh Yên Bái",
        "Đảng bộ Cục Thống kê tỉnh Yên Bái",
        "Đảng bộ Trường Cao đẳng Yên Bái",
    ]
