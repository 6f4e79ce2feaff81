"""One dispatch of several numbered topics (“Công văn triển khai nhiệm vụ”), as 1720-CV/ĐUK: staff pick open
deadlines and a free section, order them, and get one draft with an opening, "1. Về việc …" sections, the
contact sentence and a closing; the topics are kept, so "Soạn lại số liệu" rewrites every section for the
reference date; finished, it issues as 1720-CV/ĐUK after the paper register's 1719."""

from datetime import date, datetime

import pytest
import time_machine
from django.db import transaction
from django.urls import reverse

from democracy_regs.models import DemocracyCycle, InspectionReportKind
from dukportal.core.models import AuditEntry
from dukportal.submissions.models import Deadline
from models_danvan.models import Campaign
from organizations.models import BaseOrganization, Bloc, User
from reports import checks, services
from reports.models import DocType, Document, DocumentKind, DocumentTopic, IssuingBody, Term, TopicKind
from reports.topics import TopicSpec
from tests.democracy_regs.factories import ReportFactory
from tests.factories import BlocFactory, UserFactory
from tests.reports.drafts import finish
from tests.reports.factories import HCM, INSPECTED_UNITS, IssuingBodyFactory, TermFactory, dispatch_1720_scenario

pytestmark = pytest.mark.django_db

AS_OF = date(2024, 5, 15)
LATER = date(2024, 10, 20)  # five days before the self-inspection deadline


def _at(day: date, hour: int = 9):
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, tzinfo=HCM), tick=False)


FREE_TITLE = (
    "Về việc đẩy mạnh việc thực hiện Kết luận số 114-KL/TW của Ban Bí thư gắn với thực hiện hiệu quả Chỉ thị số "
    "33/CT-TTg của Thủ tướng Chính phủ"
)
FREE_TEXT = (
    "Tiếp tục tăng cường và đổi mới công tác dân vận của cơ quan hành chính nhà nước.\n"
    "Thực hiện nghiêm các quy định về đạo đức công vụ, chấn chỉnh phong cách, lề lối làm việc."
)


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    """The bloc, its issuing body and term, and the 1720 scenario, built once for the module (the tests only
    read them or change them in their own transaction), inside a transaction rolled back after the module, as
    Django's setUpTestData does. Tests get fresh rows (the fixtures below), not these Python objects."""
    with django_db_blocker.unblock(), transaction.atomic():
        bloc = BlocFactory()
        staff = UserFactory(username="bantuyengiao", role="staff", first_name="Phương", last_name="Nguyễn Đức")
        body, term = IssuingBodyFactory(bloc=bloc), TermFactory(bloc=bloc)
        with _at(date(2024, 5, 10)):
            campaign, cycle, orgs = dispatch_1720_scenario(staff=staff)
        yield {
            "bloc": bloc.pk,
            "staff": staff.pk,
            "issuing_body": body.pk,
            "term": term.pk,
            "campaign": campaign.pk,
            "cycle": cycle.pk,
            "orgs": [org.pk for org in orgs],
        }
        transaction.set_rollback(True)


@pytest.fixture
def bloc(built, db):
    return Bloc.objects.get(pk=built["bloc"])


@pytest.fixture
def staff_user(built, db):
    return User.objects.get(pk=built["staff"])


@pytest.fixture
def issuing_body(built, db):
    return IssuingBody.objects.get(pk=built["issuing_body"])


@pytest.fixture
def term(built, db):
    return Term.objects.get(pk=built["term"])


@pytest.fixture
def situation(built, db):
    organizations = BaseOrganization.objects.in_bulk(built["orgs"])
    return (
        Campaign.objects.get(pk=built["campaign"]),
        DemocracyCycle.objects.get(pk=built["cycle"]),
        [organizations[pk] for pk in built["orgs"]],
    )


def _deadline(kind):
    return Deadline.objects.get(kind=kind)


def _four_topics():
    return [
        TopicSpec(TopicKind.DEADLINE, _deadline("danvan.registration")),
        TopicSpec(TopicKind.DEADLINE, _deadline("qcdc.plan")),
        TopicSpec(TopicKind.DEADLINE, _deadline("qcdc.self_inspection")),
        TopicSpec(TopicKind.FREE, title=FREE_TITLE, text=FREE_TEXT),
    ]


