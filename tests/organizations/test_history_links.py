"""An organisation's history section: its predecessors and successors, each in date order, read in one query
with its names (two in all), and shown on its page."""

from datetime import date

import pytest
from django.urls import reverse

from organizations.models import OrganizationSuccession
from organizations.reorganization_views import history_context
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def _link(predecessor, successor, day, kind="merge"):
    return OrganizationSuccession.objects.create(
        predecessor=predecessor, successor=successor, kind=kind, effective_on=day
    )


@pytest.fixture
def chain(bloc):
    first, second = OrganizationFactory(code="T1", name="Đảng bộ Sở Kế hoạch"), OrganizationFactory(code="T2")
    middle = OrganizationFactory(code="M", name="Đảng bộ Sở Tài chính")
    later, last = OrganizationFactory(code="S1", name="Đảng bộ Sở Tài chính mới"), OrganizationFactory(code="S2")
    links = [
        _link(second, middle, date(2024, 7, 1)),
        _link(first, middle, date(2023, 1, 1)),
        _link(middle, last, date(2026, 1, 1), kind="split"),
        _link(middle, later, date(2025, 3, 1), kind="split"),
        _link(first, second, date(2022, 1, 1)),  # not the middle one's
    ]
    return middle, links


def test_both_directions_in_date_order_in_two_queries(chain, django_assert_num_queries):
    middle, links = chain
    with django_assert_num_queries(2):
        context = history_context(middle)
        assert [link.predecessor.code for link in context["predecessors"]] == ["T1", "T2"]
        assert [link.successor.code for link in context["successors"]] == ["S1", "S2"]
    assert context["predecessors"] == [links[1], links[0]] and context["successors"] == [links[3], links[2]]


def test_the_page_shows_them(chain, staff_client):
    middle, _links = chain
    html = staff_client.get(reverse("organizations:detail", args=[middle.pk])).content.decode()
    section = html[html.index('id="organization-history"') :]
    assert section.index("Đảng bộ Sở Kế hoạch") < section.index("Đảng bộ Sở Tài chính mới")
    assert section.count("Tổ chức tiền thân") == 2 and section.count("Tổ chức kế tục") == 2
