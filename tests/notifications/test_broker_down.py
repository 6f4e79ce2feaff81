"""With Redis unreachable, a user's action still succeeds, the failure is logged and nothing is lost."""

import logging
import time

import pytest
from django.urls import reverse

from dukportal.core.models import OutboxMessage
from dukportal.core.outbox import relay
from dukportal.notifications.models import Notification, ReminderJob
from models_danvan.models import Registration
from tests.factories import CampaignFactory, RegistrationFactory

from .conftest import celery_broker, closed_port
from .factories import campaign_with_deadlines, deadline_of

pytestmark = pytest.mark.django_db

ENQUEUE_LOGGER = "dukportal.core.outbox"


@pytest.fixture
def broker_down():
    with celery_broker(f"redis://127.0.0.1:{closed_port()}/0") as app:
        yield app


def test_a_submission_succeeds_while_redis_is_down_and_staff_are_still_notified(
    officer_client, officer_user, staff_user, broker_down, caplog, django_capture_on_commit_callbacks
):
    registration = RegistrationFactory(
        campaign=CampaignFactory(created_by=staff_user), organization=officer_user.organization, status="draft"
    )
    started = time.monotonic()
    with caplog.at_level(logging.ERROR, logger=ENQUEUE_LOGGER), django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(reverse("models_danvan:registration_submit", args=[registration.pk]))
    elapsed = time.monotonic() - started

    assert response.status_code == 302 and response["Location"] == registration.get_absolute_url()
    registration.refresh_from_db()
    assert registration.status == "submitted"
    assert any(
        r.name == ENQUEUE_LOGGER and "notifications.submission_received" in r.getMessage() for r in caplog.records
    )
    # Done in-process instead of by the worker: the staff notification is not lost.
    notification = Notification.objects.get(recipient=staff_user)
    assert notification.category == "submission"
    assert notification.title.startswith(f"{officer_user.organization.name} đã gửi:")
    assert notification.url == registration.get_absolute_url()
    assert elapsed < 10  # the user is not kept waiting on the broker
    page = officer_client.get(reverse("notifications:list"))  # the next page shows the success message
    assert "Đã gửi hồ sơ tới Ban Tuyên giáo." in page.content.decode()


def test_a_manual_send_while_redis_is_down_waits_in_the_outbox_and_runs_when_redis_is_back(
    staff_client, bloc, caplog, django_capture_on_commit_callbacks
):
    deadline = deadline_of(campaign_with_deadlines(2024))
    with (
        celery_broker(f"redis://127.0.0.1:{closed_port()}/0"),
        caplog.at_level(logging.ERROR, logger=ENQUEUE_LOGGER),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = staff_client.post(reverse("notifications:remind", args=[deadline.pk]), {"confirm": "1"})
    assert response.status_code == 302
    job = ReminderJob.objects.get()
    assert job.status == "queued"  # not lost, not failed: written with the job, waiting for the broker
    assert OutboxMessage.objects.get(key=f"reminder-job:{job.pk}").status == "pending"
    assert any(r.name == ENQUEUE_LOGGER for r in caplog.records)
    assert "Đang chờ trong hàng đợi" in staff_client.get(response["Location"]).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        assert relay() == 1  # Redis is back (eager mode stands in for the worker): the relay hands the job over
    job.refresh_from_db()
    assert job.status == "done"
    assert OutboxMessage.objects.get(key=f"reminder-job:{job.pk}").status == "done"


def test_with_the_broker_up_in_eager_mode_the_submission_notifies_staff_through_the_task(
    officer_client, officer_user, staff_user, django_capture_on_commit_callbacks
):
    registration = RegistrationFactory(
        campaign=CampaignFactory(created_by=staff_user), organization=officer_user.organization, status="draft"
    )
    with django_capture_on_commit_callbacks(execute=True):
        officer_client.post(reverse("models_danvan:registration_submit", args=[registration.pk]))
    assert Registration.objects.get().status == "submitted"
    assert Notification.objects.filter(recipient=staff_user, category="submission").count() == 1
    assert not Notification.objects.filter(recipient=officer_user).exists()


def test_staff_sending_for_the_committee_are_not_notified_of_their_own_submission(
    staff_client, staff_user, django_capture_on_commit_callbacks
):
    from tests.factories import UserFactory

    colleague = UserFactory(role="staff")
    registration = RegistrationFactory(
        campaign=CampaignFactory(created_by=staff_user), organization=None, status="draft"
    )
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(reverse("models_danvan:registration_submit", args=[registration.pk]))
    assert list(Notification.objects.values_list("recipient", flat=True)) == [colleague.pk]
    assert Notification.objects.get().title.startswith("Đảng ủy Khối đã gửi:")
