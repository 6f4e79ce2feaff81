"""The QCDC cycle report (báo cáo kết quả thực hiện Quy chế dân chủ ở cơ sở năm …): figures of a known cycle
and the organisations still missing, in the .docx and the PDF, and the page flow (staff write it from a cycle,
leaders cannot, officers get 403)."""

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from docx import Document as WordDocument
from pypdf import PdfReader

from democracy_regs.models import BrightSpotKind, InspectionReportKind
from reports import services
from reports.models import Document, DocumentKind, DocumentStatus
from tests.democracy_regs.factories import (
    BrightSpotFactory,
    CommitteeFactory,
    MembershipFactory,
    PlanFactory,
    ReportFactory,
    complete_committee,
    open_cycle,
)
from tests.factories import OrganizationFactory, UserFactory
from tests.reports.drafts import finish

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
AS_OF = date(2024, 10, 30)  # after every deadline of the 2024 cycle


def qcdc_scenario(staff):
    """10 organisations; 6 plans sent (3 accepted, 1 returned); 5 committees sent, 4 complete; 5 self-inspection
    reports, 2 of them from the 3 units inspected directly; 3 bright spots sent (1 accepted) plus a draft."""
    orgs = [OrganizationFactory(name=f"Đảng bộ đơn vị {n:02d}", phone=f"0216 {n:06d}") for n in range(10)]
    cycle = open_cycle(staff, inspected=orgs[:3])
    sent = datetime(2024, 5, 1, tzinfo=HCM)
    for i, org in enumerate(orgs[:6]):
        status = "accepted" if i < 3 else "returned" if i == 3 else "submitted"
        PlanFactory(cycle=cycle, organization=org, status=status, submitted_at=sent)
    PlanFactory(cycle=cycle, organization=orgs[6], status="draft")  # a draft is not a plan received
    for org in orgs[:5]:
        CommitteeFactory(cycle=cycle, organization=org, submitted_at=sent)
    for org in orgs[:4]:
        complete_committee(org)
    MembershipFactory.create_batch(3, organization=orgs[4])  # sent, but no head: not complete
    visit = {"kind": InspectionReportKind.INSPECTION_VISIT, "period_start": date(2023, 10, 1)}
    for org in orgs[:2]:
        ReportFactory(cycle=cycle, organization=org, submitted_at=sent, period_end=date(2024, 9, 30), **visit)
    for org in orgs[3:6]:
        ReportFactory(cycle=cycle, organization=org, submitted_at=datetime(2024, 10, 20, tzinfo=HCM))
    # Bright spots are counted from their timeline (sent by the reference date): they were sent in May.
    BrightSpotFactory.create_batch(2, cycle=cycle, organization=orgs[0], submitted_at=sent)
    BrightSpotFactory(
        cycle=cycle, organization=orgs[1], kind=BrightSpotKind.GOVERNMENT, status="accepted", submitted_at=sent
    )
    BrightSpotFactory(cycle=cycle, organization=orgs[2], kind=BrightSpotKind.GOVERNMENT, status="draft")
    return cycle, orgs


@pytest.fixture
def report(staff_user, issuing_body, term):
    cycle, orgs = qcdc_scenario(staff_user)
    draft = services.document_create(
        actor=staff_user, kind=DocumentKind.QCDC_REPORT, issuing_body=issuing_body, source=cycle, as_of=AS_OF
    )
    document = services.document_issue(
        actor=staff_user, document=finish(draft, staff_user), issued_on=date(2024, 11, 5)
    )
    return document, orgs


INTRO = (
    "Thực hiện Kế hoạch số 253-KH/ĐUK, ngày 25/3/2024 của Ban Thường vụ Đảng ủy Khối về thực hiện Quy chế dân chủ "
    "ở cơ sở năm 2024, Ban Thường vụ Đảng ủy Khối báo cáo kết quả thực hiện năm 2024 (số liệu tính đến ngày "
    "30/10/2024) như sau:"
)
PLANS = (
    "1. Xây dựng kế hoạch: có 6/10 chi, đảng bộ cơ sở gửi kế hoạch thực hiện Quy chế dân chủ ở cơ sở năm 2024 về "
    "Đảng ủy Khối, trong đó 03 đã được tiếp nhận, 01 bị trả lại để hoàn thiện."
)
COMMITTEES = (
    "2. Kiện toàn Ban chỉ đạo: có 4/10 chi, đảng bộ cơ sở đã kiện toàn Ban chỉ đạo thực hiện Quy chế dân chủ ở cơ "
    "sở (có trưởng ban và ít nhất 03 thành viên, tính đến ngày 30/10/2024)."
)
REPORTS = (
    "1. Có 5/10 chi, đảng bộ cơ sở gửi báo cáo tự kiểm tra, giám sát việc thực hiện Quy chế dân chủ ở cơ sở năm "
    "2024, trong đó 0 đã được tiếp nhận."
)
VISITS = (
    "2. Đảng ủy Khối kiểm tra trực tiếp 03 đơn vị; đã có 2/3 đơn vị gửi báo cáo tự kiểm tra (kỳ rà soát từ ngày "
    "01/10/2023 đến ngày 30/9/2024)."
)
SPOTS = (
    "3. Điểm sáng trong thực hiện Quy chế dân chủ ở cơ sở: các chi, đảng bộ cơ sở đã gửi 03 điểm sáng, trong đó "
    "01 điểm sáng đã được tiếp nhận."
)


