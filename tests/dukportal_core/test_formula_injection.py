"""Spreadsheet formula injection: text an officer typed or imported that begins with =, +, -, @, a tab or a
carriage return comes out of every Excel download as inert text (a leading '), never as a formula; numbers and
dates stay numbers and dates, and re-importing an export changes nothing."""

import io
import re
from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from dukportal.core import xlsx
from organizations.imports import import_workbook
from organizations.models import BaseOrganization, Member
from reports import services as report_services
from reports.models import DocumentKind, ExportJob
from tests.democracy_regs.factories import BrightSpotFactory, open_cycle
from tests.factories import BlocFactory, RegistrationFactory, UserFactory
from tests.notifications.factories import campaign_with_deadlines
from tests.organizations.test_excel_import import MEMBER_HEADERS, MEMBER_SHEET, ORG_HEADERS, ORG_SHEET, XLSX
from tests.reports.factories import IssuingBodyFactory, TermFactory

PAYLOADS = ['=HYPERLINK("http://x","y")', "+1", "-2+3", "@SUM(A1)", "\tX", "\rX"]


def test_inert_quotes_formula_like_text_and_leaves_numbers_and_dates():
    assert [xlsx.inert(text) for text in PAYLOADS] == ["'" + text for text in PAYLOADS]
    assert [xlsx.inert(value) for value in (-2, 3.5, date(2024, 5, 1), None, "Đảng bộ", "'=x")] == [
        -2, 3.5, date(2024, 5, 1), None, "Đảng bộ", "'=x",
    ]  # fmt: skip
    assert [xlsx.unescape(xlsx.inert(text)) for text in PAYLOADS] == PAYLOADS
    assert xlsx.unescape("'quoted") == "'quoted"


def test_a_cell_set_directly_in_an_in_memory_workbook_is_neutralised_on_save():
    workbook = xlsx.new_workbook(write_only=False, keep_first_sheet=True)
    workbook.active["A1"] = "=1+1"
    workbook.active["A2"] = -5
    sheet = load_workbook(io.BytesIO(xlsx.to_bytes(workbook))).active
    assert (sheet["A1"].data_type, sheet["A1"].value, sheet["A2"].value) == ("s", "'=1+1", -5)


def _import_poisoned(staff_user):
    """Organisations and members as an officer's workbook brings them: names that look like formulas (text
    cells, as Excel stores what was typed after a leading ')."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    organizations = workbook.create_sheet(ORG_SHEET)
    organizations.append(ORG_HEADERS)
    members = workbook.create_sheet(MEMBER_SHEET)
    members.append(MEMBER_HEADERS)
    for number, text in enumerate(PAYLOADS, start=1):
        code = f"TC{number}"
        organizations.append(
            [code, text, "Đảng bộ cơ sở", "Khối hành chính", text, text, "+84 216 385 2123", None, "01/01/2015", None]
        )
        members.append([f"09{number:04d}", text, "Nam", "05/03/1980", "02/03/2005", None, code, None, None])
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    import_workbook(actor=staff_user, file=SimpleUploadedFile("du-lieu.xlsx", buffer.getvalue(), content_type=XLSX))


@pytest.fixture(scope="module")
def poisoned(django_db_setup, django_db_blocker, tmp_path_factory):
    """The poisoned data every export reads, built once for the module and rolled back after it (each test
    nests in the transaction): its staff member, the imported organisations and members, registrations and
    bright spots, and an issued document with a table."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), transaction.atomic(), override_settings(MEDIA_ROOT=media):
        bloc = BlocFactory()
        staff_user = UserFactory(username="bantuyengiao", role="staff")
        _import_poisoned(staff_user)
        organizations = list(BaseOrganization.objects.filter(code__startswith="TC").order_by("code"))
        assert organizations[0].name.startswith("=")  # stored as typed; only the exports quote it
        campaign = campaign_with_deadlines(2024)
        cycle = open_cycle(staff_user)
        for organization, text in zip(organizations, PAYLOADS, strict=True):
            RegistrationFactory(
                campaign=campaign, organization=organization, name=text, person_in_charge=text, aims=text, content=text
            )
            BrightSpotFactory(cycle=cycle, organization=organization, title=text, description=text)
        issuing_body = IssuingBodyFactory(bloc=bloc)
        TermFactory(bloc=bloc)
        document = report_services.document_create(actor=staff_user, kind=DocumentKind.OTHER, issuing_body=issuing_body)
        table = "\n".join(["| Nội dung | Số lượng", *(f"| {text} | {n}" for n, text in enumerate(PAYLOADS, start=1))])
        document = report_services.document_update(
            actor=staff_user, document=document, subject=PAYLOADS[0], body=f"{PAYLOADS[2]}\n{table}", signer_name="-Ai"
        )
        issued = report_services.document_issue(actor=staff_user, document=document, issued_on=date(2024, 5, 22))
        yield {"staff": staff_user, "campaign": campaign, "cycle": cycle, "document": issued}
        transaction.set_rollback(True)


