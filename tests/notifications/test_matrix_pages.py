"""The compliance matrix shows 100 organisations a page (`?trang=`, the year, sector and reference date kept
across pages), numbered on across pages, with a totals row that counts every organisation of the matrix (in
SQL), and costs the same queries for 105 organisations as for 5. Its Excel export still has every row."""

import io
import re
from datetime import date
from pathlib import Path

import openpyxl
import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dukportal.notifications import selectors
from dukportal.submissions import deadlines
from dukportal.submissions.models import Deadline
from organizations.models import BaseOrganization
from tests.factories import OrganizationFactory, RegistrationFactory

from .factories import at, campaign_with_deadlines, deadline_of, submitted

pytestmark = pytest.mark.django_db

TODAY = date(2024, 6, 1)


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(at(TODAY, hour=9), tick=False):
        yield


@pytest.fixture
def campaign(bloc, staff_user):
    return campaign_with_deadlines(
        2024,
        registration_deadline=date(2024, 5, 15),
        midyear_deadline=date(2024, 6, 30),
        yearend_deadline=date(2024, 11, 30),
        created_by=staff_user,
    )


def _grow(campaign, start, count, sector="administrative"):
    organizations = [
        OrganizationFactory(code=f"O{n:03d}", name=f"Đảng bộ đơn vị {n:03d}", sector=sector)
        for n in range(start, start + count)
    ]
    for organization in organizations[::3]:  # a third sent, on 10/05
        submitted(campaign, organization, at(date(2024, 5, 10)))
    return organizations


def _rows(html: str) -> list[str]:
    return re.findall(r'<tr data-organization="\d+"[^>]*><td>(\d+)</td>', html)


def _total(html: str, deadline) -> str:
    return re.search(rf'class="small column-total" data-deadline="{deadline.pk}">([^<]*)<', html).group(1)


def test_a_page_of_100_rows_with_the_totals_of_all_and_the_filters_kept(staff_client, campaign):
    _grow(campaign, 0, 104)
    OrganizationFactory(code="ENT", name="Đảng bộ Công ty Điện lực", sector="enterprise")
    registration = deadline_of(campaign)
    params = {"nam": 2024, "ngay": "20/05/2024"}
    first = staff_client.get(reverse("notifications:matrix"), params).content.decode()
    assert _rows(first) == [str(n) for n in range(1, 101)]
    expected = deadlines.deadline_figures(registration, date(2024, 5, 20))
    assert expected.ratio_label == "35/105"
    assert _total(first, registration) == "Đã nộp 35/105; chưa nộp 70"  # every organisation, not the page's
    assert "Tổng cộng (105 tổ chức)" in first
    link = first.split('rel="next" href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    assert link == "?nam=2024&ngay=20%2F05%2F2024&trang=2"
    second = staff_client.get(reverse("notifications:matrix") + link).content.decode()
    assert _rows(second) == [str(n) for n in range(101, 106)]
    assert _total(second, registration) == "Đã nộp 35/105; chưa nộp 70"
    assert 'rel="prev"' in second and 'rel="next"' not in second
    # A sector: its own totals, one page.
    enterprise = staff_client.get(reverse("notifications:matrix"), {**params, "khoi": "enterprise"}).content.decode()
    assert _rows(enterprise) == ["1"] and _total(enterprise, registration) == "Đã nộp 0/1; chưa nộp 1"
    assert 'id="matrix-pages"' not in enterprise
    # The export is every organisation, not a page.
    export = staff_client.get(reverse("notifications:matrix_xlsx"), params)
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    assert sum(1 for row in sheet.iter_rows(values_only=True) if isinstance(row[0], int)) == 105


def test_the_totals_agree_with_deadline_figures_with_a_bloc_level_registration(campaign, staff_user):
    """A bloc-level registration (no organisation) must not turn “not among the senders” into unknown."""
    _grow(campaign, 0, 12)
    RegistrationFactory(campaign=campaign, organization=None, level="bloc", submitted_at=at(date(2024, 5, 9)))
    columns = selectors._deadlines_with_audience(Deadline.objects.filter(year=2024))
    for on in (date(2024, 5, 9), date(2024, 5, 20), TODAY):
        totals = selectors.matrix_totals(columns, BaseOrganization.objects.all(), on)
        for deadline in columns:
            figures = deadlines.deadline_figures(deadline, on)
            assert totals[deadline.pk] == {
                "expected": figures.expected,
                "sent": figures.sent,
                "nil_returns": figures.nil_returns,
                "to_chase": len(figures.to_chase),
            }, (deadline.kind, on)
    assert totals[deadline_of(campaign).pk]["to_chase"] == 8


def test_the_totals_compiled_once_per_process_agree_with_the_orm_as_data_and_dates_change(campaign, staff_user):
    """compliance_matrix's totals run SQL compiled once for (scope, year, sector, day, columns): asked again
    after new rows, for other days and a sector, they are the freshly built query's."""
    organizations = _grow(campaign, 0, 6)
    columns = selectors._deadlines_with_audience(Deadline.objects.filter(year=2024))
    key = (("all",), 2024, "")
    days = (date(2024, 5, 9), date(2024, 5, 20), TODAY)
    for on in days:
        assert selectors.matrix_totals(columns, BaseOrganization.objects.all(), on, key=key) == (
            selectors.matrix_totals(columns, BaseOrganization.objects.all(), on)
        )
    submitted(campaign, organizations[1], at(date(2024, 5, 12)))
    OrganizationFactory(code="ENT", sector="enterprise")
    for on in days:
        fresh = selectors.matrix_totals(columns, BaseOrganization.objects.all(), on)
        assert selectors.matrix_totals(columns, BaseOrganization.objects.all(), on, key=key) == fresh, on
    registration = deadline_of(campaign).pk
    assert fresh[registration]["sent"] == 3 and fresh[registration]["expected"] == 7
    enterprise = BaseOrganization.objects.filter(sector="enterprise")
    totals = selectors.matrix_totals(columns, enterprise, TODAY, key=(("all",), 2024, "enterprise"))
    assert totals == selectors.matrix_totals(columns, enterprise, TODAY) and totals[registration]["expected"] == 1
    matrix = selectors.compliance_matrix(staff_user, year=2024, on=TODAY, page_number=1)
    assert [(c.sent, c.expected) for c in matrix.columns] == [
        (fresh[c.deadline.pk]["sent"], fresh[c.deadline.pk]["expected"]) for c in matrix.columns
    ]


def test_a_page_costs_the_same_queries_for_5_and_105_organisations(staff_client, campaign):
    def count():
        url = reverse("notifications:matrix")
        staff_client.get(url, {"nam": 2024, "trang": 2})
        with CaptureQueriesContext(connection) as captured:
            staff_client.get(url, {"nam": 2024, "trang": 2})
        return len(captured)

    _grow(campaign, 0, 5)
    small = count()
    _grow(campaign, 5, 100)
    assert count() == small


def test_the_matrix_renders_its_cells_without_an_include_per_cell():
    template = Path(settings.BASE_DIR, "templates/notifications/compliance_matrix.html").read_text()
    rows = template.split("{% for row in matrix.rows %}", 1)[1].split("{% endfor %}\n", 1)[0]
    assert "{% for standing in row.cells %}" in rows and "{% include" not in rows
