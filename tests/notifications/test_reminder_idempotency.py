"""Sending is idempotent: two runs of the daily job on one day, or two at the same moment, send nothing twice.
The database holds one Reminder per organisation, deadline, kind and day."""

import threading
from datetime import date

import pytest
import time_machine
from django.core import mail
from django.db import IntegrityError, transaction

from dukportal.notifications import selectors, services, tasks
from dukportal.notifications.models import Notification, Reminder

from .conftest import in_threads
from .factories import at, campaign_with_deadlines, deadline_of, organization_with_officer

DAY = date(2024, 5, 8)  # 7 days before the deadline


def _owing_organizations(count):
    return [organization_with_officer(email=f"canbo{n}@donvi.vn")[0] for n in range(count)]


@pytest.mark.django_db
def test_running_the_daily_job_twice_on_a_day_sends_nothing_twice(bloc, django_capture_on_commit_callbacks):
    campaign_with_deadlines(2024, registration_deadline=date(2024, 5, 15))
    _owing_organizations(3)
    for _ in range(2):
        with time_machine.travel(at(DAY), tick=False), django_capture_on_commit_callbacks(execute=True):
            tasks.send_due_reminders.delay()
    assert Reminder.objects.count() == 3
    assert Notification.objects.count() == 3
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_the_database_refuses_a_second_reminder_row_for_the_same_day(bloc):
    campaign = campaign_with_deadlines(2024, registration_deadline=date(2024, 5, 15))
    [organization] = _owing_organizations(1)
    fields = {"organization": organization, "deadline": deadline_of(campaign), "kind": "before", "day": DAY}
    Reminder.objects.create(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(**fields)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sends_of_one_reminder_insert_one_row_and_send_once(postgres_only, bloc, monkeypatch):
    """Both transactions pass every check before either inserts (a barrier holds them), so the unique
    constraint alone decides: one inserts and sends, the other waits on the index, then sends nothing."""
    campaign = campaign_with_deadlines(2024, registration_deadline=date(2024, 5, 15))
    [organization] = _owing_organizations(1)
    deadline = deadline_of(campaign)
    barrier = threading.Barrier(2, timeout=10)
    real_recipients = selectors.reminder_recipients

    def recipients_after_both_checked(org):
        barrier.wait()
        return real_recipients(org)

    monkeypatch.setattr(selectors, "reminder_recipients", recipients_after_both_checked)
    results = []
    in_threads(
        2,
        lambda: results.append(
            services.reminder_send(organization_id=organization.pk, deadline_id=deadline.pk, kind="before", day=DAY)
        ),
        timeout=30,
    )
    assert sorted(r is None for r in results) == [False, True]
    assert Reminder.objects.count() == 1
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_daily_jobs_running_at_the_same_moment_remind_each_organisation_once(postgres_only, bloc):
    campaign_with_deadlines(2024, registration_deadline=date(2024, 5, 15))
    _owing_organizations(8)
    start = threading.Barrier(2, timeout=10)

    def daily_job():
        start.wait()
        tasks.send_due_reminders.apply(args=[DAY.isoformat()])

    in_threads(2, daily_job, timeout=30)
    assert Reminder.objects.count() == 8
    assert Notification.objects.count() == 8
    assert sorted(m.to[0] for m in mail.outbox) == sorted(f"canbo{n}@donvi.vn" for n in range(8))
