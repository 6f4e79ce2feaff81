"""Recipients chosen from data on the draft's edit page, printed as the rules want: one recipient on the
"Kính gửi:" line (centred), several as a dash list left-aligned under the label; "Nơi nhận" with "- Như trên,"
first for a công văn, "(b/c)" for superior bodies, the archive line last."""

import io
import re
from datetime import date

import pytest
from django.urls import reverse
from docx import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm
from pypdf import PdfReader

from dukportal.core.models import AuditEntry
from organizations.models import Sector
from reports import recipients, services
from reports.models import DocType, DocumentKind, SuperiorBody
from reports.render_docx import render_docx
from reports.render_pdf import render_pdf
from tests.factories import MassOrganizationFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(staff_user, issuing_body, term):
    return services.document_create(
        actor=staff_user, kind=DocumentKind.OTHER, issuing_body=issuing_body, as_of=date(2024, 5, 15)
    )


@pytest.fixture
def superior(bloc, staff_user):
    return services.superior_body_create(actor=staff_user, bloc=bloc, name="Thường trực Tỉnh ủy")


def _pick(client, document, **data):
    return client.post(reverse("reports:document_recipients", args=[document.pk]), data)


def _docx(document):
    document.refresh_from_db()
    return WordDocument(io.BytesIO(render_docx(services.structure_of(document))))


def _pdf_fragments(document) -> list[tuple[str, float]]:
    """Each text run of page 1 with its x position (pt from the page's left edge)."""
    document.refresh_from_db()
    page = PdfReader(io.BytesIO(render_pdf(services.structure_of(document)))).pages[0]
    found = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            found.append((text.strip(), tm[4] * cm[0] + tm[5] * cm[2] + cm[4]))

    page.extract_text(visitor_text=visit)
    return found


def test_lines_for_one_and_for_several_recipients():
    assert recipients.recipient_lines(["Các chi, đảng bộ cơ sở"]) == ["Các chi, đảng bộ cơ sở."]
    assert recipients.recipient_lines(["Các chi, đảng bộ cơ sở", "- Các đoàn thể khối."]) == [
        "- Các chi, đảng bộ cơ sở;",
        "- Các đoàn thể khối.",
    ]


def test_distribution_starts_with_as_above_for_a_dispatch_only():
    dispatch = recipients.distribution_lines(
        doc_type=DocType.CV,
        names=["Các chi, đảng bộ cơ sở"],
        superiors=["Thường trực Tỉnh ủy"],
        archive_line="Lưu Văn phòng Đảng ủy Khối.",
    )
    assert dispatch == ["- Như trên,", "- Thường trực Tỉnh ủy (b/c),", "- Lưu Văn phòng Đảng ủy Khối."]
    report = recipients.distribution_lines(
        doc_type=DocType.BC,
        names=["Các chi, đảng bộ cơ sở"],
        superiors=["Ban Dân vận Tỉnh ủy"],
        archive_line="Lưu Văn phòng Đảng ủy Khối.",
    )
    assert report == ["- Ban Dân vận Tỉnh ủy (b/c),", "- Các chi, đảng bộ cơ sở,", "- Lưu Văn phòng Đảng ủy Khối."]


