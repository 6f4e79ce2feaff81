"""The wording of a dispatch's section for each kind of obligation, as the committee writes it, on two reference
dates each: close to or after the deadline the section gives the figures, who is missing and what they must do;
more than 30 days ahead it states what is asked and by when, and lists nobody."""

from datetime import date, datetime

import pytest
import time_machine

from democracy_regs.models import DemocracyPlan
from dukportal.submissions import deadlines
from dukportal.submissions.models import Deadline, SubmissionStatus
from models_danvan.models import Evaluation, EvaluationPeriod, Rating, Registration
from reports import services
from reports.document import HEADING_PREFIX
from reports.models import DocumentKind, TopicKind
from reports.topics import TopicSpec
from tests.factories import CampaignFactory
from tests.reports.factories import HCM, danvan_scenario
from tests.reports.test_qcdc_report_output import qcdc_scenario
from tests.timeline import complete_timelines, decide

pytestmark = pytest.mark.django_db


def _at(day: date):
    return time_machine.travel(datetime(day.year, day.month, day.day, 9, tzinfo=HCM), tick=False)


def section(staff_user, issuing_body, kind: str, as_of: date) -> list[str]:
    """The lines of the one section of a dispatch drafted on the deadline of `kind`, heading first."""
    with _at(date(2024, 12, 20)):
        document = services.document_create(
            actor=staff_user,
            kind=DocumentKind.DISPATCH,
            issuing_body=issuing_body,
            as_of=as_of,
            topic_specs=[TopicSpec(TopicKind.DEADLINE, Deadline.objects.get(kind=kind))],
        )
    lines = document.content["body"].splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(HEADING_PREFIX))
    return [line for line in lines[start:-2] if not line.startswith("| ")]


@pytest.fixture
def danvan(staff_user, bloc):
    """6 organisations, 3 of them registered 6 base-level models (2 continued) plus 2 bloc-level ones on 10/5;
    registrations due 15/5, mid-year evaluations 30/6, year-end 30/11."""
    with _at(date(2024, 5, 10)):
        CampaignFactory(year=2024, created_by=staff_user, registration_deadline=date(2024, 5, 15))
        return danvan_scenario(staff=staff_user, organizations=6, registered=3, base_level=6, continued=2)


@pytest.fixture
def qcdc(staff_user, bloc):
    with _at(date(2024, 4, 1)):
        return qcdc_scenario(staff_user)


def test_danvan_registration_wording(danvan, staff_user, issuing_body):
    before = section(staff_user, issuing_body, "danvan.registration", date(2024, 5, 9))
    after = section(staff_user, issuing_body, "danvan.registration", date(2024, 5, 15))

    background = (
        "Ban Thường vụ Đảng ủy Khối đã ban hành Kế hoạch số 252-KH/ĐUK, ngày 25/3/2024 về tiếp tục đẩy mạnh thực "
        "hiện phong trào thi đua “Dân vận khéo” năm 2024; đồng thời hướng dẫn, đôn đốc các tổ chức cơ sở đảng, đoàn "
        "thể khối đăng ký xây dựng mô hình, điển hình “Dân vận khéo” năm 2024, gửi đăng ký về Đảng ủy Khối (qua Ban "
        "Tuyên giáo) trước ngày 15/5/2024."
    )
    assert after == [
        "# 1. Về việc triển khai thực hiện phong trào thi đua “Dân vận khéo” năm 2024",
        background,
        "Tính đến ngày 15/5/2024 đã có 3/6 chi, đảng bộ cơ sở gửi đăng ký mô hình “Dân vận khéo” năm 2024, với 08 "
        "mô hình đăng ký, trong đó có 02 mô hình cấp Đảng ủy Khối và 06 mô hình cấp cơ sở; 02 mô hình tiếp tục thực "
        "hiện từ năm 2023 và 04 mô hình đăng ký mới năm 2024.",
        "Còn 03 chi, đảng bộ cơ sở chưa gửi đăng ký, gồm:",
        "Đảng ủy Khối đề nghị các chi, đảng bộ cơ sở chưa thực hiện khẩn trương gửi đăng ký xây dựng mô hình, điển "
        "hình “Dân vận khéo” năm 2024 về Đảng ủy Khối (qua Ban Tuyên giáo) để tổng hợp, báo cáo theo quy định.",
    ]
    # Six days before the deadline nobody had sent yet: all six are listed, asked to send before the date.
    assert before[2].startswith("Tính đến ngày 09/5/2024 đã có 0/6 chi, đảng bộ cơ sở gửi đăng ký")
    assert before[3] == "Còn 06 chi, đảng bộ cơ sở chưa gửi đăng ký, gồm:"
    assert before[4].endswith("về Đảng ủy Khối (qua Ban Tuyên giáo) trước ngày 15/5/2024.")