def _table(table):
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_qcdc_report_docx_has_figures_and_missing_organisations(report):
    document, orgs = report
    with document.docx_file.open("rb") as handle:
        word = WordDocument(io.BytesIO(handle.read()))
    assert word.tables[0].rows[1].cells[0].paragraphs[0].text == "Số 01-BC/ĐUK"
    assert word.tables[0].rows[1].cells[1].paragraphs[0].text == "Yên Bái, ngày 05 tháng 11 năm 2024"
    texts = [p.text for p in word.paragraphs if p.text]
    subject_index = texts.index("BÁO CÁO") + 1
    assert texts[subject_index] == "kết quả thực hiện Quy chế dân chủ ở cơ sở năm 2024"
    assert not any(t.startswith("Kính gửi") for t in texts)
    for line in (INTRO, PLANS, COMMITTEES, REPORTS, VISITS, SPOTS):
        assert line in texts, line
    order = [texts.index(h) for h in ("I- CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO, TỔ CHỨC THỰC HIỆN",
                                      "II- KẾT QUẢ TỰ KIỂM TRA, GIÁM SÁT",
                                      "III- CÁC CHI, ĐẢNG BỘ CƠ SỞ CHƯA HOÀN THÀNH",
                                      "IV- ĐÁNH GIÁ CHUNG",
                                      "V- PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2025")]  # fmt: skip
    assert order == sorted(order)

    spots, plans, committees, reports, visits = (_table(t) for t in word.tables[1:6])
    assert spots == [
        ["Loại điểm sáng", "Đã gửi", "Đã tiếp nhận"],
        ["Điểm sáng thực hiện Quy chế dân chủ ở cơ sở", "2", "0"],
        ["Điểm sáng “Dân vận chính quyền”", "1", "1"],
        ["Cộng", "3", "1"],
    ]
    assert plans[0] == ["STT", "Tổ chức cơ sở đảng", "Điện thoại", "Tình trạng"]
    assert [row[1] for row in plans[1:]] == [org.name for org in orgs[6:]]
    assert plans[1][2:] == ["0216 000006", "Quá hạn"]
    assert [row[1] for row in committees[1:]] == [org.name for org in orgs[4:]]
    assert committees[1][3] == "Ban chỉ đạo chưa có trưởng ban"  # sent, but the make-up is not complete
    assert [row[1] for row in reports[1:]] == [orgs[2].name, *[org.name for org in orgs[6:]]]
    assert visits[1:] == [["1", orgs[2].name, "0216 000002", "Quá hạn"]]
    for line in (
        "1. Còn 04 chi, đảng bộ cơ sở chưa gửi kế hoạch thực hiện Quy chế dân chủ ở cơ sở:",
        "2. Còn 06 chi, đảng bộ cơ sở chưa kiện toàn Ban chỉ đạo thực hiện Quy chế dân chủ ở cơ sở:",
        "3. Còn 05 chi, đảng bộ cơ sở chưa gửi báo cáo tự kiểm tra, giám sát:",
        "4. Còn 01 đơn vị được kiểm tra trực tiếp chưa gửi báo cáo tự kiểm tra:",
    ):
        assert line in texts, line
    assert len(word.tables) == 7  # header, bright spots, four missing lists, closing
    closing = word.tables[-1].rows[0].cells
    assert [p.text for p in closing[0].paragraphs if p.text] == [
        "Nơi nhận:",
        "- Ban Dân vận Tỉnh ủy (b/c),",
        "- Thường trực Đảng ủy Khối,",
        "- Ban Chỉ đạo thực hiện Quy chế dân chủ ở cơ sở Đảng ủy Khối,",
        "- Các chi, đảng bộ cơ sở,",
        "- Lưu Văn phòng Đảng ủy Khối.",
    ]
    assert [p.text for p in closing[1].paragraphs if p.text] == ["T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ", "Nguyễn Văn An"]


