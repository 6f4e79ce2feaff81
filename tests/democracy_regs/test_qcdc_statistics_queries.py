"""A cycle's figures cost a constant number of queries whatever the size of the bloc (the selector and the
statistics page), and a committee is judged complete on the reference day. Each test builds its own data."""

from datetime import date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from democracy_regs import selectors, services
from tests.democracy_regs.factories import (
    BrightSpotFactory,
    CommitteeFactory,
    PlanFactory,
    ReportFactory,
    complete_committee,
    open_cycle,
)
from tests.democracy_regs.test_qcdc_statistics import HCM, TODAY, build_scenario
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def _queries(function) -> int:
    with CaptureQueriesContext(connection) as context:
        function()
    return len(context.captured_queries)


def _grow(cycle, n):
    for i in range(n):
        org = OrganizationFactory(name=f"Đảng bộ bổ sung {i}")
        PlanFactory(cycle=cycle, organization=org)
        CommitteeFactory(cycle=cycle, organization=org)
        complete_committee(org)
        ReportFactory(cycle=cycle, organization=org)
        BrightSpotFactory(cycle=cycle, organization=org)


def test_statistics_and_their_page_need_the_same_few_queries_for_8_or_20_organisations(client, staff_user, leader_user):
    cycle, *_ = build_scenario(staff_user, size=8)
    client.force_login(leader_user)
    url = reverse("democracy_regs:statistics", args=[cycle.pk])
    selectors.cycle_summary(cycle, on=TODAY)  # warm the content-type cache
    client.get(url)  # and the session
    small = _queries(lambda: selectors.cycle_summary(cycle, on=TODAY))
    small_page = _queries(lambda: client.get(url))
    _grow(cycle, 12)
    assert _queries(lambda: selectors.cycle_summary(cycle, on=TODAY)) == small
    assert _queries(lambda: client.get(url)) == small_page
    # cycle_summary: the deadlines, every item's counts (one UNION ALL), each item's first missing ones (4), their
    # names on the day, the bright spots (the reading organisation by organisation took up to 13).
    assert small == 8, small


def test_committee_complete_is_judged_on_the_reference_day(staff_user, organization):
    cycle = open_cycle(staff_user)
    CommitteeFactory(cycle=cycle, organization=organization, submitted_at=datetime(2024, 5, 10, 9, tzinfo=HCM))
    complete_committee(organization, joined_on=date(2024, 1, 1))
    head = organization.qcdc_memberships.get(role="head")
    services.membership_end(actor=staff_user, membership=head, left_on=date(2024, 8, 1))
    assert selectors.cycle_summary(cycle, on=date(2024, 7, 31)).committees.ratio_label == "1/1"
    later = selectors.cycle_summary(cycle, on=date(2024, 8, 1)).committees
    assert later.ratio_label == "0/1"
    assert later.missing[0].label == "Ban chỉ đạo chưa có trưởng ban; mới có 2/3 thành viên tối thiểu"
    # A past year is judged on its last day.
    assert selectors.reference_day(cycle, date(2026, 5, 1)) == date(2024, 12, 31)
