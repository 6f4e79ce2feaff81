"""Who the daily job reminds, on which day: 7 and 1 days before, on the day, 1, 7 and 14 days after; never an
organisation that has sent, nor one inactive that day, nor one outside a chosen list."""

from datetime import date

import pytest
import time_machine
from django.core import mail

from dukportal.notifications import tasks
from dukportal.notifications.models import Notification, Reminder
from dukportal.submissions import deadlines
from models_danvan import obligations
from tests.factories import UserFactory

from .factories import at, campaign_with_deadlines, deadline_of, organization_with_officer, submitted

pytestmark = pytest.mark.django_db

DUE = date(2024, 5, 15)


@pytest.fixture
def scenario(bloc):
    campaign = campaign_with_deadlines(2024, registration_deadline=DUE)
    orgs = {
        "owing": organization_with_officer(code="OWING", email="canbo@sotc.vn", org_email="vanphong@sotc.vn")[0],
        "sent": organization_with_officer(code="SENT", email="canbo@soyt.vn")[0],
        "draft": organization_with_officer(code="DRAFT")[0],
        "gone_before": organization_with_officer(code="GONE_BEFORE", valid_to=date(2024, 5, 1))[0],
        "gone_after": organization_with_officer(code="GONE_AFTER", valid_to=date(2024, 5, 20))[0],
        "new": organization_with_officer(code="NEW", valid_from=date(2024, 5, 12))[0],
    }
    submitted(campaign, orgs["sent"], at(date(2024, 5, 5)))
    submitted(campaign, orgs["draft"], None, status="draft")
    return campaign, orgs


def run_daily_job(day, django_capture_on_commit_callbacks):
    with time_machine.travel(at(day), tick=False), django_capture_on_commit_callbacks(execute=True):
        return tasks.send_due_reminders.delay().get()


def reminded_on(day):
    return set(Reminder.objects.filter(day=day).values_list("organization__code", "kind"))


@pytest.mark.parametrize(
    "day, expected",
    [
        (date(2024, 5, 7), set()),
        (date(2024, 5, 8), {("OWING", "before"), ("DRAFT", "before"), ("GONE_AFTER", "before")}),
        (date(2024, 5, 9), set()),
        (date(2024, 5, 14), {("OWING", "before"), ("DRAFT", "before"), ("GONE_AFTER", "before"), ("NEW", "before")}),
        (date(2024, 5, 15), {("OWING", "due"), ("DRAFT", "due"), ("GONE_AFTER", "due"), ("NEW", "due")}),
        (date(2024, 5, 16), {("OWING", "late"), ("DRAFT", "late"), ("GONE_AFTER", "late"), ("NEW", "late")}),
        (date(2024, 5, 17), set()),
        (date(2024, 5, 22), {("OWING", "late"), ("DRAFT", "late"), ("NEW", "late")}),
        (date(2024, 5, 29), {("OWING", "late"), ("DRAFT", "late"), ("NEW", "late")}),
        (date(2024, 5, 30), set()),
    ],
)
def test_daily_job_reminds_those_still_owing_on_the_configured_days(
    scenario, day, expected, django_capture_on_commit_callbacks
):
    summary = run_daily_job(day, django_capture_on_commit_callbacks)
    assert reminded_on(day) == expected
    assert summary == {"day": day.isoformat(), "queued": len(expected)}
    assert len(mail.outbox) == sum(1 for code, _ in expected if code == "OWING")  # the only one with addresses


def test_an_organisation_that_has_sent_or_is_inactive_is_never_reminded(scenario, django_capture_on_commit_callbacks):
    _campaign, orgs = scenario
    for day in (date(2024, 5, 8), date(2024, 5, 14), date(2024, 5, 15), date(2024, 5, 16), date(2024, 5, 22)):
        run_daily_job(day, django_capture_on_commit_callbacks)
    never = {orgs["sent"].pk, orgs["gone_before"].pk}
    assert not Reminder.objects.filter(organization__in=never).exists()
    assert not Notification.objects.filter(organization__in=never).exists()
    assert not any("canbo@soyt.vn" in message.to for message in mail.outbox)