def _mid_year_evaluations(campaign, staff_user):
    """The 3 registered organisations' models accepted on 20/5; one of them sends its mid-year evaluation on
    1/7, another keeps a draft."""
    with _at(date(2024, 5, 20)):
        decide(Registration.objects.filter(campaign=campaign).exclude(status=SubmissionStatus.DRAFT), "accepted")
    first = {}
    for registration in Registration.objects.filter(campaign=campaign, organization__isnull=False).order_by("id"):
        first.setdefault(registration.organization_id, registration)
    for registration, status in zip(first.values(), [SubmissionStatus.SUBMITTED, SubmissionStatus.DRAFT], strict=False):
        Evaluation.objects.create(
            registration=registration,
            organization=registration.organization,
            period=EvaluationPeriod.MID_YEAR,
            results="Đạt",
            self_rating=Rating.GOOD,
            status=status,
            submitted_at=datetime(2024, 7, 1, 9, tzinfo=HCM) if status != SubmissionStatus.DRAFT else None,
            created_by=staff_user,
        )
    complete_timelines()


def test_danvan_mid_year_wording(danvan, staff_user, issuing_body):
    campaign, _ = danvan
    _mid_year_evaluations(campaign, staff_user)
    far = section(staff_user, issuing_body, "danvan.mid_year", date(2024, 5, 25))
    close = section(staff_user, issuing_body, "danvan.mid_year", date(2024, 7, 5))

    background = (
        "Theo Kế hoạch số 252-KH/ĐUK, ngày 25/3/2024 của Ban Thường vụ Đảng ủy Khối, các chi, đảng bộ cơ sở có mô "
        "hình, điển hình “Dân vận khéo” năm 2024 đã được tiếp nhận đánh giá kết quả thực hiện 6 tháng đầu năm, gửi "
        "báo cáo sơ kết về Đảng ủy Khối (qua Ban Tuyên giáo) trước ngày 30/6/2024."
    )
    assert far == ["# 1. Về việc sơ kết 6 tháng thực hiện mô hình, điển hình “Dân vận khéo” năm 2024", background]
    assert close[1:] == [
        background,
        "Tính đến ngày 05/7/2024 đã có 1/3 chi, đảng bộ cơ sở gửi báo cáo sơ kết 6 tháng thực hiện mô hình, điển "
        "hình “Dân vận khéo” năm 2024.",
        "Còn 02 chi, đảng bộ cơ sở chưa gửi báo cáo sơ kết, gồm:",
        "Đảng ủy Khối đề nghị các chi, đảng bộ cơ sở chưa thực hiện khẩn trương gửi báo cáo sơ kết 6 tháng thực hiện "
        "mô hình, điển hình “Dân vận khéo” năm 2024 về Đảng ủy Khối (qua Ban Tuyên giáo) để tổng hợp, báo cáo theo "
        "quy định.",
    ]


def test_danvan_year_end_wording(danvan, staff_user, issuing_body):
    far = section(staff_user, issuing_body, "danvan.year_end", date(2024, 7, 5))
    # Nobody's model was accepted: nobody owes the year-end evaluation, and the section says so.
    close = section(staff_user, issuing_body, "danvan.year_end", date(2024, 12, 2))

    assert far == [
        "# 1. Về việc tổng kết thực hiện mô hình, điển hình “Dân vận khéo” năm 2024",
        "Theo Kế hoạch số 252-KH/ĐUK, ngày 25/3/2024 của Ban Thường vụ Đảng ủy Khối, các chi, đảng bộ cơ sở có mô "
        "hình, điển hình “Dân vận khéo” năm 2024 đã được tiếp nhận đánh giá kết quả thực hiện cả năm, gửi báo cáo "
        "tổng kết về Đảng ủy Khối (qua Ban Tuyên giáo) trước ngày 30/11/2024.",
    ]
    assert close[2:] == [
        "Tính đến ngày 02/12/2024 chưa có chi, đảng bộ cơ sở nào có mô hình, điển hình được tiếp nhận phải gửi báo "
        "cáo tổng kết."
    ]


