"""The deadline matrix export takes the page's reference date: who had sent each deadline by the end of that
day, from the shared deadline layer."""

import io
from datetime import date, datetime

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from reports import exports, tasks
from reports.models import ExportJob
from tests.factories import RegistrationFactory
from tests.reports.factories import HCM, danvan_scenario

pytestmark = pytest.mark.django_db


def _standings(data: bytes) -> list:
    rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    return [row[2] for row in rows[1:]], rows[0][2]


@pytest.fixture
def history(staff_user):
    with time_machine.travel(datetime(2024, 5, 14, 9, tzinfo=HCM), tick=False):
        campaign, orgs = danvan_scenario(staff=staff_user, organizations=12, registered=5, base_level=9, continued=3)
    with time_machine.travel(datetime(2024, 5, 20, 9, tzinfo=HCM), tick=False):
        RegistrationFactory(campaign=campaign, organization=orgs[8])
    return campaign


def test_matrix_for_a_past_date_shows_who_had_sent_by_then(history):
    on_15, title = _standings(exports.deadline_matrix_xlsx(on=date(2024, 5, 15)))
    on_21, _ = _standings(exports.deadline_matrix_xlsx(on=date(2024, 5, 21)))
    assert on_15.count("Đã nộp") == 5 and "tính đến 15/05/2024" in title
    assert on_21.count("Đã nộp") == 6 and on_21.count("Quá hạn") == 6


def test_export_page_passes_the_reference_date_to_the_job(history, staff_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        response = staff_client.post(reverse("reports:export_start"), {"kind": "deadline_matrix", "ngay": "15/05/2024"})
    job = ExportJob.objects.get()
    assert response.status_code == 302 and job.params == {"on": "2024-05-15"}
    tasks.run_export(job.pk)
    job.refresh_from_db()
    with job.file.open("rb") as handle:
        standings, _ = _standings(handle.read())
    assert standings.count("Đã nộp") == 5


def test_export_refuses_a_future_date(history, staff_client):
    response = staff_client.post(
        reverse("reports:export_start"), {"kind": "deadline_matrix", "ngay": "01/01/2999"}, follow=True
    )
    assert "Ngày tính số liệu không được sau ngày hôm nay." in response.content.decode()
    assert not ExportJob.objects.exists()
