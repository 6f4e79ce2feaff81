"""deadlines.figures_for (every deadline at once, a constant number of queries) gives exactly what
deadlines.deadline_figures gives one deadline at a time: the same expected organisations in the same order with
the names they bore that day, the same standing for each, the same counts and the same lists to chase — after a
merge, a dissolution, a chosen list, a kind that narrows who owes it, a withdrawal, a return and a nil return,
on several reference dates asked afterwards."""

from datetime import date

import pytest
import time_machine

from dukportal.submissions import deadlines, services
from dukportal.submissions.models import Deadline
from models_danvan.models import Registration
from organizations.models import OrganizationName
from tests import module_data
from tests.democracy_regs.factories import PlanFactory, ReportFactory, open_cycle
from tests.factories import OrganizationFactory
from tests.notifications.factories import at, campaign_with_deadlines, submitted
from tests.timeline import decide

pytestmark = pytest.mark.django_db

LATER = date(2024, 12, 10)
DATES = [
    date(2024, 2, 1),
    date(2024, 5, 14),
    date(2024, 5, 15),
    date(2024, 5, 20),
    date(2024, 5, 22),
    date(2024, 5, 25),
    date(2024, 6, 25),
    date(2024, 6, 30),
    date(2024, 7, 1),
    date(2024, 8, 15),
    date(2024, 9, 1),
    date(2024, 10, 20),
    date(2024, 10, 21),
    date(2024, 10, 26),
    LATER,
]


def _build_history(staff_user):
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
        "W": OrganizationFactory(code="W", name="Đảng bộ Sở Xây dựng"),
    }
    # S was renamed on 1 September: figures of before keep its old name.
    OrganizationName.objects.create(organization=orgs["S"], name="Đảng bộ Sở Y tế cũ", valid_from=date(2000, 1, 1))
    OrganizationName.objects.create(organization=orgs["S"], name="Đảng bộ Sở Y tế", valid_from=date(2024, 9, 1))
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
    decide(Registration.objects.filter(organization=orgs["B"]), "returned", at=at(date(2024, 5, 24)))
    submitted(campaign, orgs["M1"], at(date(2024, 5, 14)))
    decide(Registration.objects.filter(organization=orgs["M1"]), "accepted", at=at(date(2024, 6, 25)))
    submitted(campaign, orgs["N"], at(date(2024, 7, 5)))  # N did not exist on the due date: owes nothing
    withdrawn = submitted(campaign, orgs["W"], at(date(2024, 5, 12)))
    with time_machine.travel(at(date(2024, 5, 22), hour=10), tick=False):
        services.submission_withdraw(actor=staff_user, submission=withdrawn, comment="Gửi nhầm hồ sơ")
    for code, day in [("A", date(2024, 4, 1)), ("S", date(2024, 5, 20)), ("G", date(2024, 5, 2))]:
        PlanFactory(cycle=cycle, organization=orgs[code], submitted_at=at(day))
    visit = {"kind": "inspection_visit", "period_start": date(2023, 10, 1), "period_end": date(2024, 9, 30)}
    ReportFactory(cycle=cycle, organization=orgs["A"], submitted_at=at(date(2024, 8, 20)), **visit)
    ReportFactory(cycle=cycle, organization=orgs["C"], submitted_at=at(date(2024, 9, 5)), **visit)
    ReportFactory(cycle=cycle, organization=orgs["S"], submitted_at=at(date(2024, 10, 27)))  # late
    self_inspection = Deadline.objects.get(kind="qcdc.self_inspection", source_id=cycle.pk)
    with time_machine.travel(at(date(2024, 10, 20), hour=9), tick=False):
        services.nil_return_send(actor=staff_user, deadline=self_inspection, organization=orgs["W"], reason="Không có")
    return orgs


@pytest.fixture(autouse=True)
def later():
    with time_machine.travel(at(LATER, hour=9), tick=False):
        yield