def test_qcdc_plan_wording(qcdc, staff_user, issuing_body):
    before = section(staff_user, issuing_body, "qcdc.plan", date(2024, 4, 30))
    after = section(staff_user, issuing_body, "qcdc.plan", date(2024, 5, 15))

    assert after == [
        "# 1. Về việc xây dựng và thực hiện Quy chế dân chủ ở cơ sở năm 2024",
        "Ngày 25/3/2024, Ban Thường vụ Đảng ủy Khối đã ban hành Kế hoạch số 253-KH/ĐUK về thực hiện Quy chế dân chủ "
        "ở cơ sở năm 2024, trong đó yêu cầu các chi, đảng bộ cơ sở xây dựng kế hoạch thực hiện Quy chế dân chủ ở cơ "
        "sở năm 2024, gửi về Đảng ủy Khối (qua Ban Tuyên giáo) trước ngày 15/5/2024.",
        "Tính đến ngày 15/5/2024 đã có 6/10 chi, đảng bộ cơ sở xây dựng kế hoạch thực hiện Quy chế dân chủ ở cơ sở "
        "năm 2024, trong đó 01 kế hoạch bị trả lại để hoàn thiện.",
        "Còn 04 chi, đảng bộ cơ sở chưa gửi kế hoạch thực hiện Quy chế dân chủ ở cơ sở, gồm:",
        "Đảng ủy Khối đề nghị các chi, đảng bộ cơ sở chưa thực hiện khẩn trương xây dựng kế hoạch thực hiện Quy chế "
        "dân chủ ở cơ sở năm 2024 và gửi kế hoạch về Đảng ủy Khối (qua Ban Tuyên giáo) để tổng hợp, báo cáo theo quy "
        "định.",
    ]
    assert before[2] == (
        "Tính đến ngày 30/4/2024 đã có 0/10 chi, đảng bộ cơ sở xây dựng kế hoạch thực hiện Quy chế dân chủ ở cơ sở "
        "năm 2024."
    )
    assert before[3] == "Còn 10 chi, đảng bộ cơ sở chưa gửi kế hoạch thực hiện Quy chế dân chủ ở cơ sở, gồm:"


def test_qcdc_steering_committee_wording(qcdc, staff_user, issuing_body):
    lines = section(staff_user, issuing_body, "qcdc.steering_committee", date(2024, 5, 15))
    with _at(date(2024, 12, 20)):
        document = services.document_create(
            actor=staff_user,
            kind=DocumentKind.DISPATCH,
            issuing_body=issuing_body,
            as_of=date(2024, 5, 15),
            topic_specs=[TopicSpec(TopicKind.DEADLINE, Deadline.objects.get(kind="qcdc.steering_committee"))],
        )

    assert lines == [
        "# 1. Về việc kiện toàn Ban chỉ đạo thực hiện Quy chế dân chủ ở cơ sở năm 2024",
        "Thực hiện Kế hoạch số 253-KH/ĐUK, ngày 25/3/2024 của Ban Thường vụ Đảng ủy Khối về thực hiện Quy chế dân "
        "chủ ở cơ sở năm 2024, các chi, đảng bộ cơ sở kiện toàn Ban chỉ đạo thực hiện Quy chế dân chủ ở cơ sở (có "
        "trưởng ban và ít nhất 03 thành viên), phân công cán bộ phụ trách phù hợp với điều kiện thực tế của từng cơ "
        "quan, doanh nghiệp, gửi quyết định kiện toàn về Đảng ủy Khối (qua Ban Tuyên giáo) trước ngày 15/5/2024.",
        "Tính đến ngày 15/5/2024 đã có 4/10 chi, đảng bộ cơ sở kiện toàn Ban chỉ đạo thực hiện Quy chế dân chủ ở cơ "
        "sở theo yêu cầu.",
        "Còn 06 chi, đảng bộ cơ sở chưa kiện toàn Ban chỉ đạo thực hiện Quy chế dân chủ ở cơ sở, gồm:",
        "Đảng ủy Khối đề nghị các chi, đảng bộ cơ sở chưa thực hiện khẩn trương kiện toàn Ban chỉ đạo thực hiện Quy "
        "chế dân chủ ở cơ sở và gửi quyết định kiện toàn về Đảng ủy Khối (qua Ban Tuyên giáo) để tổng hợp, báo cáo "
        "theo quy định.",
    ]
    # The one that sent an incomplete committee is listed with why.
    table = [line for line in document.content["body"].splitlines() if line.startswith("| ")]
    assert len(table) == 7 and "Chưa nộp" in table[-1]
    assert any("Đảng bộ đơn vị 04" in row and "Chưa nộp" not in row for row in table)


