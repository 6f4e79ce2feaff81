"""Writes for an issued document's life after the register: delivery to its recipient organisations ("Văn bản
đến"), the first opening by each of them, and the requests its sections make turned into tracked deadlines.

Delivery is queued by document_issue in its own transaction (outbox message keyed on the document, so issuing
is one message however often it is asked) and runs as a task after the commit. Every row it writes is keyed:
one DocumentDelivery per (document, organisation), one notification per (officer, document), one e-mail message
per delivery in the outbox. So a retried or redelivered task, or a second call, writes nothing twice."""

from datetime import date

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from dukportal.core import audit, outbox
from dukportal.core.text import normalize_text
from dukportal.notifications.models import Notification, NotificationCategory
from dukportal.notifications.selectors import reminder_recipients_of
from dukportal.submissions import deadlines
from organizations import access

from . import obligations, recipients
from .document import text_date
from .models import DocType, Document, DocumentDelivery, DocumentRequest, DocumentStatus, Reference, ReferenceLink


def _delivery_key(document_id: int) -> str:
    return f"document-delivery:{document_id}"


def _notice_key(document_id: int) -> str:
    return f"document:{document_id}"


def on_issue(*, document: Document) -> None:
    """Called by document_issue inside the transaction that issues the row: the delivery is queued exactly when
    the issue commits, and runs once after it (with the broker down, when the relay hands it over); the
    deadlines made from the draft's sections cite the document from now on."""
    outbox.enqueue("reports.deliver_document", document.pk, key=_delivery_key(document.pk))
    requests_link_references(document=document)


def recipient_organizations_of(document: Document):
    """The base organisations the document's recipient choice addresses, as of its issue date (a draft: today)."""
    choice = recipients.RecipientChoice.from_json(document.content.get("recipient_choice"))
    on = document.issued_on or timezone.localdate()
    return recipients.recipient_organizations(choice, bloc=document.issuing_body.bloc, on=on)


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


@transaction.atomic
def document_deliver(*, document_id: int) -> int:
    """Deliver an issued document to each recipient base organisation: its inbox row, a notification to each of
    its active officers and one e-mail (the officers' and the organisation's addresses) with the links to the
    document and its PDF, queued through the outbox in this transaction. Idempotent (see the module
    docstring). Returns how many organisations it was delivered to by this call."""
    document = Document.objects.select_related("issuing_body__bloc").get(pk=document_id)
    if document.status != DocumentStatus.ISSUED:
        return 0
    organizations = list(recipient_organizations_of(document).order_by("pk"))
    if not organizations:
        return 0
    already = set(DocumentDelivery.objects.filter(document=document).values_list("organization_id", flat=True))
    now = timezone.now()
    DocumentDelivery.objects.bulk_create(
        [DocumentDelivery(document=document, organization=org, delivered_at=now) for org in organizations],
        ignore_conflicts=True,
    )
    deliveries = {
        row.organization_id: row
        for row in DocumentDelivery.objects.filter(document=document, organization__in=organizations)
    }
    people = reminder_recipients_of(organizations)
    page = reverse("reports:inbox_document", args=[document.pk])
    pdf = reverse("reports:inbox_download", args=[document.pk])
    issuer = document.issuer_label
    subject = f"Văn bản đến: {document.get_doc_type_display()} số {document.number_label} của {issuer}"[:255]
    summary = document.content.get("subject", "")
    Notification.objects.bulk_create(
        [
            Notification(
                recipient=officer,
                category=NotificationCategory.DOCUMENT,
                title=subject,
                body=f"{summary}\nNgày ban hành {text_date(document.issued_on)}.",
                url=page,
                organization_id=org_id,
                source_key=_notice_key(document.pk),
            )
            for org_id, (officers, _addresses) in people.items()
            for officer in officers
        ],
        ignore_conflicts=True,
    )
    for org in organizations:
        addresses = people[org.pk][1]
        if not addresses:
            continue
        body = render_to_string(
            "reports/email/document_delivered.txt",
            {
                "organization": org,
                "document": document,
                "issuer": issuer,
                "summary": summary,
                "issued_on": text_date(document.issued_on),
                "url": _absolute(page),
                "pdf_url": _absolute(pdf),
            },
        )
        delivery = deliveries[org.pk]
        key = f"document-email:{delivery.pk}"
        outbox.enqueue("notifications.send_notice_email", key, subject, body, addresses, key=key)
    new = [org.pk for org in organizations if org.pk not in already]
    if new:
        audit.record(
            actor=None,
            action="document.deliver",
            target=document,
            changes={"organizations": new, "notified_users": sum(len(people[pk][0]) for pk in new)},
        )
    return len(new)


