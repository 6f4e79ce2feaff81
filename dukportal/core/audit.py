"""The one way services record a write."""

from datetime import date, datetime
from decimal import Decimal

from django.db import models

from . import figures_cache
from .models import AuditEntry


def _figures_changed(action: str) -> None:
    """Every audited write may change a figure (a submission, an organisation, a member, a deadline, a campaign
    or cycle): the cached figures' version moves on commit (dukportal.core.figures_cache). Sign-in events
    (auth.*) change no figure and are frequent, so they leave the cache alone."""
    if not action.startswith("auth."):
        figures_cache.changed()


def jsonable(value):
    """A value as JSON can hold it: dates in ISO form, decimals as text, model instances as their key."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def record(*, actor, action: str, target: models.Model, changes: dict | None = None) -> AuditEntry:
    _figures_changed(action)
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_repr=str(target)[:300],
        changes={key: jsonable(value) for key, value in (changes or {}).items()},
    )


def history_of(target: models.Model):
    return AuditEntry.objects.filter(target_type=target._meta.label_lower, target_id=str(target.pk)).select_related(
        "actor"
    )


def record_event(*, actor, action: str, label: str, changes: dict | None = None) -> AuditEntry:
    """An audited event with no stored object to point at (a failed login for a name no account has, a reset
    asked for an unknown address): the row names what was attempted instead."""
    _figures_changed(action)
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        target_type="auth",
        target_id="",
        target_repr=str(label)[:300],
        changes={key: jsonable(value) for key, value in (changes or {}).items()},
    )


def record_many(*, actor, action: str, entries) -> list[AuditEntry]:
    """One audit row per (target, changes) pair, written in a few INSERTs: a bulk write (the Excel import) audits
    every object it changes as record() would, without one statement per object."""
    _figures_changed(action)
    rows = [
        AuditEntry(
            actor=actor if getattr(actor, "pk", None) else None,
            action=action,
            target_type=target._meta.label_lower,
            target_id=str(target.pk),
            target_repr=str(target)[:300],
            changes={key: jsonable(value) for key, value in (changes or {}).items()},
        )
        for target, changes in entries
    ]
    return AuditEntry.objects.bulk_create(rows, batch_size=1000)