def test_qcdc_report_pdf_shows_the_same_document(report):
    document, orgs = report
    with document.pdf_file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    for expected in (
        "Số 01-BC/ĐUK",
        "Yên Bái, ngày 05 tháng 11 năm 2024",
        "BÁO CÁO",
        "kết quả thực hiện Quy chế dân chủ ở cơ sở năm 2024",
        "Kế hoạch số 253-KH/ĐUK, ngày 25/3/2024",
        "có 6/10 chi, đảng bộ cơ sở gửi kế hoạch",
        "có 4/10 chi, đảng bộ cơ sở đã kiện toàn Ban chỉ đạo",
        "Có 5/10 chi, đảng bộ cơ sở gửi báo cáo tự kiểm tra",
        "đã có 2/3 đơn vị gửi báo cáo tự kiểm tra (kỳ rà soát từ ngày 01/10/2023 đến ngày 30/9/2024)",
        "III- CÁC CHI, ĐẢNG BỘ CƠ SỞ CHƯA HOÀN THÀNH",
        "Ban chỉ đạo chưa có trưởng ban",
        orgs[9].name,
        "Nơi nhận:",
        "Nguyễn Văn An",
    ):
        assert expected in text, expected


def test_every_missing_organisation_is_listed_once_per_item(report):
    document, orgs = report
    body = document.content["body"]
    # plans 4, committees 6, self-inspection 5, inspected units 1
    assert body.count(f"| {orgs[9].name} |") == 3
    assert body.count(f"| {orgs[2].name} |") == 2  # no self-inspection report, no inspected unit's report
    assert body.count(f"| {orgs[0].name} |") == 0


def test_staff_creates_the_report_from_a_cycle_and_issues_it(client, staff_user, leader_user, issuing_body, term):
    cycle, orgs = qcdc_scenario(staff_user)
    client.force_login(staff_user)
    page = client.get(reverse("reports:document_create"), {"kind": "qcdc_report", "cycle": cycle.pk}).content.decode()
    assert "Báo cáo kết quả thực hiện Quy chế dân chủ ở cơ sở năm" in page
    assert f'<option value="{cycle.pk}" selected>Quy chế dân chủ ở cơ sở năm 2024</option>' in page

    response = client.post(
        reverse("reports:document_create"), {"kind": DocumentKind.QCDC_REPORT, "issuing_body": issuing_body.pk}
    )
    assert response.status_code == 200
    assert "Chọn đợt thực hiện Quy chế dân chủ ở cơ sở." in response.content.decode()
    assert not Document.objects.exists()

    with time_machine.travel(datetime(2024, 10, 30, 9, tzinfo=HCM)):
        response = client.post(
            reverse("reports:document_create"),
            {"kind": DocumentKind.QCDC_REPORT, "issuing_body": issuing_body.pk, "cycle": cycle.pk},
        )
    document = Document.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reports:document_edit", args=[document.pk])
    assert (document.kind, document.doc_type, document.source) == ("qcdc_report", "BC", cycle)
    page = client.get(response["Location"]).content.decode()
    assert "có 6/10 chi, đảng bộ cơ sở gửi kế hoạch" in page

    finish(document, staff_user)  # the clerk writes out the "…" left for the assessment
    with time_machine.travel(datetime(2024, 11, 5, 9, tzinfo=HCM)):
        response = client.post(reverse("reports:document_issue", args=[document.pk]), follow=True)
    assert "Đã phát hành văn bản số 01-BC/ĐUK." in response.content.decode()
    response = client.get(reverse("reports:document_download", args=[document.pk, "docx"]))
    word = WordDocument(io.BytesIO(b"".join(response.streaming_content)))
    assert PLANS in [p.text for p in word.paragraphs]

    client.force_login(leader_user)
    form = {"kind": DocumentKind.QCDC_REPORT, "issuing_body": issuing_body.pk, "cycle": cycle.pk}
    assert client.get(reverse("reports:document_create")).status_code == 403
    assert client.post(reverse("reports:document_create"), form).status_code == 403
    assert client.get(reverse("reports:document", args=[document.pk])).status_code == 200  # leaders read

    client.force_login(UserFactory(username="canbo-qcdc", role="officer", organization=orgs[0]))
    assert client.get(reverse("reports:document_create")).status_code == 403
    assert client.post(reverse("reports:document_create"), form).status_code == 403
    assert client.get(reverse("reports:document", args=[document.pk])).status_code == 403
    assert Document.objects.count() == 1 and Document.objects.get().status == DocumentStatus.ISSUED


def test_report_needs_a_cycle(staff_user, issuing_body):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        services.document_create(actor=staff_user, kind=DocumentKind.QCDC_REPORT, issuing_body=issuing_body)
    assert error.value.message_dict == {"cycle": ["Chọn đợt thực hiện Quy chế dân chủ ở cơ sở."]}
