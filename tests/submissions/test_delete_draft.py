"""Officers delete their own drafts (never sent); a sent item is withdrawn instead, never deleted."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dukportal.core.models import AuditEntry
from dukportal.submissions.models import Attachment, SubmissionEvent
from models_danvan.models import Registration
from tests.democracy_regs.factories import PlanFactory, open_cycle
from tests.factories import CampaignFactory, RegistrationFactory

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def draft(officer_user, staff_user):
    return RegistrationFactory(
        campaign=CampaignFactory(created_by=staff_user), organization=officer_user.organization, status="draft"
    )


def test_an_officer_deletes_a_draft_with_its_files(client, officer_user, draft, django_capture_on_commit_callbacks):
    client.force_login(officer_user)
    client.post(
        reverse("models_danvan:registration_attach", args=[draft.pk]), {"file": SimpleUploadedFile("a.pdf", PDF)}
    )
    stored = Attachment.objects.get()
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "Xóa bản nháp" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("models_danvan:registration_delete", args=[draft.pk]), follow=True)
    assert "Đã xóa bản nháp." in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("models_danvan:campaign", args=[draft.campaign_id])
    assert not Registration.objects.filter(pk=draft.pk).exists()
    assert not Attachment.objects.exists() and not SubmissionEvent.objects.filter(object_id=draft.pk).exists()
    assert not stored.file.storage.exists(stored.file.name)
    entry = AuditEntry.objects.get(action="submission.delete_draft")
    assert entry.changes["name"] == draft.name and entry.changes["files"] == ["a.pdf"]


def test_a_sent_item_is_not_deleted(client, officer_user, staff_user):
    sent = RegistrationFactory(campaign=CampaignFactory(created_by=staff_user), organization=officer_user.organization)
    client.force_login(officer_user)
    response = client.post(reverse("models_danvan:registration_delete", args=[sent.pk]), follow=True)
    assert "Chỉ xóa được bản nháp chưa gửi" in response.content.decode()
    assert Registration.objects.filter(pk=sent.pk).exists()


def test_another_organisation_or_a_leader_cannot_delete(client, draft, other_officer_user, leader_user):
    url = reverse("models_danvan:registration_delete", args=[draft.pk])
    client.force_login(other_officer_user)
    assert client.post(url).status_code == 404
    client.force_login(leader_user)
    assert client.post(url).status_code == 403
    assert Registration.objects.filter(pk=draft.pk).exists()


def test_a_qcdc_draft_is_deleted_and_the_officer_can_start_again(client, officer_user, staff_user, organization):
    cycle = open_cycle(staff_user)
    plan = PlanFactory(cycle=cycle, organization=organization, status="draft")
    client.force_login(officer_user)
    response = client.post(reverse("democracy_regs:plan_delete", args=[plan.pk]))
    assert response["Location"] == reverse("democracy_regs:cycle", args=[cycle.pk])
    page = client.get(cycle.get_absolute_url()).content.decode()
    assert reverse("democracy_regs:plan_create", args=[cycle.pk]) in page
