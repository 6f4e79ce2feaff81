"""The members export (the reports export job of kind "members") on a large set: one row per member in the file,
and the rows read from the database in chunks (EXPORT_CHUNK) while the write-only workbook takes them, never
all at once (issue 13: "the streaming export's row count on a large set"). 20,200 members in 200 organisations,
written in bulk. PostgreSQL: the chunks come through a server-side cursor. About 10 s on a quiet machine."""

import random
import tracemalloc
from datetime import date

import pytest
from python_calamine import CalamineWorkbook

from bench import dataset
from organizations import spreadsheets
from organizations.models import Gender, Member, MemberStatus
from organizations.spreadsheets import exporting
from organizations.spreadsheets.columns import MEMBERS
from tests.organizations.test_excel_export import run_job, start_member_export

ORGANIZATIONS = 200
PER_ORGANIZATION = 101

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def many_members(postgres_only, bloc) -> int:
    """PER_ORGANIZATION members in each of ORGANIZATIONS organisations (bench's organisations; the members with
    just the columns the export reads, their keys set plainly), in bulk."""
    organizations = dataset.build_organizations(bloc, ORGANIZATIONS, random.Random(13))
    rows = [
        Member(
            code=f"DV{index * PER_ORGANIZATION + n:07d}",
            full_name=f"Nguyễn Văn Số {n:03d}",
            gender=Gender.MALE if n % 2 else Gender.FEMALE,
            birth_date=date(1970 + n % 30, 1 + n % 12, 1 + n % 28),
            admitted_on=date(2000 + n % 20, 1 + n % 12, 1 + n % 28),
            organization_id=organization.pk,
            status=MemberStatus.ACTIVE,
            sort_key=f"{n:03d}",
        )
        for index, organization in enumerate(organizations)
        for n in range(PER_ORGANIZATION)
    ]
    Member.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def test_the_export_of_a_large_set_has_one_row_per_member_read_in_chunks(
    many_members, staff_client, staff_user, monkeypatch
):
    # The job as staff run it: every member in the file, once, after the header.
    job = start_member_export(staff_client)
    run_job(job)
    with job.file.open("rb") as file:
        rows = CalamineWorkbook.from_filelike(file).get_sheet_by_name(MEMBERS.title).to_python()
    assert many_members == 20_200
    assert len(rows) == many_members + 1
    assert rows[0] == MEMBERS.headers
    assert sorted(row[0] for row in rows[1:]) == sorted(Member.objects.values_list("code", flat=True))

    # Python's memory while the export reads every row (the workbook's writing left out: tracing openpyxl
    # takes a minute) stays a fraction of what the same rows held in a list take.
    real_sheet = exporting._stream_format_sheet
    counted = {}

    def rows_read_not_written(workbook, sheet, rows, on_row=lambda: None):
        counted[sheet.title] = sum(1 for _row in rows)
        real_sheet(workbook, sheet, iter(()), on_row)

    monkeypatch.setattr(exporting, "_stream_format_sheet", rows_read_not_written)
    tracemalloc.start()
    all_at_once = list(
        Member.objects.order_by("organization__sort_key", "organization__code", "sort_key", "code").values_list(
            "code", "full_name", "gender", "birth_date", "admitted_on", "official_on", "organization__code",
            "cell__code", "status",
        )
    )  # fmt: skip
    _current, listed = tracemalloc.get_traced_memory()
    del all_at_once
    tracemalloc.reset_peak()
    spreadsheets.export_xlsx(staff_user)
    _current, streamed = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"listed {listed / 1e6:.1f} MB, streamed {streamed / 1e6:.1f} MB")
    assert counted[MEMBERS.title] == many_members
    # EXPORT_CHUNK (2,000) of 20,200 rows at a time: about a tenth; a list of every row would be more than all.
    assert streamed < listed / 3, (streamed, listed)
