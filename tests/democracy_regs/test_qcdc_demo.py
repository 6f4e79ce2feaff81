"""The demo seed includes a QCDC cycle shaped like dispatch 1720-CV/ĐUK, played out on plausible days up to the
moment it is seeded, and a second run creates nothing."""

import functools
from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db.models import Max

from democracy_regs import demo, selectors
from democracy_regs.models import BrightSpot, DemocracyCycle, DemocracyPlan, SelfInspectionReport
from dukportal.submissions.models import EventAction, SubmissionEvent
from tests import demo_database

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
SEEDED_AT = datetime(2024, 5, 20, 9, 0, tzinfo=HCM)


@pytest.fixture(scope="module")
def kept_demo(django_db_setup, django_db_blocker):
    """On PostgreSQL, the demo of SEEDED_AT kept as a database for these sources (built by the first run that
    needs it: tests/demo_database.py), so that the test below copies the first seed's rows instead of seeding."""
    with django_db_blocker.unblock():
        demo_database.prepare(SEEDED_AT, functools.partial(demo_database.seed_demo_at, SEEDED_AT))


@pytest.mark.django_db
@time_machine.travel(SEEDED_AT, tick=False)
def test_demo_cycle_shows_40_of_73_plans_and_is_seeded_once(kept_demo, settings):
    settings.DEBUG = True
    # The first seed on an empty database (copied from the kept demo where there is one), then a real second run.
    output = demo_database.load(SEEDED_AT, functools.partial(demo_database.seed_demo_at, SEEDED_AT))
    assert "Quy chế dân chủ ở cơ sở: 1 đợt thực hiện Quy chế dân chủ" in output
    counts = (DemocracyPlan.objects.count(), BrightSpot.objects.count())
    call_command("seed_demo", stdout=StringIO())
    assert (DemocracyPlan.objects.count(), BrightSpot.objects.count()) == counts
    cycle = DemocracyCycle.objects.get()
    assert cycle.year == 2024
    stats = selectors.cycle_summary(cycle, on=date(2024, 5, 15))
    # 40 plans as in dispatch 1720-CV/ĐUK, out of the 73 organisations the demo bloc has had since its one
    # reorganisation (an organisation absorbed into another on 1 July of the year before: 01/07/2023 here).
    assert stats.plans.ratio_label == "40/73"
    assert stats.committees.ratio_label == "32/73"
    assert stats.plans.sent_late == 6  # after the due date of 30/4, before the dispatch
    assert stats.inspection_visits.ratio_label == "0/3"
    assert sorted(o.name for o in cycle.inspected_organizations.all()) == [
        "Chi bộ Ban Quản lý các khu công nghiệp tỉnh Yên Bái",
        "Đảng bộ Cục Thống kê tỉnh Yên Bái",
        "Đảng bộ Trường Cao đẳng Yên Bái",
    ]
    # Seeded on 20/5: the history stops there; the plans of late May and June, and the reports, are not in yet.
    assert SubmissionEvent.objects.aggregate(last=Max("at"))["last"] <= datetime(2024, 5, 20, 9, 0, tzinfo=HCM)
    assert selectors.cycle_summary(cycle, on=date(2024, 5, 20)).plans.ratio_label == "40/73"
    assert not SelfInspectionReport.objects.exists()
    assert selectors.cycle_summary(cycle, on=date(2024, 4, 15)).plans.done < 34  # they came over April


@pytest.mark.django_db
def test_demo_submissions_are_created_sent_and_reviewed_on_later_days(staff_user, organization, other_organization):
    demo.seed(today=date(2025, 3, 1))
    events = SubmissionEvent.objects.filter(content_type=ContentType.objects.get_for_model(DemocracyPlan))
    assert not events.filter(action=EventAction.RETURNED).exists()  # two plans only: positions 0 and 1
    plans = DemocracyPlan.objects.order_by("submitted_at")
    assert [p.status for p in plans] == ["accepted", "accepted"]
    for plan in plans:
        timeline = list(events.filter(object_id=plan.pk).order_by("at").values_list("action", "at"))
        assert [action for action, _ in timeline] == ["created", "submitted", "accepted"]
        assert timeline[0][1] < timeline[1][1] < timeline[2][1]
        assert timeline[2][1].astimezone(HCM).weekday() in (1, 4)  # reviewed on a Tuesday or a Friday


@pytest.mark.django_db
def test_before_april_the_demo_cycle_is_last_years(staff_user, organization, other_organization):
    created = demo.seed(today=date(2025, 3, 1))
    # 2 plans, 2 committees, 2 self-inspection reports, 2 bright spots
    assert created == {"đợt thực hiện Quy chế dân chủ": 1, "hồ sơ dân chủ cơ sở": 8}
    assert DemocracyCycle.objects.get().year == 2024
    assert demo.seed(today=date(2025, 3, 1)) == {"đợt thực hiện Quy chế dân chủ": 0, "hồ sơ dân chủ cơ sở": 0}
