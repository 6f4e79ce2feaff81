"""The section editor of a draft: subject, recipients, opening, numbered sections (added, removed, reordered),
tables edited as grids and regenerated from data, closing with the contact person, signer, distribution; a
preview of what is typed that is the print HTML of the PDF; nothing typed is lost when the input is refused."""

import io
import re
from datetime import date

import pytest
import time_machine
from django.forms import BooleanField
from django.urls import reverse
from docx import Document as WordDocument
from pypdf import PdfReader

from dukportal.core.models import AuditEntry
from dukportal.submissions.models import Deadline
from reports import services
from reports.document import body_blocks, parse_body, structured_content, structured_from_text
from reports.editor_forms import Editor
from reports.models import Document, DocumentKind, TopicKind
from reports.render_pdf import render_html
from reports.topics import TopicSpec
from tests.reports.factories import danvan_scenario

pytestmark = pytest.mark.django_db

NONCE = re.compile(r' nonce="[^"]*"')


def form_data(editor: Editor) -> dict:
    """What the browser posts for the editor page as it is rendered (every field with its shown value)."""
    data = {}
    parts = [editor.opening, editor.closing, *editor.sections.forms]
    for form in [editor.head, editor.sections.management_form, *parts]:
        for name, field in form.fields.items():
            value = form[name].value()
            if isinstance(field, BooleanField):
                if value:
                    data[form.add_prefix(name)] = "on"
            elif value is not None:
                data[form.add_prefix(name)] = value
    for part in parts:
        data[part.add_prefix("layout")] = part.layout_value
    return data


def page_data(document: Document) -> dict:
    document.refresh_from_db()
    return form_data(Editor(structured_content(document.content)))


def edit_url(document):
    return reverse("reports:document_edit", args=[document.pk])


def preview_url(document):
    return reverse("reports:document_editor_preview", args=[document.pk])


@pytest.fixture
def blank(staff_user, issuing_body, term):
    return services.document_create(actor=staff_user, kind=DocumentKind.OTHER, issuing_body=issuing_body)


@pytest.fixture
def dispatch(staff_user, issuing_body, term):
    """A dispatch of three free sections (numbered 1, 2, 3)."""
    specs = [
        TopicSpec(kind=TopicKind.FREE, title=f"Về việc thứ {word}", text=f"Nội dung mục {word}.")
        for word in ("nhất", "hai", "ba")
    ]
    with time_machine.travel(date(2024, 5, 15)):
        return services.document_create(
            actor=staff_user,
            kind=DocumentKind.DISPATCH,
            issuing_body=issuing_body,
            as_of=date(2024, 5, 15),
            topic_specs=specs,
        )


@pytest.fixture
def reminder(staff_user, issuing_body, term):
    """A reminder for the "Dân vận khéo" registrations on 15/5/2024: its table lists who has not registered."""
    danvan_scenario(staff=staff_user, organizations=8, registered=3, bloc_level=1, base_level=6, continued=2)
    deadline = Deadline.objects.get(kind="danvan.registration")
    with time_machine.travel(date(2024, 5, 15)):
        return services.document_create(
            actor=staff_user, kind=DocumentKind.REMINDER, issuing_body=issuing_body, deadline=deadline
        )


def _headings(document):
    document.refresh_from_db()
    return [section["heading"] for section in document.content["sections"]]


def _word_text(data: bytes) -> str:
    word = WordDocument(io.BytesIO(data))
    cells = [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in word.paragraphs] + cells)


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


# --- the structure ---------------------------------------------------------------------------------------------


def test_generated_body_converts_to_sections_without_losing_a_block(dispatch, reminder):
    for document in (dispatch, reminder):
        text = document.content["body"]
        structured = structured_from_text(text)
        assert body_blocks({**structured, "sections": structured["sections"]}) == parse_body(text)
    structured = structured_from_text(dispatch.content["body"])
    assert [s["heading"] for s in structured["sections"]] == [
        "1. Về việc thứ nhất",
        "2. Về việc thứ hai",
        "3. Về việc thứ ba",
    ]
    assert structured["sections"][2]["blocks"] == [{"kind": "paragraph", "text": "Nội dung mục ba."}]
    assert structured["closing"][-1]["text"].endswith("nghiêm túc triển khai thực hiện.")
    table = structured_from_text(reminder.content["body"])["opening"]
    rows = next(block["rows"] for block in table if block["kind"] == "table")
    assert rows[0] == ["STT", "Tổ chức cơ sở đảng", "Bí thư", "Điện thoại"] and len(rows) == 1 + 5