def _draft(staff_user, issuing_body, specs, as_of=AS_OF, kind=DocumentKind.DISPATCH):
    return services.document_create(
        actor=staff_user, kind=kind, issuing_body=issuing_body, as_of=as_of, topic_specs=specs
    )


def test_four_topic_dispatch_reads_like_1720(situation, staff_user, issuing_body):
    with _at(date(2024, 5, 22)):
        document = _draft(staff_user, issuing_body, _four_topics())
    body = document.content["body"]

    assert document.doc_type == DocType.CV
    assert (
        document.content["subject"]
        == "V/v triển khai thực hiện một số nhiệm vụ công tác dân vận trong tháng 5 năm 2024"
    )
    assert document.content["recipients"] == ["- Các chi, đảng bộ cơ sở;", "- Các đoàn thể khối."]
    lines = body.splitlines()
    assert lines[0] == (
        "Thực hiện các văn bản chỉ đạo của Tỉnh ủy, Ban Dân vận Tỉnh ủy, Ban Thường vụ Đảng ủy Khối đề nghị các chi, "
        "đảng bộ cơ sở, đoàn thể khối triển khai thực hiện một số nội dung cụ thể như sau:"
    )
    assert [line for line in lines if line.startswith("# ")] == [
        "# 1. Về việc triển khai thực hiện phong trào thi đua “Dân vận khéo” năm 2024",
        "# 2. Về việc xây dựng và thực hiện Quy chế dân chủ ở cơ sở năm 2024",
        "# 3. Về việc kiểm tra, giám sát việc thực hiện dân chủ ở cơ sở năm 2024",
        f"# 4. {FREE_TITLE}",
    ]
    assert (
        "Tính đến ngày 15/5/2024 đã có 30/74 chi, đảng bộ cơ sở gửi đăng ký mô hình “Dân vận khéo” năm 2024, với 133 "
        "mô hình đăng ký, trong đó có 02 mô hình cấp Đảng ủy Khối và 131 mô hình cấp cơ sở; 73 mô hình tiếp tục thực "
        "hiện từ năm 2023 và 58 mô hình đăng ký mới năm 2024."
    ) in lines
    assert "Kế hoạch số 252-KH/ĐUK, ngày 25/3/2024" in body and "Kế hoạch số 253-KH/ĐUK" in body
    assert (
        "Tính đến ngày 15/5/2024 đã có 40/74 chi, đảng bộ cơ sở xây dựng kế hoạch thực hiện Quy chế dân chủ ở cơ sở "
        "năm 2024."
    ) in lines
    assert (
        "Các đơn vị có tên được Đoàn kiểm tra của Ban Chỉ đạo Đảng ủy Khối tới làm việc trực tiếp gồm: "
        + "; ".join(INSPECTED_UNITS)
        + ", tiến hành rà soát các văn bản và các nội dung thực hiện dân chủ ở cơ sở từ ngày 01/10/2023 đến ngày "
        "30/9/2024, đồng thời xây dựng báo cáo tự kiểm tra gửi về Ban Chỉ đạo Đảng ủy Khối (qua Ban Tuyên giáo) "
        "trước ngày 01/9/2024."
    ) in lines
    assert "trước ngày 25/10/2024 để tổng hợp, báo cáo theo quy định." in body
    # Five months ahead, the self-inspection section asks; it does not list 74 organisations as missing.
    assert "chưa gửi báo cáo tự kiểm tra, giám sát" not in body
    assert FREE_TEXT.splitlines()[0] in lines and FREE_TEXT.splitlines()[1] in lines
    assert lines[-2] == (
        "Trong quá trình triển khai, nếu có vướng mắc đề nghị liên hệ trực tiếp với đồng chí Nguyễn Đức Phương - Ủy "
        "viên Ban Thường vụ, Trưởng ban Tuyên giáo Đảng ủy Khối (Số điện thoại 0915.367.487) để được hướng dẫn thực "
        "hiện."
    )
    assert lines[-1] == (
        "Ban Thường vụ Đảng ủy Khối yêu cầu cấp ủy các chi, đảng bộ cơ sở, đoàn thể khối nghiêm túc triển khai thực "
        "hiện."
    )
    rows = list(DocumentTopic.objects.filter(document=document).order_by("position"))
    assert [(row.position, row.kind) for row in rows] == [
        (1, TopicKind.DEADLINE),
        (2, TopicKind.DEADLINE),
        (3, TopicKind.DEADLINE),
        (4, TopicKind.FREE),
    ]
    assert rows[0].source == _deadline("danvan.registration") and rows[3].title == FREE_TITLE
    audit = AuditEntry.objects.get(action="document.create", target_id=str(document.pk))
    assert len(audit.changes["topics"]) == 4


