"""The shared deadline mechanism: expected organisations, submitted / missing / late / returned / accepted."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from dukportal.submissions import deadlines
from dukportal.submissions.models import Deadline
from models_danvan import services
from tests.factories import OrganizationFactory, RegistrationFactory

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def campaign(staff_user):
    return services.campaign_save(
        actor=staff_user,
        year=2024,
        plan_number="252-KH/ĐUK",
        plan_date=date(2024, 3, 25),
        registration_deadline=date(2024, 5, 15),
        midyear_deadline=date(2024, 6, 30),
        yearend_deadline=date(2024, 11, 30),
    )


def test_opening_a_campaign_creates_its_three_deadlines_once(campaign, staff_user):
    assert sorted(Deadline.objects.values_list("kind", "due_date")) == [
        ("danvan.mid_year", date(2024, 6, 30)),
        ("danvan.registration", date(2024, 5, 15)),
        ("danvan.year_end", date(2024, 11, 30)),
    ]
    services.campaign_save(actor=staff_user, instance=campaign, registration_deadline=date(2024, 5, 20))
    assert Deadline.objects.count() == 3
    assert Deadline.objects.get(kind="danvan.registration").due_date == date(2024, 5, 20)


def test_standings_distinguish_missing_late_submitted_returned_accepted(campaign, bloc):
    on_time, late_sender, returned, accepted, silent, draft_only = (
        OrganizationFactory(valid_from=date(2020, 1, 1)) for _ in range(6)
    )
    RegistrationFactory(campaign=campaign, organization=on_time, submitted_at=datetime(2024, 5, 10, 9, tzinfo=HCM))
    RegistrationFactory(campaign=campaign, organization=late_sender, submitted_at=datetime(2024, 5, 18, 9, tzinfo=HCM))
    RegistrationFactory(
        campaign=campaign, organization=returned, status="returned", submitted_at=datetime(2024, 5, 1, tzinfo=HCM)
    )
    RegistrationFactory(
        campaign=campaign, organization=accepted, status="accepted", submitted_at=datetime(2024, 5, 2, tzinfo=HCM)
    )
    RegistrationFactory(campaign=campaign, organization=accepted, status="draft")
    RegistrationFactory(campaign=campaign, organization=draft_only, status="draft")
    deadline = Deadline.objects.get(kind="danvan.registration")
    ids = list(deadlines.expected_organizations(deadline, deadline.due_date).values_list("pk", flat=True))

    before = deadlines.deadline_cells(deadline, ids, date(2024, 5, 14))
    after = deadlines.deadline_cells(deadline, ids, date(2024, 5, 16))
    assert {o.pk: before[o.pk].code for o in (on_time, returned, accepted, silent, draft_only)} == {
        on_time.pk: "submitted",
        returned.pk: "returned",
        accepted.pk: "accepted",
        silent.pk: "missing",
        draft_only.pk: "missing",
    }
    assert after[silent.pk].code == "late" and after[draft_only.pk].code == "late"
    # On 16/5 the late sender had sent nothing yet; by 20/5 it had, three days late.
    assert after[late_sender.pk].owes and after[silent.pk].owes
    later = deadlines.deadline_cells(deadline, ids, date(2024, 5, 20))
    assert later[late_sender.pk].sent_late and later[late_sender.pk].days_late == 3
    assert not later[on_time.pk].sent_late and not later[late_sender.pk].owes


def test_expected_organisations_are_those_active_on_the_due_date_or_a_chosen_list(campaign, bloc):
    active = OrganizationFactory(valid_from=date(2020, 1, 1))
    dissolved = OrganizationFactory(valid_from=date(2020, 1, 1), valid_to=date(2024, 3, 1))
    founded_later = OrganizationFactory(valid_from=date(2024, 9, 1))
    deadline = Deadline.objects.get(kind="danvan.registration")
    expected = set(deadlines.expected_organizations(deadline, date(2024, 12, 31)))
    assert active in expected and dissolved not in expected and founded_later not in expected

    chosen = deadlines.deadline_sync(
        kind="danvan.registration",
        source=campaign,
        title="Đăng ký",
        year=2024,
        due_date=date(2024, 5, 15),
        organizations=[active],
    )
    assert list(deadlines.expected_organizations(chosen, date(2024, 12, 31))) == [active]


def test_evaluations_are_owed_only_by_organisations_with_an_accepted_model(campaign, bloc):
    accepted, sent_only, silent = (OrganizationFactory() for _ in range(3))
    RegistrationFactory(campaign=campaign, organization=accepted, status="accepted")
    RegistrationFactory(campaign=campaign, organization=sent_only, status="submitted")
    RegistrationFactory(campaign=campaign, organization=None, status="accepted")  # bloc level: no organisation

    def owing(kind):
        return set(deadlines.expected_organizations(Deadline.objects.get(kind=kind), timezone.localdate()))

    assert owing("danvan.registration") == {accepted, sent_only, silent}
    assert owing("danvan.mid_year") == owing("danvan.year_end") == {accepted}
