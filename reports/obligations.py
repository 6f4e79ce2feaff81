"""What a dispatch's requests make organisations owe, in the shared deadline mechanism
(dukportal.submissions.deadlines): one kind, a deadline per DocumentRequest (its source), answered by the
organisation's DocumentReply. Owed by the document's recipient organisations (the deadline's audience)."""

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from dukportal.submissions import deadlines
from dukportal.submissions.models import Deadline

DOCUMENT_REQUEST = "reports.document_request"


def _replies(deadline: Deadline):
    from .models import DocumentReply

    return DocumentReply.objects.filter(request_id=deadline.source_id)


def _document_page(deadline: Deadline) -> str:
    """The officer reads the request in the document delivered to them ("Văn bản đến")."""
    from .models import DocumentRequest

    document_id = DocumentRequest.objects.filter(pk=deadline.source_id).values_list("document_id", flat=True).first()
    return reverse("reports:inbox_document", args=[document_id]) if document_id else ""


def register() -> None:
    deadlines.register(
        deadlines.Obligation(
            DOCUMENT_REQUEST, "Theo yêu cầu của văn bản", _replies, order=90, action_url=_document_page
        )
    )


def deadline_of(request) -> Deadline | None:
    return Deadline.objects.filter(
        kind=DOCUMENT_REQUEST, source_type=ContentType.objects.get_for_model(request), source_id=request.pk
    ).first()
