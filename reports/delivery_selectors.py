"""Reads for delivered documents: an organisation's "Văn bản đến" inbox, one delivered document as its officer
may open it, and who has opened an issued document (the staff's "Đã xem x/N")."""

from dataclasses import dataclass, field

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.http import Http404

from organizations import access

from . import obligations
from .models import Document, DocumentDelivery, DocumentReply, DocumentRequest, DocumentStatus


def inbox(organization, *, year: int | None = None) -> QuerySet:
    """The documents delivered to `organization`, unread first, then newest first."""
    unread = ExpressionWrapper(Q(first_opened_at__isnull=True), output_field=BooleanField())
    rows = DocumentDelivery.objects.filter(organization=organization).select_related(
        "document__issuing_body", "first_opened_by"
    )
    if year:
        rows = rows.filter(document__issued_on__year=year)
    return rows.order_by(unread.desc(), "-delivered_at", "-id")


def inbox_years(organization) -> list[int]:
    dates = DocumentDelivery.objects.filter(organization=organization).dates("document__issued_on", "year")
    return sorted({day.year for day in dates}, reverse=True)


def delivered_document_or_404(user, pk: int) -> tuple[Document, DocumentDelivery | None]:
    """The issued document `pk` as `user` may open it from an inbox: an officer only if it was delivered to
    their organisation (404 otherwise, so ids leak nothing); staff and leaders read every issued document
    (no delivery: their reading is not counted)."""
    queryset = Document.objects.select_related("issuing_body").filter(status=DocumentStatus.ISSUED)
    if access.reads_everything(user):
        document = queryset.filter(pk=pk).first()
        if document is None:
            raise Http404
        return document, None
    if not access.is_officer(user):
        raise Http404
    delivery = (
        DocumentDelivery.objects.select_related("document__issuing_body")
        .filter(document__in=queryset, document_id=pk, organization_id=user.organization_id)
        .first()
    )
    if delivery is None:
        raise Http404
    return delivery.document, delivery


@dataclass
class DeliveryStatus:
    """Who an issued document was delivered to, who has opened it (when, by whom) and who has not."""

    opened: list = field(default_factory=list)
    unopened: list = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.opened) + len(self.unopened)

    @property
    def ratio_label(self) -> str:
        return f"{len(self.opened)}/{self.total}"


def delivery_status(document: Document) -> DeliveryStatus:
    """One query. Organisations in Vietnamese order; the opened ones in the order they opened it."""
    status = DeliveryStatus()
    rows = (
        DocumentDelivery.objects.filter(document=document)
        .select_related("organization", "first_opened_by")
        .order_by("organization__sort_key", "organization__code")
    )
    for row in rows:
        (status.opened if row.is_opened else status.unopened).append(row)
    status.opened.sort(key=lambda row: (row.first_opened_at, row.pk))
    return status


@dataclass
class RequestRow:
    request: DocumentRequest
    deadline: object  # the tracked Deadline, or None if it was removed
    replies: list = field(default_factory=list)  # the organisations' replies (withdrawn ones left out)


def requests_of(document: Document, *, organization_id: int | None = None) -> list[RequestRow]:
    """The document's requests with their deadline and replies: every organisation's for staff, or only
    `organization_id`'s (an officer reading the document in their inbox). Three queries, whatever the number of
    requests."""
    replies = DocumentReply.objects.filter(request__document=document).exclude(status="withdrawn")
    if organization_id is not None:
        replies = replies.filter(organization_id=organization_id)
    by_request: dict[int, list] = {}
    for reply in replies.select_related("organization").order_by("organization__sort_key", "organization__code"):
        by_request.setdefault(reply.request_id, []).append(reply)
    requests = list(document.requests.order_by("id"))
    deadlines = obligations.deadlines_of(requests)
    return [RequestRow(request, deadlines.get(request.pk), by_request.get(request.pk, [])) for request in requests]
