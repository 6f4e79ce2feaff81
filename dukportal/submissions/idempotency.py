"""Exactly one record per form post, whatever the browser does (double click, two tabs, a replayed post).

Two guards, both in the database:
- a hidden per-render token (`{% form_token %}`, field `form_token`) claimed in `FormSubmissionToken` before
  the record is written: the second post carrying it waits on the unique index until the first commits, then
  finds what the first created;
- for kinds that are one per period (a UniqueConstraint or a unique field on the model), the conflicting row is
  looked up before saving (under a lock on the organisation, taken by submission_create) and again if the
  insert loses the race (IntegrityError inside a savepoint).

Either way the loser gets `AlreadyCreated` with the existing row, never an IntegrityError. Views answer a replay
of the same form with the normal page of that row and a message (submissions.views.answer_replay); a different
form for a one-per-period item is shown again with the rule's message."""

import uuid
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldError, ValidationError
from django.db import DEFAULT_DB_ALIAS, IntegrityError, models, transaction
from django.http import HttpRequest

from dukportal.core.forms import TOKEN_FIELD, token_of

from .models import FormSubmissionToken

__all__ = [
    "TOKEN_FIELD",
    "AlreadyCreated",
    "bind",
    "claim",
    "earlier_post",
    "raise_if_conflicting",
    "save_once",
    "token_of",
]


class AlreadyCreated(ValidationError):
    """The record this post asks for exists already. A ValidationError, so a view that does not know it still
    shows the message on the form instead of failing."""

    def __init__(self, existing: models.Model, message: str, *, replay: bool = False) -> None:
        super().__init__(message, code="already_created")
        self.existing = existing
        # True: this very form was posted before (a double click); False: another post made the one-per-period item.
        self.replay = replay


def sent_or_saved(existing: models.Model) -> str:
    if not hasattr(existing, "has_been_sent"):
        return "Bản ghi đã được tạo; không tạo thêm bản mới."
    if existing.has_been_sent:
        return "Hồ sơ đã được gửi."
    return "Hồ sơ đã được lưu."


def claim(token: str | uuid.UUID | None, *, actor: Any) -> FormSubmissionToken | None:
    """Claim `token` for this transaction, or raise AlreadyCreated when an earlier post of the same form has
    created its record. Call inside the transaction that creates the record, then `bind` it."""
    if not token or not getattr(actor, "pk", None):
        return None
    try:
        with transaction.atomic():
            return FormSubmissionToken.objects.create(token=token, user=actor)
    except IntegrityError:
        pass
    # The other post has committed (the insert waited for it); read what it made.
    used = FormSubmissionToken.objects.filter(token=token).first()
    if used is None or used.user_id != actor.pk:
        return None  # a token of someone else's form: ignore it rather than reveal anything
    existing = used.target if used.object_id else None
    if existing is None:
        return None
    raise AlreadyCreated(existing, "Biểu mẫu này đã được gửi trước đó. " + sent_or_saved(existing), replay=True)


def earlier_post(request: HttpRequest) -> AlreadyCreated | None:
    """If this POST's form was already posted and its record made, that record (as AlreadyCreated): an edit
    view checks it first, since the first post may have sent the item and so closed it to the officer."""
    token = token_of(request)
    user_id = getattr(request.user, "pk", None)
    if token is None or not user_id:
        return None
    used = FormSubmissionToken.objects.filter(token=token, user_id=user_id, object_id__isnull=False).first()
    existing = used.target if used else None
    if existing is None:
        return None
    return AlreadyCreated(existing, "Biểu mẫu này đã được gửi trước đó. " + sent_or_saved(existing), replay=True)


def bind(claimed: FormSubmissionToken | None, record: models.Model) -> None:
    if claimed is None:
        return
    claimed.content_type = ContentType.objects.get_for_model(record)
    claimed.object_id = record.pk
    claimed.save(update_fields=["content_type", "object_id"])


def _value(instance: models.Model, field_name: str) -> Any:
    return getattr(instance, _attname(type(instance), field_name))


def _attname(model: type[models.Model], field_name: str) -> str:
    field = model._meta.get_field(field_name)
    assert isinstance(field, models.Field)  # a constraint names the model's own columns
    return field.attname


def conflicting(instance: models.Model) -> tuple[models.Model | None, str]:
    """The existing row that one of the model's UniqueConstraints (fields + optional condition) says this new
    row would duplicate, with that constraint's message; (None, "") if none."""
    model = type(instance)
    for field in model._meta.concrete_fields:
        if field.unique and not field.primary_key and getattr(instance, field.attname) is not None:
            same = model._default_manager.filter(**{field.attname: getattr(instance, field.attname)})
            existing = same.exclude(pk=instance.pk).first() if instance.pk else same.first()
            if existing is not None:
                return existing, f"Đã có {model._meta.verbose_name} với {field.verbose_name} này."
    for constraint in model._meta.constraints:
        if not isinstance(constraint, models.UniqueConstraint) or not constraint.fields:
            continue
        lookup = {}
        for name in constraint.fields:
            value = _value(instance, name)
            if value is None:
                break  # NULLs never conflict
            lookup[_attname(model, name)] = value
        else:
            queryset = model._default_manager.filter(**lookup)
            if constraint.condition is not None:
                queryset = queryset.filter(constraint.condition)
                # The new row itself must fall under the condition for the constraint to apply.
                if not _matches(instance, constraint.condition):
                    continue
            if instance.pk:
                queryset = queryset.exclude(pk=instance.pk)
            first = queryset.order_by("pk").first()
            if first is not None:
                return first, str(constraint.violation_error_message or "")
    return None, ""


def _matches(instance: models.Model, condition: models.Q) -> bool:
    try:
        return bool(
            condition.check(
                {field.name: getattr(instance, field.attname) for field in instance._meta.concrete_fields},
                using=DEFAULT_DB_ALIAS,
            )
        )
    except FieldError:
        return True


def raise_if_conflicting(instance: models.Model) -> None:
    existing, message = conflicting(instance)
    if existing is not None:
        raise AlreadyCreated(existing, f"{message} {sent_or_saved(existing)}".strip())


def save_once(instance: models.Model) -> None:
    """Insert `instance`; if a concurrent insert of the same one-per-period row won, raise AlreadyCreated with
    it instead of letting the IntegrityError become a server error."""
    adding = instance._state.adding
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        if adding:
            instance.pk = None
        raise_if_conflicting(instance)
        raise
