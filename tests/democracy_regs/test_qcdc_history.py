"""Each organisation's QCDC record across the years, and the cycle pages' query counts."""

from datetime import date

import pytest
from django.urls import reverse

from tests.democracy_regs.factories import (
    BrightSpotFactory,
    CommitteeFactory,
    PlanFactory,
    ReportFactory,
    complete_committee,
    open_cycle,
)
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def test_organisation_history_shows_each_year(officer_client, officer_user, staff_user, other_organization):
    organization = officer_user.organization
    old, new = open_cycle(staff_user, year=2023), open_cycle(staff_user)
    PlanFactory(cycle=old, organization=organization, number="03-KH/ĐU", status="accepted")
    PlanFactory(cycle=new, organization=organization, number="08-KH/ĐU", status="returned")
    CommitteeFactory(cycle=old, organization=organization, decision_number="11-QĐ/ĐU")
    ReportFactory(cycle=old, organization=organization)
    BrightSpotFactory(cycle=new, organization=organization, title="Đối thoại với người lao động")
    PlanFactory(cycle=new, organization=other_organization, number="99-KH/ĐU")
    page = officer_client.get(reverse("democracy_regs:organization_history", args=[organization.pk])).content.decode()
    history = page.split('id="history"')[1]
    assert history.index("2024") < history.index("2023")  # newest year first
    assert "03-KH/ĐU" in history and "08-KH/ĐU" in history and "QĐ 11-QĐ/ĐU" in history
    assert "Trả lại để bổ sung" in history and "Đối thoại với người lao động" in history
    assert "99-KH/ĐU" not in page


def test_history_page_queries_do_not_grow_with_years(leader_client, staff_user, django_assert_max_num_queries):
    organization = OrganizationFactory()
    for year in range(2019, 2025):
        cycle = open_cycle(staff_user, year=year)
        PlanFactory(cycle=cycle, organization=organization)
        CommitteeFactory(cycle=cycle, organization=organization)
        ReportFactory(cycle=cycle, organization=organization)
        BrightSpotFactory.create_batch(2, cycle=cycle, organization=organization)
    with django_assert_max_num_queries(9):
        response = leader_client.get(reverse("democracy_regs:organization_history", args=[organization.pk]))
    assert response.content.decode().count("Đã gửi, chờ duyệt") == 6 * 3


def test_cycle_page_for_readers_runs_a_bounded_number_of_queries(
    leader_client, staff_user, django_assert_max_num_queries
):
    cycle = open_cycle(staff_user, inspected=[OrganizationFactory() for _ in range(3)])
    for _ in range(40):
        org = OrganizationFactory()
        PlanFactory(cycle=cycle, organization=org)
        CommitteeFactory(cycle=cycle, organization=org)
        complete_committee(org, joined_on=date(2024, 1, 1))
        ReportFactory(cycle=cycle, organization=org)
    # The inspected units' list is read with its deadline's figures. Issue 11: +1 for the self-inspection's nil
    # returns, +1 for their content type when the cache is cold (this test alone).
    with django_assert_max_num_queries(23):
        response = leader_client.get(cycle.get_absolute_url())
    assert 'id="ratio-qcdcplan">40/43<' in response.content.decode()
