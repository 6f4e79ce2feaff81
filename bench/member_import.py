"""Excel import of members: time, SQL statements per member and peak memory for 500 and 5,000 rows.

    .venv/bin/python bench/member_import.py [--organizations 74] [--members 5000] [--small 500] [--use-database-url]

Builds a bloc of N organisations (every other one a đảng bộ cơ sở with three cells) and deterministic workbooks
of members spread over them, then imports each into the same database state, rolled back after each
measurement: a new file of `--small` and of `--members` members (each member created with its first period and
audit row), the large file again over itself (nothing changes), and a file moving every member of the large
file to another cell or organisation (dated transfers). Time is measured without tracemalloc, peak memory in a
second run with it. By default on SQLite in a temporary directory; with --use-database-url on a test database of
the DATABASE_URL server (e.g. PostgreSQL), created for the run and dropped after. The last line compares the
time to read the large file's cells with python-calamine (the import's reader) and with openpyxl (its former one).
"""

import argparse
import os
import sys
import tempfile
import time
import tracemalloc
import warnings
from datetime import date
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def configure(use_database_url: bool):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dukportal.settings")
    os.environ.pop("REDIS_URL", None)  # eager Celery, local-memory cache: nothing outside the process
    tmp = None
    if not use_database_url:
        tmp = tempfile.TemporaryDirectory(prefix="bench-import-")
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp.name}/bench.sqlite3"
        os.environ["MEDIA_ROOT"] = f"{tmp.name}/media"
    import django

    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()
    return tmp


def build(organizations: int):
    """The bloc, its organisations and cells, and a staff account. Returns (staff, places) where places lists
    (organisation code, cell code or None) for members to be spread over."""
    from organizations.models import BaseOrganizationKind, Role, Sector
    from tests.factories import BlocFactory, CellFactory, OrganizationFactory, UserFactory

    bloc = BlocFactory()
    sectors = list(Sector.values)
    places = []
    for number in range(1, organizations + 1):
        committee = number % 2 == 1
        organization = OrganizationFactory(
            bloc=bloc,
            code=f"CS{number:04d}",
            name=f"Đảng bộ cơ sở số {number:04d}" if committee else f"Chi bộ cơ sở số {number:04d}",
            kind=BaseOrganizationKind.COMMITTEE if committee else BaseOrganizationKind.CELL,
            sector=sectors[number % len(sectors)],
        )
        if committee:
            for index in range(1, 4):
                cell = CellFactory(organization=organization, code=f"{organization.code}-{index:02d}")
                places.append((organization.code, cell.code))
        else:
            places.append((organization.code, None))
    staff = UserFactory(role=Role.STAFF, organization=None)
    return staff, places


def workbook(prefix: str, count: int, places: list, shift: int = 0):
    """A members sheet of `count` rows; member n sits in places[(n + shift) % len(places)]."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    from organizations.spreadsheets import MEMBERS

    book = Workbook(write_only=True)
    sheet = book.create_sheet(MEMBERS.title)
    sheet.append(MEMBERS.headers)
    for n in range(count):
        organization, cell = places[(n + shift) % len(places)]
        birth = date(1960 + n % 40, 1 + n % 12, 1 + n % 28)
        admitted = date(birth.year + 25, birth.month, birth.day)
        official = date(admitted.year + 1, admitted.month, admitted.day)
        sheet.append(
            [
                f"{prefix}{n:06d}",
                f"Nguyễn Văn Đảng Viên {n:05d}",
                "Nam" if n % 2 else "Nữ",
                birth.strftime("%d/%m/%Y"),
                admitted.strftime("%d/%m/%Y"),
                official.strftime("%d/%m/%Y"),
                organization,
                cell,
                "Đang sinh hoạt",
            ]
        )
    buffer = BytesIO()
    book.save(buffer)
    content = buffer.getvalue()
    return lambda: SimpleUploadedFile("dang-vien.xlsx", content)


def measure(staff, upload, before=None) -> dict:
    """Import `upload()` (after `before()`, not measured), then roll everything back; twice: timed with the
    statements counted, then under tracemalloc."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from organizations.imports import import_workbook

    figures = {}
    for traced in (False, True):
        with transaction.atomic():
            if before is not None:
                import_workbook(actor=staff, file=before())
            file = upload()
            if traced:
                tracemalloc.start()
                import_workbook(actor=staff, file=file)
                figures["peak"] = tracemalloc.get_traced_memory()[1]
                tracemalloc.stop()
            else:
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    result = import_workbook(actor=staff, file=file)
                    figures["seconds"] = time.perf_counter() - started
                figures["statements"] = len(queries)
                figures["summary"] = result.summary()
            transaction.set_rollback(True)
    return figures