def test_qcdc_self_inspection_wording(qcdc, staff_user, issuing_body):
    far = section(staff_user, issuing_body, "qcdc.self_inspection", date(2024, 5, 15))
    close = section(staff_user, issuing_body, "qcdc.self_inspection", date(2024, 10, 21))

    request = (
        "Thực hiện Kế hoạch số 253-KH/ĐUK, ngày 25/3/2024 của Ban Thường vụ Đảng ủy Khối về thực hiện Quy chế dân chủ "
        "ở cơ sở năm 2024, Đảng ủy Khối đề nghị các chi, đảng bộ cơ sở tham gia với thủ trưởng cơ quan, đơn vị xây "
        "dựng kế hoạch và tiến hành tự kiểm tra, giám sát thuộc phạm vi, chức năng quản lý; xây dựng báo cáo tự kiểm "
        "tra, giám sát gửi về Ban Chỉ đạo Đảng ủy Khối (qua Ban Tuyên giáo) trước ngày 25/10/2024 để tổng hợp, báo "
        "cáo theo quy định."
    )
    units = (
        "Các đơn vị có tên được Đoàn kiểm tra của Ban Chỉ đạo Đảng ủy Khối tới làm việc trực tiếp gồm: Đảng bộ đơn vị "
        "00; Đảng bộ đơn vị 01; Đảng bộ đơn vị 02, tiến hành rà soát các văn bản và các nội dung thực hiện dân chủ ở "
        "cơ sở từ ngày 01/10/2023 đến ngày 30/9/2024, đồng thời xây dựng báo cáo tự kiểm tra gửi về Ban Chỉ đạo Đảng "
        "ủy Khối (qua Ban Tuyên giáo) trước ngày 01/9/2024."
    )
    # Five months ahead: what is asked and by when, for everyone and for the inspected units; nobody listed.
    assert far == ["# 1. Về việc kiểm tra, giám sát việc thực hiện dân chủ ở cơ sở năm 2024", request, units]
    assert close[1:] == [
        request,
        "Tính đến ngày 21/10/2024 đã có 5/10 chi, đảng bộ cơ sở gửi báo cáo tự kiểm tra, giám sát việc thực hiện dân "
        "chủ ở cơ sở năm 2024.",
        "Còn 05 chi, đảng bộ cơ sở chưa gửi báo cáo tự kiểm tra, giám sát, gồm:",
        "Đảng ủy Khối đề nghị các chi, đảng bộ cơ sở chưa thực hiện hoàn thành việc tự kiểm tra, giám sát và gửi báo "
        "cáo về Ban Chỉ đạo Đảng ủy Khối (qua Ban Tuyên giáo) trước ngày 25/10/2024.",
        units,
        "Tính đến ngày 21/10/2024 đã có 2/3 đơn vị gửi báo cáo tự kiểm tra.",
        "Còn 01 đơn vị chưa gửi báo cáo: Đảng bộ đơn vị 02.",
    ]


