"""Staff open a year's cycle; its deadlines are data of the cycle, kept in the shared deadline registry, with
the inspected units' own earlier deadline owed only by the chosen units."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from democracy_regs import obligations, services
from democracy_regs.models import DemocracyCycle
from dukportal.submissions import deadlines
from dukportal.submissions.models import Audience, Deadline
from tests.democracy_regs.factories import open_cycle
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def cycle_form(**overrides):
    return {
        "year": "2024",
        "bloc_plan_number": "253-KH/ĐUK",
        "bloc_plan_date": "25/03/2024",
        "plan_deadline": "15/05/2024",
        "committee_deadline": "15/05/2024",
        "self_inspection_deadline": "25/10/2024",
        "committee_min_members": "3",
        "inspection_deadline": "01/09/2024",
        "review_start": "01/10/2023",
        "review_end": "30/09/2024",
        **overrides,
    }


def test_staff_open_a_cycle_with_three_inspected_units(staff_client, bloc):
    units = [
        OrganizationFactory(name="Đảng bộ Ban Quản lý các khu công nghiệp tỉnh"),
        OrganizationFactory(name="Chi bộ Cục Thống kê tỉnh"),
        OrganizationFactory(name="Đảng bộ Trường Cao đẳng Yên Bái"),
    ]
    OrganizationFactory(name="Đảng bộ không được chọn")
    response = staff_client.post(
        reverse("democracy_regs:cycle_create"), cycle_form(inspected_organizations=[u.pk for u in units])
    )
    cycle = DemocracyCycle.objects.get()
    assert response.status_code == 302
    assert (cycle.bloc_plan_number, cycle.bloc_plan_date) == ("253-KH/ĐUK", date(2024, 3, 25))
    due = dict(Deadline.objects.values_list("kind", "due_date"))
    assert due == {
        obligations.PLAN: date(2024, 5, 15),
        obligations.COMMITTEE: date(2024, 5, 15),
        obligations.SELF_INSPECTION: date(2024, 10, 25),
        obligations.INSPECTION_VISIT: date(2024, 9, 1),
    }
    visit = Deadline.objects.get(kind=obligations.INSPECTION_VISIT)
    assert visit.audience == Audience.CHOSEN
    assert set(deadlines.expected_organizations(visit, visit.due_date)) == set(units)
    assert Deadline.objects.get(kind=obligations.SELF_INSPECTION).audience == Audience.ALL_ACTIVE
    page = staff_client.get(cycle.get_absolute_url()).content.decode()
    assert "Trường Cao đẳng Yên Bái" in page and "01/09/2024" in page


def test_changing_a_deadline_updates_the_registry_without_duplicates(staff_user, organization):
    cycle = open_cycle(staff_user, inspected=[organization])
    services.cycle_save(actor=staff_user, instance=cycle, self_inspection_deadline=date(2024, 10, 30))
    assert Deadline.objects.count() == 4
    assert Deadline.objects.get(kind=obligations.SELF_INSPECTION).due_date == date(2024, 10, 30)
    services.cycle_save(
        actor=staff_user, instance=cycle, inspected_organizations=[], inspection_deadline=None,
        review_start=None, review_end=None,
    )  # fmt: skip
    assert not Deadline.objects.filter(kind=obligations.INSPECTION_VISIT).exists()


def test_each_cycle_has_its_own_dates(staff_user):
    open_cycle(staff_user)
    open_cycle(staff_user, year=2025, plan_deadline=date(2025, 4, 30))
    plan_deadlines = Deadline.objects.filter(kind=obligations.PLAN).order_by("year")
    assert [(d.year, d.due_date) for d in plan_deadlines] == [(2024, date(2024, 5, 15)), (2025, date(2025, 4, 30))]


def test_inspection_deadline_after_the_general_one_is_refused(staff_client):
    response = staff_client.post(reverse("democracy_regs:cycle_create"), cycle_form(inspection_deadline="01/11/2024"))
    assert response.status_code == 200
    assert "không được sau hạn chung gửi báo cáo tự kiểm tra" in response.content.decode()
    assert not DemocracyCycle.objects.exists()


def test_chosen_units_need_a_deadline_and_a_review_period(staff_user, organization, staff_client):
    with pytest.raises(ValidationError) as error:
        open_cycle(staff_user, inspected=[organization], inspection_deadline=None)
    assert "hạn gửi báo cáo cho các đơn vị được kiểm tra" in str(error.value)
    response = staff_client.post(reverse("democracy_regs:cycle_create"), cycle_form(review_start="", review_end=""))
    assert "Vui lòng nhập kỳ rà soát" in response.content.decode()


def test_only_staff_open_cycles(officer_client, leader_client):
    assert officer_client.get(reverse("democracy_regs:cycle_create")).status_code == 403
    assert leader_client.post(reverse("democracy_regs:cycle_create"), cycle_form()).status_code == 403
    assert not DemocracyCycle.objects.exists()
