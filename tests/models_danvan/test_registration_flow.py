"""The whole life of a registration, driven through the pages an officer and staff use."""

import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dukportal.submissions.models import Attachment, SubmissionEvent, SubmissionRevision
from dukportal.submissions.selectors import timeline
from models_danvan.models import EvaluationPeriod, Origin, Registration
from tests.factories import CampaignFactory, RegistrationFactory
from tests.models_danvan.factories import registration_data

pytestmark = pytest.mark.django_db

MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def campaign(staff_user):
    return CampaignFactory(year=2024, created_by=staff_user)


def test_officer_registers_submits_is_returned_resubmits_and_is_accepted(client, officer_user, staff_user, campaign):
    client.force_login(officer_user)
    response = client.post(
        reverse("models_danvan:registration_create", args=[campaign.pk]),
        {**registration_data(), "action": "save", "attachment": SimpleUploadedFile("ke-hoach.pdf", MINIMAL_PDF)},
    )
    registration = Registration.objects.get()
    assert response.status_code == 302
    assert registration.status == "draft"
    assert registration.organization == officer_user.organization
    assert registration.start_date == date(2024, 2, 1)  # dd/mm/yyyy parsed day-first
    assert Attachment.objects.get().original_name == "ke-hoach.pdf"

    client.post(reverse("models_danvan:registration_submit", args=[registration.pk]))
    registration.refresh_from_db()
    assert registration.status == "submitted"

    # After submission the organisation cannot change it silently.
    response = client.get(reverse("models_danvan:registration_edit", args=[registration.pk]))
    assert response.status_code == 403

    client.force_login(staff_user)
    client.post(
        reverse("models_danvan:registration_return", args=[registration.pk]),
        {"comment": "Bổ sung số liệu kết quả dự kiến"},
    )
    registration.refresh_from_db()
    assert registration.status == "returned"

    client.force_login(officer_user)
    page = client.get(registration.get_absolute_url()).content.decode()
    assert "Bổ sung số liệu kết quả dự kiến" in page
    client.post(
        reverse("models_danvan:registration_edit", args=[registration.pk]),
        registration_data(expected_results="100% cán bộ cam kết, giảm 50% người hút thuốc", action="submit"),
    )
    registration.refresh_from_db()
    assert registration.status == "submitted"
    assert registration.revision == 2

    client.force_login(staff_user)
    client.post(reverse("models_danvan:registration_accept", args=[registration.pk]))
    registration.refresh_from_db()
    assert registration.status == "accepted"

    actions = list(SubmissionEvent.objects.filter(object_id=registration.pk).values_list("action", "actor__username"))
    assert [a for a, _ in actions] == [
        "created", "file_added", "submitted", "returned", "edited", "resubmitted", "accepted",
    ]  # fmt: skip
    assert dict(actions)["returned"] == staff_user.username
    timeline = client.get(registration.get_absolute_url()).content.decode()
    assert "Trả lại" in timeline and "Tiếp nhận" in timeline and "Bổ sung số liệu kết quả dự kiến" in timeline


def test_mid_year_and_year_end_evaluations_lead_to_commendation(client, officer_user, staff_user, campaign):
    registration = RegistrationFactory(campaign=campaign, organization=officer_user.organization, status="accepted")
    client.force_login(officer_user)
    for period in (EvaluationPeriod.MID_YEAR, EvaluationPeriod.YEAR_END):
        client.post(
            reverse("models_danvan:evaluation_create", args=[registration.pk]),
            {
                "period": period,
                "results": "Đã tổ chức 12 buổi",
                "figures": "350 lượt",
                "self_rating": "good",
                "action": "submit",
            },
        )
    evaluations = {e.period: e for e in registration.evaluations.all()}
    assert {e.status for e in evaluations.values()} == {"submitted"}

    client.force_login(staff_user)
    # Commendation needs an accepted year-end evaluation first.
    client.post(reverse("models_danvan:registration_outstanding", args=[registration.pk]), {"commended": "on"})
    registration.refresh_from_db()
    assert registration.commended is False
    for evaluation in evaluations.values():
        client.post(
            reverse("models_danvan:evaluation_assess", args=[evaluation.pk]),
            {"committee_rating": "excellent", "committee_comment": "Mô hình tiêu biểu"},
        )
    client.post(
        reverse("models_danvan:registration_outstanding", args=[registration.pk]),
        {"commended": "on", "replicated": "on"},
    )
    registration.refresh_from_db()
    assert (registration.commended, registration.replicated) == (True, True)
    assert {e.status for e in registration.evaluations.all()} == {"accepted"}
    assert set(registration.evaluations.values_list("committee_rating", flat=True)) == {"excellent"}


