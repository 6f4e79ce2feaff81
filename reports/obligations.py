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
    return deadlines_of([request]).get(request.pk)


def deadlines_of(requests) -> dict[int, Deadline]:
    """The deadlines of many DocumentRequests in one query: {request id: its deadline} (one without a deadline
    is left out)."""
    requests = list(requests)
    if not requests:
        return {}
    found = Deadline.objects.filter(
        kind=DOCUMENT_REQUEST,
        source_type=ContentType.objects.get_for_model(requests[0]),
        source_id__in=[request.pk for request in requests],
    ).order_by("-pk")
    # A request has one deadline (deadline_sync keeps it so); should two exist, the oldest wins, as .first() did.
    return {deadline.source_id: deadline for deadline in found}
