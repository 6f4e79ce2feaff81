"""Every list page costs the same number of SQL queries for a bloc of 5 organisations and for one of 15 (each
with members, ten years of registrations, QCDC items and staff notifications: bench/dataset.py, the data set
bench/lists.py measures at 74 and 1,000). Pages keep their filters across pages (tests/test_organization_field.py:
the organisation field of staff forms)."""

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench import dataset
from bench.lists import pages

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock():
    with time_machine.travel(dataset.TODAY, tick=False):
        yield


def _query_counts(client, data, *, warm: bool = True) -> dict[str, int]:
    counts = {}
    for name, url in pages(data):
        if warm:  # the first request of a page fills per-process caches (content types, sessions)
            client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, (name, url, response.status_code)
        counts[name] = len(captured)
    return counts


def test_every_list_page_costs_the_same_queries_for_5_and_15_organisations(client, clock):
    data = dataset.grow(dataset.start(), 5, years=2, members=12)
    client.force_login(data.staff)
    small = _query_counts(client, data)
    dataset.grow(data, 10, years=2, members=12)
    assert data.organizations == 15 and data.members > 150
    large = _query_counts(client, data, warm=False)  # the caches were filled at the small size
    assert large == small


def test_list_pages_show_a_page_of_rows_and_the_totals_of_all(client, clock):
    data = dataset.grow(dataset.start(), 60, years=1, members=3)
    client.force_login(data.staff)
    response = client.get(reverse("organizations:list"))
    assert response.content.count(b'<td><a href="/to-chuc/') == 50  # a page of organisations…
    assert b"<strong>60</strong> t\xe1\xbb\x95 ch\xe1\xbb\xa9c" in response.content  # …and the count of all 60
    response = client.get(reverse("models_danvan:registrations", args=[data.campaign.pk]))
    assert b'id="registration-total">120 ' in response.content
    assert response.content.count(b'<td><a href="/dan-van-kheo/dang-ky/') == 50


@pytest.fixture(scope="class")
def bloc_of_120(django_db_setup, django_db_blocker):
    """120 organisations built once for the class (more than two pages of every list), in a transaction rolled
    back after it; each test's own transaction nests in it."""
    with django_db_blocker.unblock(), transaction.atomic():
        with time_machine.travel(dataset.TODAY, tick=False):
            data = dataset.grow(dataset.start(), 120, years=1, members=1)
        yield data
        transaction.set_rollback(True)


class TestNextPageLink:
    @pytest.mark.parametrize(
        ("url_name", "params"),
        [
            ("organizations:list", "q=so&sector=administrative&ngay=15/05/2024"),
            ("models_danvan:registrations", "status=accepted&category=&sector=administrative"),
            ("democracy_regs:cycle_submissions", "loai=plan&q=so&ngay=15/05/2024"),
        ],
    )
    def test_the_next_page_link_keeps_the_search_filters_and_reference_date(
        self, bloc_of_120, client, clock, url_name, params
    ):
        _next_page_keeps(client, bloc_of_120, url_name, params)


def _next_page_keeps(client, data, url_name, params):
    client.force_login(data.staff)
    args = {"models_danvan:registrations": [data.campaign.pk], "democracy_regs:cycle_submissions": [data.cycle.pk]}
    response = client.get(f"{reverse(url_name, args=args.get(url_name, []))}?{params}")
    content = response.content.decode()
    assert 'rel="next"' in content
    link = content.split('rel="next" href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    assert link == "?" + params.replace("/", "%2F") + "&page=2"
    assert (
        client.get(link if link.startswith("/") else reverse(url_name, args=args.get(url_name, [])) + link).status_code
        == 200
    )
