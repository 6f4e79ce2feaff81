"""The tracking page and the dashboard cost the same number of SQL queries with 1 open deadline as with 5, and
with 5 organisations as with 40: the figures of every open deadline come from deadlines.figures_for in a
constant number of queries (issue 13: "dashboard 12 → 26, tracking 9 → 23 in January")."""

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dukportal.submissions.models import Deadline
from tests.democracy_regs.factories import PlanFactory, open_cycle
from tests.factories import OrganizationFactory

from .factories import at, campaign_with_deadlines, submitted

pytestmark = pytest.mark.django_db

TODAY = date(2024, 5, 10)
PAGES = [("notifications:tracking", {}), ("notifications:tracking", {"ngay": "04/05/2024"}), ("dashboard:index", {})]


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(at(TODAY, hour=9), tick=False):
        yield


def _counts(client) -> dict:
    counts = {}
    for name, params in PAGES:
        client.get(reverse(name), params)  # fills per-process caches (content types)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse(name), params)
        assert response.status_code == 200
        counts[(name, tuple(params.items()))] = (len(captured), response)
    return counts


def _open(response) -> int:
    return len(
        response.context["progress"] if "progress" in response.context else response.context["dashboard"].deadlines
    )


def test_tracking_and_dashboard_cost_the_same_for_1_and_5_open_deadlines_and_5_and_40_organisations(
    staff_client, staff_user
):
    campaign = campaign_with_deadlines(
        2024,
        registration_deadline=date(2024, 5, 15),
        midyear_deadline=date(2024, 6, 30),
        yearend_deadline=date(2024, 11, 30),
        created_by=staff_user,
    )
    # Only the registration stays open: staff closed the evaluations' deadlines.
    Deadline.objects.exclude(kind="danvan.registration").update(closed_at=at(date(2024, 4, 1)), closed_by=staff_user)
    organizations = [OrganizationFactory(code=f"A{n}") for n in range(5)]
    submitted(campaign, organizations[0], at(date(2024, 5, 2)))
    one = _counts(staff_client)
    assert {_open(response) for _count, response in one.values()} == {1}

    more = [OrganizationFactory(code=f"B{n}") for n in range(35)]
    with time_machine.travel(at(date(2024, 3, 20)), tick=False):
        cycle = open_cycle(staff_user, inspected=more[:3])  # plans, committees, self-inspection, inspected units
    for organization in more[:10]:
        submitted(campaign, organization, at(date(2024, 5, 3)))
        PlanFactory(cycle=cycle, organization=organization, submitted_at=at(date(2024, 5, 3)))
    five = _counts(staff_client)
    assert {_open(response) for _count, response in five.values()} == {5}

    assert {key: count for key, (count, _r) in five.items()} == {key: count for key, (count, _r) in one.items()}
    tracking = five[("notifications:tracking", ())][1]
    registration = next(p for p in tracking.context["progress"] if p.deadline.kind == "danvan.registration")
    assert registration.ratio_label == "11/40"  # the figures behind the constant count are the real ones
