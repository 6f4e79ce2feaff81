"""What a submission was on a date, read from its timeline (SubmissionEvent rows with their timestamps), never
from the status field as it is now. This is the only place that decides whether a submission "counts":

- it counts from the moment it was first sent (a SUBMITTED or RESUBMITTED event) until it is withdrawn;
- a return for revision does not un-send it (it stays counted while the organisation completes it);
- a draft never counts, nor anything sent after the end of the reference day.

Days are local days (Asia/Ho_Chi_Minh): "as of 15/5/2024" means up to 23:59:59 that day."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, overload

from django.contrib.contenttypes.models import ContentType
from django.db.models import DateTimeField, IntegerField, Model, OuterRef, Q, QuerySet, Subquery, Value
from django.utils import timezone

from .models import EventAction, Submission, SubmissionEvent, SubmissionStatus

SENDING_ACTIONS = (EventAction.SUBMITTED, EventAction.RESUBMITTED)


def end_of(day: date) -> datetime:
    """The first moment after `day`, in the portal's time zone."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


@overload
def local_day(moment: datetime) -> date: ...
@overload
def local_day(moment: datetime | None) -> date | None: ...
def local_day(moment: datetime | None) -> date | None:
    return timezone.localdate(moment) if moment else None


def _events(model: type[Model], before: datetime) -> QuerySet[SubmissionEvent]:
    return SubmissionEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id=OuterRef("pk"), at__lt=before
    )


def with_facts(queryset: QuerySet[Any], on: date) -> QuerySet[Any]:
    """Annotate each submission with what its timeline says at the end of `on`: `first_sent_at` (None: not sent
    yet), `withdrawn_at` and `status_on` (its status then). Three correlated subqueries, no extra round trip."""
    before = end_of(on)
    events = _events(queryset.model, before)
    annotated: QuerySet[Any] = queryset.annotate(
        first_sent_at=Subquery(
            events.filter(action__in=SENDING_ACTIONS).order_by("at", "id").values("at")[:1],
            output_field=DateTimeField(),
        ),
        withdrawn_at=Subquery(
            events.filter(action=EventAction.WITHDRAWN).order_by("at", "id").values("at")[:1],
            output_field=DateTimeField(),
        ),
        status_on=Subquery(events.order_by("-at", "-id").values("to_status")[:1]),
    )
    return annotated


def first_sent_at(submission: Submission) -> datetime | None:
    """When the submission was first sent (None: never), from its timeline."""
    return (
        SubmissionEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(submission),
            object_id=submission.pk,
            action__in=SENDING_ACTIONS,
        )
        .order_by("at", "id")
        .values_list("at", flat=True)
        .first()
    )


def counted_on(queryset: QuerySet[Any], on: date) -> QuerySet[Any]:
    """The submissions of `queryset` that count as sent at the end of `on` (annotated as in with_facts)."""
    return with_facts(queryset, on).filter(Q(first_sent_at__isnull=False), Q(withdrawn_at__isnull=True))


@dataclass(frozen=True)
class OrgState:
    """One organisation's position on one obligation at the end of a day, folded over its submissions."""

    status: str  # a SubmissionStatus value, as it was that day
    first_sent_at: datetime | None

    @property
    def submitted_at(self) -> datetime | None:
        return self.first_sent_at


# When an organisation has several submissions for one obligation, the most advanced one decides its status.
_PRECEDENCE: dict[str, int] = {
    SubmissionStatus.ACCEPTED: 3,
    SubmissionStatus.SUBMITTED: 2,
    SubmissionStatus.RETURNED: 1,
}


def states_on(queryset: QuerySet[Any], on: date, organization_ids: Iterable[int] | None = None) -> dict[int, OrgState]:
    """{organization_id: OrgState} for the organisations with at least one counted submission in `queryset` at
    the end of `on`: the most advanced status of that day and the first time any of them was sent. One query."""
    if organization_ids is not None:
        queryset = queryset.filter(organization_id__in=organization_ids)
    rows = counted_on(queryset.order_by(), on).values("organization_id", "status_on", "first_sent_at")
    result: dict[int, OrgState] = {}
    for row in rows:
        _fold(result, row["organization_id"], row["status_on"], row["first_sent_at"])
    return result


def _fold(result: dict[int, OrgState], organization_id: int, status_on: str, first_sent_at: datetime | None) -> None:
    """Fold one counted submission into {organization_id: OrgState} (the most advanced status wins)."""
    current = result.get(organization_id)
    status = status_on if status_on in _PRECEDENCE else SubmissionStatus.SUBMITTED
    first = first_sent_at
    if current is not None:
        # Counted rows carry their first sending; a None (never seen) would lose to any real time.
        first = (
            min(t for t in (first, current.first_sent_at) if t is not None) if first or current.first_sent_at else None
        )
        if _PRECEDENCE[current.status] > _PRECEDENCE[status]:
            status = current.status
    result[organization_id] = OrgState(status=status, first_sent_at=first)


def states_on_many(querysets: dict[int, QuerySet[Any]], on: date) -> dict[int, dict[int, OrgState]]:
    """states_on for several querysets at once, in ONE query whatever their number (a UNION ALL of each
    queryset's counted submissions tagged with its key; the querysets may be of different models):
    {key: {organization_id: OrgState}}. Keys are integers (deadline ids)."""
    result: dict[int, dict[int, OrgState]] = {key: {} for key in querysets}
    parts = [
        counted_on(queryset.order_by(), on)
        .annotate(state_key=Value(key, output_field=IntegerField()))
        .values_list("organization_id", "status_on", "first_sent_at", "state_key")
        for key, queryset in querysets.items()
    ]
    if not parts:
        return result
    combined = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    for organization_id, status_on, first_sent_at, key in combined:
        if organization_id is not None:
            _fold(result[key], organization_id, status_on, first_sent_at)
    return result


def missing_events(submissions: Iterable[Any], content_type_id: int, event_model: type[Model]) -> list[Model]:
    """Unsaved timeline events for submissions that were written without the services (bulk loads, records
    from before the timeline was read): created, then sent at `submitted_at`, then the decision at
    `decided_at`. Only for submissions that have no sending event yet; drafts get their creation only.
    `event_model` is SubmissionEvent, or its historical model inside a migration."""
    events: list[Model] = []
    for submission in submissions:
        sent = submission.submitted_at or submission.created_at
        created = min(submission.created_at, sent)
        common = {
            "content_type_id": content_type_id,
            "object_id": submission.pk,
            "organization_id": submission.organization_id,
            "actor_id": submission.created_by_id,
        }
        events.append(event_model(**common, action="created", to_status="draft", at=created))
        if submission.status == "draft":
            continue
        events.append(event_model(**common, action="submitted", from_status="draft", to_status="submitted", at=sent))
        if submission.status != "submitted":
            decided = max(submission.decided_at or sent, sent)
            events.append(
                event_model(
                    **common, action=submission.status, from_status="submitted", to_status=submission.status, at=decided
                )
            )
    return events


def record_missing_timeline(queryset: QuerySet[Any]) -> int:
    """Write the events `missing_events` gives for the submissions of `queryset` without any timeline yet.
    Returns how many submissions were completed."""
    content_type = ContentType.objects.get_for_model(queryset.model)
    with_events = SubmissionEvent.objects.filter(content_type=content_type).values("object_id")
    submissions = list(queryset.exclude(pk__in=with_events))
    events = missing_events(submissions, content_type.pk, SubmissionEvent)
    SubmissionEvent.objects.bulk_create(events)  # type: ignore[arg-type]  # SubmissionEvent rows
    return len(submissions)
