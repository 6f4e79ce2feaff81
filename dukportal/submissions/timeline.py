"""What a submission was on a date, read from its timeline (SubmissionEvent rows with their timestamps), never
from the status field as it is now. This is the only place that decides whether a submission "counts":

- it counts from the moment it was first sent (a SUBMITTED or RESUBMITTED event) until it is withdrawn;
- a return for revision does not un-send it (it stays counted while the organisation completes it);
- a draft never counts, nor anything sent after the end of the reference day.

Days are local days (Asia/Ho_Chi_Minh): "as of 15/5/2024" means up to 23:59:59 that day.

The two moments that decide it are kept on the submission row (Submission.counted_from: the first sending;
counted_until: the withdrawal, which is final), written by the services with the event, so "counted on D" is
two comparisons on the row. The status on D needs the events only for a row changed after D (today's pages,
and past days for rows untouched since, read the status column)."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, overload

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, DateTimeField, F, IntegerField, Model, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.lookups import Exact
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


def _changed_before(before: datetime) -> Q:
    """The row's status is already the one it has now at `before`: every save (each status change is one, as
    are the sending's and the decision's dates) happened earlier."""
    return (
        Q(updated_at__lt=before)
        & (Q(submitted_at__isnull=True) | Q(submitted_at__lt=before))
        & (Q(decided_at__isnull=True) | Q(decided_at__lt=before))
    )


def _moment_by(field: str, before: datetime) -> Case:
    return Case(When(**{f"{field}__lt": before}, then=F(field)), default=None, output_field=DateTimeField())


def with_facts(queryset: QuerySet[Any], on: date) -> QuerySet[Any]:
    """Annotate each submission with what its timeline says at the end of `on`: `first_sent_at` (None: not sent
    yet), `withdrawn_at` and `status_on` (its status then). The moments come from the row's columns; the status
    from the row unless it changed after `on` (then the last event before: one correlated subquery for those
    rows only)."""
    before = end_of(on)
    last_status = Subquery(_events(queryset.model, before).order_by("-at", "-id").values("to_status")[:1])
    annotated: QuerySet[Any] = queryset.annotate(
        first_sent_at=_moment_by("counted_from", before),
        withdrawn_at=_moment_by("counted_until", before),
        status_on=Case(When(_changed_before(before), then=F("status")), default=last_status),
    )
    return annotated


def status_on_is(model: type[Model], on: date, status: str) -> Q:
    """The submission's status at the end of `on` (with_facts' `status_on`) is `status`, written as (unchanged
    since `on` and the status column says so) or (changed since, and the last event before says so). The same
    rows as filtering `status_on`, but the planner estimates the first part from the status column's
    statistics: it took the CASE of `status_on` for 0.5 % of the rows (10 of a campaign's 2,000 accepted
    registrations) and chose a nested loop over all organisations for it (bench/README.md, branch
    matrixsql)."""
    before = end_of(on)
    last_status = Subquery(_events(model, before).order_by("-at", "-id").values("to_status")[:1])
    unchanged = _changed_before(before)
    return (unchanged & Q(status=status)) | (~unchanged & Q(Exact(last_status, Value(status))))


def counted_q(on: date) -> Q:
    """The submission counts at the end of `on`: first sent by then and not withdrawn by then."""
    before = end_of(on)
    return Q(counted_from__lt=before) & (Q(counted_until__isnull=True) | Q(counted_until__gte=before))


def first_sent_at(submission: Submission) -> datetime | None:
    """When the submission was first sent (None: never), from its timeline."""
    return submission.counted_from


def counted_on(queryset: QuerySet[Any], on: date) -> QuerySet[Any]:
    """The submissions of `queryset` that count as sent at the end of `on` (annotated as in with_facts)."""
    return with_facts(queryset.filter(counted_q(on)), on)


def moments_from_events(content_type_id: int, event_model: type[Model]) -> dict[str, Subquery]:
    """{column: subquery} giving counted_from and counted_until from a submission's events, for an UPDATE of
    rows written without the services. `event_model` is SubmissionEvent, or its historical model inside a
    migration."""
    events = event_model._default_manager.filter(content_type_id=content_type_id, object_id=OuterRef("pk"))
    sendings, withdrawals = events.filter(action__in=SENDING_ACTIONS), events.filter(action=EventAction.WITHDRAWN)
    return {
        "counted_from": Subquery(sendings.order_by("at", "id").values("at")[:1], output_field=DateTimeField()),
        "counted_until": Subquery(withdrawals.order_by("at", "id").values("at")[:1], output_field=DateTimeField()),
    }


def store_counted_moments(queryset: QuerySet[Any]) -> int:
    """Write counted_from and counted_until from the events for the rows of `queryset` (bulk loads, events
    rewritten by a script or a test): one UPDATE. Returns the number of rows."""
    content_type = ContentType.objects.get_for_model(queryset.model)
    return queryset.update(**moments_from_events(content_type.pk, SubmissionEvent))


def store_counted_moments_of(events: Iterable[SubmissionEvent]) -> None:
    """store_counted_moments for the submissions that `events`, written in bulk, belong to (one UPDATE a kind)."""
    targets: dict[int, set[int]] = defaultdict(set)
    for event in events:
        targets[event.content_type_id].add(event.object_id)
    for content_type_id, ids in targets.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        assert model is not None
        for chunk in _chunks(sorted(ids)):
            store_counted_moments(model._default_manager.filter(pk__in=chunk))


def _chunks(ids: list[int], size: int = 2000) -> Iterable[list[int]]:
    return (ids[start : start + size] for start in range(0, len(ids), size))


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


def counted_union(querysets: dict[int, QuerySet[Any]], on: date) -> QuerySet[Any] | None:
    """Each queryset's counted submissions at the end of `on`, tagged with its key, as ONE query (a UNION ALL;
    the querysets may be of different models): rows (organization_id, status_on, first_sent_at, key) for
    `fold_states`. None when there is no queryset."""
    parts = [
        counted_on(queryset.order_by(), on)
        .annotate(state_key=Value(key, output_field=IntegerField()))
        .values_list("organization_id", "status_on", "first_sent_at", "state_key")
        for key, queryset in querysets.items()
    ]
    if not parts:
        return None
    combined: QuerySet[Any] = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return combined


def fold_states(
    rows: Iterable[tuple[Any, ...]], result: dict[int, dict[int, OrgState]]
) -> dict[int, dict[int, OrgState]]:
    """The rows of `counted_union` folded into {key: {organization_id: OrgState}} (keys missing from `result`
    are added)."""
    for organization_id, status_on, first_sent_at, key in rows:
        if organization_id is not None:
            _fold(result.setdefault(key, {}), organization_id, status_on, first_sent_at)
    return result


def states_on_many(querysets: dict[int, QuerySet[Any]], on: date) -> dict[int, dict[int, OrgState]]:
    """states_on for several querysets at once, in ONE query whatever their number (`counted_union`):
    {key: {organization_id: OrgState}}. Keys are integers (deadline ids)."""
    result: dict[int, dict[int, OrgState]] = {key: {} for key in querysets}
    combined = counted_union(querysets, on)
    return result if combined is None else fold_states(combined, result)


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
    store_counted_moments_of(events)  # type: ignore[arg-type]
    return len(submissions)


def backfill_counted_moments(apps: Any, app_label: str, model_names: Iterable[str]) -> None:
    """The RunPython step of the migrations that added counted_from / counted_until: every row of the models
    gets them from its events (one UPDATE per model). Without a content type there are no events, nor rows."""
    content_types = apps.get_model("contenttypes", "ContentType")
    event_model = apps.get_model("submissions", "SubmissionEvent")
    for name in model_names:
        content_type = content_types.objects.filter(app_label=app_label, model=name).first()
        if content_type is not None:
            apps.get_model(app_label, name).objects.update(**moments_from_events(content_type.pk, event_model))
