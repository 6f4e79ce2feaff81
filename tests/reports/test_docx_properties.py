"""Generated .docx files say they are Vietnamese and were written by the issuing body: Word picks the Vietnamese
spell-checker and File › Info shows the body (not "python-docx") as author, with the subject as title."""

import io
from datetime import date

import pytest
from docx import Document as WordDocument
from docx.oxml.ns import qn

from dukportal.submissions.models import Deadline
from reports import services
from reports.models import DocType, DocumentKind
from reports.render_docx import render_docx

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(staff_user, issuing_body, term):
    from tests.reports.factories import danvan_scenario

    danvan_scenario(staff=staff_user)
    return services.document_create(
        actor=staff_user,
        kind=DocumentKind.REMINDER,
        issuing_body=issuing_body,
        deadline=Deadline.objects.get(kind="danvan.registration"),
        as_of=date(2024, 5, 15),
    )


def _lang_default(word):
    r_pr = word.styles.element.find(qn("w:docDefaults") + "/" + qn("w:rPrDefault") + "/" + qn("w:rPr"))
    return r_pr.find(qn("w:lang"))


def test_issued_docx_is_tagged_vietnamese_and_authored_by_the_issuing_body(draft, staff_user, term):
    services.counter_set_last_number(
        actor=staff_user, issuing_body=draft.issuing_body, doc_type=DocType.CV, term=term, last_number=1719
    )
    issued = services.document_issue(actor=staff_user, document=draft, issued_on=date(2024, 5, 22))
    with issued.docx_file.open("rb") as handle:
        word = WordDocument(io.BytesIO(handle.read()))

    lang = _lang_default(word)
    assert lang.get(qn("w:val")) == "vi-VN"
    assert lang.get(qn("w:eastAsia")) == "vi-VN"
    properties = word.core_properties
    assert properties.language == "vi-VN"
    assert properties.author == "Đảng ủy Khối cơ quan và doanh nghiệp tỉnh"
    assert properties.last_modified_by == "Đảng ủy Khối cơ quan và doanh nghiệp tỉnh"
    assert properties.title == issued.content["subject"]
    assert properties.title.startswith("V/v")
    assert "python-docx" not in (properties.author + properties.last_modified_by + properties.comments)


def test_draft_docx_names_the_issuing_body_in_force_today(draft):
    draft.issuing_body.name = "Ban Tuyên giáo Đảng ủy Khối"
    draft.issuing_body.save()
    word = WordDocument(io.BytesIO(render_docx(services.structure_of(draft))))
    assert word.core_properties.author == "Ban Tuyên giáo Đảng ủy Khối"
    assert _lang_default(word).get(qn("w:val")) == "vi-VN"