def test_continue_from_last_year_links_the_new_draft(client, officer_user, campaign, staff_user):
    last_year = CampaignFactory(year=2023, created_by=staff_user)
    previous = RegistrationFactory(
        campaign=last_year,
        organization=officer_user.organization,
        status="accepted",
        name="Mô hình “Bữa cơm nghĩa tình”",
    )
    client.force_login(officer_user)
    page = client.get(reverse("models_danvan:carry_over", args=[campaign.pk])).content.decode()
    assert "Bữa cơm nghĩa tình" in page
    response = client.post(reverse("models_danvan:carry_over", args=[campaign.pk]), {"previous": previous.pk})
    continued = Registration.objects.get(campaign=campaign)
    assert response.status_code == 302
    assert (continued.origin, continued.continued_from, continued.name) == (Origin.CONTINUED, previous, previous.name)
    assert (continued.start_date, continued.end_date) == (date(2024, 1, 1), date(2024, 12, 31))
    assert continued.status == "draft"
    # Once continued, it is no longer offered, and a second carry-over is refused.
    assert (
        "Bữa cơm nghĩa tình" not in client.get(reverse("models_danvan:carry_over", args=[campaign.pk])).content.decode()
    )
    client.post(reverse("models_danvan:carry_over", args=[campaign.pk]), {"previous": previous.pk})
    assert Registration.objects.filter(campaign=campaign).count() == 1


def test_staff_edit_after_submission_keeps_the_earlier_version(client, staff_user, officer_user, campaign):
    client.force_login(officer_user)
    client.post(
        reverse("models_danvan:registration_create", args=[campaign.pk]), {**registration_data(), "action": "submit"}
    )
    registration = Registration.objects.get()
    client.force_login(staff_user)
    client.post(
        reverse("models_danvan:registration_edit", args=[registration.pk]),
        registration_data(name="Mô hình “Cơ quan văn minh, không khói thuốc”", action="save"),
    )
    registration.refresh_from_db()
    assert registration.name == "Mô hình “Cơ quan văn minh, không khói thuốc”"
    kept = [r.data["name"] for r in SubmissionRevision.objects.filter(object_id=registration.pk).order_by("number")]
    assert kept == ["Mô hình “Cơ quan không khói thuốc”", "Mô hình “Cơ quan không khói thuốc”"]
    assert SubmissionEvent.objects.filter(object_id=registration.pk, action="staff_edited").exists()