def test_finished_dispatch_passes_the_checks_and_issues_as_1720(situation, staff_user, issuing_body, term):
    with _at(date(2024, 5, 22)):
        document = _draft(staff_user, issuing_body, _four_topics())
        assert checks.issue_problems(document) == []  # nothing generated is left to fill in
        services.counter_set_last_number(
            actor=staff_user, issuing_body=issuing_body, doc_type=DocType.CV, term=term, last_number=1719
        )
        issued = services.document_issue(actor=staff_user, document=finish(document, staff_user))
    assert issued.number_label == "1720-CV/ĐUK"
    assert issued.topics.count() == 4


def test_regenerate_rewrites_every_section_for_the_reference_date(situation, staff_user, issuing_body):
    campaign, cycle, orgs = situation
    with _at(date(2024, 5, 22)):
        document = _draft(staff_user, issuing_body, _four_topics())
    first = document.content["body"]
    # By 18/10, 60 organisations have sent their self-inspection report; one inspected unit its own.
    with _at(date(2024, 10, 18)):
        for org in orgs[:60]:
            ReportFactory(cycle=cycle, organization=org, submitted_at=datetime(2024, 10, 18, 9, tzinfo=HCM))
        ReportFactory(
            cycle=cycle,
            organization=orgs[-3],
            kind=InspectionReportKind.INSPECTION_VISIT,
            period_start=date(2023, 10, 1),
            period_end=date(2024, 9, 30),
            submitted_at=datetime(2024, 8, 28, 9, tzinfo=HCM),
        )
    with _at(date(2024, 10, 21)):
        services.document_update(actor=staff_user, document=document, body="Đã sửa tay.")
        later = services.document_regenerate(actor=staff_user, document=document, as_of=LATER)
        body = later.content["body"]
        assert later.figures_as_of == LATER
        assert "# 4. " + FREE_TITLE in body and FREE_TEXT.splitlines()[0] in body  # the free section is kept
        assert (
            "Tính đến ngày 20/10/2024 đã có 61/74 chi, đảng bộ cơ sở gửi báo cáo tự kiểm tra, giám sát việc thực hiện "
            "dân chủ ở cơ sở năm 2024."
        ) in body
        # Now close, the section lists who is missing and urges them before the deadline.
        assert "Còn 13 chi, đảng bộ cơ sở chưa gửi báo cáo tự kiểm tra, giám sát, gồm:" in body
        assert (
            "Đảng ủy Khối đề nghị các chi, đảng bộ cơ sở chưa thực hiện hoàn thành việc tự kiểm tra, giám sát và gửi "
            "báo cáo về Ban Chỉ đạo Đảng ủy Khối (qua Ban Tuyên giáo) trước ngày 25/10/2024."
        ) in body
        assert "Tính đến ngày 20/10/2024 đã có 1/3 đơn vị gửi báo cáo tự kiểm tra." in body
        # Redrafted for the first date, the text is the first text again, whatever was sent since.
        again = services.document_regenerate(actor=staff_user, document=document, as_of=AS_OF)
    assert again.content["body"] == first


