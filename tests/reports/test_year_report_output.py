"""The year report (báo cáo) of a “Dân vận khéo” campaign: models by field and level, new vs continued,
evaluation results and outstanding models, in the .docx and the PDF."""

import io
from datetime import date, datetime

import pytest
import time_machine
from docx import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from pypdf import PdfReader

from dukportal.submissions.models import SubmissionStatus
from models_danvan.models import Evaluation, EvaluationPeriod, Rating, Registration
from reports import services
from reports.models import DocumentKind
from tests.reports.drafts import finish
from tests.reports.factories import HCM, danvan_scenario
from tests.timeline import complete_timelines

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(staff_user, issuing_body, term):
    campaign, _ = danvan_scenario(staff=staff_user)
    sent = list(Registration.objects.filter(campaign=campaign, status=SubmissionStatus.SUBMITTED).order_by("id"))
    ratings = [Rating.EXCELLENT] * 4 + [Rating.GOOD] * 10 + [Rating.FAIR] * 5 + [Rating.NOT_ACHIEVED] * 1
    # The year-end evaluations are sent on 10/12/2024, before the report's reference date (20/12/2024): the
    # report counts what its timeline says had been sent by then.
    with time_machine.travel(datetime(2024, 12, 10, 9, tzinfo=HCM), tick=False):
        _year_end_evaluations(staff_user, sent, ratings)
    draft = services.document_create(
        actor=staff_user,
        kind=DocumentKind.DANVAN_REPORT,
        issuing_body=issuing_body,
        source=campaign,
        as_of=date(2024, 12, 20),
    )
    return services.document_issue(
        actor=staff_user, document=finish(draft, staff_user), issued_on=date(2024, 12, 25)
    ), sent


def _year_end_evaluations(staff_user, sent, ratings):
    Evaluation.objects.bulk_create(
        Evaluation(
            registration=registration,
            organization=registration.organization,
            period=EvaluationPeriod.YEAR_END,
            results="Hoàn thành",
            self_rating=rating,
            committee_rating=rating,
            status=SubmissionStatus.ACCEPTED,
            created_by=staff_user,
        )
        for registration, rating in zip(sent[10:], ratings, strict=False)
    )
    complete_timelines()


def test_year_report_docx_has_type_name_subject_and_figures(report):
    document, sent = report
    with document.docx_file.open("rb") as handle:
        word = WordDocument(io.BytesIO(handle.read()))
    assert word.tables[0].rows[1].cells[0].paragraphs[0].text == "Số 01-BC/ĐUK"
    assert word.tables[0].rows[1].cells[1].paragraphs[0].text == "Yên Bái, ngày 25 tháng 12 năm 2024"
    paragraphs = [p for p in word.paragraphs if p.text]
    texts = [p.text for p in paragraphs]
    type_index = texts.index("BÁO CÁO")
    type_name, subject, separator = paragraphs[type_index : type_index + 3]
    assert type_name.runs[0].font.bold and type_name.runs[0].font.size == Pt(15)
    assert type_name.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert subject.text == "kết quả thực hiện phong trào thi đua “Dân vận khéo” năm 2024"
    assert subject.runs[0].font.bold and subject.runs[0].font.size == Pt(14)
    assert separator.text == "-----"
    assert not any(t.startswith("Kính gửi") for t in texts)  # a báo cáo has no “Kính gửi”
    assert (
        "Năm 2024 có 30/74 chi, đảng bộ cơ sở đăng ký với 133 mô hình, điển hình, trong đó 133 mô hình và 0 điển "
        "hình; 02 mô hình cấp Đảng ủy Khối và 131 mô hình cấp cơ sở; trong số mô hình cấp cơ sở có 73 mô hình tiếp "
        "tục thực hiện và 58 mô hình đăng ký mới."
    ) in texts
    by_field = word.tables[1]
    assert [c.text for c in by_field.rows[0].cells] == [
        "Lĩnh vực / loại",
        "Cấp Đảng ủy Khối",
        "Cấp cơ sở",
        "Tiếp tục thực hiện",
        "Đăng ký mới",
        "Tổng số",
    ]
    assert [c.text for c in by_field.rows[-1].cells] == ["Cộng", "2", "131", "73", "60", "133"]
    ratings = {row.cells[0].text: row.cells[1].text for row in word.tables[2].rows[1:]}
    assert ratings == {"Xuất sắc": "4", "Tốt": "10", "Khá": "5", "Chưa đạt": "1", "Chưa đánh giá": "113"}
    outstanding = [row.cells[1].text for row in word.tables[3].rows[1:]]
    assert len(outstanding) == 7  # 3 commended + 4 rated excellent
    assert "Có 03 mô hình, điển hình được đề nghị khen thưởng và 0 mô hình được nhân rộng." in texts


def test_year_report_pdf_text_matches(report):
    document, _ = report
    with document.pdf_file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    for expected in (
        "Số 01-BC/ĐUK",
        "Yên Bái, ngày 25 tháng 12 năm 2024",
        "BÁO CÁO",
        "kết quả thực hiện phong trào thi đua “Dân vận khéo” năm 2024",
        "I- KẾT QUẢ ĐĂNG KÝ XÂY DỰNG MÔ HÌNH, ĐIỂN HÌNH",
        "02 mô hình cấp Đảng ủy Khối và 131 mô hình cấp cơ sở",
        "II- KẾT QUẢ ĐÁNH GIÁ",
        "Nơi nhận:",
        "Nguyễn Văn An",
    ):
        assert expected in text, expected
