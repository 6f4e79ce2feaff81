"""Files sent with QCDC submissions are checked by content and size: a renamed executable is refused with a
Vietnamese message next to the field, and nothing else the officer typed is lost."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from democracy_regs.models import DemocracyPlan
from dukportal.submissions.models import Attachment
from tests.democracy_regs.factories import ELF_BYTES, PlanFactory, open_cycle, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(staff_user):
    return open_cycle(staff_user)


def plan_data(**overrides):
    return {
        "number": "07-KH/ĐU",
        "issued_on": "12/04/2024",
        "summary": "Kế hoạch thực hiện dân chủ ở cơ sở",
        "officer_in_charge": "Vũ Thị Hạnh",
        "action": "submit",
        **overrides,
    }


def test_renamed_executable_is_refused_on_the_plan_form(officer_client, cycle):
    response = officer_client.post(
        reverse("democracy_regs:plan_create", args=[cycle.pk]),
        plan_data(attachment=SimpleUploadedFile("plan.pdf", ELF_BYTES, content_type="application/pdf")),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Nội dung tệp “plan.pdf” không phải là tệp PDF hợp lệ" in page
    assert "Vũ Thị Hạnh" in page and "07-KH/ĐU" in page  # what was typed is still there
    assert not DemocracyPlan.objects.exists()
    assert not Attachment.objects.exists()


def test_renamed_executable_is_refused_when_attached_later(client, officer_user, cycle):
    plan = PlanFactory(cycle=cycle, organization=officer_user.organization, status="draft")
    client.force_login(officer_user)
    response = client.post(
        reverse("democracy_regs:plan_attach", args=[plan.pk]),
        {"file": SimpleUploadedFile("ke-hoach.pdf", ELF_BYTES)},
        follow=True,
    )
    assert "không phải là tệp PDF hợp lệ" in response.content.decode()
    assert not Attachment.objects.exists()


def test_files_over_the_size_cap_are_refused(officer_client, cycle, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    big = SimpleUploadedFile("ke-hoach.pdf", b"%PDF-1.4\n" + b"0" * 2048)
    response = officer_client.post(reverse("democracy_regs:plan_create", args=[cycle.pk]), plan_data(attachment=big))
    assert "vượt quá mức tối đa" in response.content.decode()
    assert not DemocracyPlan.objects.exists()


def test_stored_files_are_outside_the_static_path(officer_client, cycle, settings):
    officer_client.post(reverse("democracy_regs:plan_create", args=[cycle.pk]), plan_data(attachment=pdf()))
    stored = Attachment.objects.get()
    assert str(settings.MEDIA_ROOT) in stored.file.path
    assert not stored.file.name.endswith("ke-hoach.pdf")  # stored under a random name
    assert not stored.file.path.startswith(str(settings.STATIC_ROOT))


def test_a_refused_send_leaves_no_stored_file_behind(client, officer_user, cycle, settings):
    client.force_login(officer_user)
    response = client.post(
        reverse("democracy_regs:committee_create", args=[cycle.pk]),
        {"decision_number": "12-QĐ/ĐU", "decision_date": "01/04/2024", "attachment": pdf(), "action": "submit"},
    )
    assert "Ban chỉ đạo chưa được kiện toàn" in response.content.decode()  # no members yet
    assert not Attachment.objects.exists()
    stored = [p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()] if settings.MEDIA_ROOT.exists() else []
    assert stored == []
