"""The bloc's size on a day (organizations.selectors.bloc_totals: the dashboard's card; bloc_member_count for
those who read every organisation, counted without joining the members to the organisations) agrees with the
organisation list's rows on every day of a history built day by day — a member leaving, a transfer, a merge
that moves the members, a dissolution, an organisation set up later and one dissolved with its members' periods
left open — asked afterwards about each day, for staff and for an officer."""

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from organizations import reorganization, selectors, services
from organizations.models import LeaveReason, Member
from tests.factories import MemberFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

DAYS = [
    date(2024, 1, 1),
    date(2024, 2, 29),
    date(2024, 3, 1),  # a member of A left
    date(2024, 4, 1),  # one of A moved to C
    date(2024, 6, 30),
    date(2024, 7, 1),  # B dissolved (its members still counted there until they move: none did)
    date(2024, 8, 1),  # D set up, with a member from its first day
    date(2024, 9, 30),
    date(2024, 10, 1),  # C merged into A, its members moved
    date(2024, 12, 10),
]


def _on(day):
    return time_machine.travel(day, tick=False)


@pytest.fixture
def bloc_history(bloc, staff_user):
    with _on(date(2024, 1, 1)):
        a = OrganizationFactory(code="A", valid_from=date(2015, 1, 1))
        b = OrganizationFactory(code="B", valid_from=date(2015, 1, 1))
        c = OrganizationFactory(code="C", valid_from=date(2015, 1, 1))
        gone = OrganizationFactory(code="G", valid_from=date(2015, 1, 1), valid_to=date(2024, 5, 31))
        d = OrganizationFactory(code="D", valid_from=date(2024, 8, 1))
        in_a = [MemberFactory(organization=a, joined_on=date(2020, 1, 1)) for _ in range(4)]
        MemberFactory.create_batch(2, organization=b, joined_on=date(2019, 1, 1))
        MemberFactory.create_batch(3, organization=c, joined_on=date(2021, 6, 1))
        MemberFactory.create_batch(2, organization=gone, joined_on=date(2018, 1, 1))  # periods never closed
    with _on(date(2024, 3, 1)):
        services.member_leave(actor=staff_user, member=in_a[0], on=date(2024, 3, 1), reason=LeaveReason.DIED)
    with _on(date(2024, 4, 1)):
        services.member_transfer(actor=staff_user, member=in_a[1], organization=c, on=date(2024, 4, 1))
    with _on(date(2024, 7, 1)):
        reorganization.organization_dissolve(
            actor=staff_user, organization=b, effective_on=date(2024, 7, 1), reason="Quyết định giải thể"
        )
    with _on(date(2024, 8, 1)):
        MemberFactory(organization=d, joined_on=date(2024, 8, 1))
    with _on(date(2024, 10, 1)):
        reorganization.organizations_merge(actor=staff_user, predecessors=[c], into=a, effective_on=date(2024, 10, 1))
    return a, c


def _from_rows(user, day) -> dict:
    return selectors.organization_totals(list(selectors.organization_list(user, on=day)))


def test_the_member_count_of_each_day_agrees_with_the_organisation_list(bloc_history, staff_user):
    a, c = bloc_history
    officer = UserFactory(role="officer", organization=a)
    with _on(date(2024, 12, 10)):
        counts = []
        for day in DAYS:
            totals = selectors.bloc_totals(staff_user, on=day)
            assert {k: totals[k] for k in ("organizations", "cells", "members")} == _from_rows(staff_user, day), day
            assert selectors.bloc_member_count(day) == totals["members"]
            assert selectors.organization_list_totals(staff_user, on=day) == _from_rows(staff_user, day)
            mine = selectors.bloc_totals(officer, on=day)
            assert {k: mine[k] for k in ("organizations", "cells", "members")} == _from_rows(officer, day), day
            counts.append((totals["members"], mine["members"]))
    # A: 4 → 3 (a death) → 2 (a transfer to C) → 2 + 4 from C (the merge); the bloc: B's and G's members stop
    # counting when their organisations end, D's from its first day, the merge moves C's without changing the sum.
    assert counts == [(11, 4), (11, 4), (10, 3), (10, 2), (8, 2), (6, 2), (7, 2), (7, 2), (7, 6), (7, 6)]
    assert Member.objects.filter(periods__organization=c, periods__left_on=date(2024, 10, 1)).count() == 4


def test_the_bloc_totals_are_two_queries_whatever_the_history(bloc_history, staff_user):
    with _on(date(2024, 12, 10)), CaptureQueriesContext(connection) as captured:
        selectors.bloc_totals(staff_user, on=date(2024, 6, 30))
    assert len(captured) == 2
