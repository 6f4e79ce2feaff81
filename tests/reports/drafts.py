"""Drafts as staff finish them before issuing: the portal refuses to number a draft with holes left in it."""

from reports import services
from reports.checks import PLACEHOLDER
from reports.models import DocType, Document


def finish(document: Document, actor) -> Document:
    """Write out every placeholder ("…", "[…]") of a blank or generated draft, as a clerk does in the editor."""
    document.refresh_from_db()
    content = document.content
    subject = PLACEHOLDER.sub("triển khai nhiệm vụ năm 2024", content.get("subject", "")).strip()
    body = PLACEHOLDER.sub("đã thực hiện theo kế hoạch", content.get("body", "")).strip()
    fields = {"subject": subject, "body": body}
    if document.doc_type == DocType.CV and not content.get("recipients"):
        fields["recipients"] = ["Các chi, đảng bộ cơ sở trực thuộc."]
    return services.document_update(actor=actor, document=document, **fields)