def test_qcdc_inspected_units_wording(qcdc, staff_user, issuing_body):
    far = section(staff_user, issuing_body, "qcdc.inspection_visit", date(2024, 5, 15))
    close = section(staff_user, issuing_body, "qcdc.inspection_visit", date(2024, 8, 20))

    units = (
        "Các đơn vị có tên được Đoàn kiểm tra của Ban Chỉ đạo Đảng ủy Khối tới làm việc trực tiếp gồm: Đảng bộ đơn vị "
        "00; Đảng bộ đơn vị 01; Đảng bộ đơn vị 02, tiến hành rà soát các văn bản và các nội dung thực hiện dân chủ ở "
        "cơ sở từ ngày 01/10/2023 đến ngày 30/9/2024, đồng thời xây dựng báo cáo tự kiểm tra gửi về Ban Chỉ đạo Đảng "
        "ủy Khối (qua Ban Tuyên giáo) trước ngày 01/9/2024."
    )
    title = "# 1. Về việc tự kiểm tra của các đơn vị được kiểm tra trực tiếp việc thực hiện dân chủ ở cơ sở năm 2024"
    assert far == [title, units]
    assert close == [
        title,
        units,
        "Tính đến ngày 20/8/2024 đã có 2/3 đơn vị gửi báo cáo tự kiểm tra.",
        "Còn 01 đơn vị chưa gửi báo cáo: Đảng bộ đơn vị 02.",
        "Đảng ủy Khối đề nghị các đơn vị được kiểm tra trực tiếp chưa thực hiện gửi báo cáo tự kiểm tra về Ban Chỉ "
        "đạo Đảng ủy Khối (qua Ban Tuyên giáo) trước ngày 01/9/2024.",
    ]


def test_any_other_obligation_gets_the_generic_wording(qcdc, staff_user, issuing_body, monkeypatch):
    cycle, _ = qcdc
    monkeypatch.setitem(
        deadlines._REGISTRY,
        "test.thematic",
        deadlines.Obligation(
            "test.thematic", "Chuyên đề", lambda d: DemocracyPlan.objects.filter(cycle_id=d.source_id)
        ),
    )
    deadlines.deadline_sync(
        kind="test.thematic", source=cycle, title="Báo cáo chuyên đề năm 2024", year=2024, due_date=date(2024, 6, 1)
    )
    far = section(staff_user, issuing_body, "test.thematic", date(2024, 4, 20))
    close = section(staff_user, issuing_body, "test.thematic", date(2024, 5, 15))

    background = (
        "Theo kế hoạch, các chi, đảng bộ cơ sở gửi báo cáo chuyên đề năm 2024 về Đảng ủy Khối (qua Ban Tuyên giáo) "
        "trước ngày 01/6/2024."
    )
    assert far == ["# 1. Về việc báo cáo chuyên đề năm 2024", background]
    assert close[2:] == [
        "Tính đến ngày 15/5/2024 đã có 6/10 chi, đảng bộ cơ sở gửi báo cáo chuyên đề năm 2024.",
        "Còn 04 chi, đảng bộ cơ sở chưa gửi, gồm:",
        "Đảng ủy Khối đề nghị các chi, đảng bộ cơ sở chưa thực hiện gửi báo cáo chuyên đề năm 2024 về Đảng ủy Khối "
        "(qua Ban Tuyên giáo) trước ngày 01/6/2024.",
    ]


def _source_section(staff_user, issuing_body, spec, as_of):
    with _at(date(2024, 12, 20)):
        document = services.document_create(
            actor=staff_user, kind=DocumentKind.DISPATCH, issuing_body=issuing_body, as_of=as_of, topic_specs=[spec]
        )
    lines = document.content["body"].splitlines()
    return [line for line in lines[1:-2] if not line.startswith("| ")]


