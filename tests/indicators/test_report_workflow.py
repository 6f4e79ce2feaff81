from datetime import date

import pytest
from django.core.exceptions import ValidationError

from dukportal.submissions import revisions
from dukportal.submissions.idempotency import AlreadyCreated
from dukportal.submissions.models import NilReturn, SubmissionStatus
from indicators import services
from indicators.models import IndicatorReport

from .conftest import at, first_half_built_once

# The definition and its first half-year, opened once for the module: every test reports on that period.
built, definition, first_half, bloc, staff_user = first_half_built_once()

GOOD = {
    "nhiem_vu": "1.966",
    "kinh_phi": "1.234.000 đ",
    "ty_le": "92,5%",
    "co_mo_hinh": "yes",
    "ten_mo_hinh": "Dân vận khéo",
}


def test_values_are_read_in_vietnamese_formats(officer_user, organization, first_half):
    with at(date(2024, 7, 1)):
        report = services.report_create(actor=officer_user, round_=first_half, organization=organization, values=GOOD)
    assert report.values == {
        "nhiem_vu": 1966,
        "kinh_phi": 1234000,
        "ty_le": "92.5",
        "co_mo_hinh": True,
        "ten_mo_hinh": "Dân vận khéo",
    }
    assert report.status == SubmissionStatus.DRAFT


@pytest.mark.parametrize(
    ("values", "code", "message"),
    [
        ({"nhiem_vu": "12a"}, "nhiem_vu", "“Nhiệm vụ trọng tâm hoàn thành”: nhập số nguyên, ví dụ 1.966."),
        ({"nhiem_vu": "5.001"}, "nhiem_vu", "“Nhiệm vụ trọng tâm hoàn thành”: không được lớn hơn 5.000."),
        ({"nhiem_vu": "-1"}, "nhiem_vu", "“Nhiệm vụ trọng tâm hoàn thành”: không được nhỏ hơn 0."),
        ({"kinh_phi": "1,5 triệu"}, "kinh_phi", "“Kinh phí hỗ trợ”: nhập số nguyên, ví dụ 1.234.000."),
        ({"ty_le": "120"}, "ty_le", "“Tỷ lệ hài lòng”: không được lớn hơn 100."),
        ({"ty_le": "nhiều"}, "ty_le", "“Tỷ lệ hài lòng”: nhập tỷ lệ phần trăm, ví dụ 12,5."),
        ({"co_mo_hinh": "có lẽ"}, "co_mo_hinh", "“Có mô hình “Dân vận chính quyền””: chọn “Có” hoặc “Không”."),
    ],
)
def test_bad_values_are_refused_with_vietnamese_messages(officer_user, organization, first_half, values, code, message):
    with at(date(2024, 7, 1)), pytest.raises(ValidationError) as error:
        services.report_create(actor=officer_user, round_=first_half, organization=organization, values=values)
    assert error.value.message_dict == {code: [message]}
    assert not IndicatorReport.objects.exists()


def test_a_draft_may_be_incomplete_but_sending_needs_required_indicators(officer_user, organization, first_half):
    with at(date(2024, 7, 1)):
        report = services.report_create(actor=officer_user, round_=first_half, organization=organization, values={})
        with pytest.raises(ValidationError) as error:
            services.report_submit(actor=officer_user, report=report)
    assert error.value.message_dict == {
        "nhiem_vu": ["“Nhiệm vụ trọng tâm hoàn thành”: vui lòng nhập số liệu (chỉ tiêu bắt buộc)."]
    }
    report.refresh_from_db()
    assert report.status == SubmissionStatus.DRAFT


def test_return_with_field_comment_then_resend_then_accept(staff_user, officer_user, organization, first_half):
    with at(date(2024, 7, 1)):
        report = services.report_create(actor=officer_user, round_=first_half, organization=organization, values=GOOD)
        report = services.report_submit(actor=officer_user, report=report)
    with at(date(2024, 7, 2)):
        report = services.report_return(
            actor=staff_user,
            report=report,
            comment="Số liệu nhiệm vụ chưa khớp báo cáo năm.",
            field_comments={"nhiem_vu": "Đề nghị rà soát lại, số liệu cao bất thường.", "ty_le": ""},
        )
    assert report.status == SubmissionStatus.RETURNED
    comments = revisions.open_field_comments(report)
    assert [(c.name, c.label, c.comment) for c in comments] == [
        ("nhiem_vu", "Nhiệm vụ trọng tâm hoàn thành", "Đề nghị rà soát lại, số liệu cao bất thường.")
    ]
    with at(date(2024, 7, 3)):
        report = services.report_update(actor=officer_user, report=report, values={**GOOD, "nhiem_vu": "196"})
        report = services.report_submit(actor=officer_user, report=report)
    assert report.status == SubmissionStatus.SUBMITTED and report.revision == 2
    assert revisions.open_field_comments(report) == []
    with at(date(2024, 7, 4)):
        report = services.report_accept(actor=staff_user, report=report)
    assert report.status == SubmissionStatus.ACCEPTED
    assert report.values["nhiem_vu"] == 196


def test_field_comment_on_an_unknown_indicator_is_refused(staff_user, officer_user, organization, first_half):
    with at(date(2024, 7, 1)):
        report = services.report_create(actor=officer_user, round_=first_half, organization=organization, values=GOOD)
        report = services.report_submit(actor=officer_user, report=report)
        with pytest.raises(ValidationError, match="không có trong hồ sơ"):
            services.report_return(actor=staff_user, report=report, comment="Sai", field_comments={"khac": "?"})


def test_one_report_per_organisation_and_round(officer_user, organization, first_half):
    with at(date(2024, 7, 1)):
        services.report_create(actor=officer_user, round_=first_half, organization=organization, values={})
        with pytest.raises(AlreadyCreated, match="Đơn vị đã có báo cáo cho kỳ này"):
            services.report_create(actor=officer_user, round_=first_half, organization=organization, values={})
    assert IndicatorReport.objects.count() == 1


def test_the_same_form_posted_twice_creates_one_report(officer_user, organization, first_half):
    import uuid

    token = uuid.uuid4()
    with at(date(2024, 7, 1)):
        first = services.report_create(
            actor=officer_user, round_=first_half, organization=organization, values=GOOD, token=token
        )
        with pytest.raises(AlreadyCreated) as error:
            services.report_create(
                actor=officer_user, round_=first_half, organization=organization, values=GOOD, token=token
            )
    assert error.value.replay and error.value.existing == first
    assert IndicatorReport.objects.count() == 1


def test_an_officer_cannot_report_for_another_organisation(officer_user, other_organization, first_half):
    from django.core.exceptions import PermissionDenied

    with at(date(2024, 7, 1)), pytest.raises(PermissionDenied):
        services.report_create(actor=officer_user, round_=first_half, organization=other_organization, values={})


def test_nil_return_counts_as_sent(officer_user, organization, first_half):
    from dukportal.submissions import deadlines

    with at(date(2024, 7, 5)):
        nil = services.nil_return_send(
            actor=officer_user, round_=first_half, organization=organization, reason="Trong kỳ không phát sinh."
        )
    assert NilReturn.objects.get() == nil and nil.status == SubmissionStatus.SUBMITTED
    figures = deadlines.deadline_figures(services.round_deadline(first_half), date(2024, 7, 20))
    assert (figures.sent, figures.nil_returns, figures.expected) == (1, 1, 1)
