from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from dukportal.core import prepared
from organizations import access

from .models import Attachment, GenericTarget, Submission, SubmissionEvent, SubmissionRevision

T = TypeVar("T", bound=GenericTarget)


def _for(model: type[T], submission: Submission) -> QuerySet[T]:
    return model._default_manager.filter(
        content_type=ContentType.objects.get_for_model(submission), object_id=submission.pk
    ).select_related("actor" if model is not Attachment else "uploaded_by")


def timeline(submission: Submission) -> QuerySet[SubmissionEvent]:
    return _for(SubmissionEvent, submission)


def revisions(submission: Submission) -> QuerySet[SubmissionRevision]:
    return _for(SubmissionRevision, submission)


def attachments(submission: Submission) -> QuerySet[Attachment]:
    """The files attached to the submission now (removed ones stay stored, out of the list)."""
    return _for(Attachment, submission).filter(removed_at__isnull=True)


def every_attachment(submission: Submission) -> QuerySet[Attachment]:
    """Every file ever attached, removed ones included (the version comparison needs them)."""
    return _for(Attachment, submission)


def _listed(model: type[T], submission: Submission) -> list[T]:
    """list(_for(model, submission)), its SQL compiled once per process for the kind (dukportal.core.prepared):
    the review page reads three of these on every view (about 1 ms of ORM building each, issue 13)."""
    content_type = ContentType.objects.get_for_model(submission)
    related = "actor" if model is not Attachment else "uploaded_by"
    listed: list[Any] = prepared.instances(
        ("submission rows", model._meta.label, content_type.pk),
        model,
        lambda object_id: model._default_manager.filter(content_type=content_type, object_id=object_id),
        submission.pk,
        related=(related,),
        placeholder=prepared.POSITIVE_PLACEHOLDER,  # object_id is a PositiveBigIntegerField
    )
    return listed


def timeline_list(submission: Submission) -> list[SubmissionEvent]:
    """list(timeline(submission)), prepared (see _listed)."""
    return _listed(SubmissionEvent, submission)


def revision_list(submission: Submission) -> list[SubmissionRevision]:
    """list(revisions(submission)), prepared (see _listed)."""
    return _listed(SubmissionRevision, submission)


def every_attachment_list(submission: Submission) -> list[Attachment]:
    """list(every_attachment(submission)), prepared (see _listed)."""
    return _listed(Attachment, submission)


def attachments_visible_to(user: access.Viewer) -> QuerySet[Attachment]:
    """Officers see files of their own organisation; bloc-level files (no organisation) only readers."""
    return access.scope(Attachment.objects.all(), user)


def last_return_comment(submission: Submission) -> str:
    event = timeline(submission).filter(action="returned").order_by("-at", "-id").first()
    return event.comment if event else ""
