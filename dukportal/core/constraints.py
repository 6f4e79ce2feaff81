"""Model validation without a database round trip where the answer is already in Python.

`full_clean()` checks every `CheckConstraint` with Django's `Q.check()`: a `SELECT … WHERE` inside a savepoint
(three statements a constraint) after building a query with one annotation per field of the model, and every
foreign key with a `SELECT 1` from the referenced table. On a registration that is 9 statements and 3 more for
each `full_clean()`, and most of the CPU of an officer's save or send (issue 13).

`ValidatedInPython` (a mixin, before models.Model) answers both in Python when it can, with the database's own
rules, and leaves everything else to Django as before:

- a check constraint whose condition is made of `=`, `<`, `<=`, `>`, `>=`, `IN` and `IS NULL` between the row's
  own fields (`F()`) and plain values, joined by AND, OR and NOT, is evaluated with SQL's three-valued logic
  (a comparison with NULL is unknown, and a CHECK passes unless it is false, as Django's `Coalesce(…, True)`
  does). Anything else — a join, a function, a text ordering (collations), values of mixed kinds, a field left
  out by `exclude` — is checked by Django's query, or skipped, exactly as Django would;
- a foreign key is held, and not looked up again, when its referenced row is the instance already on the field
  (read from the database, same key), or when the row itself was read from the database and the key is the one
  it stored (a draft read under a lock to be sent): either way the database's own foreign key vouched for it,
  and refuses the write at commit should the referenced row have gone meanwhile (referenced rows are
  PROTECTed). Any other value (an id set by hand, `limit_choices_to`, a reference with validators of its own)
  is looked up as before;
- a constraint that would need a query (a unique constraint, a check the Python cannot decide) is not asked
  when the row was read from the database and every field it names still holds the value stored there: the
  database checked it when it stored them. A changed field, a new row, an expression: Django's query.
"""

from collections.abc import Collection
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Self

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, router
from django.db.models import F, Q
from django.db.models.constants import LOOKUP_SEP

UNDECIDED = object()  # the condition needs the database (or Django's own rule): ask it
_NOT_STORED = object()  # the row was not read from the database, or not with that field


def _kind(value) -> str | None:
    """What a value can be compared with in Python exactly as PostgreSQL and SQLite compare it."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | Decimal | float):
        return "number"
    if isinstance(value, datetime):
        return "aware" if value.tzinfo is not None else "naive"
    if isinstance(value, date):
        return "date"
    if isinstance(value, str):
        return "text"
    return None


_ORDERINGS = {
    "gt": lambda a, b: a > b,
    "gte": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "lte": lambda a, b: a <= b,
}


def _operand(value, values: dict):
    """A plain value, or a row's field through F(); UNDECIDED for any other expression."""
    if isinstance(value, F):
        if value.name not in values:
            raise _Skip
        return values[value.name]
    if hasattr(value, "resolve_expression"):
        return UNDECIDED
    return value


class _Skip(Exception):
    """The condition names a field the values do not have: Django's check raises FieldError and the constraint
    is not checked (a field left out by `exclude`)."""


def _lookup(path: str, rhs, values: dict):
    """True, False, None (SQL's unknown) or UNDECIDED for one `field__lookup=value` of a Q."""
    name, _sep, lookup = path.partition(LOOKUP_SEP)
    lookup = lookup or "exact"
    if LOOKUP_SEP in lookup:
        return UNDECIDED  # a join or a transform
    if name not in values:
        raise _Skip
    lhs = values[name]
    if lhs is UNDECIDED:
        return UNDECIDED
    if lookup == "isnull":
        if not isinstance(rhs, bool):
            return UNDECIDED
        return (lhs is None) is rhs
    if lookup == "exact" and rhs is None:
        return lhs is None  # Django turns `field=None` into IS NULL
    if lookup == "in":
        if isinstance(rhs, str) or not hasattr(rhs, "__iter__"):
            return UNDECIDED
        choices = list(rhs)
        if not choices or any(_kind(choice) is None or choice is None for choice in choices):
            return UNDECIDED  # Django drops NULLs from IN lists and refuses an empty one
        if lhs is None:
            return None
        if any(_kind(choice) != _kind(lhs) for choice in choices):
            return UNDECIDED
        return lhs in choices
    rhs = _operand(rhs, values)
    if rhs is UNDECIDED:
        return UNDECIDED
    if lookup != "exact" and lookup not in _ORDERINGS:
        return UNDECIDED
    if lhs is None or rhs is None:
        return None
    kind = _kind(lhs)
    if kind is None or kind != _kind(rhs):
        return UNDECIDED
    if lookup == "exact":
        return lhs == rhs
    if kind in ("text", "bool"):
        return UNDECIDED  # text ordering follows the database's collation
    return _ORDERINGS[lookup](lhs, rhs)


def evaluate(condition: Q, values: dict):
    """A check constraint's condition on a row's values ({field name: Python value}, as Django's
    `_get_field_expression_map` names them): True, False, None (unknown) or UNDECIDED."""
    results = []
    for child in condition.children:
        if isinstance(child, Q):
            result = evaluate(child, values)
        elif isinstance(child, tuple) and len(child) == 2:
            result = _lookup(child[0], child[1], values)
        else:
            return UNDECIDED  # an expression as a condition
        if result is UNDECIDED:
            return UNDECIDED
        results.append(result)
    if condition.connector == Q.AND:
        result = False if False in results else (None if None in results else True)
    elif condition.connector == Q.OR:
        result = True if True in results else (None if None in results else False)
    else:
        return UNDECIDED  # XOR
    if condition.negated:
        result = None if result is None else not result
    return result


