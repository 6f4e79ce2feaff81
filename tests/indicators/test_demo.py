"""The demo's periodic reports, played through the services up to the moment of the seed, once."""

from datetime import date, datetime

import time_machine
from django.db.models import Max

from dukportal.submissions.models import SubmissionEvent, SubmissionRevision
from indicators import demo, selectors
from indicators.models import IndicatorReport, ReportDefinition, ReportRound
from organizations.models import Sector
from tests.factories import OrganizationFactory, UserFactory

from .conftest import HCM


def test_demo_reports_a_year_of_submissions_once(staff_user):
    organizations = [OrganizationFactory(sector=Sector.ADMINISTRATIVE) for _ in range(8)]
    organizations += [OrganizationFactory(sector=Sector.ENTERPRISE) for _ in range(4)]
    for organization in organizations:
        UserFactory(role="officer", organization=organization)
    moment = datetime(2024, 8, 20, 17, tzinfo=HCM)
    with time_machine.travel(moment, tick=False):
        created = demo.seed(today=date(2024, 8, 20))
        assert demo.seed(today=date(2024, 8, 20)) == {demo.DEFINITIONS: 0, demo.REPORTS: 0}
    assert created[demo.DEFINITIONS] == 2 and created[demo.REPORTS] == IndicatorReport.objects.count() > 20
    assert set(ReportDefinition.objects.values_list("name", flat=True)) == {
        "Báo cáo công tác dân vận",
        "Dân vận chính quyền",
    }
    assert SubmissionEvent.objects.aggregate(last=Max("at"))["last"] <= moment
    # Each kept revision carries the moment of its sending (the aggregate of a date reads them).
    sendings = sorted(
        SubmissionEvent.objects.filter(
            action__in=["submitted", "resubmitted"], content_type__model="indicatorreport"
        ).values_list("object_id", "at")
    )
    assert (
        sorted(SubmissionRevision.objects.filter(content_type__model="indicatorreport").values_list("object_id", "at"))
        == sendings
    )
    assert SubmissionEvent.objects.filter(action="returned", content_type__model="indicatorreport").count() >= 2
    government = ReportRound.objects.get(family__name="Dân vận chính quyền")
    aggregate = selectors.round_aggregate(government, date(2024, 2, 1))
    assert aggregate.figures.expected == 8  # the administrative sector only
    assert 6 <= aggregate.figures.sent <= 8
    assert aggregate.total_by_code["mo_hinh_dvcq"].value >= aggregate.figures.sent
    first_half = ReportRound.objects.get(family__name="Báo cáo công tác dân vận", year=2023, number=1)
    figures = selectors.round_aggregate(first_half, date(2023, 8, 31)).figures
    assert figures.expected == 12 and figures.nil_returns == 2
