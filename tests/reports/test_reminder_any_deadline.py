"""A reminder can be drafted for any deadline in the shared registry: the figures and the missing list then
come from the deadline standings (here the mid-year evaluation of “Dân vận khéo”)."""

from datetime import date, datetime

import pytest

from dukportal.submissions.models import Deadline, SubmissionStatus
from models_danvan.models import Evaluation, EvaluationPeriod, Rating, Registration
from reports import services
from reports.document import parse_body
from reports.models import DocumentKind
from tests.reports.factories import HCM, danvan_scenario
from tests.timeline import complete_timelines, decide

pytestmark = pytest.mark.django_db


def test_mid_year_reminder_counts_senders_and_lists_the_rest(staff_user, issuing_body):
    campaign, orgs = danvan_scenario(staff=staff_user, organizations=6, registered=3, base_level=6, continued=2)
    # Mid-year evaluations are owed by the organisations with an accepted model: here the 3 that registered.
    decide(
        Registration.objects.filter(campaign=campaign).exclude(status=SubmissionStatus.DRAFT),
        "accepted",
        at=datetime(2024, 5, 20, 9, tzinfo=HCM),
    )
    first_of_each = {}
    for registration in Registration.objects.filter(campaign=campaign, organization__isnull=False).order_by("id"):
        first_of_each.setdefault(registration.organization_id, registration)
    for registration, status in zip(
        first_of_each.values(), [SubmissionStatus.SUBMITTED, SubmissionStatus.DRAFT], strict=False
    ):
        Evaluation.objects.create(
            registration=registration,
            organization=registration.organization,
            period=EvaluationPeriod.MID_YEAR,
            results="Đạt",
            self_rating=Rating.GOOD,
            status=status,
            submitted_at=datetime(2024, 7, 1, 9, tzinfo=HCM) if status != SubmissionStatus.DRAFT else None,
            created_by=staff_user,
        )
    complete_timelines()
    deadline = Deadline.objects.get(kind="danvan.mid_year")
    document = services.document_create(
        actor=staff_user,
        kind=DocumentKind.REMINDER,
        issuing_body=issuing_body,
        deadline=deadline,
        as_of=date(2024, 7, 5),
    )
    content = document.content
    assert content["subject"] == "V/v đôn đốc thực hiện báo cáo sơ kết 6 tháng mô hình “Dân vận khéo” năm 2024"
    assert (
        "Tính đến ngày 05/7/2024 đã có 1/3 chi, đảng bộ cơ sở gửi báo cáo sơ kết 6 tháng mô hình “Dân vận khéo” "
        "năm 2024." in content["body"]
    )
    (table,) = [block for block in parse_body(content["body"]) if block.kind == "table"]
    listed = [row[1] for row in table.rows[1:]]
    assert len(listed) == 2  # a draft evaluation does not count as sent
    assert first_of_each[next(iter(first_of_each))].organization.name not in listed
