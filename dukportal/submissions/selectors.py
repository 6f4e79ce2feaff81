from django.contrib.contenttypes.models import ContentType

from organizations import access

from .models import Attachment, SubmissionEvent, SubmissionRevision


def _for(model, submission):
    return model.objects.filter(
        content_type=ContentType.objects.get_for_model(submission), object_id=submission.pk
    ).select_related("actor" if model is not Attachment else "uploaded_by")


def timeline(submission):
    return _for(SubmissionEvent, submission)


def revisions(submission):
    return _for(SubmissionRevision, submission)


def attachments(submission):
    """The files attached to the submission now (removed ones stay stored, out of the list)."""
    return _for(Attachment, submission).filter(removed_at__isnull=True)


def attachments_visible_to(user):
    """Officers see files of their own organisation; bloc-level files (no organisation) only readers."""
    return access.scope(Attachment.objects.all(), user)


def last_return_comment(submission) -> str:
    event = timeline(submission).filter(action="returned").order_by("-at", "-id").first()
    return event.comment if event else ""
