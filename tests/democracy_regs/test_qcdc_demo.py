"""The demo seed includes a QCDC cycle shaped like dispatch 1720-CV/ĐUK, and a second run creates nothing."""

from datetime import date
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from democracy_regs import demo, selectors
from democracy_regs.models import BrightSpot, DemocracyCycle, DemocracyPlan


@pytest.mark.django_db
@time_machine.travel(date(2024, 5, 20))
def test_demo_cycle_shows_40_of_73_plans_and_is_seeded_once(settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "Quy chế dân chủ ở cơ sở: 1 đợt thực hiện Quy chế dân chủ" in out.getvalue()
    counts = (DemocracyPlan.objects.count(), BrightSpot.objects.count())
    call_command("seed_demo", stdout=StringIO())
    assert (DemocracyPlan.objects.count(), BrightSpot.objects.count()) == counts
    cycle = DemocracyCycle.objects.get()
    assert cycle.year == 2024
    stats = selectors.cycle_statistics(cycle, today=date(2024, 5, 15))
    # 40 plans as in dispatch 1720-CV/ĐUK, out of the 73 organisations the demo bloc has had since its one
    # reorganisation (an organisation absorbed into another on 1 July of the year before: 01/07/2023 here).
    assert stats.plans.ratio_label == "40/73"
    assert stats.committees.ratio_label == "32/73"
    assert stats.inspection_visits.ratio_label == "0/3"
    assert sorted(o.name for o in cycle.inspected_organizations.all()) == [
        "Chi bộ Ban Quản lý các khu công nghiệp tỉnh Yên Bái",
        "Đảng bộ Cục Thống kê tỉnh Yên Bái",
        "Đảng bộ Trường Cao đẳng Yên Bái",
    ]


@pytest.mark.django_db
def test_before_mid_may_the_demo_cycle_is_last_years(staff_user, organization, other_organization):
    created = demo.seed(today=date(2025, 3, 1))
    assert created == {"đợt thực hiện Quy chế dân chủ": 1, "hồ sơ dân chủ cơ sở": 6}  # 2 plans, 2 committees, 2 spots
    assert DemocracyCycle.objects.get().year == 2024
    assert demo.seed(today=date(2025, 3, 1)) == {"đợt thực hiện Quy chế dân chủ": 0, "hồ sơ dân chủ cơ sở": 0}
