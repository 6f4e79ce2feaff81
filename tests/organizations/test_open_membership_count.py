"""The open membership periods counted by the database (organizations.models.OpenMembershipCount, kept by the
triggers of migration 0009), from which the organisation list's and the dashboard's member totals on a date are
derived (selectors._members_count): every way of writing periods keeps the count of open periods true — the
services (create, leave, transfer, back to active), the Excel import's bulk writes, the reorganisations (merge,
dissolution), the factories, bulk_create, queryset UPDATEs and deletes — and the totals of each day of a history
built day by day, asked afterwards, are what members_on says and what was shown on that day (a later transfer,
merge or dissolution rewrites no past figure)."""

from datetime import date

import pytest
import time_machine
from django.db.models import Count, F

from organizations import reorganization, selectors, services
from organizations.imports import import_workbook
from organizations.models import (
    Gender,
    JoinReason,
    LeaveReason,
    Member,
    MembershipPeriod,
    MemberStatus,
    OpenMembershipCount,
    Sector,
)
from tests.factories import CellFactory, MemberFactory, OrganizationFactory, UserFactory
from tests.organizations.test_excel_import import MEMBER_HEADERS, MEMBER_SHEET, xlsx

pytestmark = pytest.mark.django_db


def _on(day):
    return time_machine.travel(day, tick=False)


def _counted() -> dict:
    """The open periods by organisation as the database keeps them (organisations at 0 left out)."""
    return {row.organization_id: row.open_periods for row in OpenMembershipCount.objects.all() if row.open_periods}


def _open_periods() -> dict:
    """The same, counted from the periods themselves."""
    rows = MembershipPeriod.objects.filter(left_on__isnull=True).values("organization").annotate(n=Count("pk"))
    return {row["organization"]: row["n"] for row in rows}


def _members_on(day, organizations) -> int:
    """members_on's own count (period by period) for the organisations active that day among `organizations`."""
    active = [o.pk for o in organizations if o.valid_from <= day and (o.valid_to is None or day <= o.valid_to)]
    return selectors.members_on(day).filter(organization__in=active).count()


def _refreshed(*organizations):
    for organization in organizations:
        organization.refresh_from_db()
    return organizations


