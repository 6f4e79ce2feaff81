"""The officer's send (create and send from the registration form) and save of a draft write what they wrote
before — the registration, its events, audit rows, the kept version, the staff notice in the outbox — under
the same locks, with the check constraints and the foreign keys the request already holds answered in Python
(dukportal.core.constraints): no `SELECT … AS "_check"` round trip, no second read of the organisation."""

import uuid

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dukportal.core.models import AuditEntry, OutboxMessage
from dukportal.submissions.models import SubmissionEvent, SubmissionRevision
from models_danvan.models import Registration
from tests.factories import CampaignFactory, RegistrationFactory
from tests.models_danvan.factories import registration_data

pytestmark = pytest.mark.django_db

# Session, user, campaign, the form's organisation; the create (organisation locked, insert in a savepoint,
# event, audit) and the send (registration locked, update, event, audit, revision number and row, outbox row),
# with the services' savepoints. Before: 53 here, 51 in production (a check constraint's three statements, each foreign key's SELECT 1,
# the organisation and the campaign read again).
# In a test the view's outermost atomic block is a savepoint of the test's transaction: two statements more than in
# production (bench/load.py --profile counts 22 and 16). The outbox row is written without a savepoint of its
# own (dukportal.core.outbox.enqueue without a key): 26 before that.
SEND_STATEMENTS = 24
# The edited draft's creator, stored on the row read under the lock, is no longer looked up (ValidatedInPython): 18
# before that.
SAVE_STATEMENTS = 17  # before: 31 here, 29 in production


def _check_round_trips(queries) -> list[str]:
    return [q["sql"] for q in queries if '"_check"' in q["sql"] or q["sql"].startswith('SELECT 1 AS "a"')]


def test_officer_create_and_send_writes_everything_in_fewer_statements(
    officer_client, officer_user, staff_user, django_capture_on_commit_callbacks
):
    campaign = CampaignFactory(year=2024, created_by=staff_user)
    url = reverse("models_danvan:registration_create", args=[campaign.pk])
    ContentType.objects.get_for_model(Registration)  # a worker's cache has it after its first request
    with django_capture_on_commit_callbacks(), CaptureQueriesContext(connection) as queries:
        response = officer_client.post(url, {**registration_data(), "action": "submit"})

    registration = Registration.objects.get()
    assert response.status_code == 302 and response["Location"] == registration.get_absolute_url()
    assert registration.status == "submitted" and registration.organization == officer_user.organization
    assert registration.counted_from is not None and registration.revision == 1
    events = SubmissionEvent.objects.filter(object_id=registration.pk).order_by("pk")
    assert [e.action for e in events] == ["created", "submitted"]
    audited = AuditEntry.objects.filter(target_type="models_danvan.registration", target_id=str(registration.pk))
    assert set(audited.values_list("action", flat=True)) == {
        "submission.create",
        "submission.submitted",
    }
    assert SubmissionRevision.objects.filter(object_id=registration.pk).count() == 1
    assert OutboxMessage.objects.count() == 1  # the staff notice, queued with the change
    sql = [q["sql"] for q in queries]
    assert not _check_round_trips(queries)
    organization_reads = [s for s in sql if 'FROM "organizations_baseorganization"' in s]
    assert len(sql) == SEND_STATEMENTS, "\n".join(sql)
    # The form's, the create's under the lock (which the activity check reads too), the send's activity check.
    assert len(organization_reads) == 3
    if connection.features.has_select_for_update:
        assert "FOR UPDATE" in organization_reads[1]


def test_saving_a_draft_takes_fewer_statements(officer_client, officer_user, staff_user):
    campaign = CampaignFactory(year=2024, created_by=staff_user)
    draft = RegistrationFactory(campaign=campaign, organization=officer_user.organization, status="draft")
    url = reverse("models_danvan:registration_edit", args=[draft.pk])
    data = {**registration_data(aims="Mục tiêu đã sửa"), "action": "save", "form_token": str(uuid.uuid4())}

    with CaptureQueriesContext(connection) as queries:
        response = officer_client.post(url, data)

    assert response.status_code == 302
    assert Registration.objects.get(pk=draft.pk).aims == "Mục tiêu đã sửa"
    assert AuditEntry.objects.filter(target_id=str(draft.pk), action="submission.update").exists()
    assert not _check_round_trips([q for q in queries if "organizations_user" not in q["sql"]])
    assert len(queries) == SAVE_STATEMENTS, "\n".join(q["sql"] for q in queries)


def test_a_form_that_breaks_a_constraint_is_still_refused(officer_client, staff_user):
    campaign = CampaignFactory(year=2024, created_by=staff_user)
    url = reverse("models_danvan:registration_create", args=[campaign.pk])
    response = officer_client.post(
        url, {**registration_data(start_date="01/03/2024", end_date="01/01/2024"), "action": "submit"}
    )
    assert response.status_code == 200
    assert "Ngày kết thúc phải sau ngày bắt đầu." in response.content.decode()
    assert not Registration.objects.exists()
