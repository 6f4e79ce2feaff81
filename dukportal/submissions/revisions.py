"""Reads about a submission's content across versions: which fields staff may comment on when returning it,
the comments of its open return, and what changed from one kept version (SubmissionRevision) to the next or to
the current content — field by field, with the files added and removed in between."""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, cast

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.text import capfirst

from dukportal.core import audit

from .models import Attachment, EventAction, Submission, SubmissionEvent, SubmissionRevision, SubmissionStatus

# The key of a field comment about the files (the forms' upload field is called so too).
ATTACHMENT = "attachment"
ATTACHMENT_LABEL = "Tệp đính kèm"
EMPTY = "—"


def concrete_field(model: type[models.Model], name: str) -> "models.Field[Any, Any]":
    """A snapshot or review field: always one of the model's own columns, never a reverse relation."""
    return cast("models.Field[Any, Any]", model._meta.get_field(name))


def snapshot(submission: Submission) -> dict[str, Any]:
    """The content a revision keeps: the submission's snapshot fields, as JSON can hold them."""
    data = {}
    for name in submission.snapshot_fields:
        model_field = concrete_field(type(submission), name)
        data[name] = audit.jsonable(getattr(submission, model_field.attname))
    return data


def review_fields(submission: Submission) -> tuple[str, ...]:
    """The fields staff may comment on when returning `submission`, in form order, then the files."""
    names = submission.review_fields
    if names is None:
        names = tuple(
            n for n in submission.snapshot_fields if not isinstance(submission._meta.get_field(n), models.JSONField)
        )
    return (*names, ATTACHMENT)


def field_label(model: type[models.Model] | models.Model, name: str) -> str:
    """The label of a reviewable field. `model` may be a submission instance whose content is not all model
    fields (an indicator report's values, by code): its `review_field_labels()` names those."""
    if name == ATTACHMENT:
        return ATTACHMENT_LABEL
    labels = getattr(model, "review_field_labels", None)
    if labels is not None and not isinstance(model, type) and name in (named := labels()):
        return str(named[name])
    return capfirst(str(concrete_field(type(model) if not isinstance(model, type) else model, name).verbose_name))


def display_value(model: type[models.Model], name: str, value: Any) -> str:
    """A stored (JSON) value as the pages show it: choice labels, dd/mm/yyyy dates, "Có/Không", "—" if empty."""
    if value in (None, "", [], {}):
        return EMPTY
    model_field = concrete_field(model, name)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.BooleanField):
        return "Có" if value else "Không"
    if isinstance(model_field, models.DateField) and isinstance(value, str):
        try:
            return date.fromisoformat(value[:10]).strftime("%d/%m/%Y")
        except ValueError:
            return value
    if isinstance(model_field, models.ForeignKey):
        related = model_field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related else str(value)
    return str(value)


@dataclass(frozen=True)
class FieldComment:
    name: str
    label: str
    comment: str


def comments_of(submission: Submission, event: SubmissionEvent | None) -> list[FieldComment]:
    """The field comments of a return event, in the order of the fields."""
    raw = (event.field_comments or {}) if event else {}
    order = {name: i for i, name in enumerate(review_fields(submission))}
    return [
        FieldComment(name, field_label(submission, name), text)
        for name, text in sorted(raw.items(), key=lambda item: order.get(item[0], len(order)))
        if text
    ]


def open_field_comments(submission: Submission) -> list[FieldComment]:
    """While a submission stands returned, the field comments of the return that sent it back; else none."""
    if submission.status != SubmissionStatus.RETURNED:
        return []
    event = (
        SubmissionEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(submission),
            object_id=submission.pk,
            action=EventAction.RETURNED,
        )
        .order_by("-at", "-id")
        .first()
    )
    return comments_of(submission, event)


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    before: str
    after: str


@dataclass
class VersionDiff:
    """What changed from version `before_number` to `after_number` (None: the content as it is now)."""

    before_number: int
    after_number: int | None
    after_at: datetime | None
    changes: list[FieldChange] = field(default_factory=list)
    files_added: list[str] = field(default_factory=list)
    files_removed: list[str] = field(default_factory=list)

    @property
    def after_label(self) -> str:
        return f"phiên bản {self.after_number}" if self.after_number else "nội dung hiện tại"

    @property
    def is_empty(self) -> bool:
        return not (self.changes or self.files_added or self.files_removed)


def _files_at(files: list[Attachment], moment: datetime | None) -> dict[int, str]:
    """The files attached at `moment` (None: now), by id."""
    return {
        f.pk: f.original_name
        for f in files
        if (moment is None or f.uploaded_at <= moment)
        and (f.removed_at is None or (moment is not None and f.removed_at > moment))
    }


def version_diffs(
    submission: Submission,
    *,
    kept: list[SubmissionRevision] | None = None,
    files: list[Attachment] | None = None,
) -> list[VersionDiff]:
    """Each kept version against the next one, and the last against the current content when they differ;
    oldest first. Files are compared by what was attached at each version's moment. Two queries, none when
    the page has read them already: `kept`, the submission's revisions, `files`, every file ever attached to it
    (removed ones included), as review_context reads them."""
    target = {"content_type": ContentType.objects.get_for_model(submission), "object_id": submission.pk}
    if kept is None:
        kept = list(SubmissionRevision.objects.filter(**target))
    revisions = sorted(kept, key=lambda revision: revision.number)
    if not revisions:
        return []
    if files is None:
        files = list(Attachment.objects.filter(**target))
    model = type(submission)
    states = [(r.number, r.at, r.data) for r in revisions] + [(None, None, snapshot(submission))]
    diffs = []
    for (number, at, data), (next_number, next_at, next_data) in zip(states, states[1:], strict=False):
        assert number is not None  # only the current content, always last, has no number
        diff = VersionDiff(before_number=number, after_number=next_number, after_at=next_at)
        for name in submission.snapshot_fields:
            old, new = data.get(name), next_data.get(name)
            if old != new and not (old in (None, "") and new in (None, "")):
                diff.changes.append(
                    FieldChange(
                        name, field_label(model, name), display_value(model, name, old), display_value(model, name, new)
                    )
                )
        old_files, new_files = _files_at(files, at), _files_at(files, next_at)
        diff.files_added = [name for pk, name in new_files.items() if pk not in old_files]
        diff.files_removed = [name for pk, name in old_files.items() if pk not in new_files]
        if next_number is not None or not diff.is_empty:
            diffs.append(diff)
    return diffs
