"""The counting moments kept on the submission row (counted_from: the first sending; counted_until: the
withdrawal) give exactly what the events say. A realistic history — sends, returns, resends, a return after
acceptance, withdrawals (one at 23:30), a new registration after a withdrawal, an evaluation, nil returns, rows
written in bulk and decided by a script — is built day by day with frozen time and asked about afterwards on
many days: timeline.with_facts / counted_on (columns, and the status column for rows unchanged since) agree with
the event-based reading (_reference_facts below, the timeline before the columns existed). Every service that
sends or withdraws writes the columns with its event, in the same transaction."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Subquery

from democracy_regs.models import DemocracyPlan
from dukportal.submissions import services, timeline
from dukportal.submissions.models import Deadline, NilReturn, SubmissionEvent, SubmissionStatus
from models_danvan import services as danvan
from models_danvan.models import Evaluation, Registration
from tests import module_data
from tests.democracy_regs.factories import PlanFactory, open_cycle
from tests.factories import OrganizationFactory, RegistrationFactory, UserFactory, registration_by_service
from tests.notifications.factories import campaign_with_deadlines
from tests.timeline import decide

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
MODELS = (Registration, Evaluation, NilReturn, DemocracyPlan)
LATER = date(2024, 12, 10)
DATES = [
    date(2024, 3, 31),
    date(2024, 4, 9),
    date(2024, 4, 10),
    date(2024, 4, 15),
    date(2024, 4, 20),
    date(2024, 4, 25),
    date(2024, 5, 3),
    date(2024, 5, 8),
    date(2024, 5, 13),
    date(2024, 5, 14),
    date(2024, 5, 15),
    date(2024, 5, 20),
    date(2024, 5, 25),
    date(2024, 5, 31),
    date(2024, 6, 1),
    date(2024, 6, 30),
    date(2024, 7, 3),
    date(2024, 7, 10),
    date(2024, 10, 20),
    date(2024, 10, 25),
    date(2024, 10, 26),
    LATER,
]


def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=HCM)


def _reference_facts(queryset, on: date):
    """The timeline read from the events alone (how it was computed before the columns): first sending and
    first withdrawal before the end of `on`, and the status of the last event before it."""
    events = SubmissionEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(queryset.model),
        object_id=OuterRef("pk"),
        at__lt=timeline.end_of(on),
    )
    rows = queryset.annotate(
        ref_first=Subquery(events.filter(action__in=timeline.SENDING_ACTIONS).order_by("at", "id").values("at")[:1]),
        ref_withdrawn=Subquery(events.filter(action="withdrawn").order_by("at", "id").values("at")[:1]),
        ref_status=Subquery(events.order_by("-at", "-id").values("to_status")[:1]),
    ).values_list("pk", "ref_first", "ref_withdrawn", "ref_status")
    return {pk: (first, withdrawn, status) for pk, first, withdrawn, status in rows}


def _facts(queryset, on: date):
    rows = timeline.with_facts(queryset, on).values_list("pk", "first_sent_at", "withdrawn_at", "status_on")
    return {pk: (first, withdrawn, status) for pk, first, withdrawn, status in rows}


def _act(day: date, action, *, hour: int = 9, minute: int = 0):
    with time_machine.travel(at(day, hour, minute), tick=False):
        return action()


def _build_history(staff_user):
    orgs = {code: OrganizationFactory(code=code, valid_from=date(2020, 1, 1)) for code in "ABCDEFGHK"}
    officer = {code: UserFactory(role="officer", organization=org) for code, org in orgs.items()}
    campaign = campaign_with_deadlines(
        2024,
        registration_deadline=date(2024, 4, 30),
        midyear_deadline=date(2024, 6, 30),
        yearend_deadline=date(2024, 11, 30),
        created_by=staff_user,
    )
    r = {
        code: _act(
            date(2024, 4, 1), lambda c=code: registration_by_service(officer[c], campaign, orgs[c], f"Mô hình {c}")
        )
        for code in "ABCDEFG"
    }
    submit = services.submission_submit
    # A: sent, returned, resent, accepted; a staff edit later (the row changes, the status does not).
    r["A"] = _act(date(2024, 4, 10), lambda: submit(actor=officer["A"], submission=r["A"]))
    r["A"] = _act(
        date(2024, 4, 20), lambda: services.submission_return(actor=staff_user, submission=r["A"], comment="Bổ sung")
    )
    r["A"] = _act(date(2024, 5, 5), lambda: submit(actor=officer["A"], submission=r["A"]))
    r["A"] = _act(date(2024, 5, 12), lambda: services.submission_accept(actor=staff_user, submission=r["A"]))
    _act(
        date(2024, 6, 1),
        lambda: services.submission_update(actor=staff_user, submission=r["A"], fields={"name": "Mô hình A (sửa)"}),
    )
    # B: sent late, withdrawn; the withdrawn one cannot be sent again, a new registration is sent later.
    r["B"] = _act(date(2024, 5, 2), lambda: submit(actor=officer["B"], submission=r["B"]))
    r["B"] = _act(
        date(2024, 5, 20),
        lambda: services.submission_withdraw(actor=officer["B"], submission=r["B"], comment="Gửi nhầm"),
    )
    b2 = _act(date(2024, 5, 22), lambda: registration_by_service(officer["B"], campaign, orgs["B"], "Mô hình B mới"))
    _act(date(2024, 5, 25), lambda: submit(actor=officer["B"], submission=b2))
    # C: sent at 23:30 on 14/5 (counts on 14/5, not on 13/5). D: a draft only.
    _act(date(2024, 5, 14), lambda: submit(actor=officer["C"], submission=r["C"]), hour=23, minute=30)
    # E: sent, accepted, returned after acceptance, withdrawn while returned.
    r["E"] = _act(date(2024, 4, 15), lambda: submit(actor=officer["E"], submission=r["E"]))
    r["E"] = _act(date(2024, 4, 25), lambda: services.submission_accept(actor=staff_user, submission=r["E"]))
    r["E"] = _act(
        date(2024, 5, 3), lambda: services.submission_return(actor=staff_user, submission=r["E"], comment="Sai số liệu")
    )
    _act(date(2024, 5, 8), lambda: services.submission_withdraw(actor=staff_user, submission=r["E"], comment="Trùng"))
    # F: accepted; its mid-year evaluation sent, returned, resent, assessed.
    r["F"] = _act(date(2024, 4, 16), lambda: submit(actor=officer["F"], submission=r["F"]))
    r["F"] = _act(date(2024, 4, 18), lambda: services.submission_accept(actor=staff_user, submission=r["F"]))
    evaluation = _act(
        date(2024, 6, 1),
        lambda: danvan.evaluation_create(
            actor=officer["F"], registration=r["F"], period="mid_year", results="Kết quả", self_rating="good"
        ),
    )
    evaluation = _act(date(2024, 6, 28), lambda: submit(actor=officer["F"], submission=evaluation))
    evaluation = _act(
        date(2024, 7, 2),
        lambda: services.submission_return(actor=staff_user, submission=evaluation, comment="Bổ sung"),
    )
    evaluation = _act(date(2024, 7, 5), lambda: submit(actor=officer["F"], submission=evaluation))
    _act(
        date(2024, 7, 10),
        lambda: danvan.evaluation_assess(actor=staff_user, evaluation=evaluation, committee_rating="good"),
    )
    # G: sent, withdrawn at 23:30 on 31/5 (counted on 31/5 until its last half hour: not at the end of the day).
    r["G"] = _act(date(2024, 5, 1), lambda: submit(actor=officer["G"], submission=r["G"]))
    _act(
        date(2024, 5, 31),
        lambda: services.submission_withdraw(actor=officer["G"], submission=r["G"], comment="Rút"),
        hour=23,
        minute=30,
    )
    # H: written in bulk (a factory: events from its dates), decided later by a script; K: bulk, then withdrawn.
    with time_machine.travel(at(date(2024, 4, 1)), tick=False):
        RegistrationFactory(
            campaign=campaign,
            organization=orgs["H"],
            status="accepted",
            submitted_at=at(date(2024, 4, 15)),
            decided_at=at(date(2024, 4, 22)),
        )
        RegistrationFactory(campaign=campaign, organization=orgs["K"], submitted_at=at(date(2024, 4, 12)))
    decide(Registration.objects.filter(organization=orgs["H"]), "returned", at=at(date(2024, 5, 13)))
    decide(Registration.objects.filter(organization=orgs["K"]), "withdrawn", at=at(date(2024, 5, 15)))
    # QCDC: a plan in bulk; nil returns for the self-inspection: sent, withdrawn, sent again.
    cycle = _act(date(2024, 3, 20), lambda: open_cycle(staff_user))
    PlanFactory(cycle=cycle, organization=orgs["A"], submitted_at=at(date(2024, 4, 9)))
    self_inspection = Deadline.objects.get(kind="qcdc.self_inspection", source_id=cycle.pk)

    def nil():
        return services.nil_return_send(
            actor=officer["D"], deadline=self_inspection, organization=orgs["D"], reason="Không phát sinh"
        )

    first_nil = _act(date(2024, 10, 20), nil)
    _act(
        date(2024, 10, 25),
        lambda: services.submission_withdraw(actor=officer["D"], submission=first_nil, comment="Nhầm kỳ"),
    )
    _act(date(2024, 10, 26), nil)
    return {"orgs": orgs, "registrations": r, "b2": b2, "evaluation": evaluation, "officer": officer}


history_once, history, bloc, staff_user = module_data.copied_per_test(
    "history", _build_history, clock=time_machine.travel(at(LATER), tick=False)
)  # built on the day the tests read it, as `later` would


@pytest.fixture(autouse=True)
def later():
    with time_machine.travel(at(LATER), tick=False):
        yield


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_column_answers_equal_the_event_answers_on_every_day(history, model):
    assert model.objects.exists()
    for day in DATES:
        reference = _reference_facts(model.objects.all(), day)
        assert _facts(model.objects.all(), day) == reference, day
        counted = set(timeline.counted_on(model.objects.all(), day).values_list("pk", flat=True))
        assert counted == {pk for pk, (first, withdrawn, _s) in reference.items() if first and not withdrawn}, day


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_status_filter_picks_the_rows_whose_events_say_that_status_on_every_day(history, model):
    """timeline.status_on_is (the accepted-model narrowing's filter, written for the planner) keeps exactly the
    rows whose last event before the end of the day has that status, for every status and day."""
    for day in DATES:
        reference = _reference_facts(model.objects.all(), day)
        for status in SubmissionStatus.values:
            kept = set(model.objects.filter(timeline.status_on_is(model, day, status)).values_list("pk", flat=True))
            assert kept == {pk for pk, (_f, _w, ref_status) in reference.items() if ref_status == status}, (
                day,
                status,
            )


def test_counted_registrations_change_on_the_days_the_events_say(history):
    orgs = history["orgs"]

    def counted(day):
        rows = timeline.counted_on(Registration.objects.all(), day).values_list("organization__code", "status_on")
        return dict(rows)

    assert counted(date(2024, 4, 9)) == {}
    assert counted(date(2024, 4, 20)) == {
        "A": "returned",
        "E": "submitted",
        "F": "accepted",
        "H": "submitted",
        "K": "submitted",
    }
    assert counted(date(2024, 5, 13)) == {
        "A": "accepted",
        "B": "submitted",
        "F": "accepted",
        "G": "submitted",
        "H": "returned",
        "K": "submitted",
    }
    assert counted(date(2024, 5, 14))["C"] == "submitted"
    assert "G" in counted(date(2024, 5, 30)) and "G" not in counted(date(2024, 5, 31))
    assert counted(date(2024, 5, 25))["B"] == "submitted"  # the new registration, not the withdrawn one
    assert Registration.objects.filter(organization=orgs["B"]).count() == 2


def test_services_write_the_moments_of_their_events(history, staff_user):
    r, officer = history["registrations"], history["officer"]
    rows = {row.organization.code: row for row in Registration.objects.select_related("organization")}
    # The first sending, not the resending; the withdrawal; nothing for a draft.
    assert rows["A"].counted_from == at(date(2024, 4, 10)) and rows["A"].counted_until is None
    assert (rows["E"].counted_from, rows["E"].counted_until) == (at(date(2024, 4, 15)), at(date(2024, 5, 8)))
    assert (rows["G"].counted_from, rows["G"].counted_until) == (at(date(2024, 5, 1)), at(date(2024, 5, 31), 23, 30))
    assert (rows["D"].counted_from, rows["D"].counted_until) == (None, None)
    evaluation = Evaluation.objects.get()
    assert (evaluation.counted_from, evaluation.counted_until) == (at(date(2024, 6, 28)), None)
    nils = NilReturn.objects.order_by("pk")
    assert [(n.counted_from, n.counted_until) for n in nils] == [
        (at(date(2024, 10, 20)), at(date(2024, 10, 25))),
        (at(date(2024, 10, 26)), None),
    ]
    # Exactly the moments of the events (the same instant on the row and in the timeline).
    for model in MODELS:
        content_type = ContentType.objects.get_for_model(model)
        for row in model.objects.all():
            events = SubmissionEvent.objects.filter(content_type=content_type, object_id=row.pk).order_by("at", "id")
            sent = events.filter(action__in=timeline.SENDING_ACTIONS).values_list("at", flat=True).first()
            withdrawn = events.filter(action="withdrawn").values_list("at", flat=True).first()
            assert (row.counted_from, row.counted_until) == (sent, withdrawn), (model.__name__, row.pk)
    # A withdrawn submission stays withdrawn: sending it again is refused and changes nothing.
    withdrawn = Registration.objects.get(pk=r["B"].pk)
    with pytest.raises(ValidationError):
        services.submission_submit(actor=officer["B"], submission=withdrawn)
    withdrawn.refresh_from_db()
    assert (withdrawn.counted_from, withdrawn.counted_until) == (at(date(2024, 5, 2)), at(date(2024, 5, 20)))


def test_a_send_that_fails_writes_no_moment(history_once, bloc, staff_user):
    """The columns are written in the service's transaction: a refused transition leaves them as they were."""
    organization = OrganizationFactory()
    officer = UserFactory(role="officer", organization=organization)
    campaign = campaign_with_deadlines(2024, created_by=staff_user)
    with time_machine.travel(at(date(2024, 4, 1)), tick=False):
        draft = registration_by_service(officer, campaign, organization, "Mô hình")
        with pytest.raises(ValidationError):
            services.submission_withdraw(actor=officer, submission=draft, comment="Rút")
        with pytest.raises(ValidationError):
            services.submission_accept(actor=staff_user, submission=draft)
    draft.refresh_from_db()
    assert (draft.status, draft.counted_from, draft.counted_until) == ("draft", None, None)


def test_the_migration_backfill_gives_the_same_moments(history):
    expected = {
        model: list(model.objects.order_by("pk").values_list("pk", "counted_from", "counted_until")) for model in MODELS
    }
    for model in MODELS:
        model.objects.update(counted_from=None, counted_until=None)
    for model in MODELS:
        timeline.backfill_counted_moments(apps, model._meta.app_label, [model._meta.model_name])
    for model in MODELS:
        assert list(model.objects.order_by("pk").values_list("pk", "counted_from", "counted_until")) == expected[model]
