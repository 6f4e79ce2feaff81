"""Migration 0004 turns today's member rows into membership periods without losing anyone."""

import importlib
from datetime import date

import pytest

from organizations.models import LeaveReason, Member, MembershipPeriod, MemberStatus
from tests.factories import CellFactory

pytestmark = pytest.mark.django_db
migration = importlib.import_module("organizations.migrations.0004_membership_periods_from_members")
MIGRATION_DAY = date(2026, 12, 1)


def _old_row(code, organization, cell=None, status=MemberStatus.ACTIVE, admitted_on=date(2010, 4, 5)):
    """A member as the portal stored it before periods existed: no period row."""
    return Member.objects.create(
        code=code,
        full_name=f"Đảng viên {code}",
        gender="male",
        birth_date=date(1980, 1, 1),
        admitted_on=admitted_on,
        organization=organization,
        cell=cell,
        status=status,
    )


def test_each_member_gets_a_period_from_admission_and_those_who_left_a_closed_one(organization, other_organization):
    cell = CellFactory(organization=organization)
    active = _old_row("A1", organization, cell)
    chi_bo = _old_row("A2", other_organization, admitted_on=date(2019, 6, 1))
    gone = _old_row("T1", organization, cell, status=MemberStatus.TRANSFERRED_OUT)
    removed = _old_row("R1", other_organization, status=MemberStatus.REMOVED)

    created = migration.backfill_periods(Member, MembershipPeriod, migration_day=MIGRATION_DAY)

    assert created == 4
    rows = {
        p.member.code: (p.organization_id, p.cell_id, p.joined_on, p.join_reason, p.left_on, p.leave_reason)
        for p in MembershipPeriod.objects.select_related("member")
    }
    assert rows == {
        "A1": (organization.pk, cell.pk, date(2010, 4, 5), "admitted", None, ""),
        "A2": (other_organization.pk, None, date(2019, 6, 1), "admitted", None, ""),
        "T1": (organization.pk, cell.pk, date(2010, 4, 5), "admitted", MIGRATION_DAY, LeaveReason.TRANSFERRED_OUT),
        "R1": (other_organization.pk, None, date(2010, 4, 5), "admitted", MIGRATION_DAY, LeaveReason.REMOVED),
    }
    # Counted on the migration day exactly as the status said; before it, where they were.
    on_the_day = set(MembershipPeriod.objects.on(MIGRATION_DAY).values_list("member_id", flat=True))
    assert on_the_day == {active.pk, chi_bo.pk}
    assert MembershipPeriod.objects.on(date(2020, 1, 1)).filter(member__in=[gone, removed]).count() == 2


def test_running_the_migration_function_again_creates_nothing(organization):
    _old_row("A1", organization)
    migration.backfill_periods(Member, MembershipPeriod, migration_day=MIGRATION_DAY)
    before = list(MembershipPeriod.objects.values())
    assert migration.backfill_periods(Member, MembershipPeriod, migration_day=MIGRATION_DAY) == 0
    assert list(MembershipPeriod.objects.values()) == before
