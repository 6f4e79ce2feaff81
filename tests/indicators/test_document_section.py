"""A composed document's section on a report round states the totals per sector, from the same aggregate the
pages read, with no line in `reports` naming this app (the obligation registers its sentences)."""

from datetime import date
from pathlib import Path

from dukportal.submissions.models import Deadline
from indicators import document, services
from organizations.models import Sector
from reports import services as reports
from reports.document import HEADING_PREFIX
from reports.models import DocumentKind, TopicKind
from reports.topics import TopicSpec
from tests.factories import OrganizationFactory, UserFactory
from tests.reports.factories import IssuingBodyFactory, TermFactory

from .conftest import at


def _send(round_, organization, day, values):
    officer = UserFactory(role="officer", organization=organization)
    with at(day):
        report = services.report_create(actor=officer, round_=round_, organization=organization, values=values)
        services.report_submit(actor=officer, report=report)


def test_sentences_per_sector_on_several_dates(definition, first_half):
    finance = OrganizationFactory(name="Đảng bộ Sở Tài chính", code="A")
    home = OrganizationFactory(name="Đảng bộ Sở Nội vụ", code="B")
    power = OrganizationFactory(name="Đảng bộ Công ty Điện lực", code="E", sector=Sector.ENTERPRISE)
    _send(
        first_half,
        finance,
        date(2024, 7, 5),
        {"nhiem_vu": "1.000", "ty_le": "90", "co_mo_hinh": "yes", "ten_mo_hinh": "Một cửa thân thiện"},
    )
    _send(first_half, home, date(2024, 7, 12), {"nhiem_vu": "966", "ty_le": "95", "co_mo_hinh": "no"})
    _send(first_half, power, date(2024, 7, 14), {"nhiem_vu": "7", "kinh_phi": "250.000.000"})

    assert document.round_sentences(first_half, date(2024, 7, 4)) == []
    assert document.round_sentences(first_half, date(2024, 7, 10)) == [
        "Các chi, đảng bộ khối hành chính (1/2 đơn vị đã báo cáo): nhiệm vụ trọng tâm hoàn thành 1.000 nhiệm vụ; "
        "tỷ lệ hài lòng bình quân 90%; 1/1 đơn vị có mô hình “Dân vận chính quyền”; "
        "tên mô hình tiêu biểu: “Một cửa thân thiện”."
    ]
    assert document.round_sentences(first_half, date(2024, 7, 31)) == [
        "Các chi, đảng bộ khối hành chính (2/2 đơn vị đã báo cáo): nhiệm vụ trọng tâm hoàn thành 1.966 nhiệm vụ; "
        "tỷ lệ hài lòng bình quân 92,5%; 1/2 đơn vị có mô hình “Dân vận chính quyền”; "
        "tên mô hình tiêu biểu: “Một cửa thân thiện”.",
        "Các chi, đảng bộ khối doanh nghiệp (1/1 đơn vị đã báo cáo): nhiệm vụ trọng tâm hoàn thành 7 nhiệm vụ; "
        "kinh phí hỗ trợ 250.000.000 đồng.",
    ]


def test_a_composed_report_carries_the_sentences(staff_user, bloc, definition, first_half):
    finance = OrganizationFactory(name="Đảng bộ Sở Tài chính", code="A")
    OrganizationFactory(name="Đảng bộ Sở Nội vụ", code="B")
    _send(first_half, finance, date(2024, 7, 5), {"nhiem_vu": "1.966"})
    body = IssuingBodyFactory(bloc=bloc)
    TermFactory(bloc=bloc)
    with at(date(2024, 7, 20)):
        drafted = reports.document_create(
            actor=staff_user,
            kind=DocumentKind.DISPATCH,
            issuing_body=body,
            as_of=date(2024, 7, 20),
            topic_specs=[TopicSpec(TopicKind.DEADLINE, Deadline.objects.get(source_id=first_half.pk))],
        )
    lines = drafted.content["body"].splitlines()
    assert f"{HEADING_PREFIX}1. Về việc báo cáo công tác dân vận 6 tháng đầu năm 2024" in lines
    assert (
        "Tính đến ngày 20/7/2024 đã có 1/2 chi, đảng bộ cơ sở gửi báo cáo công tác dân vận 6 tháng đầu năm 2024."
        in lines
    )
    assert (
        "Các chi, đảng bộ khối hành chính (1/2 đơn vị đã báo cáo): nhiệm vụ trọng tâm hoàn thành 1.966 nhiệm vụ."
        in lines
    )


def test_reports_does_not_name_this_app():
    root = Path(__file__).resolve().parents[2] / "reports"
    for path in root.rglob("*.py"):
        assert "indicators" not in path.read_text(encoding="utf-8"), path