def test_contact_sentence_becomes_the_documents_contact_person(staff_user, issuing_body, term):
    services.issuing_body_set_contact(
        actor=staff_user, issuing_body=issuing_body, name="Nguyễn Thị Lan", title="Chuyên viên", phone="0216 3852 123"
    )
    issuing_body.refresh_from_db()
    spec = TopicSpec(kind=TopicKind.FREE, title="Về việc A", text="Nội dung.")
    document = services.document_create(
        actor=staff_user, kind=DocumentKind.DISPATCH, issuing_body=issuing_body, topic_specs=[spec]
    )
    structured = structured_from_text(document.content["body"])
    assert structured["contact"] == {"name": "Nguyễn Thị Lan", "title": "Chuyên viên", "phone": "0216 3852 123"}
    assert not any("liên hệ" in block["text"] for block in structured["closing"])
    assert body_blocks(structured) == parse_body(document.content["body"])


# --- sections: order, add, remove -------------------------------------------------------------------------------


def test_sections_are_saved_in_their_order_and_reordered_ones_renumbered(staff_client, dispatch):
    data = page_data(dispatch)
    data["sections-0-ORDER"], data["sections-2-ORDER"] = "3", "1"
    response = staff_client.post(edit_url(dispatch), data)
    assert response.status_code == 302
    assert _headings(dispatch) == ["1. Về việc thứ ba", "2. Về việc thứ hai", "3. Về việc thứ nhất"]
    assert "body" not in dispatch.content
    assert dispatch.content["sections"][0]["blocks"] == [{"kind": "paragraph", "text": "Nội dung mục ba."}]
    text = _pdf_text(staff_client.get(reverse("reports:document_download", args=[dispatch.pk, "pdf"])).content)
    assert text.index("Về việc thứ ba") < text.index("Về việc thứ hai") < text.index("Về việc thứ nhất")


def test_section_added_at_the_end_and_one_removed(staff_client, dispatch):
    data = page_data(dispatch)
    assert data["sections-TOTAL_FORMS"] == 4  # three sections and the empty one to fill
    data["sections-3-heading"] = "4. Về việc mới thêm"
    data["sections-3-text_0"] = "Đoạn một của mục mới.\nĐoạn hai của mục mới."
    data["sections-1-DELETE"] = "on"
    assert staff_client.post(edit_url(dispatch), data).status_code == 302
    assert _headings(dispatch) == ["1. Về việc thứ nhất", "2. Về việc thứ ba", "3. Về việc mới thêm"]
    assert dispatch.content["sections"][2]["blocks"] == [
        {"kind": "paragraph", "text": "Đoạn một của mục mới."},
        {"kind": "paragraph", "text": "Đoạn hai của mục mới."},
    ]
    page = staff_client.get(edit_url(dispatch)).content.decode()
    assert "Về việc mới thêm" in page and "Về việc thứ hai" not in page


def test_save_writes_one_audit_row_naming_the_sections(staff_client, dispatch):
    data = page_data(dispatch)
    data["subject"] = "V/v triển khai nhiệm vụ tháng 5"
    staff_client.post(edit_url(dispatch), data)
    entry = AuditEntry.objects.filter(action="document.update", target_id=str(dispatch.pk)).get()
    assert "subject" in entry.changes["fields"]
    assert entry.changes["sections"] == ["1. Về việc thứ nhất", "2. Về việc thứ hai", "3. Về việc thứ ba"]


# --- tables as grids ----------------------------------------------------------------------------------------------


def test_table_is_shown_as_a_grid_of_inputs_not_pipe_text(staff_client, reminder):
    page = staff_client.get(edit_url(reminder)).content.decode()
    assert 'name="opening-t0_r0_c1" value="Tổ chức cơ sở đảng"' in page
    assert "| STT |" not in page and "Tạo lại từ số liệu" in page


