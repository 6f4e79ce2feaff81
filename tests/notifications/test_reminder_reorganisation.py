"""Reminders chase only `to_chase`: organisations that owed a deadline, have sent nothing counted, and are still
active on the day. One dissolved after the due date is not reminded any more; after a merge on 1 July the
merged organisations are not reminded, and their successor only if it owes the deadline itself."""

from datetime import date

import pytest
import time_machine

from dukportal.notifications import services, tasks
from dukportal.notifications.models import Reminder, ReminderJob

from .factories import at, campaign_with_deadlines, deadline_of, organization_with_officer, submitted

pytestmark = pytest.mark.django_db

DUE = date(2024, 6, 25)


@pytest.fixture
def scenario(bloc):
    campaign = campaign_with_deadlines(2024, registration_deadline=DUE)
    orgs = {
        code: organization_with_officer(code=code, **fields)[0]
        for code, fields in {
            "GONE": {"valid_to": date(2024, 6, 28)},  # dissolved three days after the due date
            "OLD1": {"valid_to": date(2024, 6, 30)},  # merged into NEW, set up on 1 July
            "NEW": {"valid_from": date(2024, 7, 1)},
            "OLD2": {"valid_to": date(2024, 6, 30)},  # merged into HOST, which had sent
            "HOST": {},
            "OLD3": {"valid_to": date(2024, 6, 30)},  # merged into HOST2, which had not
            "HOST2": {},
        }.items()
    }
    submitted(campaign, orgs["HOST"], at(date(2024, 6, 20)))
    submitted(campaign, orgs["OLD2"], at(date(2024, 6, 21)))
    return campaign, orgs


def run_daily_job(day, capture):
    with time_machine.travel(at(day), tick=False), capture(execute=True):
        return tasks.send_due_reminders.delay().get()


def reminded_on(day):
    return {code for (code,) in Reminder.objects.filter(day=day).values_list("organization__code")}


def test_before_the_merge_everyone_owing_is_reminded(scenario, django_capture_on_commit_callbacks):
    run_daily_job(date(2024, 6, 26), django_capture_on_commit_callbacks)
    assert reminded_on(date(2024, 6, 26)) == {"GONE", "OLD1", "OLD3", "HOST2"}


def test_after_the_merge_only_active_organisations_that_owe_are_reminded(scenario, django_capture_on_commit_callbacks):
    # 7 days after the due date: GONE dissolved, OLD1-3 merged; NEW did not exist on the due date, so it owes
    # nothing; HOST had sent; HOST2 had not, and is reminded.
    run_daily_job(date(2024, 7, 2), django_capture_on_commit_callbacks)
    assert reminded_on(date(2024, 7, 2)) == {"HOST2"}
    run_daily_job(date(2024, 7, 9), django_capture_on_commit_callbacks)
    assert reminded_on(date(2024, 7, 9)) == {"HOST2"}


def test_a_manual_reminder_after_the_merge_skips_the_dissolved_and_merged(
    scenario, staff_user, django_capture_on_commit_callbacks
):
    campaign, orgs = scenario
    with time_machine.travel(at(date(2024, 7, 3)), tick=False), django_capture_on_commit_callbacks(execute=True):
        services.reminder_job_create(actor=staff_user, deadline=deadline_of(campaign))
    job = ReminderJob.objects.get()
    assert (job.status, job.reminded, job.skipped) == ("done", 1, 0)
    assert reminded_on(date(2024, 7, 3)) == {"HOST2"}


def test_a_queued_reminder_for_an_organisation_merged_meanwhile_is_dropped(scenario):
    campaign, orgs = scenario
    sent = tasks.send_reminder.delay(orgs["OLD1"].pk, deadline_of(campaign).pk, "late", "2024-07-02").get()
    assert sent is False and not Reminder.objects.exists()