def test_every_way_of_writing_periods_keeps_the_open_count_true(staff_user, organization, other_organization):
    with _on(date(2024, 1, 10)):
        here = CellFactory(organization=organization, code="SOTC-01")
        CellFactory(organization=other_organization, code="SOYT-01")
        members = [MemberFactory(organization=organization, cell=here, code=f"09300{n}") for n in range(4)]
        MemberFactory(organization=organization, status=MemberStatus.TRANSFERRED_OUT)  # a closed period only
        assert _counted() == _open_periods() == {organization.pk: 4}

        services.member_transfer(
            actor=staff_user, member=members[0], organization=other_organization, on=date(2024, 1, 5)
        )
        assert _counted() == _open_periods() == {organization.pk: 3, other_organization.pk: 1}

        services.member_leave(actor=staff_user, member=members[1], on=date(2024, 1, 6), reason=LeaveReason.DIED)
        services.member_save(
            actor=staff_user, instance=members[2], status=MemberStatus.TRANSFERRED_OUT, on=date(2024, 1, 7)
        )
        assert _counted() == _open_periods() == {organization.pk: 1, other_organization.pk: 1}
        services.member_save(actor=staff_user, instance=members[2], status=MemberStatus.ACTIVE, on=date(2024, 1, 9))
        assert _counted() == _open_periods() == {organization.pk: 2, other_organization.pk: 1}

        created = services.member_save(
            actor=staff_user,
            code="093100",
            full_name="Đảng viên mới",
            gender=Gender.FEMALE,
            birth_date=date(1990, 1, 1),
            admitted_on=date(2023, 5, 1),
            organization=other_organization,
        )
        assert _counted() == _open_periods() == {organization.pk: 2, other_organization.pk: 2}

    # Writes that go past the services: bulk inserts, UPDATEs of many rows (close, move, reopen), deletes.
    extra = [MemberFactory.build(organization=other_organization, code=f"09320{n}") for n in range(3)]
    Member.objects.bulk_create(extra)
    MembershipPeriod.objects.bulk_create(
        [
            MembershipPeriod(member=extra[0], organization=other_organization, joined_on=date(2020, 1, 1),
                             join_reason=JoinReason.ADMITTED),
            MembershipPeriod(member=extra[1], organization=other_organization, joined_on=date(2020, 1, 1),
                             join_reason=JoinReason.ADMITTED),
            MembershipPeriod(member=extra[2], organization=other_organization, joined_on=date(2020, 1, 1),
                             join_reason=JoinReason.ADMITTED, left_on=date(2022, 1, 1),
                             leave_reason=LeaveReason.TRANSFERRED_OUT),
        ]
    )  # fmt: skip
    assert _counted() == _open_periods() == {organization.pk: 2, other_organization.pk: 4}
    bulk = MembershipPeriod.objects.filter(member__in=extra[:2])
    bulk.update(left_on=date(2024, 1, 1), leave_reason=LeaveReason.TRANSFERRED_OUT)
    assert _counted() == _open_periods() == {organization.pk: 2, other_organization.pk: 2}
    bulk.update(left_on=None, leave_reason="")
    bulk.update(organization=organization)
    assert _counted() == _open_periods() == {organization.pk: 4, other_organization.pk: 2}
    MembershipPeriod.objects.filter(member=extra[0]).delete()
    MembershipPeriod.objects.filter(member=created).get().delete()
    assert _counted() == _open_periods() == {organization.pk: 3, other_organization.pk: 1}

    # The Excel import: a member moved (a transfer dated the import day), one transferred out, one new.
    def row(code, place, cell, status=None):
        return [code, f"Đảng viên {code}", "Nam", "01/05/1980", "02/03/2005", "02/03/2006", place, cell, status]

    sheets = {
        MEMBER_SHEET: [
            MEMBER_HEADERS,
            row("093002", "SOYT", "SOYT-01"),
            row("093003", "SOTC", "SOTC-01", "Đã chuyển đi"),
            row("093900", "SOYT", "SOYT-01"),
        ]
    }
    with _on("2024-02-01 10:00 +0700"):
        import_workbook(actor=staff_user, file=xlsx(sheets))
    assert _counted() == _open_periods()
    assert _counted()[other_organization.pk] == 3

    # Reorganisations: a merge moves the members; a dissolution leaves its members' periods as they were.
    with _on(date(2024, 3, 1)):
        reorganization.organizations_merge(
            actor=staff_user, predecessors=[other_organization], into=organization, effective_on=date(2024, 3, 1)
        )
        assert _counted() == _open_periods()
        assert other_organization.pk not in _counted()
        third = OrganizationFactory(code="SOXD")
        MemberFactory(organization=third)
        reorganization.organization_dissolve(
            actor=staff_user, organization=third, effective_on=date(2024, 3, 1), reason="Quyết định giải thể"
        )
        assert _counted() == _open_periods()


DAYS = [
    date(2024, 1, 1),
    date(2024, 2, 29),
    date(2024, 3, 1),  # a member of A left
    date(2024, 4, 1),  # one of A moved to B
    date(2024, 5, 31),
    date(2024, 6, 1),  # C's member announced on 01/01 starts
    date(2024, 7, 1),  # C dissolved (its members' periods left open)
    date(2024, 9, 30),
    date(2024, 10, 1),  # B merged into A, its members moved
    date(2024, 12, 10),
]
# The whole bloc's members on each day, by hand: A 3 (2020), B 2 (2019), C 1 (2021) and one from 01/06/2024.
EXPECTED = [6, 6, 5, 5, 5, 6, 4, 4, 4, 4]