@transaction.atomic
def document_open(*, user, document: Document) -> bool:
    """An officer of a recipient organisation opened the issued document (its page or its PDF): the first
    opening of the organisation is recorded once, with an audit row; later ones and staff's change nothing.
    The officer's notification of it is marked read. Returns whether this call was the first opening."""
    if not access.is_officer(user):
        return False
    now = timezone.now()
    first = DocumentDelivery.objects.filter(
        document=document, organization_id=user.organization_id, first_opened_at__isnull=True
    ).update(first_opened_at=now, first_opened_by=user)
    Notification.objects.filter(recipient=user, source_key=_notice_key(document.pk), read_at__isnull=True).update(
        read_at=now
    )
    if first:
        delivery = DocumentDelivery.objects.get(document=document, organization_id=user.organization_id)
        audit.record(
            actor=user,
            action="document.open",
            target=delivery,
            changes={"document": document.number_label, "organization": user.organization_id},
        )
    return bool(first)


# --- requests of a section turned into deadlines ------------------------------------------------------------------


def _link_reference(request: DocumentRequest, deadline) -> None:
    """An issued document is a reference: the deadline cites it (reminders write "Thực hiện Công văn số …")."""
    reference = Reference.objects.filter(document_id=request.document_id).first()
    if reference is not None:
        ReferenceLink.objects.get_or_create(
            reference=reference, source_type=ContentType.objects.get_for_model(deadline), source_id=deadline.pk
        )


def requests_link_references(*, document: Document) -> None:
    """Called when a draft with requests is issued: their deadlines cite the document from then on."""
    requests = {request.pk: request for request in DocumentRequest.objects.filter(document=document)}
    for request_id, deadline in obligations.deadlines_of(requests.values()).items():
        _link_reference(requests[request_id], deadline)


@transaction.atomic
def document_request_create(*, actor, document: Document, section: str, title: str, due_date: date):
    """Tạo hạn nộp từ văn bản: the request of one section of a dispatch (draft or issued) becomes a tracked
    deadline owed by the document's recipient base organisations (all of them, one sector's or the chosen
    ones, as of its issue date, or today for a draft). One per section: a second request for the same
    section is refused. Returns the DocumentRequest (its deadline: obligations.deadline_of)."""
    access.require_staff(actor)
    locked = Document.objects.select_for_update().select_related("issuing_body__bloc").get(pk=document.pk)
    if locked.doc_type != DocType.CV:
        raise ValidationError("Chỉ tạo hạn nộp từ công văn.")
    title = normalize_text(title or "")
    section = normalize_text(section or "")
    errors = {}
    if not section:
        errors["section"] = "Chọn mục của văn bản."
    if not title:
        errors["title"] = "Nhập nội dung phải nộp."
    today = timezone.localdate()
    if due_date is None:
        errors["due_date"] = "Nhập hạn nộp (ngày/tháng/năm)."
    elif due_date < today:
        errors["due_date"] = f"Hạn nộp {text_date(due_date)} đã qua; chọn từ ngày {text_date(today)} trở đi."
    if errors:
        raise ValidationError(errors)
    choice = recipients.RecipientChoice.from_json(locked.content.get("recipient_choice"))
    organizations = recipient_organizations_of(locked)
    if not organizations.exists():
        raise ValidationError(
            "Văn bản chưa gửi tổ chức cơ sở đảng nào: chọn “Kính gửi” từ danh sách tổ chức trước khi tạo hạn nộp."
        )
    if DocumentRequest.objects.filter(document=locked, section=section).exists():
        raise ValidationError({"section": "Mục này của văn bản đã được tạo hạn nộp."})
    request = DocumentRequest(document=locked, section=section, title=title, due_date=due_date, created_by=actor)
    request.full_clean()
    request.save()
    deadline = deadlines.deadline_sync(
        kind=obligations.DOCUMENT_REQUEST,
        source=request,
        title=title,
        year=due_date.year,
        due_date=due_date,
        # Every active organisation: the same rule as the bloc's own deadlines (one dissolved later is not owed).
        organizations=None if choice.base == recipients.BaseScope.ALL else list(organizations),
    )
    _link_reference(request, deadline)
    audit.record(
        actor=actor,
        action="document.request_create",
        target=request,
        changes={
            "document": locked.pk,
            "deadline": deadline.pk,
            "due_date": due_date,
            "organizations": "all" if choice.base == recipients.BaseScope.ALL else organizations.count(),
        },
    )
    return request
