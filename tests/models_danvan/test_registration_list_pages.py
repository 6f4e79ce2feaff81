"""The registration list reads a page's ids first, on one index, then their rows (issue 13): the same rows in
the same order as reading the rows and cutting them, whatever the filters, in one query a page."""

import pytest
import time_machine
from django.core.paginator import Paginator
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench import dataset
from dukportal.core import prepared
from dukportal.core.pagination import IdsFirstPaginator
from models_danvan import selectors
from organizations.models import Role, Sector, User

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


@pytest.mark.parametrize(
    "filters",
    [{}, {"status": "accepted"}, {"sector": Sector.ENTERPRISE, "status": "accepted"}, {"category": "economy"}],
)
def test_prepared_pages_are_the_querysets_pages_for_staff_and_officers(data, filters):
    """The list reads its count and pages through SQL compiled once per process (registration_row_pages): the same
    count, and every page the same registrations with the same fields and organisation names, printed the same,
    as registration_rows cut by IdsFirstPaginator; for staff and for an officer (its organisation's only)."""
    officer_organization = data.campaign.registrations.exclude(organization=None).first().organization
    officer = User.objects.create(username="officer-pages", role=Role.OFFICER, organization=officer_organization)
    table = Template('{% include "models_danvan/_registration_table.html" %}')
    prepared.clear()
    for user in (data.staff, officer):
        for _ in range(2):  # compiled on the first pass, run as kept on the second
            expected = IdsFirstPaginator(selectors.registration_rows(user, data.campaign, **filters), 7)
            pages = IdsFirstPaginator(selectors.registration_row_pages(user, data.campaign, **filters), 7)
            assert pages.count == expected.count and pages.num_pages == expected.num_pages
            for number in expected.page_range:
                want, got = list(expected.page(number).object_list), pages.page(number).object_list
                assert [vars_of(r) for r in got] == [vars_of(r) for r in want], (user, number)
                context = {"show_org": True, "offset": (number - 1) * 7 + 1}
                assert table.render(Context({**context, "registrations": got})) == table.render(
                    Context({**context, "registrations": want})
                )
    officers = selectors.registration_row_pages(officer, data.campaign, **filters)
    assert {r.organization_id for r in officers[0 : officers.count()]} <= {officer_organization.pk}


def vars_of(registration) -> tuple:
    loaded = registration.get_deferred_fields()
    organization = registration.organization
    return (
        type(registration),
        registration.pk,
        sorted(loaded),
        tuple(getattr(registration, f) for f in selectors.REGISTRATION_ROW_FIELDS if f != "organization__name"),
        organization and (organization.pk, organization.name, sorted(organization.get_deferred_fields())),
    )


def test_the_list_page_reads_its_count_and_page_once_each(client, data):
    prepared.clear()
    client.force_login(data.staff)
    url = reverse("models_danvan:registrations", args=[data.campaign.pk])
    client.get(url, {"page": 2})
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, {"page": 2})
    assert response.status_code == 200
    assert sum("models_danvan_registration" in q["sql"] for q in captured.captured_queries) == 2  # count, page
