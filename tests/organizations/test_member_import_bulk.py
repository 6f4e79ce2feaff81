"""The member import at scale: a few statements per batch of rows whatever their number, still all or nothing
with each bad row and column reported, a no-op the second time, and members only into places that exist on the
import day (an ended cell refuses them; a moved cell's code takes them under its new organisation only)."""

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dukportal.core.models import AuditEntry
from organizations import reorganization
from organizations.imports import ImportRejected, import_workbook
from organizations.models import Member, MembershipPeriod
from tests.factories import CellFactory
from tests.organizations.test_excel_import import MEMBER_HEADERS, MEMBER_SHEET, xlsx

pytestmark = pytest.mark.django_db
IMPORT_DAY = date(2025, 9, 10)


def _rows(count: int, organization: str = "SOTC", cell: str | None = "SOTC-01", start: int = 0) -> list[list]:
    return [
        [f"2{n:05d}", f"Đảng viên số {n}", "Nữ" if n % 2 else "Nam", "01/01/1990", "01/01/2015", None, organization,
         cell, None]
        for n in range(start, start + count)
    ]  # fmt: skip


def _snapshot() -> tuple:
    return (
        list(Member.objects.order_by("code").values()),
        list(MembershipPeriod.objects.order_by("pk").values()),
        AuditEntry.objects.count(),
    )


def _statements(staff_user, rows: list[list]) -> int:
    with CaptureQueriesContext(connection) as queries:
        import_workbook(actor=staff_user, file=xlsx({MEMBER_SHEET: [MEMBER_HEADERS, *rows]}))
    return len(queries)


@pytest.fixture
def cells(organization, other_organization):
    return CellFactory(organization=organization, code="SOTC-01"), CellFactory(
        organization=other_organization, code="SOYT-01"
    )


def test_importing_500_members_costs_about_the_statements_of_50(staff_user, cells):
    few = _statements(staff_user, _rows(50))
    many = _statements(staff_user, _rows(500, start=1000))

    assert Member.objects.count() == 550 and MembershipPeriod.objects.count() == 550
    assert AuditEntry.objects.filter(action="member.create").count() == 550  # one audit row per member
    # One INSERT per batch of rows (SQLite splits one at its 999-parameter limit, a dozen more statements for
    # 10× the rows; one per table on PostgreSQL), where one statement per member would be 4,500 more.
    assert many <= few + 15


def test_moving_500_members_costs_about_the_statements_of_moving_50(staff_user, cells):
    import_workbook(actor=staff_user, file=xlsx({MEMBER_SHEET: [MEMBER_HEADERS, *_rows(550)]}))
    with time_machine.travel("2025-09-10 10:00 +0700", tick=False):
        few = _statements(staff_user, _rows(50, "SOYT", "SOYT-01"))
        many = _statements(staff_user, _rows(500, "SOYT", "SOYT-01", start=50))

    assert Member.objects.filter(organization__code="SOYT").count() == 550
    assert many <= few + 12
    periods = list(Member.objects.get(code="200049").periods.values_list("organization__code", "left_on"))
    assert periods == [("SOTC", IMPORT_DAY), ("SOYT", None)]  # a dated transfer, the old period kept
    assert AuditEntry.objects.filter(action="member.transfer", changes__on="2025-09-10").count() == 550


def test_one_bad_row_among_many_changes_nothing_and_is_reported_by_row_and_column(staff_user, cells):
    import_workbook(actor=staff_user, file=xlsx({MEMBER_SHEET: [MEMBER_HEADERS, *_rows(10)]}))
    before = _snapshot()
    rows = _rows(400) + _rows(400, "SOYT", "SOYT-01", start=400)
    rows[250][3] = "31/02/1990"  # Excel row 252: no such date
    rows[600][7] = "SOTC-01"  # row 602: a cell of another organisation

    with pytest.raises(ImportRejected) as rejected:
        import_workbook(actor=staff_user, file=xlsx({MEMBER_SHEET: [MEMBER_HEADERS, *rows]}))

    located = [(e.sheet, e.row, e.column) for e in rejected.value.errors]
    assert located == [(MEMBER_SHEET, 252, "Ngày sinh"), (MEMBER_SHEET, 602, "Mã chi bộ trực thuộc")]
    assert "không tồn tại" in rejected.value.errors[0].message
    assert _snapshot() == before  # the 798 good rows were not written, nor the 10 stored ones changed


def test_importing_the_same_large_file_again_changes_nothing(staff_user, cells):
    sheets = {MEMBER_SHEET: [MEMBER_HEADERS, *_rows(300), *_rows(200, "SOYT", "SOYT-01", start=300)]}
    import_workbook(actor=staff_user, file=xlsx(sheets))
    after_first = _snapshot()

    second = import_workbook(actor=staff_user, file=xlsx(sheets))

    assert not second.changed and second.members.unchanged == 500
    assert _snapshot() == after_first


def test_members_cannot_be_put_in_a_cell_that_has_ended(staff_user, organization):
    CellFactory(organization=organization, code="SOTC-09", valid_to=date(2024, 12, 31))
    with time_machine.travel("2025-09-10 10:00 +0700", tick=False), pytest.raises(ImportRejected) as rejected:
        import_workbook(actor=staff_user, file=xlsx({MEMBER_SHEET: [MEMBER_HEADERS, *_rows(3, cell="SOTC-09")]}))

    assert [(e.row, e.column) for e in rejected.value.errors] == [
        (2, "Mã chi bộ trực thuộc"),
        (3, "Mã chi bộ trực thuộc"),
        (4, "Mã chi bộ trực thuộc"),
    ]
    assert "không có hiệu lực vào ngày nhập 10/09/2025" in rejected.value.errors[0].message
    assert "31/12/2024" in rejected.value.errors[0].message
    assert not Member.objects.exists()


def test_a_moved_cells_code_takes_members_only_under_its_new_organisation(staff_user, organization, other_organization):
    cell = CellFactory(organization=organization, code="SOTC-01")
    moved_on = date(2025, 7, 1)
    with time_machine.travel("2025-07-01 10:00 +0700", tick=False):
        [new_row] = reorganization.cells_move(
            actor=staff_user, cells=[cell], to_organization=other_organization, effective_on=moved_on
        )

    with time_machine.travel("2025-09-10 10:00 +0700", tick=False):
        with pytest.raises(ImportRejected) as rejected:
            import_workbook(actor=staff_user, file=xlsx({MEMBER_SHEET: [MEMBER_HEADERS, *_rows(1, "SOTC", "SOTC-01")]}))
        [error] = rejected.value.errors
        assert (error.row, error.column) == (2, "Mã chi bộ trực thuộc")
        assert f"thuộc tổ chức “{other_organization.code}”" in error.message

        import_workbook(actor=staff_user, file=xlsx({MEMBER_SHEET: [MEMBER_HEADERS, *_rows(1, "SOYT", "SOTC-01")]}))

    member = Member.objects.get()
    assert (member.organization, member.cell) == (other_organization, new_row)
    [period] = member.periods.all()
    assert (period.cell, period.joined_on, period.left_on) == (new_row, date(2015, 1, 1), None)