def row_values(instance: models.Model, model: type[models.Model], exclude) -> dict:
    """{field name: value} as Django's check gives it to the condition (a foreign key by its id); a value that
    is an expression (a database default, a generated field) is UNDECIDED."""
    exclude = exclude or set()
    values = {}
    for field in model._meta.local_concrete_fields:
        if field.name in exclude:
            continue
        if field.generated:
            values[field.name] = UNDECIDED
            continue
        value = getattr(instance, field.attname)
        values[field.name] = UNDECIDED if hasattr(value, "resolve_expression") else value
    if "pk" not in exclude:
        values["pk"] = instance.pk
    return values


def check_passes(constraint: models.CheckConstraint, model, instance, exclude):
    """True or False as Django's CheckConstraint.validate would decide, or UNDECIDED."""
    try:
        result = evaluate(Q(constraint.condition), row_values(instance, model, exclude))
    except _Skip:
        return True
    if result is UNDECIDED:
        return UNDECIDED
    return result is not False  # a CHECK fails only when false


def stored_value(instance: models.Model, attname: str):
    """The value the database gave the field when the instance was read (ValidatedInPython.from_db), or
    _NOT_STORED."""
    loaded = instance.__dict__.get("_stored_row")
    if loaded is None or instance._state.adding:
        return _NOT_STORED
    names, values = loaded
    try:
        return values[names.index(attname)]  # type: ignore[attr-defined]
    except (ValueError, AttributeError):
        return _NOT_STORED


def _unchanged(instance: models.Model, attname: str) -> bool:
    stored = stored_value(instance, attname)
    return stored is not _NOT_STORED and stored == getattr(instance, attname)


def _held(field: models.ForeignKey, instance: models.Model) -> bool:
    """The referenced row is the one already on the instance, read from the database, with the same key; or the
    key is the one the database stored on this row, read from it."""
    if field.remote_field.parent_link or field.get_limit_choices_to():
        return False
    value = getattr(instance, field.attname)
    if value is None:
        return False  # blank or not: Django says
    if not field.validators and _unchanged(instance, field.attname):
        return True
    if not field.is_cached(instance):
        return False
    related = field.get_cached_value(instance)
    return (
        related is not None and not related._state.adding and getattr(related, field.remote_field.field_name) == value
    )


def _condition_fields(condition: Q, names: set) -> bool:
    """Add the fields a condition names to `names`; False when it holds anything else (a join, an expression)."""
    for child in condition.children:
        if isinstance(child, Q):
            if not _condition_fields(child, names):
                return False
            continue
        if not (isinstance(child, tuple) and len(child) == 2):
            return False
        path, value = child
        name, _sep, lookup = path.partition(LOOKUP_SEP)
        if LOOKUP_SEP in lookup:
            return False
        names.add(name)
        if isinstance(value, F):
            names.add(value.name)
        elif hasattr(value, "resolve_expression"):
            return False
    return True


def vouched_by_database(constraint, model: type[models.Model], instance: models.Model) -> bool:
    """Every field the constraint names holds the value the database stored on this row (read from it): the
    database checked the constraint then, and its answer stands."""
    names: set = set()
    if isinstance(constraint, models.UniqueConstraint):
        if constraint.expressions:
            return False
        names.update(constraint.fields)
        condition = constraint.condition
    elif isinstance(constraint, models.CheckConstraint):
        condition = constraint.condition
    else:
        return False
    if condition is not None and not _condition_fields(Q(condition), names):
        return False
    try:
        attnames = [model._meta.pk.attname if name == "pk" else model._meta.get_field(name).attname for name in names]
    except (FieldDoesNotExist, AttributeError):
        return False
    return bool(attnames) and all(_unchanged(instance, attname) for attname in attnames)


class ValidatedInPython:
    """Mixin for a model (before models.Model): its check constraints and foreign keys are validated in Python
    where the answer is already there, and what the database vouches for on a row read from it is not asked
    again (module docstring); the rest as Django does."""

    @classmethod
    def from_db(cls, db: str | None, field_names: Collection[str], values: Collection[Any], **kwargs: Any) -> Self:
        instance = super().from_db(db, field_names, values, **kwargs)  # type: ignore[misc]
        # What the database stored, for _held and vouched_by_database (the row's own tuple: no copy).
        instance._stored_row = (field_names, values)
        return instance

    def save_base(self, *args, **kwargs):
        super().save_base(*args, **kwargs)  # type: ignore[misc]
        # The database now holds what was just written, which may differ from the row read: vouch no more.
        self.__dict__.pop("_stored_row", None)

    def clean_fields(self, exclude=None):
        held = {
            field.name
            for field in self._meta.concrete_fields
            if isinstance(field, models.ForeignKey) and _held(field, self)
        }
        super().clean_fields(exclude=set(exclude or ()) | held)  # type: ignore[misc]

    def validate_constraints(self, exclude=None):
        # Django's loop (Model.validate_constraints), with check constraints answered here when they can be.
        using = router.db_for_write(self.__class__, instance=self)
        errors: dict = {}
        for model_class, model_constraints in self.get_constraints():  # type: ignore[attr-defined]
            for constraint in model_constraints:
                try:
                    passes = (
                        check_passes(constraint, model_class, self, exclude)
                        if isinstance(constraint, models.CheckConstraint)
                        else UNDECIDED
                    )
                    if passes is UNDECIDED and not vouched_by_database(constraint, model_class, self):  # type: ignore[arg-type]
                        constraint.validate(model_class, self, exclude=exclude, using=using)
                    elif not passes:
                        raise ValidationError(
                            constraint.get_violation_error_message(), code=constraint.violation_error_code
                        )
                except ValidationError as e:
                    if getattr(e, "code", None) == "unique" and len(constraint.fields) == 1:
                        errors.setdefault(constraint.fields[0], []).append(e)
                    else:
                        errors = e.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)