def test_table_cell_edit_round_trips_into_pdf_and_word(staff_client, reminder):
    data = page_data(reminder)
    assert data["opening-t0_r0_c0"] == "STT"
    data["opening-t0_r1_c2"] = "Đồng chí Phạm Văn Sửa | có dấu gạch"
    data["opening-t0_del_r2"] = "on"  # remove the second organisation
    data["opening-t0_r6_c0"], data["opening-t0_r6_c1"] = "6", "Đơn vị thêm tay"  # the empty new row
    assert staff_client.post(edit_url(reminder), data).status_code == 302
    reminder.refresh_from_db()
    table = next(block for block in reminder.content["opening"] if block["kind"] == "table")
    assert table["rows"][1][2] == "Đồng chí Phạm Văn Sửa | có dấu gạch"  # a list of rows: a "|" is just a character
    assert len(table["rows"]) == 1 + 5 - 1 + 1 and table["rows"][-1][:2] == ["6", "Đơn vị thêm tay"]
    for fmt, read in (("docx", _word_text), ("pdf", _pdf_text)):
        response = staff_client.get(reverse("reports:document_download", args=[reminder.pk, fmt]))
        text = read(response.content)
        assert "Phạm Văn Sửa | có dấu gạch" in text and "Đơn vị thêm tay" in text, fmt
    word = WordDocument(
        io.BytesIO(staff_client.get(reverse("reports:document_download", args=[reminder.pk, "docx"])).content)
    )
    body_table = word.tables[1]
    assert len(body_table.rows) == 6 and body_table.rows[1].cells[2].text == "Đồng chí Phạm Văn Sửa | có dấu gạch"


