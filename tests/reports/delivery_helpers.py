"""An issued dispatch addressed from data, as staff make it, for the delivery tests."""

from datetime import date

from reports import recipients, services
from reports.models import DocType, DocumentKind
from tests.reports.drafts import finish

SECTION_BODY = (
    "# 1. Về việc báo cáo tự kiểm tra năm 2024\n"
    "Thực hiện Kế hoạch số 253-KH/ĐUK, ngày 25/3/2024 của Ban Thường vụ Đảng ủy Khối, đề nghị các chi, đảng bộ "
    "cơ sở xây dựng báo cáo tự kiểm tra gửi về Đảng ủy Khối (qua Ban Tuyên giáo) trước ngày 25/10/2024.\n"
    "# 2. Về việc khác\n"
    "Các đơn vị tiếp tục thực hiện."
)


def dispatch(staff, issuing_body, choice: recipients.RecipientChoice, *, body: str = SECTION_BODY, as_of=None):
    """A finished draft công văn with recipients chosen from data."""
    draft = services.document_create(
        actor=staff,
        kind=DocumentKind.OTHER,
        issuing_body=issuing_body,
        doc_type=DocType.CV,
        as_of=as_of or date(2024, 5, 15),
    )
    draft = finish(draft, staff)
    draft = services.document_update(actor=staff, document=draft, body=body)
    return services.document_choose_recipients(actor=staff, document=draft, choice=choice)