def test_staff_register_bloc_level_model_for_the_committee(client, staff_user, campaign):
    client.force_login(staff_user)
    client.post(
        reverse("models_danvan:registration_create", args=[campaign.pk]),
        {**registration_data(), "organization": "", "action": "submit"},
    )
    registration = Registration.objects.get()
    assert (registration.level, registration.organization) == ("bloc", None)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name": ""}, "name", "Trường này là bắt buộc."),
        ({"end_date": "01/01/2024", "start_date": "01/03/2024"}, "end_date", "Ngày kết thúc phải sau ngày bắt đầu."),
        ({"start_date": "01/01/2022", "end_date": "31/12/2022"}, "start_date", "phải nằm trong năm 2024"),
        ({"start_date": "31/02/2024"}, "start_date", "Nhập một ngày hợp lệ."),
    ],
)
def test_bad_input_gets_vietnamese_message_and_keeps_what_was_typed(
    officer_client, campaign, overrides, field, message
):
    data = registration_data(**overrides)
    response = officer_client.post(
        reverse("models_danvan:registration_create", args=[campaign.pk]), {**data, "action": "save"}
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    page = response.content.decode()
    assert "Xây dựng môi trường làm việc văn minh" in page and "Nguyễn Thị Hoa" in page
    assert not Registration.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "bao-cao.pdf",
            b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200,
            "không phải là tệp PDF hợp lệ",
        ),
        ("virus.exe", b"MZ\x90\x00" + b"\x00" * 100, "không đúng định dạng cho phép"),
        ("bang.xlsx", b"just some text, not a spreadsheet", "không phải là tệp XLSX hợp lệ"),
    ],
)
def test_wrong_type_files_are_refused_next_to_the_field(officer_client, campaign, name, content, message):
    response = officer_client.post(
        reverse("models_danvan:registration_create", args=[campaign.pk]),
        {**registration_data(), "action": "save", "attachment": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["attachment"])
    assert not Registration.objects.exists() and not Attachment.objects.exists()


def test_oversized_file_is_refused(officer_client, campaign, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    response = officer_client.post(
        reverse("models_danvan:registration_create", args=[campaign.pk]),
        {
            **registration_data(),
            "action": "save",
            "attachment": SimpleUploadedFile("lon.pdf", MINIMAL_PDF + b" " * 2048),
        },
    )
    assert "vượt quá mức tối đa" in " ".join(response.context["form"].errors["attachment"])
    assert not Registration.objects.exists()


def test_whole_life_draft_to_commendation_then_carried_over(client, officer_user, staff_user, leader_user, campaign):
    """One model through every step, as users do it in the pages: draft → submit → return → resubmit →
    accept → mid-year evaluation (returned once, then assessed) → year-end evaluation (assessed) → commended
    and replicated → carried over into the next year, where statistics and the model's history show it."""
    create = reverse("models_danvan:registration_create", args=[campaign.pk])

    def as_user(user):
        client.force_login(user)

    as_user(officer_user)
    client.post(create, {**registration_data(), "action": "save"})
    registration = Registration.objects.get()
    assert registration.status == "draft"
    client.post(reverse("models_danvan:registration_submit", args=[registration.pk]))
    as_user(staff_user)
    client.post(reverse("models_danvan:registration_return", args=[registration.pk]), {"comment": "Thiếu số liệu"})
    as_user(officer_user)
    assert "Thiếu số liệu" in client.get(registration.get_absolute_url()).content.decode()
    client.post(
        reverse("models_danvan:registration_edit", args=[registration.pk]),
        registration_data(expected_results="Giảm 50% người hút thuốc", action="submit"),
    )
    as_user(staff_user)
    client.post(reverse("models_danvan:registration_accept", args=[registration.pk]))
    registration.refresh_from_db()
    assert (registration.status, registration.revision) == ("accepted", 2)

    def evaluate(period):
        as_user(officer_user)
        client.post(
            reverse("models_danvan:evaluation_create", args=[registration.pk]),
            {"period": period, "results": "Đã tổ chức 6 buổi", "figures": "120 lượt", "self_rating": "good",
             "action": "submit"},
        )  # fmt: skip
        return registration.evaluations.get(period=period)

    mid_year = evaluate(EvaluationPeriod.MID_YEAR)
    assert mid_year.status == "submitted"
    as_user(staff_user)
    client.post(reverse("models_danvan:evaluation_return", args=[mid_year.pk]), {"comment": "Bổ sung số liệu"})
    mid_year.refresh_from_db()
    assert mid_year.status == "returned"
    as_user(officer_user)
    assert "Bổ sung số liệu" in client.get(mid_year.get_absolute_url()).content.decode()
    client.post(
        reverse("models_danvan:evaluation_edit", args=[mid_year.pk]),
        {"period": "mid_year", "results": "Đã tổ chức 6 buổi", "figures": "180 lượt", "self_rating": "good",
         "action": "submit"},
    )  # fmt: skip
    as_user(staff_user)
    client.post(reverse("models_danvan:evaluation_assess", args=[mid_year.pk]), {"committee_rating": "good"})
    year_end = evaluate(EvaluationPeriod.YEAR_END)
    as_user(staff_user)
    client.post(
        reverse("models_danvan:evaluation_assess", args=[year_end.pk]),
        {"committee_rating": "excellent", "committee_comment": "Tiêu biểu, đề nghị nhân rộng"},
    )
    client.post(
        reverse("models_danvan:registration_outstanding", args=[registration.pk]),
        {"commended": "on", "replicated": "on"},
    )
    registration.refresh_from_db()
    mid_year.refresh_from_db()
    year_end.refresh_from_db()
    assert (mid_year.status, mid_year.committee_rating, mid_year.revision) == ("accepted", "good", 2)
    assert (year_end.status, year_end.committee_rating) == ("accepted", "excellent")
    assert (registration.commended, registration.replicated) == (True, True)
    assert [e.action for e in timeline(mid_year).order_by("at", "id")] == [
        "created", "submitted", "returned", "edited", "resubmitted", "accepted",
    ]  # fmt: skip

    as_user(leader_user)
    stats = client.get(reverse("models_danvan:statistics", args=[campaign.pk])).context["stats"]
    assert (stats.ratio_label, stats.total, stats.commended, stats.replicated) == ("1/1", 1, 1, 1)

    next_year = CampaignFactory(year=2025, created_by=staff_user)
    as_user(officer_user)
    client.post(reverse("models_danvan:carry_over", args=[next_year.pk]), {"previous": registration.pk})
    continued = Registration.objects.get(campaign=next_year)
    lineage = client.get(reverse("models_danvan:lineage", args=[continued.pk])).content.decode()
    assert re.findall(r"<td>(20\d\d)</td>", lineage) == ["2024", "2025"]
    assert "Khen thưởng" in lineage and "Nhân rộng" in lineage and "Tiếp tục thực hiện" in lineage


def test_files_added_later_or_to_evaluations_are_checked_the_same_way(officer_client, officer_user, campaign, settings):
    registration = RegistrationFactory(campaign=campaign, organization=officer_user.organization, status="draft")
    fake_pdf = SimpleUploadedFile("bao-cao.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200)
    response = officer_client.post(
        reverse("models_danvan:registration_attach", args=[registration.pk]), {"file": fake_pdf}, follow=True
    )
    assert "không phải là tệp PDF hợp lệ" in response.content.decode()
    assert not Attachment.objects.exists()

    accepted = RegistrationFactory(campaign=campaign, organization=officer_user.organization, status="accepted")
    settings.UPLOAD_MAX_BYTES = 1024
    response = officer_client.post(
        reverse("models_danvan:evaluation_create", args=[accepted.pk]),
        {
            "period": "mid_year",
            "results": "Đã tổ chức 12 buổi",
            "self_rating": "good",
            "action": "submit",
            "attachment": SimpleUploadedFile("so-lieu.pdf", MINIMAL_PDF + b" " * 2048),
        },
    )
    assert response.status_code == 200
    assert "vượt quá mức tối đa" in " ".join(response.context["form"].errors["attachment"])
    assert "Đã tổ chức 12 buổi" in response.content.decode()
    assert not accepted.evaluations.exists() and not Attachment.objects.exists()