def test_regenerate_refills_one_table_from_data_and_keeps_the_rest_as_typed(staff_client, reminder):
    original = page_data(reminder)
    data = dict(original)
    data["opening-t0_r1_c1"] = "Tên gõ nhầm"
    data["opening-text_1"] = "Đoạn viết lại sau bảng, chưa lưu."
    data["regenerate"] = "opening:0"
    with time_machine.travel(date(2024, 6, 1)):
        response = staff_client.post(edit_url(reminder), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Đã tạo lại bảng từ số liệu tính đến ngày 15/05/2024" in page
    assert f'value="{original["opening-t0_r1_c1"]}"' in page and "Tên gõ nhầm" not in page
    assert "Đoạn viết lại sau bảng, chưa lưu." in page
    reminder.refresh_from_db()
    assert "body" in reminder.content  # nothing saved


def test_blank_document_offers_no_regeneration(staff_client, blank):
    data = page_data(blank)
    data["opening-layout"] = "2x2"
    data.update({"opening-t0_r0_c0": "Cột A", "opening-t0_r0_c1": "Cột B", "opening-t0_r1_c0": "1"})
    data["regenerate"] = "opening:0"
    page = staff_client.post(edit_url(blank), data).content.decode()
    assert "Văn bản khác không có số liệu để tạo lại bảng." in page and 'value="Cột A"' in page


# --- preview ------------------------------------------------------------------------------------------------------


def test_preview_is_the_print_html_of_the_same_content(staff_client, reminder):
    data = page_data(reminder)
    assert staff_client.post(edit_url(reminder), data).status_code == 302
    reminder.refresh_from_db()
    posted = staff_client.post(preview_url(reminder), page_data(reminder))
    assert posted["X-Frame-Options"] == "SAMEORIGIN"
    printed = render_html(services.structure_of(reminder), preview=True, style_nonce="x")
    assert NONCE.sub("", posted.content.decode()) == NONCE.sub("", printed)
    saved = staff_client.get(reverse("reports:document_preview", args=[reminder.pk])).content.decode()
    assert NONCE.sub("", saved) == NONCE.sub("", printed)


def test_preview_shows_what_is_typed_without_saving(staff_client, dispatch):
    data = page_data(dispatch)
    data["sections-1-text_0"] = "Câu mới chỉ để xem trước."
    data.update(contact_name="Lò Văn Tính", contact_title="", contact_phone="0912 345 678")
    html = staff_client.post(preview_url(dispatch), data).content.decode()
    assert "Câu mới chỉ để xem trước." in html
    assert "liên hệ trực tiếp với đồng chí Lò Văn Tính (Số điện thoại 0912 345 678)" in html
    dispatch.refresh_from_db()
    assert "Câu mới chỉ để xem trước." not in dispatch.content["body"]


def test_contact_person_is_edited_per_document(staff_client, dispatch, issuing_body):
    data = page_data(dispatch)
    data.update(contact_name="Hà Thị Mai", contact_title="Phó Trưởng ban", contact_phone="0216 111 222")
    staff_client.post(edit_url(dispatch), data)
    dispatch.refresh_from_db()
    assert dispatch.content["contact"] == {"name": "Hà Thị Mai", "title": "Phó Trưởng ban", "phone": "0216 111 222"}
    issuing_body.refresh_from_db()
    assert issuing_body.contact_name != "Hà Thị Mai"  # the issuing body's default is untouched
    word = _word_text(staff_client.get(reverse("reports:document_download", args=[dispatch.pk, "docx"])).content)
    assert "đồng chí Hà Thị Mai - Phó Trưởng ban (Số điện thoại 0216 111 222) để được hướng dẫn" in word


# --- the problems list beside the preview ---------------------------------------------------------------------------


def test_problems_are_listed_beside_the_preview_and_follow_what_is_typed(staff_client, blank):
    page = staff_client.get(edit_url(blank)).content.decode()
    assert 'id="editor-checks"' in page and "Chưa thể phát hành" in page and "Trích yếu còn chỗ để trống" in page
    data = page_data(blank)
    data["signer_name"] = ""
    data["subject"] = "V/v triển khai nhiệm vụ"
    data["opening-text_0"] = "Nội dung đã viết xong."
    html = staff_client.post(reverse("reports:document_editor_checks", args=[blank.pk]), data).content.decode()
    assert "Chưa có họ tên người ký." in html and "còn chỗ để trống" not in html


# --- bad input --------------------------------------------------------------------------------------------------------


def test_invalid_input_is_refused_in_vietnamese_and_keeps_everything_typed(staff_client, dispatch):
    data = page_data(dispatch)
    data["subject"] = ""
    data["sections-1-heading"] = ""
    data["sections-1-text_0"] = "Đoạn dài đã gõ mà chưa có đề mục."
    data["sections-3-text_0"] = "Một mục mới chưa kịp đặt tên."
    data["sections-0-ORDER"] = "hai"
    data["closing-text_0"] = "Phần kết đã sửa."
    response = staff_client.post(edit_url(dispatch), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Nhập trích yếu của văn bản." in page and "Mục có nội dung phải có đề mục." in page
    assert "Thứ tự là một số từ 1 đến 99." in page
    for typed in ("Đoạn dài đã gõ mà chưa có đề mục.", "Một mục mới chưa kịp đặt tên.", "Phần kết đã sửa."):
        assert typed in page
    dispatch.refresh_from_db()
    assert "body" in dispatch.content  # nothing saved


def test_control_characters_are_dropped_on_save(staff_client, reminder):
    data = page_data(reminder)
    data["opening-t0_r1_c1"] = "Đảng bộ\x0b Sở\x07 Tài chính"
    data["sections-0-heading"] = "1. Về việc\x1f khác"
    data["sections-0-text_0"] = "Đoạn\x00 dán từ PDF."
    assert staff_client.post(edit_url(reminder), data).status_code == 302
    reminder.refresh_from_db()
    table = next(block for block in reminder.content["opening"] if block["kind"] == "table")
    assert table["rows"][1][1] == "Đảng bộ Sở Tài chính"
    assert reminder.content["sections"] == [
        {"heading": "1. Về việc khác", "blocks": [{"kind": "paragraph", "text": "Đoạn dán từ PDF."}]}
    ]


# --- access ----------------------------------------------------------------------------------------------------------


def test_leader_reads_but_cannot_edit_preview_or_check(leader_client, dispatch):
    data = page_data(dispatch)
    assert leader_client.get(edit_url(dispatch)).status_code == 403
    assert leader_client.post(edit_url(dispatch), data).status_code == 403
    assert leader_client.post(preview_url(dispatch), data).status_code == 403
    assert leader_client.post(reverse("reports:document_editor_checks", args=[dispatch.pk]), data).status_code == 403


def test_officer_of_a_base_organisation_is_refused(officer_client, dispatch):
    data = page_data(dispatch)
    assert officer_client.get(edit_url(dispatch)).status_code == 403
    assert officer_client.post(edit_url(dispatch), data).status_code == 403
    assert officer_client.post(preview_url(dispatch), data).status_code == 403


def test_draft_outside_what_staff_see_is_not_found(staff_client, dispatch):
    data = page_data(dispatch)
    missing = Document(pk=dispatch.pk + 1000)
    assert staff_client.get(edit_url(missing)).status_code == 404
    assert staff_client.post(edit_url(missing), data).status_code == 404
    assert staff_client.post(preview_url(missing), data).status_code == 404


def test_issued_document_cannot_be_edited_or_previewed_as_edited(staff_client, staff_user, dispatch):
    data = page_data(dispatch)
    assert staff_client.post(edit_url(dispatch), data).status_code == 302
    with time_machine.travel(date(2024, 5, 22)):
        issued = services.document_issue(actor=staff_user, document=dispatch, issued_on=date(2024, 5, 22))
    response = staff_client.post(edit_url(issued), data, follow=True)
    assert "Văn bản đã phát hành không thể sửa" in response.content.decode()
    assert staff_client.post(preview_url(issued), data).status_code == 403


# --- the migration -------------------------------------------------------------------------------------------------


def test_migration_converts_drafts_and_leaves_issued_documents(staff_user, issuing_body, dispatch, reminder):
    from importlib import import_module

    from django.apps import apps

    spec = TopicSpec(kind=TopicKind.FREE, title="Về việc đã phát hành", text="Nội dung đã in.")
    issued = services.document_create(
        actor=staff_user, kind=DocumentKind.DISPATCH, issuing_body=issuing_body, topic_specs=[spec]
    )
    with time_machine.travel(date(2024, 5, 22)):
        issued = services.document_issue(actor=staff_user, document=issued, issued_on=date(2024, 5, 22))
    printed = issued.content

    migration = import_module("reports.migrations.0009_document_content_sections")
    before = {doc.pk: parse_body(doc.content["body"]) for doc in (dispatch, reminder)}
    migration.to_sections(apps, None)  # the issued row is not touched (its trigger would refuse it)
    issued.refresh_from_db()
    assert issued.content == printed
    for document in (dispatch, reminder):
        document.refresh_from_db()
        assert "body" not in document.content and body_blocks(document.content) == before[document.pk]
    migration.to_sections(apps, None)  # twice: nothing more happens
    migration.to_text(apps, None)
    dispatch.refresh_from_db()
    assert parse_body(dispatch.content["body"]) == before[dispatch.pk]


def test_table_added_to_a_section_is_filled_and_saved_as_rows(staff_client, dispatch):
    data = page_data(dispatch)
    data["sections-0-text_0"] = "Kết quả như sau:"
    response = staff_client.post(edit_url(dispatch), {**data, "add_table": "sections-0"})
    page = response.content.decode()
    assert response.status_code == 200 and "Đã thêm một bảng trống" in page
    assert 'name="sections-0-layout" value="2x3"' in page and "Kết quả như sau:" in page
    data.update({"sections-0-layout": "2x3", "sections-0-t0_r0_c0": "Nội dung", "sections-0-t0_r0_c1": "Số lượng"})
    data.update({"sections-0-t0_r1_c0": "Hội nghị", "sections-0-t0_r1_c1": "3", "sections-0-text_1": "Đoạn sau bảng."})
    assert staff_client.post(edit_url(dispatch), data).status_code == 302
    dispatch.refresh_from_db()
    assert dispatch.content["sections"][0]["blocks"] == [
        {"kind": "paragraph", "text": "Kết quả như sau:"},
        {"kind": "table", "rows": [["Nội dung", "Số lượng", ""], ["Hội nghị", "3", ""]]},
        {"kind": "paragraph", "text": "Đoạn sau bảng."},
    ]


def test_forged_layout_cannot_make_the_form_build_millions_of_fields(staff_client, dispatch):
    data = page_data(dispatch)
    data["opening-layout"] = ",".join(["2000x12"] * 500)
    editor = Editor(data={**data})
    assert sum(1 for name in editor.opening.fields if name.startswith("t")) <= 12_000 + 2000
    assert staff_client.post(preview_url(dispatch), data).status_code == 200


def test_whole_text_editor_still_opens_a_draft_saved_in_sections(staff_client, dispatch):
    staff_client.post(edit_url(dispatch), page_data(dispatch))
    page = staff_client.get(edit_url(dispatch) + "?dang=van-ban").content.decode()
    assert "# 2. Về việc thứ hai\nNội dung mục hai." in page


def test_signer_chosen_in_the_editor_fills_the_lines_and_keeps_what_is_typed(staff_client, staff_user, dispatch):
    from reports.models import SignerMode

    deputy = services.signer_create(
        actor=staff_user,
        issuing_body=dispatch.issuing_body,
        name="Đinh Thị Thu",
        position="Phó Bí thư",
        mode=SignerMode.DEPUTY,
        on_behalf_of="BÍ THƯ",
    )
    data = page_data(dispatch)
    data["sections-0-text_0"] = "Đoạn đang gõ dở."
    page = staff_client.post(edit_url(dispatch), {**data, "pick_signer": "1", "signer_pick": deputy.pk})
    page = page.content.decode()
    assert 'value="Đinh Thị Thu"' in page and 'value="K/T BÍ THƯ"' in page and "Đoạn đang gõ dở." in page
    dispatch.refresh_from_db()
    assert dispatch.content.get("signer_id") != deputy.pk  # shown, not saved
    data.update(signer_name="Đinh Thị Thu", signer_authority="K/T BÍ THƯ", signer_title="PHÓ BÍ THƯ")
    data["signer_id"] = deputy.pk
    assert staff_client.post(edit_url(dispatch), data).status_code == 302
    dispatch.refresh_from_db()
    assert dispatch.content["signer_id"] == deputy.pk and dispatch.content["signer_name"] == "Đinh Thị Thu"


def test_signer_of_another_issuing_body_is_refused(staff_client, staff_user, dispatch, bloc):
    from reports.models import SignerMode
    from tests.reports.factories import IssuingBodyFactory

    other = services.signer_create(
        actor=staff_user,
        issuing_body=IssuingBodyFactory(bloc=bloc),
        name="Người Khác",
        position="TRƯỞNG BAN",
        mode=SignerMode.DIRECT,
        on_behalf_of="",
    )
    data = {**page_data(dispatch), "signer_id": other.pk}
    response = staff_client.post(edit_url(dispatch), data)
    assert (
        response.status_code == 200
        and "Người ký đã chọn không thuộc cơ quan ban hành này." in response.content.decode()
    )
    page = staff_client.post(edit_url(dispatch), {**data, "pick_signer": "1", "signer_pick": other.pk}).content.decode()
    assert "Chọn một người ký trong danh sách." in page


def test_contact_person_filled_from_the_issuing_body(staff_client, staff_user, dispatch):
    services.issuing_body_set_contact(
        actor=staff_user, issuing_body=dispatch.issuing_body, name="Vũ Minh Khoa", title="Chuyên viên", phone="0216 1"
    )
    data = {**page_data(dispatch), "contact_name": "", "pick_contact": "1"}
    page = staff_client.post(edit_url(dispatch), data).content.decode()
    assert 'value="Vũ Minh Khoa"' in page and "Đã điền người liên hệ của cơ quan ban hành." in page


def test_preview_and_checks_of_an_empty_post_answer_without_error(staff_client, dispatch):
    assert staff_client.post(preview_url(dispatch), {}).status_code == 200
    html = staff_client.post(reverse("reports:document_editor_checks", args=[dispatch.pk]), {}).content.decode()
    assert "Chưa có trích yếu." in html
    assert staff_client.get(preview_url(dispatch)).status_code == 405


def test_last_section_left_empty_is_flagged_although_the_closing_follows_it(staff_client, dispatch):
    data = page_data(dispatch)
    data["sections-2-text_0"] = ""
    assert staff_client.post(edit_url(dispatch), data).status_code == 302
    page = staff_client.get(reverse("reports:document", args=[dispatch.pk])).content.decode()
    assert "Mục “3. Về việc thứ ba” chưa có nội dung." in page
    assert "Mục “2. Về việc thứ hai”" not in page


def test_a_sectioned_draft_is_sized_as_its_text_form_for_the_render_decision(reminder):
    from reports.document import content_size_estimate

    assert content_size_estimate(structured_content(reminder.content)) == content_size_estimate(reminder.content)
    assert content_size_estimate(structured_content(reminder.content)) > 6  # the table's rows count