def _summary(figures):
    return {
        "organizations": [(o.pk, o.name_on_date) for o in figures.organizations],
        "standings": {pk: (s.code, s.sent, s.days_late, s.submitted_at) for pk, s in sorted(figures.standings.items())},
        "counts": (figures.sent, figures.sent_late, figures.returned, figures.accepted, figures.nil_returns),
        "owing": [o.pk for o in figures.owing],
        "to_chase": [o.pk for o in figures.to_chase],
        "ratio": figures.ratio_label,
    }


history_once, history, bloc, staff_user = module_data.copied_per_test(
    "history", _build_history, clock=time_machine.travel(at(LATER, hour=9), tick=False)
)


@pytest.mark.parametrize("on", DATES)
def test_figures_for_agrees_with_deadline_figures_on_every_deadline(history, on):
    every = list(Deadline.objects.order_by("pk"))
    assert {d.audience for d in every} == {"all_active", "chosen"}
    batched = deadlines.figures_for(every, on)
    assert set(batched) == {d.pk for d in every}
    for deadline in every:
        assert _summary(batched[deadline.pk]) == _summary(deadlines.deadline_figures(deadline, on)), (deadline.kind, on)


@pytest.mark.parametrize("on", [date(2024, 5, 25), date(2024, 10, 26), LATER])
def test_figures_for_agrees_within_a_sector_and_a_visible_set(history, on):
    from organizations.models import BaseOrganization

    some = BaseOrganization.objects.filter(code__in=["A", "B", "S", "W", "M2"])
    sector = history["A"].sector
    every = list(Deadline.objects.order_by("pk"))
    for kwargs in ({"organizations": some}, {"sector": sector}):
        batched = deadlines.figures_for(every, on, **kwargs)
        for deadline in every:
            assert _summary(batched[deadline.pk]) == _summary(deadlines.deadline_figures(deadline, on, **kwargs))


def test_the_history_reaches_every_case_the_agreement_is_about(history):
    """So that the agreement above is not an agreement on nothing."""
    by_kind = {d.kind: d for d in Deadline.objects.all()}
    registration = deadlines.deadline_figures(by_kind["danvan.registration"], date(2024, 5, 25))
    codes = {o.code: registration.standings[o.pk].code for o in registration.organizations}
    assert codes["A"] == "accepted" and codes["B"] == "returned" and codes["W"] == "late"  # W withdrew on 22/05
    assert deadlines.deadline_figures(by_kind["danvan.registration"], date(2024, 5, 14)).standings[history["W"].pk].sent
    nil = deadlines.deadline_figures(by_kind["qcdc.self_inspection"], LATER)
    assert nil.nil_returns == 1 and nil.sent_late == 1
    assert {
        o.code for o in deadlines.deadline_figures(by_kind["danvan.mid_year"], date(2024, 6, 30)).organizations
    } == {
        "A",
        "M1",
    }
    visit = deadlines.deadline_figures(by_kind["qcdc.inspection_visit"], LATER)
    assert {o.code for o in visit.organizations} == {"A", "C"}
    names = {
        o.code: o.name_on_date
        for o in deadlines.deadline_figures(by_kind["qcdc.plan"], date(2024, 5, 25)).organizations
    }
    assert names["S"] == "Đảng bộ Sở Y tế cũ"


def test_figures_for_costs_the_same_queries_for_one_and_for_every_deadline(history, django_assert_max_num_queries):
    every = list(Deadline.objects.order_by("pk"))
    deadlines.figures_for(every, LATER)  # fills the per-process content type cache (alone, this test read it)
    with django_assert_max_num_queries(4):
        deadlines.figures_for(every, LATER)
    with django_assert_max_num_queries(4):
        deadlines.figures_for(every[:1], LATER)


def _counts_of(figures) -> deadlines.DeadlineCounts:
    return deadlines.DeadlineCounts(
        expected=figures.expected,
        sent=figures.sent,
        sent_late=figures.sent_late,
        returned=figures.returned,
        accepted=figures.accepted,
        nil_returns=figures.nil_returns,
        owing=len(figures.owing),
        to_chase=len(figures.to_chase),
    )