def test_a_whole_campaign_gives_each_obligation_its_figures_or_its_deadline(danvan, staff_user, issuing_body):
    campaign, _ = danvan
    _mid_year_evaluations(campaign, staff_user)
    spring = _source_section(staff_user, issuing_body, TopicSpec("campaign", campaign), date(2024, 5, 15))
    summer = _source_section(staff_user, issuing_body, TopicSpec("campaign", campaign), date(2024, 7, 5))

    registered = (
        "đã có 3/6 chi, đảng bộ cơ sở gửi đăng ký mô hình “Dân vận khéo” năm 2024, với 08 mô hình đăng ký, trong đó "
        "có 02 mô hình cấp Đảng ủy Khối và 06 mô hình cấp cơ sở; 02 mô hình tiếp tục thực hiện từ năm 2023 và 04 mô "
        "hình đăng ký mới năm 2024."
    )
    assert spring == [
        "# 1. Về việc thực hiện phong trào thi đua “Dân vận khéo” năm 2024",
        "Ban Thường vụ Đảng ủy Khối đã ban hành Kế hoạch số 252-KH/ĐUK, ngày 25/3/2024 về tiếp tục đẩy mạnh thực "
        "hiện phong trào thi đua “Dân vận khéo” năm 2024. Kết quả thực hiện như sau:",
        f"Tính đến ngày 15/5/2024 {registered}",
        "Các chi, đảng bộ cơ sở gửi báo cáo sơ kết 6 tháng thực hiện mô hình, điển hình “Dân vận khéo” năm 2024 về "
        "Đảng ủy Khối (qua Ban Tuyên giáo) trước ngày 30/6/2024.",
        "Các chi, đảng bộ cơ sở gửi báo cáo tổng kết thực hiện mô hình, điển hình “Dân vận khéo” năm 2024 về Đảng "
        "ủy Khối (qua Ban Tuyên giáo) trước ngày 30/11/2024.",
        "Đảng ủy Khối đề nghị các chi, đảng bộ cơ sở tiếp tục đẩy mạnh phong trào thi đua “Dân vận khéo”, thực hiện "
        "đầy đủ các nội dung trên theo kế hoạch.",
    ]
    assert summer[2] == f"Tính đến ngày 05/7/2024 {registered}"
    assert summer[3] == (
        "Tính đến ngày 05/7/2024 đã có 1/3 chi, đảng bộ cơ sở gửi báo cáo sơ kết 6 tháng thực hiện mô hình, điển "
        "hình “Dân vận khéo” năm 2024."
    )


def test_a_whole_cycle_gives_each_obligation_its_figures_or_its_deadline(qcdc, staff_user, issuing_body):
    cycle, _ = qcdc
    lines = _source_section(staff_user, issuing_body, TopicSpec("cycle", cycle), date(2024, 5, 15))
    autumn = _source_section(staff_user, issuing_body, TopicSpec("cycle", cycle), date(2024, 10, 21))

    assert lines == [
        "# 1. Về việc thực hiện Quy chế dân chủ ở cơ sở năm 2024",
        "Ban Thường vụ Đảng ủy Khối đã ban hành Kế hoạch số 253-KH/ĐUK, ngày 25/3/2024 về thực hiện Quy chế dân chủ "
        "ở cơ sở năm 2024. Kết quả thực hiện như sau:",
        "Tính đến ngày 15/5/2024 đã có 6/10 chi, đảng bộ cơ sở xây dựng kế hoạch thực hiện Quy chế dân chủ ở cơ sở "
        "năm 2024, trong đó 01 kế hoạch bị trả lại để hoàn thiện.",
        "Tính đến ngày 15/5/2024 đã có 4/10 chi, đảng bộ cơ sở kiện toàn Ban chỉ đạo thực hiện Quy chế dân chủ ở cơ "
        "sở theo yêu cầu.",
        "Các đơn vị được kiểm tra trực tiếp gửi báo cáo tự kiểm tra về Ban Chỉ đạo Đảng ủy Khối (qua Ban Tuyên giáo) "
        "trước ngày 01/9/2024.",
        "Các chi, đảng bộ cơ sở hoàn thành việc tự kiểm tra, giám sát và gửi báo cáo về Ban Chỉ đạo Đảng ủy Khối "
        "(qua Ban Tuyên giáo) trước ngày 25/10/2024.",
        "Đảng ủy Khối đề nghị các chi, đảng bộ cơ sở thực hiện đầy đủ các nội dung trên theo kế hoạch.",
    ]
    assert autumn[4:6] == [
        "Tính đến ngày 21/10/2024 đã có 2/3 đơn vị gửi báo cáo tự kiểm tra.",
        "Tính đến ngày 21/10/2024 đã có 5/10 chi, đảng bộ cơ sở gửi báo cáo tự kiểm tra, giám sát việc thực hiện dân "
        "chủ ở cơ sở năm 2024.",
    ]
