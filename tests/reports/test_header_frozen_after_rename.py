"""An issued document keeps what its header showed: after the bloc is renamed (2025 reform: Yên Bái merged into
Lào Cai), the issuing body renamed and the signer changed, the list, detail page, register page, register
Excel and preview still show the values of its issue date; a new document uses the new ones."""

import io
from datetime import date, datetime

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from organizations import blocs
from organizations.models import Bloc
from reports import services
from reports.models import DocumentKind
from tests.reports.drafts import finish

from .factories import HCM

pytestmark = pytest.mark.django_db

OLD = ("ĐẢNG BỘ TỈNH YÊN BÁI", "ĐẢNG ỦY KHỐI CƠ QUAN VÀ DOANH NGHIỆP TỈNH", "Yên Bái, ngày 22 tháng 5 năm 2024")
NEW = ("ĐẢNG BỘ TỈNH LÀO CAI", "ĐẢNG ỦY CÁC CƠ QUAN ĐẢNG TỈNH", "Lào Cai")


def _at(day: date, hour: int = 10):
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, tzinfo=HCM), tick=False)


@pytest.fixture
def renamed(staff_user, issuing_body, term):
    """01-CV/ĐUK issued on 22/5/2024; from 1/7/2025 the bloc, the issuing body and the signer change."""
    with _at(date(2024, 5, 22)):
        draft = services.document_create(actor=staff_user, kind=DocumentKind.OTHER, issuing_body=issuing_body)
        services.document_update(actor=staff_user, document=draft, subject="V/v văn bản cũ", body="Nội dung.")
        issued = services.document_issue(actor=staff_user, document=finish(draft, staff_user))
    with _at(date(2025, 7, 15)):
        blocs.bloc_rename(
            actor=staff_user,
            bloc=issuing_body.bloc,
            effective_on=date(2025, 7, 1),
            name="Đảng ủy các cơ quan Đảng tỉnh",
            parent_name="Đảng bộ tỉnh Lào Cai",
            symbol="ĐUCQ",
            place_name="Lào Cai",
        )
        services.issuing_body_change(
            actor=staff_user,
            issuing_body=issuing_body,
            effective_on=date(2025, 7, 1),
            name="Đảng ủy các cơ quan Đảng tỉnh Lào Cai",
            signer_name="Lê Thị Mai",
        )
    return issued


def test_issued_document_pages_keep_the_values_of_their_issue_date(renamed, leader_client):
    with _at(date(2025, 7, 20)):
        listing = leader_client.get(reverse("reports:documents")).content.decode()
        detail = leader_client.get(renamed.get_absolute_url()).content.decode()
        register_page = leader_client.get(reverse("reports:register")).content.decode()
        preview = leader_client.get(reverse("reports:document_preview", args=[renamed.pk])).content.decode()
    # The register's entries (the sequences and the list of bodies above and below show today's names).
    register = register_page[register_page.index('id="issued-documents"') :].split("</table>")[0]
    for page in (listing, detail, register):
        assert "01-CV/ĐUK" in page and "Đảng ủy Khối cơ quan và doanh nghiệp tỉnh" in page
        assert "01-CV/ĐUCQ" not in page and "Đảng ủy các cơ quan Đảng tỉnh Lào Cai" not in page
    assert OLD[0] in detail and OLD[1] in detail and "Yên Bái" in detail and "Nguyễn Văn An" in detail
    assert OLD[0] in register and "LÀO CAI" not in register
    assert all(text in preview for text in OLD) and "Số 01-CV/ĐUK" in preview and "Nguyễn Văn An" in preview
    assert "LÀO CAI" not in preview and "Lê Thị Mai" not in preview


def test_register_excel_keeps_the_values_of_the_issue_date(renamed, leader_client):
    response = leader_client.get(reverse("reports:register_xlsx"))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    (row,) = sheet.iter_rows(min_row=3, values_only=True)
    assert row[0] == "01-CV/ĐUK" and row[3] == "Đảng ủy Khối cơ quan và doanh nghiệp tỉnh"
    assert row[4] == f"{OLD[0]} / {OLD[1]}" and row[5] == "Yên Bái" and row[7] == "PHÓ BÍ THƯ Nguyễn Văn An"


def test_a_direct_edit_of_the_bloc_row_does_not_change_issued_documents(renamed, leader_client):
    # Even a write that bypasses the dated service (a script, the shell) cannot rewrite what was issued.
    Bloc.objects.update(name="Tên sửa thẳng", parent_name="Cấp trên sửa thẳng", place_name="Nơi khác")
    preview = leader_client.get(reverse("reports:document_preview", args=[renamed.pk])).content.decode()
    assert all(text in preview for text in OLD) and "NƠI KHÁC" not in preview.upper()


def test_a_new_document_uses_the_new_values(renamed, staff_user, issuing_body, leader_client):
    with _at(date(2025, 7, 20)):
        draft = services.document_create(actor=staff_user, kind=DocumentKind.OTHER, issuing_body=issuing_body)
        assert draft.content["signer_name"] == "Lê Thị Mai"  # the signer in force on the draft's date
        draft_preview = leader_client.get(reverse("reports:document_preview", args=[draft.pk])).content.decode()
        assert NEW[0] in draft_preview and NEW[1] in draft_preview
        issued = services.document_issue(actor=staff_user, document=finish(draft, staff_user))
        listing = leader_client.get(reverse("reports:documents")).content.decode()
        preview = leader_client.get(reverse("reports:document_preview", args=[issued.pk])).content.decode()
    assert issued.number_label == "02-CV/ĐUCQ"  # the same sequence goes on under the new symbol
    assert (issued.header_superior, issued.header_name, issued.place_name) == (
        "Đảng bộ tỉnh Lào Cai",
        "Đảng ủy các cơ quan Đảng tỉnh",
        "Lào Cai",
    )
    assert "Đảng ủy các cơ quan Đảng tỉnh Lào Cai" in listing and "01-CV/ĐUK" in listing
    assert NEW[0] in preview and "Lào Cai, ngày 20 tháng 7 năm 2025" in preview and "Lê Thị Mai" in preview


def test_list_and_register_queries_do_not_grow_with_issued_documents(
    leader_client, staff_user, issuing_body, term, django_assert_max_num_queries
):
    pages = ("reports:documents", "reports:register")

    def issue(n):
        with _at(date(2024, 5, 22)):
            for _ in range(n):
                draft = services.document_create(actor=staff_user, kind=DocumentKind.OTHER, issuing_body=issuing_body)
                services.document_issue(actor=staff_user, document=finish(draft, staff_user))

    issue(2)
    small = {}
    for page in pages:
        with django_assert_max_num_queries(10) as small[page]:
            leader_client.get(reverse(page))
    issue(3)
    for page in pages:
        with django_assert_max_num_queries(len(small[page].captured_queries)):
            content = leader_client.get(reverse(page)).content.decode()
        assert "05-CV/ĐUK" in content, page