def test_an_organisation_that_sends_after_a_reminder_gets_no_more(scenario, django_capture_on_commit_callbacks):
    campaign, orgs = scenario
    run_daily_job(date(2024, 5, 8), django_capture_on_commit_callbacks)
    submitted(campaign, orgs["owing"], at(date(2024, 5, 10)))
    run_daily_job(date(2024, 5, 14), django_capture_on_commit_callbacks)
    assert list(Reminder.objects.filter(organization=orgs["owing"]).values_list("day", "kind")) == [
        (date(2024, 5, 8), "before")
    ]


def test_a_queued_reminder_is_dropped_if_the_organisation_sent_meanwhile(scenario):
    campaign, orgs = scenario
    deadline = deadline_of(campaign)
    submitted(campaign, orgs["owing"], at(date(2024, 5, 8), hour=6))
    assert tasks.send_reminder.delay(orgs["owing"].pk, deadline.pk, "before", "2024-05-08").get() is False
    assert not Reminder.objects.exists()


def test_a_chosen_list_reminds_only_the_organisations_on_it(scenario, django_capture_on_commit_callbacks):
    campaign, orgs = scenario
    deadlines.deadline_sync(
        kind=obligations.REGISTRATION,
        source=campaign,
        title="Báo cáo của đơn vị được kiểm tra",
        year=2024,
        due_date=DUE,
        organizations=[orgs["draft"], orgs["sent"]],
    )
    run_daily_job(date(2024, 5, 8), django_capture_on_commit_callbacks)
    assert reminded_on(date(2024, 5, 8)) == {("DRAFT", "before")}


def test_a_reminder_notifies_every_active_officer_and_writes_to_each_address_once(
    scenario, django_capture_on_commit_callbacks
):
    _campaign, orgs = scenario
    owing = orgs["owing"]
    UserFactory(role="officer", organization=owing, email="VanPhong@sotc.vn")  # same address as the organisation
    UserFactory(role="officer", organization=owing, email="nghi@sotc.vn", is_active=False)
    run_daily_job(date(2024, 5, 8), django_capture_on_commit_callbacks)

    reminder = Reminder.objects.get(organization=owing)
    assert reminder.notified_users == 2
    assert reminder.email_addresses == ["canbo@sotc.vn", "VanPhong@sotc.vn"]
    assert reminder.email_sent_at is not None
    assert Notification.objects.filter(organization=owing, recipient__is_active=True).count() == 2
    assert not Notification.objects.filter(recipient__is_active=False).exists()
    [message] = [m for m in mail.outbox if "canbo@sotc.vn" in m.to]
    assert message.to == ["canbo@sotc.vn", "VanPhong@sotc.vn"]


def test_the_beat_schedule_runs_the_job_daily_at_seven_vietnamese_time(settings):
    from dukportal.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["deadline-reminders-daily"]
    assert entry["task"] == tasks.send_due_reminders.name
    assert entry["schedule"].hour == {7} and entry["schedule"].minute == {0}
    assert app.conf.timezone == "Asia/Ho_Chi_Minh" and app.conf.enable_utc is False


def test_any_registered_obligation_is_reminded_the_same_way(bloc, django_capture_on_commit_callbacks):
    """A kind this app never names (as democracy_regs adds its own): registered, it is reminded."""
    from dukportal.submissions.deadlines import Obligation
    from models_danvan.models import Registration
    from tests.factories import CampaignFactory

    # Its submissions: registrations of another year's campaign, which has no deadline of its own here.
    other_year = CampaignFactory(year=2023)
    submissions = lambda d: Registration.objects.filter(campaign=other_year)  # noqa: E731
    deadlines.register(Obligation("test.self_inspection", "Tự kiểm tra (thử)", submissions, order=90))
    try:
        campaign = campaign_with_deadlines(2024, registration_deadline=date(2024, 4, 1))
        inspected, other = (organization_with_officer(code=c)[0] for c in ("INSPECTED", "OTHER"))
        done, _ = organization_with_officer(code="DONE")
        submitted(other_year, done, at(date(2024, 8, 20)), status="accepted")
        deadlines.deadline_sync(
            kind="test.self_inspection",
            source=campaign,
            title="Báo cáo tự kiểm tra thực hiện QCDC",
            year=2024,
            due_date=date(2024, 9, 1),
            organizations=[inspected, done],
        )
        run_daily_job(date(2024, 8, 31), django_capture_on_commit_callbacks)
    finally:
        deadlines._REGISTRY.pop("test.self_inspection")
    assert reminded_on(date(2024, 8, 31)) == {("INSPECTED", "before")}