def test_several_recipients_print_as_a_left_aligned_dash_list(staff_client, staff_user, draft, bloc, superior):
    MassOrganizationFactory(bloc=bloc, name="Đoàn Thanh niên Khối")
    response = _pick(staff_client, draft, base="all", mass="all", superiors=[superior.pk])
    assert response.status_code == 302 and response["Location"] == reverse("reports:document_edit", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.content["recipients"] == ["- Các chi, đảng bộ cơ sở;", "- Các đoàn thể khối."]
    assert draft.content["distribution"] == [
        "- Như trên,",
        "- Thường trực Tỉnh ủy (b/c),",
        "- Lưu Văn phòng Đảng ủy Khối.",
    ]
    assert AuditEntry.objects.filter(action="document.recipients", target_id=str(draft.pk), actor=staff_user).exists()

    word = _docx(draft)
    texts = [p.text for p in word.paragraphs]
    at = texts.index("Kính gửi:")
    assert texts[at + 1 : at + 3] == ["- Các chi, đảng bộ cơ sở;", "- Các đoàn thể khối."]
    listed = word.paragraphs[at : at + 3]
    assert {p.alignment for p in listed} == {WD_ALIGN_PARAGRAPH.LEFT}
    assert {round(p.paragraph_format.left_indent.mm) for p in listed} == {45}
    closing = word.tables[-1].rows[0].cells[0]
    assert [p.text for p in closing.paragraphs][:3] == ["Nơi nhận:", "- Như trên,", "- Thường trực Tỉnh ủy (b/c),"]

    fragments = _pdf_fragments(draft)
    x = dict(fragments)
    assert "Kính gửi:" in x and "- Các chi, đảng bộ cơ sở;" in x and "- Các đoàn thể khối." in x
    # Left-aligned: lines of different lengths start at the same x, which is also the label's.
    assert abs(x["- Các chi, đảng bộ cơ sở;"] - x["- Các đoàn thể khối."]) < 0.5
    assert abs(x["Kính gửi:"] - x["- Các đoàn thể khối."]) < 0.5
    texts = [text for text, _ in fragments]
    assert texts.index("Nơi nhận:") < texts.index("- Như trên,")


def test_one_recipient_goes_on_the_kinh_gui_line_centred(staff_client, draft):
    _pick(staff_client, draft, base="all")
    draft.refresh_from_db()
    assert draft.content["recipients"] == ["Các chi, đảng bộ cơ sở."]
    assert draft.content["distribution"][0] == "- Như trên,"
    word = _docx(draft)
    line = next(p for p in word.paragraphs if p.text.startswith("Kính gửi:"))
    assert line.text == "Kính gửi: Các chi, đảng bộ cơ sở."
    assert line.alignment == WD_ALIGN_PARAGRAPH.CENTER
    fragments = dict(_pdf_fragments(draft))
    label = next(text for text in fragments if text.startswith("Kính gửi:"))
    assert label == "Kính gửi: Các chi, đảng bộ cơ sở."
    # Centred on the 165 mm text width that starts 30 mm from the edge: more than 30 mm in.
    assert fragments[label] > Mm(40).pt


def test_a_typed_list_without_dashes_still_prints_as_a_dash_list(staff_user, draft):
    services.document_update(actor=staff_user, document=draft, recipients="Sở Tài chính\nSở Y tế")
    texts = [p.text for p in _docx(draft).paragraphs]
    at = texts.index("Kính gửi:")
    assert texts[at + 1 : at + 3] == ["- Sở Tài chính", "- Sở Y tế"]


def test_chosen_organisations_a_sector_and_named_units(staff_client, draft, bloc):
    first = OrganizationFactory(bloc=bloc, name="Đảng bộ Sở Tài chính", sector=Sector.ADMINISTRATIVE)
    second = OrganizationFactory(bloc=bloc, name="Đảng bộ Cục Thống kê tỉnh", sector=Sector.ADMINISTRATIVE)
    _pick(staff_client, draft, base="chosen", organizations=[first.pk, second.pk], others="Trường Cao đẳng Yên Bái")
    draft.refresh_from_db()
    assert draft.content["recipients"] == [
        "- Đảng bộ Cục Thống kê tỉnh;",
        "- Đảng bộ Sở Tài chính;",
        "- Trường Cao đẳng Yên Bái.",
    ]
    choice = recipients.RecipientChoice.from_json(draft.content["recipient_choice"])
    assert set(recipients.recipient_organizations(choice, bloc=bloc, on=date(2024, 5, 15))) == {first, second}

    _pick(staff_client, draft, base="sector", sector=Sector.ENTERPRISE)
    draft.refresh_from_db()
    assert draft.content["recipients"] == ["Các chi, đảng bộ cơ sở khối doanh nghiệp."]


def test_the_picker_shows_on_the_edit_page_with_the_saved_choice(staff_client, draft, superior):
    _pick(staff_client, draft, base="all", mass="all", superiors=[superior.pk])
    page = staff_client.get(reverse("reports:document_edit", args=[draft.pk])).content.decode()
    assert "Chọn nơi nhận" in page and "Thường trực Tỉnh ủy" in page
    assert re.search(r'<input[^>]*name="base"[^>]*value="all"[^>]*checked', page)
    assert re.search(rf'<input[^>]*name="superiors"[^>]*value="{superior.pk}"[^>]*checked', page)


def test_a_report_has_no_kinh_gui_and_lists_its_recipients_in_noi_nhan(staff_client, staff_user, issuing_body, term):
    report = services.document_create(
        actor=staff_user, kind=DocumentKind.OTHER, issuing_body=issuing_body, doc_type=DocType.BC
    )
    _pick(staff_client, report, base="all")
    report.refresh_from_db()
    assert report.content["recipients"] == []
    assert report.content["distribution"] == ["- Các chi, đảng bộ cơ sở,", "- Lưu Văn phòng Đảng ủy Khối."]


def test_choosing_nothing_for_a_dispatch_is_refused_and_changes_nothing(staff_client, draft):
    before = draft.content
    response = _pick(staff_client, draft, base="chosen")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.content == before
    page = staff_client.get(response["Location"]).content.decode()
    assert "Chọn ít nhất một tổ chức cơ sở đảng." in page


def test_another_blocs_organisation_cannot_be_chosen(staff_user, draft):
    from tests.factories import BlocFactory

    foreign = OrganizationFactory(bloc=BlocFactory(name="Đảng ủy Khối khác"))
    with pytest.raises(Exception, match="không thuộc đảng ủy khối"):
        services.document_choose_recipients(
            actor=staff_user,
            document=draft,
            choice=recipients.RecipientChoice(base="chosen", organizations=[foreign.pk]),
        )


def test_leader_and_officer_cannot_choose_recipients(leader_client, officer_client, draft):
    before = draft.content
    assert _pick(leader_client, draft, base="all").status_code == 403
    assert _pick(officer_client, draft, base="all").status_code == 403
    draft.refresh_from_db()
    assert draft.content == before


def test_superior_bodies_are_the_blocs_own(bloc, superior):
    assert list(SuperiorBody.objects.filter(bloc=bloc)) == [superior]
    assert AuditEntry.objects.filter(action="superior_body.create", target_id=str(superior.pk)).exists()
