"""Each kind of QCDC submission driven through the pages an officer and staff use: draft, send, return with
a comment, send again, accept — on the shared workflow (timeline, revisions, attachments)."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from democracy_regs.models import (
    BrightSpot,
    DemocracyPlan,
    InspectionReportKind,
    SelfInspectionReport,
    SteeringCommittee,
)
from dukportal.core.models import AuditEntry
from dukportal.submissions.models import Attachment, SubmissionEvent, SubmissionRevision
from tests.democracy_regs.factories import ReportFactory, complete_committee, open_cycle, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(staff_user, organization):
    return open_cycle(staff_user, inspected=[organization])


def plan_data(**overrides):
    return {
        "number": "05-KH/ĐU",
        "issued_on": "10/04/2024",
        "summary": "Xây dựng và thực hiện Quy chế dân chủ trong cơ quan năm 2024",
        "officer_in_charge": "Trần Thị Mai",
        "officer_position": "Phó Bí thư",
        "officer_phone": "0912 345 678",
        **overrides,
    }


def test_plan_is_drafted_sent_returned_resent_and_accepted(client, officer_user, staff_user, cycle):
    client.force_login(officer_user)
    response = client.post(
        reverse("democracy_regs:plan_create", args=[cycle.pk]), {**plan_data(), "attachment": pdf(), "action": "save"}
    )
    plan = DemocracyPlan.objects.get()
    assert response.status_code == 302
    assert (plan.status, plan.organization, plan.issued_on) == ("draft", officer_user.organization, date(2024, 4, 10))
    assert Attachment.objects.get().original_name == "ke-hoach.pdf"

    client.post(reverse("democracy_regs:plan_submit", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.status == "submitted"
    assert client.get(reverse("democracy_regs:plan_edit", args=[plan.pk])).status_code == 403

    client.force_login(staff_user)
    client.post(reverse("democracy_regs:plan_return", args=[plan.pk]), {"comment": "Bổ sung cán bộ phụ trách"})
    plan.refresh_from_db()
    assert plan.status == "returned"

    client.force_login(officer_user)
    assert "Bổ sung cán bộ phụ trách" in client.get(plan.get_absolute_url()).content.decode()
    client.post(
        reverse("democracy_regs:plan_edit", args=[plan.pk]),
        plan_data(officer_in_charge="Lê Văn Bình", action="submit"),
    )
    plan.refresh_from_db()
    assert (plan.status, plan.revision, plan.officer_in_charge) == ("submitted", 2, "Lê Văn Bình")

    client.force_login(staff_user)
    client.post(reverse("democracy_regs:plan_accept", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.status == "accepted"
    actions = list(SubmissionEvent.objects.filter(object_id=plan.pk).values_list("action", flat=True))
    assert actions == ["created", "file_added", "submitted", "returned", "edited", "resubmitted", "accepted"]
    assert [r.data["officer_in_charge"] for r in SubmissionRevision.objects.filter(object_id=plan.pk)] == [
        "Trần Thị Mai",
        "Lê Văn Bình",
    ]
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Đã tiếp nhận" in page and "Lê Văn Bình" in page


def test_plan_without_signed_file_cannot_be_sent_and_nothing_typed_is_lost(officer_client, cycle):
    response = officer_client.post(
        reverse("democracy_regs:plan_create", args=[cycle.pk]), {**plan_data(), "action": "submit"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Vui lòng đính kèm bản có chữ ký" in page.split('id="div_id_attachment"')[1]  # next to the file field
    assert "Trần Thị Mai" in page  # the form keeps what was typed
    assert not DemocracyPlan.objects.exists()  # all or nothing


def test_officer_opening_plan_page_twice_is_taken_to_the_existing_plan(officer_client, cycle):
    officer_client.post(reverse("democracy_regs:plan_create", args=[cycle.pk]), {**plan_data(), "action": "save"})
    response = officer_client.get(reverse("democracy_regs:plan_create", args=[cycle.pk]))
    assert response.status_code == 302
    assert response["Location"] == DemocracyPlan.objects.get().get_absolute_url()


def test_bad_date_shows_vietnamese_error_next_to_the_field(officer_client, cycle):
    response = officer_client.post(
        reverse("democracy_regs:plan_create", args=[cycle.pk]), {**plan_data(issued_on="31/02/2024"), "action": "save"}
    )
    assert response.status_code == 200
    assert "Nhập một ngày hợp lệ." in response.content.decode()
    assert not DemocracyPlan.objects.exists()


@time_machine.travel(date(2024, 4, 20))
def test_committee_is_sent_only_when_complete_and_keeps_its_make_up(client, officer_user, staff_user, cycle):
    client.force_login(officer_user)
    organization = officer_user.organization
    client.post(
        reverse("democracy_regs:committee_create", args=[cycle.pk]),
        {"decision_number": "12-QĐ/ĐU", "decision_date": "01/04/2024", "action": "save"},
    )
    committee = SteeringCommittee.objects.get()
    response = client.post(reverse("democracy_regs:committee_submit", args=[committee.pk]), follow=True)
    assert "Ban chỉ đạo chưa được kiện toàn (chưa có trưởng ban; mới có 0/3" in response.content.decode()
    committee.refresh_from_db()
    assert committee.status == "draft"

    committee_url = reverse("democracy_regs:organization_committee", args=[organization.pk])
    for name, role in [("Nguyễn Văn Hùng", "head"), ("Phạm Thị Lan", "deputy"), ("Đỗ Minh Tuấn", "member")]:
        client.post(committee_url, {"full_name": name, "position": "Cán bộ", "role": role, "joined_on": "01/04/2024"})
    client.post(reverse("democracy_regs:committee_submit", args=[committee.pk]))
    committee.refresh_from_db()
    assert committee.status == "submitted"
    assert [m["full_name"] for m in committee.roster] == ["Nguyễn Văn Hùng", "Phạm Thị Lan", "Đỗ Minh Tuấn"]
    assert SubmissionRevision.objects.get(object_id=committee.pk).data["roster"] == committee.roster

    client.force_login(staff_user)
    client.post(reverse("democracy_regs:committee_accept", args=[committee.pk]))
    committee.refresh_from_db()
    assert committee.status == "accepted"
    assert "Đã kiện toàn" in client.get(committee.get_absolute_url()).content.decode()


def test_general_self_inspection_report_flow(client, other_officer_user, staff_user, cycle):
    client.force_login(other_officer_user)
    response = client.post(
        reverse("democracy_regs:report_create", args=[cycle.pk]),
        {
            "findings_leadership": "Cấp ủy ban hành kế hoạch tự kiểm tra",
            "findings_publicity": "Công khai tài chính, tuyển dụng",
            "shortcomings": "Hội nghị người lao động tổ chức muộn",
            "proposals": "Tập huấn cho cán bộ phụ trách",
            "attachment": pdf("bao-cao.pdf"),
            "action": "submit",
        },
    )
    report = SelfInspectionReport.objects.get()
    assert response.status_code == 302
    assert (report.kind, report.status, report.period_start) == ("general", "submitted", None)
    client.force_login(staff_user)
    client.post(reverse("democracy_regs:report_return", args=[report.pk]), {"comment": ""})
    report.refresh_from_db()
    assert report.status == "submitted"  # a return needs a reason
    client.post(reverse("democracy_regs:report_accept", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == "accepted"


def test_inspected_unit_sends_its_report_for_the_review_period(officer_client, officer_user, cycle):
    page = officer_client.get(cycle.get_absolute_url()).content.decode()
    assert "01/09/2024" in page and "01/10/2023" in page and "30/09/2024" in page
    response = officer_client.post(
        reverse("democracy_regs:report_create", args=[cycle.pk]) + "?loai=inspection_visit",
        {
            "loai": "inspection_visit",
            "findings_leadership": "Rà soát văn bản thực hiện dân chủ",
            "attachment": pdf("bao-cao-kiem-tra.pdf"),
            "action": "submit",
        },
    )
    report = SelfInspectionReport.objects.get()
    assert response.status_code == 302
    assert report.kind == InspectionReportKind.INSPECTION_VISIT
    assert (report.period_start, report.period_end) == (date(2023, 10, 1), date(2024, 9, 30))
    assert "Từ ngày 01/10/2023 đến ngày 30/09/2024" in officer_client.get(report.get_absolute_url()).content.decode()


def test_unit_not_chosen_cannot_send_an_inspected_unit_report(client, other_officer_user, cycle):
    client.force_login(other_officer_user)
    response = client.post(
        reverse("democracy_regs:report_create", args=[cycle.pk]),
        {"loai": "inspection_visit", "findings_leadership": "…", "action": "save"},
    )
    assert response.status_code == 200
    assert "không thuộc danh sách được Đoàn kiểm tra" in response.content.decode()
    assert not SelfInspectionReport.objects.exists()


def test_bright_spots_are_registered_reviewed_and_counted_by_kind(client, officer_user, staff_user, cycle):
    client.force_login(officer_user)
    for kind, title in [
        ("democracy", "Đối thoại trực tiếp với người lao động"),
        ("government", "Một cửa liên thông “không chờ đợi”"),
        ("government", "Tiếp công dân ngoài giờ hành chính"),
    ]:
        client.post(
            reverse("democracy_regs:bright_spot_create", args=[cycle.pk]),
            {"kind": kind, "title": title, "description": "Mô tả", "action": "submit"},
        )
    assert BrightSpot.objects.filter(status="submitted").count() == 3
    client.force_login(staff_user)
    first = BrightSpot.objects.get(title__startswith="Đối thoại")
    client.post(reverse("democracy_regs:bright_spot_accept", args=[first.pk]))
    page = client.get(reverse("democracy_regs:bright_spots", args=[cycle.pk])).content.decode()
    assert "Điểm sáng thực hiện Quy chế dân chủ ở cơ sở: 1 đã gửi, 1 đã tiếp nhận" in page
    assert "Điểm sáng “Dân vận chính quyền”: 2 đã gửi, 0 đã tiếp nhận" in page
    filtered = client.get(reverse("democracy_regs:bright_spots", args=[cycle.pk]) + "?kind=government").content
    assert "Tiếp công dân" in filtered.decode() and "Đối thoại trực tiếp" not in filtered.decode()


def test_every_write_is_audited(officer_client, officer_user, cycle):
    complete_committee(officer_user.organization)
    officer_client.post(
        reverse("democracy_regs:plan_create", args=[cycle.pk]), {**plan_data(), "attachment": pdf(), "action": "submit"}
    )
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"qcdc_cycle.create", "submission.create", "attachment.add", "submission.submitted"} <= actions


def test_staff_send_a_plan_for_an_organisation(staff_client, organization, cycle):
    response = staff_client.post(
        reverse("democracy_regs:plan_create", args=[cycle.pk]),
        {**plan_data(), "organization": organization.pk, "attachment": pdf(), "action": "submit"},
    )
    plan = DemocracyPlan.objects.get()
    assert response.status_code == 302
    assert (plan.organization, plan.status) == (organization, "submitted")
    again = staff_client.post(
        reverse("democracy_regs:plan_create", args=[cycle.pk]),
        {**plan_data(), "organization": organization.pk, "action": "save"},
    )
    assert "Đơn vị đã có kế hoạch thực hiện Quy chế dân chủ cho năm này." in again.content.decode()
    assert DemocracyPlan.objects.count() == 1


def test_sending_a_report_without_its_signed_file_is_refused(client, officer_user, cycle):
    report = ReportFactory(cycle=cycle, organization=officer_user.organization, status="draft")
    client.force_login(officer_user)
    response = client.post(reverse("democracy_regs:report_submit", args=[report.pk]), follow=True)
    assert "Vui lòng đính kèm bản có chữ ký" in response.content.decode()
    report.refresh_from_db()
    assert report.status == "draft"
