"""Timelines for submissions that tests write directly (factories, bulk loads): figures are read from the
timeline, so a row written in any status also gets the events that status implies (timeline.missing_events:
sent at `submitted_at`, else at its creation; decided at `decided_at`)."""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from dukportal.submissions.models import Submission, SubmissionEvent
from dukportal.submissions.timeline import record_missing_timeline, store_counted_moments_of


def submission_models() -> list:
    return [model for model in apps.get_models() if issubclass(model, Submission)]


def complete_timelines() -> None:
    """Give every submission written without the services the events its status implies."""
    for model in submission_models():
        record_missing_timeline(model.objects.all())


def decide(queryset, status: str, *, at=None) -> None:
    """Move submissions to `status` now (or at `at`), as a staff decision would, with the event recorded."""
    at = at or timezone.now()
    content_type = ContentType.objects.get_for_model(queryset.model)
    events = []
    for submission in queryset:
        events.append(
            SubmissionEvent(
                content_type=content_type,
                object_id=submission.pk,
                organization_id=submission.organization_id,
                actor_id=submission.created_by_id,
                action=status,
                from_status=submission.status,
                to_status=status,
                at=at,
            )
        )
    SubmissionEvent.objects.bulk_create(events)
    queryset.model.objects.filter(pk__in=[event.object_id for event in events]).update(status=status, decided_at=at)
    store_counted_moments_of(events)