@pytest.fixture
def history(bloc, staff_user):
    """Built day by day; `shown` holds the totals each day's list showed on that day, after that day's change."""
    shown = {}

    def show(day):
        shown[day] = selectors.organization_list_totals(staff_user, on=day)

    with _on(date(2024, 1, 1)):
        a = OrganizationFactory(code="A", name="Đảng bộ An Bình")
        b = OrganizationFactory(code="B", name="Đảng bộ Bình Minh", sector=Sector.ENTERPRISE)
        c = OrganizationFactory(code="C", name="Đảng bộ Cao Sơn")
        in_a = [MemberFactory(organization=a, joined_on=date(2020, 1, 1)) for _ in range(3)]
        MemberFactory.create_batch(2, organization=b, joined_on=date(2019, 1, 1))
        MemberFactory(organization=c, joined_on=date(2021, 6, 1))
        MemberFactory(organization=c, joined_on=date(2024, 6, 1))  # an open period that starts later
        show(date(2024, 1, 1))
    with _on(date(2024, 2, 29)):
        show(date(2024, 2, 29))
    with _on(date(2024, 3, 1)):
        services.member_leave(actor=staff_user, member=in_a[0], on=date(2024, 3, 1), reason=LeaveReason.DIED)
        show(date(2024, 3, 1))
    with _on(date(2024, 4, 1)):
        services.member_transfer(actor=staff_user, member=in_a[1], organization=b, on=date(2024, 4, 1))
        show(date(2024, 4, 1))
    for day in (date(2024, 5, 31), date(2024, 6, 1)):
        with _on(day):
            show(day)
    with _on(date(2024, 7, 1)):
        reorganization.organization_dissolve(
            actor=staff_user, organization=c, effective_on=date(2024, 7, 1), reason="Quyết định giải thể"
        )
        show(date(2024, 7, 1))
    with _on(date(2024, 9, 30)):
        show(date(2024, 9, 30))
    with _on(date(2024, 10, 1)):
        reorganization.organizations_merge(actor=staff_user, predecessors=[b], into=a, effective_on=date(2024, 10, 1))
        show(date(2024, 10, 1))
    with _on(date(2024, 12, 10)):
        show(date(2024, 12, 10))
    return _refreshed(a, b, c), shown


def test_each_days_members_asked_afterwards_are_those_shown_that_day(history, staff_user):
    (a, b, c), shown = history
    with _on(date(2024, 12, 10)):
        members = [selectors.organization_list_totals(staff_user, on=day)["members"] for day in DAYS]
        assert members == EXPECTED
        assert members == [_members_on(day, (a, b, c)) for day in DAYS]
        assert members == [selectors.bloc_member_count(day) for day in DAYS]
        for day in DAYS:
            assert selectors.organization_list_totals(staff_user, on=day) == shown[day], day


def test_a_filtered_list_and_an_officer_count_their_own_organisations_on_each_day(history, staff_user):
    (a, b, c), _shown = history
    officer = UserFactory(role="officer", organization=b)
    with _on(date(2024, 12, 10)):
        for day in DAYS:
            enterprises = selectors.organization_list_totals(staff_user, sector=Sector.ENTERPRISE, on=day)
            assert enterprises["members"] == _members_on(day, (b,)), day
            searched = selectors.organization_list_totals(staff_user, query="binh", on=day)  # An Bình, Bình Minh
            assert searched["members"] == _members_on(day, (a, b)), day
            assert selectors.organization_list_totals(officer, on=day)["members"] == _members_on(day, (b,)), day
        # B: 2 from 2019, A's member from 01/04; merged into A from 01/10 (its periods closed on 30/09).
        assert [selectors.organization_list_totals(officer, on=day)["members"] for day in DAYS] == [
            2, 2, 2, 3, 3, 3, 3, 3, 0, 0,
        ]  # fmt: skip


def test_the_totals_read_the_kept_count_so_a_stale_one_would_show(history, staff_user):
    (a, _b, _c), _shown = history
    with _on(date(2024, 12, 10)):
        before = selectors.organization_list_totals(staff_user, on=date(2024, 12, 10))["members"]
        OpenMembershipCount.objects.filter(organization=a).update(open_periods=F("open_periods") + 5)
        after = selectors.organization_list_totals(staff_user, on=date(2024, 12, 10))["members"]
    # Which is why every writer is held to the periods' own count above.
    assert after == before + 5