def test_inspected_units_reminder_is_addressed_to_them(situation, staff_user, issuing_body):
    with _at(date(2024, 8, 20)):
        document = _draft(
            staff_user,
            issuing_body,
            [TopicSpec(TopicKind.DEADLINE, _deadline("qcdc.inspection_visit"))],
            as_of=date(2024, 8, 20),
        )
    content = document.content
    assert content["recipients"] == [f"- {INSPECTED_UNITS[0]};", f"- {INSPECTED_UNITS[1]};", f"- {INSPECTED_UNITS[2]}."]
    assert "đề nghị các đơn vị triển khai thực hiện" in content["body"]
    assert "từ ngày 01/10/2023 đến ngày 30/9/2024" in content["body"]
    assert "Còn 03 đơn vị chưa gửi báo cáo: " + "; ".join(INSPECTED_UNITS) + "." in content["body"]
    assert (
        content["body"].splitlines()[-1]
        == "Ban Thường vụ Đảng ủy Khối yêu cầu các đơn vị nghiêm túc triển khai thực hiện."
    )


def test_a_report_of_several_topics_reports_and_asks_nothing(situation, staff_user, issuing_body):
    with _at(date(2024, 5, 22)):
        document = _draft(staff_user, issuing_body, _four_topics()[:2], kind=DocumentKind.TOPIC_REPORT)
    body = document.content["body"]
    assert document.doc_type == DocType.BC and document.content["recipients"] == []
    assert document.content["subject"] == "kết quả thực hiện một số nhiệm vụ công tác dân vận đến tháng 5 năm 2024"
    assert body.startswith(
        "Ban Thường vụ Đảng ủy Khối báo cáo kết quả thực hiện một số nhiệm vụ công tác dân vận (số liệu tính đến ngày "
        "15/5/2024) như sau:"
    )
    assert "30/74" in body and "40/74" in body
    assert "đề nghị các chi, đảng bộ cơ sở chưa thực hiện" not in body


def test_no_topic_or_a_topic_twice_is_refused(situation, staff_user, issuing_body):
    with _at(date(2024, 5, 22)):
        with pytest.raises(Exception, match="Chọn ít nhất một nội dung"):
            _draft(staff_user, issuing_body, [])
        twice = [TopicSpec(TopicKind.DEADLINE, _deadline("qcdc.plan"))] * 2
        with pytest.raises(Exception, match="được chọn hai lần"):
            _draft(staff_user, issuing_body, twice)
    assert not Document.objects.exists()


# --- the create page ------------------------------------------------------------------------------------------


def test_create_page_offers_the_deadlines_open_on_the_reference_date(situation, staff_client):
    with _at(date(2024, 5, 22)):
        html = staff_client.get(reverse("reports:document_create") + "?ngay=15/05/2024").content.decode()
    for kind in ("danvan.registration", "qcdc.plan", "qcdc.self_inspection", "qcdc.inspection_visit"):
        assert f'name="pick_deadline-{_deadline(kind).pk}"' in html
    assert "hạn 15/05/2024; đã gửi 30/74" in html
    assert 'name="free1_title"' in html and "<script" not in html.split('id="topics"')[1].split("</form>")[0]


def test_create_page_makes_one_draft_in_the_chosen_order(situation, staff_client, issuing_body):
    registration, plan = _deadline("danvan.registration"), _deadline("qcdc.plan")
    data = {
        "kind": DocumentKind.DISPATCH,
        "issuing_body": issuing_body.pk,
        "figures_as_of": "15/05/2024",
        f"pick_deadline-{registration.pk}": "on",
        f"order_deadline-{registration.pk}": "3",
        f"pick_deadline-{plan.pk}": "on",
        f"order_deadline-{plan.pk}": "1",
        "free1_title": "tổ chức Tháng Công nhân năm 2024",
        "free1_text": "Các công đoàn cơ sở tổ chức các hoạt động chăm lo cho đoàn viên.",
        "free1_order": "2",
    }
    with _at(date(2024, 5, 22)):
        response = staff_client.post(reverse("reports:document_create"), data)
    document = Document.objects.get()
    assert response.status_code == 302 and response.url == reverse("reports:document_edit", args=[document.pk])
    headings = [line for line in document.content["body"].splitlines() if line.startswith("# ")]
    assert headings == [
        "# 1. Về việc xây dựng và thực hiện Quy chế dân chủ ở cơ sở năm 2024",
        "# 2. Về việc tổ chức Tháng Công nhân năm 2024",
        "# 3. Về việc triển khai thực hiện phong trào thi đua “Dân vận khéo” năm 2024",
    ]
    assert list(document.topics.values_list("position", "kind")) == [(1, "deadline"), (2, "free"), (3, "deadline")]


