"""The “Dân vận khéo” demo is played out through the services up to the moment it is seeded: a demo seeded in
June shows last year complete and this year in progress, nothing dated later than that moment."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db.models import Max

from dukportal.submissions.models import SubmissionEvent
from models_danvan import demo
from models_danvan.models import Campaign, Evaluation, Registration

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def test_demo_seeded_in_june_shows_last_year_complete_and_this_year_in_progress(
    staff_user, officer_user, other_officer_user
):
    seeded = datetime(2026, 6, 1, 10, 0, tzinfo=HCM)
    with time_machine.travel(seeded, tick=False):
        created = demo.seed(today=seeded.date())
        assert demo.seed(today=seeded.date()) == {"đợt “Dân vận khéo”": 0, "đăng ký mô hình": 0}

    assert created == {"đợt “Dân vận khéo”": 2, "đăng ký mô hình": 8}  # 2 + 2 per year, with the bloc's own
    assert SubmissionEvent.objects.aggregate(last=Max("at"))["last"] <= seeded
    assert sorted(Campaign.objects.values_list("year", flat=True)) == [2025, 2026]
    last_year = Evaluation.objects.filter(registration__campaign__year=2025)
    assert last_year.filter(period="year_end", status="accepted").count() == 2
    assert not Evaluation.objects.filter(registration__campaign__year=2026).exists()  # mid-year is due 15/7
    this_year = Registration.objects.filter(campaign__year=2026, organization__isnull=False)
    assert set(this_year.values_list("origin", flat=True)) == {"continued"}  # both carry last year's model on
    for registration in this_year:
        assert date(2026, 4, 1) <= registration.submitted_at.astimezone(HCM).date() <= date(2026, 5, 15)
        assert registration.created_at < registration.submitted_at < registration.decided_at <= seeded


def test_before_april_the_demo_years_are_the_two_before(staff_user, officer_user):
    with time_machine.travel(datetime(2026, 3, 10, 10, 0, tzinfo=HCM), tick=False):
        demo.seed(today=date(2026, 3, 10))
    assert sorted(Campaign.objects.values_list("year", flat=True)) == [2024, 2025]
