"""The pages that answer "who owed this deadline on D, who had sent it" give the same answer: `expects` (the
matrix's and the organisation page's Python answer) agrees with deadlines.expected_organizations for every
rule (all active, a chosen list ∩ active, a kind narrowing who owes it), and after a merge on 1 July the
dashboard, the tracking page and the matrix show the same x/y for a deadline on the same date."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from dukportal.dashboard.selectors import dashboard_for
from dukportal.notifications import selectors
from dukportal.submissions import deadlines
from dukportal.submissions.models import Deadline
from models_danvan.models import Registration
from tests import module_data
from tests.democracy_regs.factories import PlanFactory, ReportFactory, open_cycle
from tests.factories import OrganizationFactory
from tests.timeline import decide

from .factories import at, campaign_with_deadlines, submitted

pytestmark = pytest.mark.django_db

LATER = date(2024, 12, 10)  # the day every question is asked: the history below is already written
DATES = [
    date(2024, 2, 1),
    date(2024, 5, 10),
    date(2024, 5, 15),
    date(2024, 6, 20),
    date(2024, 6, 30),
    date(2024, 7, 1),
    date(2024, 8, 15),
    date(2024, 9, 1),
    date(2024, 10, 26),
    date(2024, 12, 1),
    LATER,
]


def build_history(staff_user):
    """A year of a small bloc: B is merged into A on 1 July; M1 and M2 into a new N the same day; C is set up in
    June; G dissolved at the end of August; Z in March. A and B, C, G, Z are chosen for the inspection visit."""
    orgs = {
        "A": OrganizationFactory(code="A", name="Đảng bộ Sở Tài chính"),
        "B": OrganizationFactory(code="B", name="Đảng bộ Sở Kế hoạch", valid_to=date(2024, 6, 30)),
        "C": OrganizationFactory(code="C", name="Chi bộ Ban Quản lý dự án", valid_from=date(2024, 6, 1)),
        "G": OrganizationFactory(code="G", name="Chi bộ Công ty Giống", valid_to=date(2024, 8, 31)),
        "M1": OrganizationFactory(code="M1", name="Đảng bộ Sở Nông nghiệp", valid_to=date(2024, 6, 30)),
        "M2": OrganizationFactory(code="M2", name="Đảng bộ Sở Tài nguyên", valid_to=date(2024, 6, 30)),
        "N": OrganizationFactory(code="N", name="Đảng bộ Sở Nông nghiệp và Môi trường", valid_from=date(2024, 7, 1)),
        "Z": OrganizationFactory(code="Z", name="Chi bộ đã giải thể", valid_to=date(2024, 3, 1)),
        "S": OrganizationFactory(code="S", name="Đảng bộ Sở Y tế"),
    }
    campaign = campaign_with_deadlines(
        2024,
        registration_deadline=date(2024, 5, 15),
        midyear_deadline=date(2024, 6, 30),
        yearend_deadline=date(2024, 11, 30),
        created_by=staff_user,
    )
    with time_machine.travel(at(date(2024, 3, 20)), tick=False):
        cycle = open_cycle(staff_user, inspected=[orgs[c] for c in ("A", "B", "C", "G", "Z")])
    submitted(campaign, orgs["A"], at(date(2024, 5, 10)))
    decide(Registration.objects.filter(organization=orgs["A"]), "accepted", at=at(date(2024, 5, 20)))
    submitted(campaign, orgs["B"], at(date(2024, 5, 20)))  # late
    submitted(campaign, orgs["M1"], at(date(2024, 5, 14)))
    decide(Registration.objects.filter(organization=orgs["M1"]), "accepted", at=at(date(2024, 6, 25)))
    submitted(campaign, orgs["N"], at(date(2024, 7, 5)))  # N did not exist on the due date: owes nothing
    for code, day in [("A", date(2024, 4, 1)), ("S", date(2024, 5, 20)), ("G", date(2024, 5, 2))]:
        PlanFactory(cycle=cycle, organization=orgs[code], submitted_at=at(day))
    visit = {"kind": "inspection_visit", "period_start": date(2023, 10, 1), "period_end": date(2024, 9, 30)}
    ReportFactory(cycle=cycle, organization=orgs["A"], submitted_at=at(date(2024, 8, 20)), **visit)
    ReportFactory(cycle=cycle, organization=orgs["C"], submitted_at=at(date(2024, 9, 5)), **visit)
    return orgs, campaign, cycle


@pytest.fixture(autouse=True)
def later():
    with time_machine.travel(at(LATER, hour=9), tick=False):
        yield


def _codes(queryset_or_list):
    return {o.code for o in queryset_or_list}


history_once, history, bloc, staff_user = module_data.copied_per_test(
    "history", build_history, clock=time_machine.travel(at(LATER, hour=9), tick=False)
)


@pytest.mark.parametrize("on", DATES)
def test_expects_agrees_with_the_shared_rule_for_every_deadline(history, on):
    orgs, _campaign, _cycle = history
    everyone = list(orgs.values())
    columns = selectors._deadlines_with_audience(Deadline.objects.filter(year=2024))
    assert {d.audience for d in columns} == {"all_active", "chosen"}
    assert any(deadlines.obligation(d.kind).expected for d in columns)  # a narrowing kind is among them
    for deadline in columns:
        shared = _codes(deadlines.expected_organizations(deadline, on))
        assert {o.code for o in everyone if selectors.expects(deadline, o, on)} == shared, (deadline.kind, on)


def test_the_rules_give_the_expected_sets_after_the_merge(history):
    """Spelled out once, so the agreement above is not an agreement on nonsense."""
    by_kind = {d.kind: d for d in Deadline.objects.filter(year=2024)}

    def expected(kind, on):
        return _codes(deadlines.expected_organizations(by_kind[kind], on))

    assert expected("danvan.registration", date(2024, 5, 10)) == {"A", "B", "G", "M1", "M2", "S"}
    assert expected("danvan.registration", LATER) == {"A", "B", "G", "M1", "M2", "S"}  # owed on the due date
    assert expected("danvan.mid_year", date(2024, 6, 20)) == {"A"}  # only A's model was accepted by then
    assert expected("danvan.mid_year", date(2024, 6, 30)) == {"A", "M1"}
    assert expected("danvan.year_end", LATER) == {"A"}  # M1 was gone by 30/11
    assert expected("qcdc.inspection_visit", date(2024, 8, 15)) == {"A", "C", "G"}  # chosen ∩ active
    assert expected("qcdc.inspection_visit", LATER) == {"A", "C"}


@pytest.mark.parametrize("on", [date(2024, 5, 15), date(2024, 6, 30), date(2024, 7, 1), date(2024, 9, 1), LATER])
def test_dashboard_tracking_and_matrix_give_the_same_figures_on_a_date(client, staff_user, history, on):
    client.force_login(staff_user)
    tracked = {
        p.deadline.pk: p
        for p in client.get(reverse("notifications:tracking"), {"ngay": f"{on:%d/%m/%Y}"}).context["progress"]
    }
    matrix = client.get(reverse("notifications:matrix"), {"nam": 2024, "ngay": f"{on:%d/%m/%Y}"}).context["matrix"]
    dashboard = {p.deadline.pk: p for p in dashboard_for(staff_user, today=on).deadlines}
    assert matrix.on == on
    for column in matrix.columns:
        figures = deadlines.deadline_figures(column.deadline, on)
        assert column.ratio_label == figures.ratio_label, (column.deadline.kind, on)
        assert column.to_chase == len(figures.to_chase)
        if column.deadline.pk in tracked:
            assert tracked[column.deadline.pk].ratio_label == figures.ratio_label
            assert dashboard[column.deadline.pk].ratio_label == figures.ratio_label
            assert [o.organization.code for o in tracked[column.deadline.pk].owing] == [
                o.code for o in figures.to_chase
            ]
    assert tracked.keys() == dashboard.keys()


def test_after_the_merge_the_merged_are_counted_shown_and_not_chased(client, staff_user, history):
    """Asked on 15/07: six owed the registration (those active on its due date, 15/05), three had sent it (A,
    M1, and B late); N's own sending does not count, it owed nothing. G and S are chased; M2 owed it and is
    merged since: counted in y, shown as merged, not chased."""
    client.force_login(staff_user)
    on = "15/07/2024"
    matrix = client.get(reverse("notifications:matrix"), {"nam": 2024, "ngay": on})
    column = next(c for c in matrix.context["matrix"].columns if c.deadline.kind == "danvan.registration")
    assert column.ratio_label == "3/6"  # A, B, M1 (N's sending does not count: it owed nothing)
    assert column.to_chase == 2  # G and S; M2 owed it but is gone
    rows = {r.organization.code: r for r in matrix.context["matrix"].rows}
    assert not rows["M2"].active and not rows["B"].active and rows["A"].active
    assert rows["N"].cells[0] is None and rows["C"].cells[0] is None
    html = matrix.content.decode()
    assert html.count("gone-badge") == 4  # B, M1, M2 and Z by 15/07
    # The tracking page keeps a deadline 30 days after it passed: on 01/07 the mid-year evaluation (due 30/06)
    # was owed by A and M1 (the two with a model accepted by then); M1 merged into N that day.
    tracking = client.get(reverse("notifications:tracking"), {"ngay": "01/07/2024"})
    midyear = next(p for p in tracking.context["progress"] if p.deadline.kind == "danvan.mid_year")
    assert midyear.ratio_label == "0/2"
    assert [o.organization.code for o in midyear.owing] == ["A"]
    assert _codes(midyear.no_longer_active) == {"M1"}
    page = tracking.content.decode()
    assert "Đã giải thể, sáp nhập (không nhắc)" in page and "Đảng bộ Sở Nông nghiệp — đã giải thể/sáp nhập" in page