def test_create_page_without_a_topic_says_so_and_keeps_the_input(situation, staff_client, issuing_body):
    data = {
        "kind": DocumentKind.DISPATCH,
        "issuing_body": issuing_body.pk,
        "figures_as_of": "15/05/2024",
        "free2_order": "x",
    }
    with _at(date(2024, 5, 22)):
        response = staff_client.post(reverse("reports:document_create"), data)
        html = response.content.decode()
        assert response.status_code == 200 and "Thứ tự là một số từ 1 đến 99." in html
        del data["free2_order"]
        html = staff_client.post(reverse("reports:document_create"), data).content.decode()
    assert "Chọn ít nhất một nội dung cho văn bản." in html
    assert not Document.objects.exists()


def test_create_page_refuses_a_topic_not_open_on_the_chosen_date(situation, staff_client, issuing_body):
    data = {
        "kind": DocumentKind.DISPATCH,
        "issuing_body": issuing_body.pk,
        "figures_as_of": "15/05/2024",
        "pick_deadline-999999": "on",
    }
    with _at(date(2024, 5, 22)):
        html = staff_client.post(reverse("reports:document_create"), data).content.decode()
    assert "không còn mở vào ngày tính số liệu" in html
    assert not Document.objects.exists()


# --- the one-deadline reminder (Công văn đôn đốc) ------------------------------------------------------------


def test_reminder_for_the_inspected_units_goes_to_them_with_the_review_period(situation, staff_user, issuing_body):
    with _at(date(2024, 8, 20)):
        document = services.document_create(
            actor=staff_user,
            kind=DocumentKind.REMINDER,
            issuing_body=issuing_body,
            deadline=_deadline("qcdc.inspection_visit"),
            as_of=date(2024, 8, 20),
        )
    content = document.content
    assert content["subject"] == (
        "V/v đôn đốc thực hiện báo cáo tự kiểm tra của đơn vị được kiểm tra trực tiếp năm 2024"
    )
    assert content["recipients"] == [f"- {INSPECTED_UNITS[0]};", f"- {INSPECTED_UNITS[1]};", f"- {INSPECTED_UNITS[2]}."]
    assert "từ ngày 01/10/2023 đến ngày 30/9/2024" in content["body"] and "trước ngày 01/9/2024" in content["body"]
    assert "Các chi, đảng bộ cơ sở" not in " ".join(content["recipients"])


def test_reminder_five_months_ahead_lists_nobody_as_missing(situation, staff_user, issuing_body):
    with _at(date(2024, 5, 22)):
        document = services.document_create(
            actor=staff_user,
            kind=DocumentKind.REMINDER,
            issuing_body=issuing_body,
            deadline=_deadline("qcdc.self_inspection"),
            as_of=AS_OF,
        )
    body = document.content["body"]
    assert "trước ngày 25/10/2024" in body
    assert "chưa gửi" not in body and not [line for line in body.splitlines() if line.startswith("|")]


def test_regenerating_after_a_source_was_removed_says_which_topic(situation, staff_user, issuing_body):
    _, cycle, _ = situation
    with _at(date(2024, 5, 22)):
        document = _draft(staff_user, issuing_body, [TopicSpec(TopicKind.DEADLINE, _deadline("qcdc.inspection_visit"))])
        from democracy_regs import services as qcdc

        # The inspection visit is cancelled: its deadline goes.
        qcdc.cycle_save(actor=staff_user, instance=cycle, inspected_organizations=[], inspection_deadline=None)
        with pytest.raises(Exception, match="Nội dung thứ 1 không còn nguồn số liệu"):
            services.document_regenerate(actor=staff_user, document=document)
    document.refresh_from_db()
    assert "01/9/2024" in document.content["body"]  # the draft is left as it was
