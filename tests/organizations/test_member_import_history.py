"""The Excel import keeps members' history: a row that moves a member is a transfer dated the import day, a
status no longer active ends the period that day, and importing the same file again changes nothing."""

from datetime import date

import pytest
import time_machine

from dukportal.core.models import AuditEntry
from organizations import selectors, services, spreadsheets
from organizations.imports import import_workbook
from organizations.models import JoinReason, LeaveReason, Member, MembershipPeriod
from tests.factories import CellFactory, MemberFactory
from tests.organizations.test_excel_import import MEMBER_HEADERS, MEMBER_SHEET, xlsx

pytestmark = pytest.mark.django_db
IMPORT_DAY = date(2025, 9, 10)


def _row(code: str, organization: str, cell: str | None, status: str | None = None) -> list:
    return [code, f"Đảng viên {code}", "Nam", "01/05/1980", "02/03/2005", "02/03/2006", organization, cell, status]


@pytest.fixture
def members(organization, other_organization):
    CellFactory(organization=other_organization, code="SOYT-01")
    budget = CellFactory(organization=organization, code="SOTC-01")
    return [
        MemberFactory(organization=organization, cell=budget, code=code, full_name=f"Đảng viên {code}")
        for code in ("093001", "093002", "093003")
    ]


def test_reimport_moving_a_member_records_a_transfer_on_the_import_date_and_twice_changes_nothing(members, staff_user):
    sheets = {
        MEMBER_SHEET: [
            MEMBER_HEADERS,
            _row("093001", "SOYT", "SOYT-01"),  # moved
            _row("093002", "SOTC", "SOTC-01"),  # unchanged
            _row("093003", "SOTC", "SOTC-01", "Đã chuyển đi"),  # transferred out of the bloc
        ]
    }
    with time_machine.travel("2025-09-10 10:00 +0700", tick=False):
        first = import_workbook(actor=staff_user, file=xlsx(sheets))
        after_first = (
            list(MembershipPeriod.objects.order_by("pk").values()),
            list(Member.objects.order_by("code").values()),
            AuditEntry.objects.count(),
        )
        second = import_workbook(actor=staff_user, file=xlsx(sheets))

    assert (first.members.updated, first.members.unchanged) == (2, 1)
    moved = Member.objects.get(code="093001")
    assert [
        (p.organization.code, p.joined_on, p.left_on, p.leave_reason, p.join_reason) for p in moved.periods.all()
    ] == [
        ("SOTC", date(2005, 3, 2), IMPORT_DAY, LeaveReason.TRANSFERRED_OUT, JoinReason.ADMITTED),
        ("SOYT", IMPORT_DAY, None, "", JoinReason.TRANSFERRED_IN),
    ]
    assert moved.organization.code == "SOYT" and moved.cell.code == "SOYT-01"
    left = Member.objects.get(code="093003").periods.get()
    assert (left.left_on, left.leave_reason) == (IMPORT_DAY, LeaveReason.TRANSFERRED_OUT)
    assert AuditEntry.objects.filter(action="member.transfer", changes__on="2025-09-10").count() == 1

    assert not second.changed and second.members.unchanged == 3
    assert (
        list(MembershipPeriod.objects.order_by("pk").values()),
        list(Member.objects.order_by("code").values()),
        AuditEntry.objects.count(),
    ) == after_first

    def counts(on):
        return {o.code: o.member_count for o in selectors.organization_list(staff_user, on=on)}

    with time_machine.travel("2025-12-01 10:00 +0700", tick=False):
        assert counts(date(2025, 9, 9)) == {"SOTC": 3, "SOYT": 0}  # the day before the import: as it was
        assert counts(IMPORT_DAY) == {"SOTC": 1, "SOYT": 1}


def test_export_shows_where_each_member_is_now(members, other_organization, staff_user):
    soyt_cell = other_organization.cells.get()
    with time_machine.travel("2025-07-01 10:00 +0700", tick=False):
        services.member_transfer(
            actor=staff_user, member=members[0], organization=other_organization, cell=soyt_cell, on=date(2025, 7, 1)
        )
        services.member_leave(actor=staff_user, member=members[1], on=date(2025, 7, 1), reason=LeaveReason.DIED)
    rows = {
        row[0]: (row[6], row[7], row[8])
        for row in spreadsheets.build_export(staff_user)[MEMBER_SHEET].iter_rows(min_row=2, values_only=True)
    }
    assert rows == {
        "093001": ("SOYT", "SOYT-01", "Đang sinh hoạt"),
        "093002": ("SOTC", "SOTC-01", "Đã từ trần"),
        "093003": ("SOTC", "SOTC-01", "Đang sinh hoạt"),
    }
