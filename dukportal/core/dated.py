"""Dated profiles: values of a row that change on a date while documents of before keep the old ones (the
bloc's name and header lines, an issuing body's lines and signer). Shared by the services that record them."""

from collections.abc import Callable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from .text import normalize_text


def record_dated_change(
    *,
    owner: models.Model,
    fields: tuple[str, ...],
    given: dict,
    effective_on: date,
    first_from: date,
    new_profile: Callable[..., models.Model],
    too_early: str,
    nothing_changed: str,
) -> tuple[models.Model, dict]:
    """Record the `given` values (None: not given) of `owner` from `effective_on`, as a new profile made by
    `new_profile(valid_from=…, **values)`. The first change also records the values in force before it (from
    `first_from`), so earlier dates keep them; changes are recorded in date order (`too_early` names the last
    one's day). When the change is in force today, the owner's row takes the new values too (forms and lists
    read it). Returns the new profile and the changes, for the audit row. `owner` must be locked."""
    profiles = list(owner.profiles.order_by("valid_from"))
    if not profiles:
        first = new_profile(valid_from=first_from, **{name: getattr(owner, name) for name in fields})
        first.full_clean()
        first.save()
        profiles = [first]
    last = profiles[-1]
    if effective_on <= last.valid_from:
        raise ValidationError(
            {"effective_on": ValidationError(too_early, params={"day": f"{last.valid_from:%d/%m/%Y}"})}
        )
    values = {name: getattr(last, name) for name in fields}
    changes: dict = {"effective_on": effective_on}
    for name, value in given.items():
        if value is None:
            continue
        value = normalize_text(value)
        if value != values[name]:
            changes[name] = {"from": values[name], "to": value}
            values[name] = value
    if len(changes) == 1:
        raise ValidationError(nothing_changed)
    profile = new_profile(valid_from=effective_on, **values)
    profile.full_clean()
    profile.save()
    if effective_on <= timezone.localdate():
        for name, value in values.items():
            setattr(owner, name, value)
        owner.full_clean()
        owner.save(update_fields=list(fields))
    return profile, changes
