"""What an organisation sends back for a request a dispatch made of it ("gửi báo cáo … trước ngày 25/10/2024"):
a DocumentReply (text and attached files) on the shared workflow — draft, send, return with a comment, send
again, accept — which answers the request's tracked deadline, so tracking, the matrix and reminders count it.

Only an organisation that owes the request (the deadline's expected set today) may reply, once (a withdrawn
reply frees the place); staff may write for it, as on every kind."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from dukportal.core.text import strip_control
from dukportal.submissions import deadlines
from dukportal.submissions import services as workflow
from organizations import access

from . import obligations
from .models import DocumentReply, DocumentRequest


def replies_visible_to(user) -> QuerySet:
    """Every reply staff and leaders may read; an officer only their organisation's."""
    return access.scope(DocumentReply.objects.select_related("request__document", "organization"), user)


def reply_of(request: DocumentRequest, organization_id: int) -> DocumentReply | None:
    return (
        DocumentReply.objects.filter(request=request, organization_id=organization_id)
        .exclude(status="withdrawn")
        .first()
    )


def _require_owed(request: DocumentRequest, organization) -> None:
    deadline = obligations.deadline_of(request)
    if deadline is None:
        raise ValidationError("Yêu cầu này không còn được theo dõi; không cần gửi báo cáo.")
    owed_by = deadlines.expected_organizations(deadline, timezone.localdate())
    if not owed_by.filter(pk=organization.pk).exists():
        raise ValidationError("Đơn vị không thuộc các tổ chức phải gửi báo cáo theo yêu cầu này.")


@transaction.atomic
def reply_create(*, actor, request: DocumentRequest, organization, note: str, token=None) -> DocumentReply:
    """A draft reply of `organization`. A double click (same form token) or a second reply raises
    idempotency.AlreadyCreated with the existing one."""
    _require_owed(request, organization)
    reply = DocumentReply(request=request, organization=organization, note=strip_control(note).strip())
    return workflow.submission_create(actor=actor, submission=reply, token=token)


def reply_update(*, actor, reply: DocumentReply, note: str) -> DocumentReply:
    return workflow.submission_update(actor=actor, submission=reply, fields={"note": strip_control(note).strip()})
