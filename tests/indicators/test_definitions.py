from datetime import date

import pytest
from django.core.exceptions import ValidationError

from dukportal.core.models import AuditEntry
from indicators import services
from indicators.models import IndicatorKind, IndicatorReport, ReportDefinition, ReportRound

from .conftest import at


def test_definition_lists_sections_and_indicators_in_order(definition):
    assert list(definition.sections.values_list("title", flat=True)) == ["I. Kết quả thực hiện"]
    assert list(definition.indicators.values_list("code", flat=True)) == [
        "nhiem_vu",
        "doi_thoai",
        "kinh_phi",
        "ty_le",
        "co_mo_hinh",
        "ten_mo_hinh",
    ]
    assert definition.family_id == definition.pk and definition.version == 1
    assert AuditEntry.objects.filter(action="indicators.indicator_add").count() == 6


def test_unused_definition_is_edited_in_place(staff_user, definition):
    updated = services.definition_update(actor=staff_user, definition=definition, name="Báo cáo dân vận 6 tháng")
    assert updated.pk == definition.pk
    assert ReportDefinition.objects.count() == 1


def test_definition_in_use_gets_a_new_version_and_reports_keep_theirs(
    staff_user, officer_user, organization, definition, first_half
):
    with at(date(2024, 7, 1)):
        report = services.report_create(
            actor=officer_user, round_=first_half, organization=organization, values={"nhiem_vu": "12"}
        )
    new = services.indicator_add(
        actor=staff_user,
        definition=definition,
        code="vu_viec",
        label="Số vụ việc giải quyết",
        kind=IndicatorKind.INTEGER,
        required=False,
    )
    v2 = new.definition
    assert v2.pk != definition.pk and v2.version == 2 and v2.supersedes_id == definition.pk
    assert v2.family_id == definition.pk
    assert list(v2.indicators.values_list("code", flat=True))[-1] == "vu_viec"
    assert v2.sections.get().indicators.count() == 2  # sections copied with their indicators
    definition.refresh_from_db()
    assert definition.indicators.count() == 6  # the old version unchanged
    report.refresh_from_db()
    assert report.definition_id == definition.pk
    # Changing the new version while no report uses it edits it in place; the old one is refused.
    assert services.definition_update(actor=staff_user, definition=v2, due_days=20).pk == v2.pk
    with pytest.raises(ValidationError, match="phiên bản cũ"):
        services.definition_update(actor=staff_user, definition=definition, due_days=30)


def test_new_reports_use_the_latest_version(staff_user, other_officer_user, other_organization, definition, first_half):
    with at(date(2024, 7, 1)):
        services.report_create(actor=staff_user, round_=first_half, organization=other_organization, values={})
    services.definition_update(actor=staff_user, definition=definition, name="Báo cáo công tác dân vận (sửa)")
    latest = ReportDefinition.objects.get(version=2)
    from tests.factories import OrganizationFactory

    third = OrganizationFactory()
    with at(date(2024, 7, 2)):
        report = services.report_create(actor=staff_user, round_=first_half, organization=third, values={})
    assert report.definition_id == latest.pk
    assert latest.name == "Báo cáo công tác dân vận (sửa)"


def test_reorder_indicators_and_sections(staff_user, definition):
    codes = ["ty_le", "nhiem_vu", "doi_thoai", "kinh_phi", "co_mo_hinh", "ten_mo_hinh"]
    services.indicators_reorder(actor=staff_user, definition=definition, codes=codes)
    assert list(definition.indicators.values_list("code", flat=True)) == codes
    with pytest.raises(ValidationError, match="đủ các chỉ tiêu"):
        services.indicators_reorder(actor=staff_user, definition=definition, codes=codes[:2])
    services.section_add(actor=staff_user, definition=definition, title="II. Phương hướng")
    services.sections_reorder(
        actor=staff_user, definition=definition, titles=["II. Phương hướng", "I. Kết quả thực hiện"]
    )
    assert list(definition.sections.values_list("title", flat=True)) == ["II. Phương hướng", "I. Kết quả thực hiện"]


def test_aggregation_must_suit_the_kind(staff_user, definition):
    with pytest.raises(ValidationError) as error:
        services.indicator_add(
            actor=staff_user, definition=definition, code="x", label="X", kind=IndicatorKind.YES_NO, aggregation="sum"
        )
    assert "không phù hợp với loại dữ liệu “Có/Không”" in str(error.value)


def test_duplicate_code_is_refused_in_vietnamese(staff_user, definition):
    with pytest.raises(ValidationError, match="Mã chỉ tiêu đã được dùng"):
        services.indicator_add(
            actor=staff_user, definition=definition, code="nhiem_vu", label="Trùng", kind=IndicatorKind.INTEGER
        )


def test_officer_cannot_define_reports(officer_user):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.definition_create(actor=officer_user, name="X", period_kind="year")


def test_rounds_take_their_deadline_from_the_rule_and_open_once(staff_user, definition):
    first = services.round_open(actor=staff_user, definition=definition, year=2024, number=1)
    second = services.round_open(actor=staff_user, definition=definition, year=2024, number=2)
    assert first.due_date == date(2024, 7, 15) and second.due_date == date(2025, 1, 15)
    assert services.round_open(actor=staff_user, definition=definition, year=2024, number=1) == first
    assert ReportRound.objects.count() == 2
    deadline = services.round_deadline(first)
    assert deadline.title == "Báo cáo công tác dân vận 6 tháng đầu năm 2024"
    assert deadline.due_date == date(2024, 7, 15)
    with pytest.raises(ValidationError):
        services.round_open(actor=staff_user, definition=definition, year=2024, number=3)
    assert IndicatorReport.objects.count() == 0