def _download(client, url) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    return b"".join(response.streaming_content)


@pytest.fixture
def eager_celery():
    """Run the export task in-process even when REDIS_URL is set (no worker runs during tests)."""
    from dukportal.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


def _job(client, kind: str):
    """A background export: started (run at once, eager), then downloaded."""
    response = client.post(reverse("reports:export_start"), {"kind": kind})
    assert response.status_code == 302
    return reverse("reports:export_download", args=[ExportJob.objects.get().pk])


EXPORTS = {
    "member-export-job": "members",
    "import-template": lambda p: reverse("organizations:import_template"),
    "registrations": lambda p: reverse("models_danvan:registrations_xlsx", args=[p["campaign"].pk]),
    "danvan-statistics": lambda p: reverse("models_danvan:statistics_xlsx", args=[p["campaign"].pk]),
    "qcdc-statistics": lambda p: reverse("democracy_regs:statistics_xlsx", args=[p["cycle"].pk]),
    "compliance-matrix": lambda p: reverse("notifications:matrix_xlsx") + "?nam=2024",
    "document-register": lambda p: reverse("reports:register_xlsx"),
    "document-tables": lambda p: reverse("reports:document_tables_xlsx", args=[p["document"].pk]),
    "deadline-matrix-job": "deadline_matrix",
}


@pytest.mark.django_db
@pytest.mark.parametrize("export", EXPORTS)
def test_no_export_ships_a_formula(client, poisoned, django_capture_on_commit_callbacks, eager_celery, export):
    client.force_login(poisoned["staff"])
    if isinstance(EXPORTS[export], str):
        with django_capture_on_commit_callbacks(execute=True):
            url = _job(client, EXPORTS[export])
    else:
        url = EXPORTS[export](poisoned)
    workbook = load_workbook(io.BytesIO(_download(client, url)))
    quoted = 0
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(xlsx.FORMULA_TRIGGERS), (sheet.title, cell.coordinate)
                    quoted += cell.value.startswith("'") and cell.value[1:].startswith(xlsx.FORMULA_TRIGGERS)
    if export != "import-template":  # the blank template holds no typed text
        assert quoted, "the poisoned text should reach this export (quoted)"


@pytest.mark.django_db
def test_member_export_keeps_numbers_and_dates_and_reimports_without_change(
    client, poisoned, django_capture_on_commit_callbacks, eager_celery
):
    staff_user = poisoned["staff"]
    client.force_login(staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        url = _job(client, "members")
    content = _download(client, url)
    members = load_workbook(io.BytesIO(content))[MEMBER_SHEET]
    first = next(row for row in members.iter_rows(min_row=2) if row[0].value == "090001")
    assert first[1].value == "'" + PAYLOADS[0] and first[3].value.date() == date(1980, 3, 5)
    before = (
        list(BaseOrganization.objects.order_by("code").values("name", "phone", "secretary_name")),
        list(Member.objects.order_by("code").values("full_name")),
    )
    result = import_workbook(actor=staff_user, file=SimpleUploadedFile("xuat.xlsx", content, content_type=XLSX))
    assert all(count.created == count.updated == 0 for count in result.counts.values())
    after = (
        list(BaseOrganization.objects.order_by("code").values("name", "phone", "secretary_name")),
        list(Member.objects.order_by("code").values("full_name")),
    )
    assert after == before


def test_no_export_module_builds_a_workbook_around_the_shared_writer():
    """Every workbook comes from xlsx.new_workbook(), so every export gets the rule (write-only cells through
    SheetWriter, in-memory ones neutralised by to_bytes)."""
    root = Path(__file__).resolve().parents[2]
    offenders = []
    for path in root.glob("*/**/*.py"):
        relative = path.relative_to(root).as_posix()
        if relative.startswith(("tests/", ".venv/", "bench/")) or "/migrations/" in relative:
            continue
        if relative == "dukportal/core/xlsx.py":
            continue
        source = path.read_text(encoding="utf-8")
        if re.search(r"\bWorkbook\(|WriteOnlyCell\(", source):
            offenders.append(relative)
    assert offenders == []
