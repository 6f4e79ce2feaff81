"""Where the list pages' SQL grew with the bloc (issue 13, bench/lists.py): the organisation list's totals and
pager, the member search's count and ranking. Each fix keeps the rows and figures the pages showed; these tests
pin both the result and the shape of the query."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench import dataset
from organizations import selectors
from organizations.models import Sector
from organizations.views import MemberSearchView
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    with time_machine.travel(dataset.TODAY, tick=False):
        yield dataset.grow(dataset.start(), 15, years=1, members=4)


@pytest.mark.parametrize("on", [dataset.TODAY.date(), dataset.PAST, dataset.TODAY.date() - timedelta(days=3650)])
@pytest.mark.parametrize("query, sector", [("", ""), ("so 0", ""), ("", Sector.ENTERPRISE)])
def test_organisation_list_totals_are_the_sums_of_the_rows_it_lists(data, on, query, sector):
    rows = list(selectors.organization_list(data.staff, query=query, sector=sector, on=on))
    totals = selectors.organization_list_totals(data.staff, query=query, sector=sector, on=on)
    assert totals == selectors.organization_totals(rows)
    assert totals["members"] == sum(
        1 for row in rows for _ in selectors.members_on(on).filter(organization=row.pk)
    )  # and the definition itself: a member of X on D


def test_organisation_list_counts_the_organisations_once(data, client):
    client.force_login(data.staff)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("organizations:list"))
    assert b"<strong>15</strong> t\xe1\xbb\x95 ch\xe1\xbb\xa9c" in response.content
    assert response.context["page"].paginator.count == 15
    # A COUNT whose outermost FROM is the organisations (the subqueries, in parentheses, left out).
    counts = [_outermost(q["sql"]) for q in captured.captured_queries if q["sql"].startswith("SELECT COUNT(")]
    counts = [sql for sql in counts if 'FROM "organizations_baseorganization"' in sql]
    assert len(counts) == 1, counts  # the totals' count of organisations is the pager's
    assert len(captured) == 5  # session, user, the totals (three counts in one query), the page's rows, the bloc


def _outermost(sql: str) -> str:
    """The SQL without its parenthesised parts (subqueries, function arguments)."""
    while True:
        shorter = re.sub(r"\([^()]*\)", "", sql)
        if shorter == sql:
            return sql
        sql = shorter


def _nguyen(organization, count):
    for number in range(count):
        MemberFactory(organization=organization, full_name=f"Nguyễn Văn {chr(ord('A') + number)}")


def test_member_search_past_the_cap_says_more_than_and_lists_the_first_ranked(
    staff_client, staff_user, organization, monkeypatch
):
    _nguyen(organization, 8)
    MemberFactory(organization=organization, full_name="Nguyễn")  # the exact name ranks first
    monkeypatch.setattr(MemberSearchView, "counted_up_to", 5)
    response = staff_client.get(reverse("organizations:member_search"), {"q": "nguyen"})
    html = response.content.decode()
    assert "Tìm thấy hơn 5 đảng viên; chỉ hiện 5 người đầu tiên" in html
    expected = list(selectors.member_list(staff_user, query="nguyen"))[:5]
    assert [m.pk for m in response.context["page"].object_list] == [m.pk for m in expected]
    assert expected[0].full_name == "Nguyễn"
    assert not response.context["page"].has_other_pages()


def test_member_search_under_the_cap_gives_the_exact_count(staff_client, organization):
    _nguyen(organization, 3)
    html = staff_client.get(reverse("organizations:member_search"), {"q": "nguyen"}).content.decode()
    assert "Tìm thấy 3 đảng viên." in html
