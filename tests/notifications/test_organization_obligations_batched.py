"""The organisation's own page (the officer's landing page) reads its year's obligations in a constant number of
queries — the deadlines, one UNION ALL for the kinds that narrow who owes them, one UNION ALL of its counted
submissions and nil returns — and gives the same answer, deadline by deadline, as the per-deadline rule the
tracking page and the matrix use (`expects` + deadlines.deadline_cells), for every organisation of a year with
merges, a chosen list, a narrowing kind and a “Không phát sinh” answer, asked on many dates afterwards."""

from datetime import date

import pytest
import time_machine
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from democracy_regs import obligations as qcdc
from dukportal.notifications import selectors
from dukportal.submissions import deadlines, services
from dukportal.submissions.models import Deadline
from models_danvan.models import Registration
from tests.democracy_regs.factories import ReportFactory
from tests.factories import BlocFactory, OrganizationFactory, UserFactory
from tests.timeline import decide

from .factories import at, campaign_with_deadlines, submitted
from .test_expected_agrees import DATES, LATER, build_history, later  # noqa: F401  (the shared year, its clock)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def year(django_db_setup, django_db_blocker):
    """The year of test_expected_agrees (built at LATER, as its clock has it), plus: N answers “Không phát
    sinh” to the self-inspection on 20/10, S sends a real self-inspection report on 22/10. Built once for the
    module and rolled back after it (each test nests in the transaction): (orgs, campaign, cycle, staff)."""
    with django_db_blocker.unblock(), transaction.atomic():
        with time_machine.travel(at(LATER, hour=9), tick=False):
            BlocFactory()
            staff_user = UserFactory(username="bantuyengiao", role="staff", first_name="Phương", last_name="Nguyễn Đức")
            orgs, campaign, cycle = build_history(staff_user)
        deadline = Deadline.objects.get(kind=qcdc.SELF_INSPECTION, source_id=cycle.pk)
        with time_machine.travel(at(date(2024, 10, 20), hour=9), tick=False):
            services.nil_return_send(actor=staff_user, deadline=deadline, organization=orgs["N"], reason="Không có")
        with time_machine.travel(at(LATER, hour=9), tick=False):
            ReportFactory(cycle=cycle, organization=orgs["S"], submitted_at=at(date(2024, 10, 22)))
        yield orgs, campaign, cycle, staff_user
        transaction.set_rollback(True)


def _per_deadline(organization, on):
    """The rule deadline by deadline (one query or two per deadline), as the page read it before."""
    result = []
    for deadline in selectors._deadlines_with_audience(Deadline.objects.filter(year=on.year)):
        if selectors.expects(deadline, organization, on):
            standing = deadlines.deadline_cells(deadline, [organization.pk], on)[organization.pk]
            result.append((deadline.pk, standing.code, standing.submitted_at, standing.days_late))
    return sorted(result, key=lambda row: (Deadline.objects.get(pk=row[0]).due_date, row[0]))


def _batched(organization, on):
    return [
        (o.deadline.pk, o.standing.code, o.standing.submitted_at, o.standing.days_late)
        for o in selectors.organization_obligations(organization, on=on)
    ]


@pytest.mark.parametrize("on", [*DATES, date(2024, 10, 21), date(2024, 10, 26)])
def test_the_page_agrees_with_the_per_deadline_rule_for_every_organisation(year, on):
    orgs, _campaign, _cycle, _staff = year
    seen_codes = set()
    for organization in orgs.values():
        expected = _per_deadline(organization, on)
        assert _batched(organization, on) == expected, (organization.code, on)
        seen_codes |= {row[1] for row in expected}
    if on == LATER:  # the comparison covered every kind of answer, not only "missing"
        assert {"late", "submitted", "accepted", "nil"} <= seen_codes


def test_the_standings_are_the_ones_a_user_reads(year):
    orgs, _campaign, _cycle, _staff = year
    by_kind = {o.deadline.kind: o.standing for o in selectors.organization_obligations(orgs["A"], on=LATER)}
    assert by_kind["danvan.registration"].code == "accepted"
    assert by_kind["danvan.mid_year"].code == "late"  # its model was accepted, it owes the evaluation
    nil = {o.deadline.kind: o.standing for o in selectors.organization_obligations(orgs["N"], on=LATER)}
    assert nil[qcdc.SELF_INSPECTION].code == "nil"
    kinds_of_b = {o.deadline.kind for o in selectors.organization_obligations(orgs["B"], on=LATER)}
    assert "danvan.mid_year" not in kinds_of_b  # no accepted model: the evaluation is not B's to send


def _three_more_deadlines_in_2024(staff_user):
    """A registration, a mid-year and a year-end deadline more in 2024 (those of another campaign, moved into
    the year: one campaign a year is the factory's rule), A with an accepted model in it."""
    other = campaign_with_deadlines(
        2023,
        registration_deadline=date(2023, 8, 15),
        midyear_deadline=date(2023, 9, 30),
        yearend_deadline=date(2023, 11, 30),
        created_by=staff_user,
    )
    Deadline.objects.filter(source_id=other.pk, kind__startswith="danvan.").update(year=2024)
    return other


def test_queries_do_not_grow_with_the_deadlines_of_the_year(year):
    orgs, _campaign, _cycle, staff_user = year
    with CaptureQueriesContext(connection) as few:
        selectors.organization_obligations(orgs["A"], on=LATER)
    _three_more_deadlines_in_2024(staff_user)
    with CaptureQueriesContext(connection) as more:
        obligations = selectors.organization_obligations(orgs["A"], on=LATER)
    assert len(obligations) == 8  # one more: the registration (A has no model in the other campaign)
    assert len(more) == len(few) <= 4


def test_the_landing_page_shows_the_obligations_in_constant_queries(year):
    orgs, campaign, _cycle, staff_user = year
    client = Client()
    client.force_login(staff_user)
    url = reverse("organizations:detail", args=[orgs["A"].pk])
    with CaptureQueriesContext(connection) as before:
        page = client.get(url).content.decode()
    assert "Sơ kết 6 tháng" in page and "Đã tiếp nhận" in page
    other = OrganizationFactory(code="X", name="Chi bộ Công ty Xây dựng")
    submitted(campaign, other, at(date(2024, 5, 12)))
    decide(Registration.objects.filter(organization=other), "accepted", at=at(date(2024, 5, 30)))
    _three_more_deadlines_in_2024(staff_user)
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after) == len(before)
