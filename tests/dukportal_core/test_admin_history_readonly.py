"""History cannot be rewritten or removed in the data admin, not even by a superuser: submission events (a
return's reason), kept revisions, attachments, reminders and reminder jobs, notifications and the audit log."""

from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.urls import reverse

from dukportal.core import audit
from dukportal.notifications.models import Notification, Reminder, ReminderJob
from dukportal.submissions.models import Attachment, SubmissionEvent, SubmissionRevision
from tests.dukportal_core.admin_forms import form_data
from tests.factories import RegistrationFactory, UserFactory
from tests.notifications.factories import campaign_with_deadlines, deadline_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(organization, staff_user):
    campaign = campaign_with_deadlines(year=2026)
    registration = RegistrationFactory(campaign=campaign, organization=organization)
    target = {
        "content_type": ContentType.objects.get_for_model(registration),
        "object_id": registration.pk,
        "organization": organization,
    }
    deadline = deadline_of(campaign)
    job = ReminderJob.objects.create(deadline=deadline, requested_by=staff_user)
    attachment = Attachment(
        **target, original_name="ke-hoach.pdf", mime_type="application/pdf", size=4, uploaded_by=staff_user
    )
    attachment.file.save("ke-hoach.pdf", ContentFile(b"%PDF"), save=False)
    attachment.save()
    return {
        "event": SubmissionEvent.objects.create(
            **target, action="returned", to_status="returned", actor=staff_user, comment="Thiếu bản có chữ ký"
        ),
        "revision": SubmissionRevision.objects.create(**target, number=1, data={"title": "Bản đầu"}, actor=staff_user),
        "attachment": attachment,
        "reminder": Reminder.objects.create(
            organization=organization, deadline=deadline, kind="due", day=date(2026, 5, 15), job=job
        ),
        "job": job,
        "notification": Notification.objects.create(recipient=staff_user, category="reminder", title="Nhắc hạn"),
        "audit": audit.record(actor=staff_user, action="submission.returned", target=registration),
    }


@pytest.fixture
def superuser_client(client, bloc):
    client.force_login(UserFactory(username="sieuquantri", role="staff", is_superuser=True))
    return client


NAMES = ["event", "revision", "attachment", "reminder", "job", "notification", "audit"]


def _url(obj, view):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_{view}", args=[obj.pk])


@pytest.mark.parametrize("name", NAMES)
def test_history_row_cannot_be_deleted(superuser_client, history, name):
    obj = history[name]
    response = superuser_client.post(_url(obj, "delete"), {"post": "yes"})
    assert response.status_code == 403
    assert type(obj).objects.filter(pk=obj.pk).exists()


@pytest.mark.parametrize("name", NAMES)
def test_history_row_cannot_be_bulk_deleted(superuser_client, history, name):
    obj = history[name]
    changelist = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_changelist")
    page = superuser_client.get(changelist)
    assert page.status_code == 200 and 'value="delete_selected"' not in page.content.decode()
    superuser_client.post(changelist, {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"})
    assert type(obj).objects.filter(pk=obj.pk).exists()


@pytest.mark.parametrize("name", NAMES)
def test_history_row_cannot_be_changed_or_added(superuser_client, history, name):
    obj = history[name]
    page = superuser_client.get(_url(obj, "change"))
    assert page.status_code == 200  # viewable
    before = type(obj).objects.filter(pk=obj.pk).values().get()
    superuser_client.post(_url(obj, "change"), form_data(page, comment="", number="9", title="Sửa"))
    assert type(obj).objects.filter(pk=obj.pk).values().get() == before
    add = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_add")
    assert superuser_client.get(add).status_code == 403


def test_return_reason_stays_after_an_attempted_edit(superuser_client, history):
    event = history["event"]
    superuser_client.post(_url(event, "change"), {"comment": "", "actor": "", "action": "accepted"})
    event.refresh_from_db()
    assert (event.comment, event.action) == ("Thiếu bản có chữ ký", "returned")


def test_attachment_owner_and_uploader_are_read_only(superuser_client, history, other_organization):
    attachment = history["attachment"]
    page = superuser_client.get(_url(attachment, "change")).content.decode()
    assert 'name="uploaded_by"' not in page and 'name="object_id"' not in page and 'name="organization"' not in page
    superuser_client.post(
        _url(attachment, "change"), {"organization": other_organization.pk, "object_id": 999, "original_name": "x"}
    )
    attachment.refresh_from_db()
    assert (attachment.organization_id, attachment.original_name) != (other_organization.pk, "x")