@pytest.mark.parametrize("on", DATES)
def test_counts_for_gives_the_counts_of_deadline_figures_without_a_row_per_organisation(history, on):
    """The tracking page's and the dashboard's x/y, late, returned, accepted and nil returns (counted in SQL)."""
    every = list(Deadline.objects.order_by("pk"))
    counted = deadlines.counts_for(every, on)
    for deadline in every:
        assert counted[deadline.pk] == _counts_of(deadlines.deadline_figures(deadline, on)), (deadline.kind, on)


@pytest.mark.parametrize("on", [date(2024, 5, 25), date(2024, 10, 26), LATER])
def test_counts_for_agrees_within_a_visible_set(history, on):
    from organizations.models import BaseOrganization

    some = BaseOrganization.objects.filter(code__in=["A", "B", "S", "W", "M2"])
    every = list(Deadline.objects.order_by("pk"))
    counted = deadlines.counts_for(every, on, organizations=some)
    for deadline in every:
        assert counted[deadline.pk] == _counts_of(deadlines.deadline_figures(deadline, on, organizations=some))


@pytest.mark.parametrize("on", DATES)
def test_owing_for_lists_whom_deadline_figures_chases_and_who_is_gone_with_their_names_that_day(history, on):
    every = list(Deadline.objects.order_by("pk"))
    listed = deadlines.owing_for(every, on)
    first_two = deadlines.owing_for(every, on, limit=2)
    for deadline in every:
        figures = deadlines.deadline_figures(deadline, on)
        chased, gone = listed[deadline.pk]
        assert [(o.pk, o.name_on_date) for o in chased] == [(o.pk, o.name_on_date) for o in figures.to_chase]
        assert [(o.pk, o.name_on_date) for o in gone] == [(o.pk, o.name_on_date) for o in figures.no_longer_active]
        # With a limit, the first of those to chase in the same order; all of those gone.
        assert [o.pk for o in first_two[deadline.pk][0]] == [o.pk for o in figures.to_chase][:2]
        assert [o.pk for o in first_two[deadline.pk][1]] == [o.pk for o in figures.no_longer_active]


@pytest.mark.parametrize("on", DATES)
def test_counts_and_owing_in_one_statement_give_what_counts_for_and_owing_for_give(history, on):
    """The tracking page's statement (counts and lists together, each deadline's rows joined once) answers as
    the two functions apart, which are held to deadline_figures above."""
    every = list(Deadline.objects.order_by("pk"))
    counts, lists = deadlines.counts_and_owing(every, on, limit=2)
    assert counts == deadlines.counts_for(every, on)
    assert {pk: ([o.pk for o in chased], [o.pk for o in gone]) for pk, (chased, gone) in lists.items()} == {
        pk: ([o.pk for o in chased], [o.pk for o in gone])
        for pk, (chased, gone) in deadlines.owing_for(every, on, limit=2).items()
    }


def test_the_history_has_someone_gone_and_more_than_two_to_chase_for_the_lists_above(history):
    every = list(Deadline.objects.order_by("pk"))
    listed = [deadlines.owing_for(every, on) for on in DATES]
    assert any(gone for lists in listed for _chased, gone in lists.values())
    assert any(len(chased) > 2 for lists in listed for chased, _gone in lists.values())


def test_counts_for_and_owing_for_cost_the_same_queries_for_one_and_for_every_deadline(
    history, django_assert_num_queries
):
    every = list(Deadline.objects.order_by("pk"))
    deadlines.counts_for(every, LATER)  # fills the per-process content type cache
    for some in (every, every[:1]):
        with django_assert_num_queries(1):
            deadlines.counts_for(some, LATER)
        with django_assert_num_queries(2):
            deadlines.owing_for(some, date(2024, 5, 25), limit=2)
        with django_assert_num_queries(2):  # the counts and the ids in one statement, then the organisations
            deadlines.counts_and_owing(some, date(2024, 5, 25), limit=2)
