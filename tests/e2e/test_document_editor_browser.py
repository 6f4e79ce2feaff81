"""Issue 10, the editor for a clerk: staff open a dispatch of numbered sections, rewrite one section and a table
cell, and the preview beside the form (the print HTML) changes as they type, before anything is saved; saved,
the draft keeps the new text."""

from datetime import date

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from reports import services
from reports.models import Document, DocumentKind, TopicKind
from reports.topics import TopicSpec
from tests.e2e.test_csp_browser import RECORD_VIOLATIONS
from tests.reports.factories import IssuingBodyFactory, TermFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_clerk_edits_a_section_and_the_preview_follows(page, live_server, log_in, staff_user):
    TermFactory(start_date=date(2020, 1, 1), end_date=date(2030, 12, 31))
    issuing_body = IssuingBodyFactory()
    specs = [
        TopicSpec(kind=TopicKind.FREE, title="Về việc thứ nhất", text="Nội dung mục một."),
        TopicSpec(kind=TopicKind.FREE, title="Về việc thứ hai", text="Nội dung mục hai."),
    ]
    draft = services.document_create(
        actor=staff_user, kind=DocumentKind.DISPATCH, issuing_body=issuing_body, topic_specs=specs
    )

    page.add_init_script(RECORD_VIOLATIONS)  # every frame: the editor and its preview
    log_in(staff_user.username)
    page.goto(f"{live_server.url}{reverse('reports:document_edit', args=[draft.pk])}")
    preview = page.frame_locator("iframe[name=preview-frame]")
    expect(preview.get_by_text("Nội dung mục hai.")).to_be_visible()

    section = page.locator("#section-1")
    expect(section.get_by_label("Đề mục")).to_have_value("2. Về việc thứ hai")
    section.get_by_label("Đoạn văn").fill("Đề nghị các đơn vị gửi báo cáo sơ kết trước ngày 30/6.")
    # No button pressed: the preview and the problems list follow what is typed.
    expect(preview.get_by_text("Đề nghị các đơn vị gửi báo cáo sơ kết trước ngày 30/6.")).to_be_visible()
    expect(preview.get_by_text("Nội dung mục hai.")).to_have_count(0)

    page.get_by_label("Họ tên người ký").fill("")
    expect(page.locator("#editor-checks")).to_contain_text("Chưa có họ tên người ký.")
    page.get_by_label("Họ tên người ký").fill("Hoàng Văn Bình")
    expect(page.locator("#editor-checks")).not_to_contain_text("Chưa có họ tên người ký.")
    expect(preview.get_by_text("Hoàng Văn Bình")).to_be_visible()
    assert "Nội dung mục hai." in Document.objects.get(pk=draft.pk).content["body"]  # nothing saved yet
    assert page.evaluate("window.__cspViolations") == []
    assert page.frame("preview-frame").evaluate("window.__cspViolations") == []

    page.get_by_role("button", name="Lưu dự thảo").click()
    expect(page.get_by_text("Đã lưu dự thảo")).to_be_visible()
    saved = Document.objects.get(pk=draft.pk).content
    assert saved["sections"][1]["blocks"] == [
        {"kind": "paragraph", "text": "Đề nghị các đơn vị gửi báo cáo sơ kết trước ngày 30/6."}
    ]
    assert saved["signer_name"] == "Hoàng Văn Bình"