def reading(upload) -> dict:
    """Seconds to read the large file's cells: the portal's reader (python-calamine, organizations/spreadsheets/
    reading.py) against openpyxl in read-only mode as the import used it before, in the same run."""
    from openpyxl import load_workbook

    from organizations.spreadsheets import MEMBERS
    from organizations.spreadsheets.reading import read_workbook

    def best(run) -> float:
        times = []
        for _ in range(3):
            started = time.perf_counter()
            run()
            times.append(time.perf_counter() - started)
        return min(times)

    def with_openpyxl():
        book = load_workbook(upload(), read_only=True, data_only=True)
        sheet = book[MEMBERS.title]
        sheet.reset_dimensions()
        for _ in sheet.iter_rows(values_only=True):
            pass
        book.close()

    def with_calamine():
        from python_calamine import CalamineWorkbook

        CalamineWorkbook.from_filelike(upload()).get_sheet_by_name(MEMBERS.title).to_python(skip_empty_area=False)

    return {
        "openpyxl": best(with_openpyxl),
        "calamine": best(with_calamine),
        "read_workbook": best(lambda: read_workbook(upload())),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organizations", type=int, default=74)
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--small", type=int, default=500)
    parser.add_argument("--use-database-url", action="store_true")
    args = parser.parse_args()
    tmp = configure(args.use_database_url)

    from django.db import connection
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    setup_test_environment(debug=False)
    old_config = setup_databases(verbosity=0, interactive=False) if args.use_database_url else None
    try:
        if not args.use_database_url:
            from django.core.management import call_command

            call_command("migrate", verbosity=0)
        started = time.perf_counter()
        staff, places = build(args.organizations)
        built = time.perf_counter() - started
        small = workbook("S", args.small, places)
        large = workbook("L", args.members, places)
        moved = workbook("L", args.members, places, shift=1)  # every member one place further on
        runs = [
            (f"new file, {args.small} members", args.small, measure(staff, small)),
            (f"new file, {args.members} members", args.members, measure(staff, large)),
            (f"same {args.members} again", args.members, measure(staff, large, before=large)),
            (f"{args.members} transfers", args.members, measure(staff, moved, before=large)),
        ]
        read = reading(large)
    finally:
        if old_config is not None:
            teardown_databases(old_config, verbosity=0)
        if tmp is not None:
            tmp.cleanup()

    print(
        f"{connection.vendor}: {args.organizations} organisations, {len(places)} places (built in {built:.1f} s); "
        "each import rolled back after it; peak memory by tracemalloc"
    )
    print(f"{'import':28} {'s':>7} {'statements':>11} {'per member':>11} {'peak MiB':>9}")
    for name, rows, figures in runs:
        print(
            f"{name:28} {figures['seconds']:7.2f} {figures['statements']:11d} "
            f"{figures['statements'] / rows:11.3f} {figures['peak'] / 2**20:9.1f}"
        )
    small_run, large_run = runs[0][2], runs[1][2]
    print(
        f"{args.members} / {args.small} members: time × {large_run['seconds'] / small_run['seconds']:.1f}, "
        f"statements × {large_run['statements'] / small_run['statements']:.1f} "
        f"(rows × {args.members / args.small:.0f})"
    )
    print(
        f"reading the {args.members}-member file (best of 3): openpyxl read-only {read['openpyxl']:.2f} s, "
        f"python-calamine {read['calamine']:.2f} s ({read['openpyxl'] / read['calamine']:.0f}× faster); "
        f"read_workbook with every cell parsed and checked {read['read_workbook']:.2f} s"
    )


if __name__ == "__main__":
    main()
