"""The rules of membership periods: what the services refuse (in Vietnamese) and what the database refuses."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from organizations import services
from organizations.models import JoinReason, LeaveReason, Member, MembershipPeriod, MemberStatus
from tests.factories import CellFactory, MemberFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def december_2025():
    with time_machine.travel("2025-12-01 09:00 +0700", tick=False):
        yield


@pytest.fixture
def member(organization):
    return MemberFactory(organization=organization, cell=CellFactory(organization=organization))


def _message(error: ValidationError) -> str:
    return " ".join(error.messages)


def test_transfer_dated_before_the_current_period_is_refused(member, other_organization, staff_user):
    with pytest.raises(ValidationError) as error:
        services.member_transfer(actor=staff_user, member=member, organization=other_organization, on=date(2001, 1, 1))
    assert "trước ngày bắt đầu sinh hoạt ở nơi hiện tại (02/03/2005)" in _message(error.value)
    assert member.periods.count() == 1 and Member.objects.get(pk=member.pk).organization_id == member.organization_id


def test_transfer_in_the_future_is_refused(member, other_organization, staff_user):
    with pytest.raises(ValidationError) as error:
        services.member_transfer(actor=staff_user, member=member, organization=other_organization, on=date(2026, 1, 1))
    assert "ở tương lai" in _message(error.value)


def test_transfer_into_a_cell_of_another_organisation_is_refused(member, other_organization, staff_user):
    foreign_cell = CellFactory()
    with pytest.raises(ValidationError) as error:
        services.member_transfer(
            actor=staff_user, member=member, organization=other_organization, cell=foreign_cell, on=date(2025, 7, 1)
        )
    assert error.value.message_dict["cell"] == ["Chi bộ không thuộc tổ chức cơ sở đảng đã chọn."]


def test_transfer_into_a_dissolved_organisation_is_refused(member, bloc, staff_user):
    dissolved = OrganizationFactory(valid_from=date(2010, 1, 1), valid_to=date(2024, 12, 31))
    with pytest.raises(ValidationError) as error:
        services.member_transfer(actor=staff_user, member=member, organization=dissolved, on=date(2025, 7, 1))
    assert "không có hiệu lực vào ngày 01/07/2025" in error.value.message_dict["organization"][0]


def test_a_member_who_left_cannot_be_transferred_or_leave_again(member, other_organization, staff_user):
    services.member_leave(actor=staff_user, member=member, on=date(2025, 5, 1), reason=LeaveReason.EXPELLED)
    assert Member.objects.get(pk=member.pk).status == MemberStatus.REMOVED
    with pytest.raises(ValidationError, match="không còn sinh hoạt"):
        services.member_transfer(actor=staff_user, member=member, organization=other_organization, on=date(2025, 7, 1))
    with pytest.raises(ValidationError, match="đã thôi sinh hoạt"):
        services.member_leave(actor=staff_user, member=member, on=date(2025, 7, 1), reason=LeaveReason.DIED)


def test_leave_reason_must_be_one_that_ends_membership(member, staff_user):
    with pytest.raises(ValidationError):
        services.member_leave(actor=staff_user, member=member, on=date(2025, 5, 1), reason=LeaveReason.CELL_CHANGE)


def test_periods_of_one_member_may_not_overlap(member, organization):
    services.member_leave(actor=None, member=member, on=date(2020, 1, 1), reason=LeaveReason.TRANSFERRED_OUT)
    with pytest.raises(ValidationError, match="trùng thời gian từ ngày 01/06/2019"):
        services._new_period(
            member,
            organization=organization,
            cell=None,
            joined_on=date(2019, 6, 1),
            join_reason=JoinReason.TRANSFERRED_IN,
            left_on=date(2019, 9, 1),
            leave_reason=LeaveReason.TRANSFERRED_OUT,
        )
    # Right after the closed one, it fits.
    services._new_period(
        member, organization=organization, cell=None, joined_on=date(2020, 1, 1), join_reason=JoinReason.RESTORED
    )


def _refused(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_database_refuses_a_second_open_period(member):
    _refused(
        lambda: MembershipPeriod.objects.create(
            member=member, organization=member.organization, joined_on=date(2024, 1, 1), join_reason="admitted"
        )
    )


def test_database_refuses_leaving_before_joining_and_a_leave_without_reason(member):
    period = member.periods.get()
    _refused(
        lambda: MembershipPeriod.objects.filter(pk=period.pk).update(left_on=date(2000, 1, 1), leave_reason="died")
    )
    _refused(lambda: MembershipPeriod.objects.filter(pk=period.pk).update(left_on=date(2024, 1, 1)))


def test_database_refuses_a_period_in_a_cell_of_another_organisation(member, other_organization):
    period = member.periods.get()
    _refused(lambda: MembershipPeriod.objects.filter(pk=period.pk).update(organization=other_organization))


def test_status_set_in_a_form_ends_or_restarts_the_period_on_that_day(member, staff_user):
    services.member_save(actor=staff_user, instance=member, status=MemberStatus.TRANSFERRED_OUT, on=date(2025, 3, 1))
    period = member.periods.get()
    assert (period.left_on, period.leave_reason) == (date(2025, 3, 1), LeaveReason.TRANSFERRED_OUT)

    services.member_save(actor=staff_user, instance=member, status=MemberStatus.ACTIVE, on=date(2025, 9, 1))
    latest = member.periods.order_by("-joined_on").first()
    assert (latest.joined_on, latest.left_on, latest.join_reason) == (date(2025, 9, 1), None, JoinReason.TRANSFERRED_IN)
    assert Member.objects.get(pk=member.pk).status == MemberStatus.ACTIVE


def test_creating_a_member_opens_a_period_from_admission(organization, staff_user):
    member = services.member_save(
        actor=staff_user,
        code="093999",
        full_name="Lò Văn Thắng",
        gender="male",
        birth_date=date(1990, 1, 1),
        admitted_on=date(2020, 2, 3),
        organization=organization,
    )
    period = member.periods.get()
    assert (period.organization, period.joined_on, period.left_on) == (organization, date(2020, 2, 3), None)
