"""The registration list reads a page's ids first, on one index, then their rows (issue 13): the same rows in
the same order as reading the rows and cutting them, whatever the filters, in one query a page."""

import pytest
import time_machine
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench import dataset
from dukportal.core.pagination import IdsFirstPaginator
from models_danvan import selectors
from organizations.models import Sector

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    with time_machine.travel(dataset.TODAY, tick=False):
        yield dataset.grow(dataset.start(), 60, years=1, members=1)


@pytest.mark.parametrize(
    "filters",
    [{}, {"status": "accepted"}, {"sector": Sector.ENTERPRISE, "status": "accepted"}, {"category": "economy"}],
)
def test_pages_hold_the_same_rows_in_the_same_order(data, filters):
    rows = selectors.registration_rows(data.staff, data.campaign, **filters)
    plain, first = Paginator(rows, 7), IdsFirstPaginator(rows, 7)
    assert first.count == plain.count and first.num_pages == plain.num_pages
    for number in plain.page_range:
        assert [r.pk for r in first.page(number).object_list] == [r.pk for r in plain.page(number).object_list]


def test_a_page_is_one_query_with_its_organisation(data):
    page = IdsFirstPaginator(selectors.registration_rows(data.staff, data.campaign), 50).page(2)
    with CaptureQueriesContext(connection) as captured:
        names = [r.organization.name for r in page.object_list if r.organization_id]
    assert len(captured) == 1 and len(names) == 50


def test_the_filtered_list_shows_its_page_and_total(client, data):
    client.force_login(data.staff)
    url = reverse("models_danvan:registrations", args=[data.campaign.pk])
    response = client.get(url, {"sector": Sector.ENTERPRISE, "status": "accepted"})
    expected = list(selectors.registration_rows(data.staff, data.campaign, sector=Sector.ENTERPRISE, status="accepted"))
    assert [r.pk for r in response.context["registrations"]] == [r.pk for r in expected][:50]
    assert f'id="registration-total">{len(expected)} '.encode() in response.content
