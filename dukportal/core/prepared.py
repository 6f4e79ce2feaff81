"""A query whose SQL is compiled once per process and then run again with another value in one place.

Why (issue 13, `bench/load.py --profile`): the officer's landing page asks two UNION ALLs of timeline
subqueries (its obligations), the same SQL on every request but for the organisation's id. Building and
compiling them with the ORM cost 30–40 ms of CPU a request; running them costs about 1 ms.

`rows(key, build, value)`: `build(placeholder)` returns the queryset, with `placeholder` where the varying value
goes (an integer filter value, e.g. `organization_id=placeholder`). The first call for a `key` builds and compiles
it with a placeholder no row can have, notes where that placeholder sits among the SQL parameters and keeps the
compiled query; every later call for the key runs the same SQL with the value in those places and converts the
rows as iterating the queryset would (Django's own converters: dates on SQLite, etc.).

The key must name everything the SQL depends on other than the value (the caller's inputs: ids, kinds, dates).
A build that READ the database to shape its query (a registry callable looking a row up) is not kept — its SQL
may depend on data that changes — and that call runs as an ordinary query; nor is a query whose placeholder
Django did not pass as a parameter.

`keyed_rows(key, build)`: the same for a values_list query with nothing to substitute, whose key names every
input (a list page's scope, date, filters and slice): compiled on the first call for the key, run as kept after."""

from collections import OrderedDict
from collections.abc import Callable
from threading import Lock
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import Func, IntegerField, Model, QuerySet, Subquery

# Negative: no sequence gives it, so no row has it, so a first run with it returns nothing and costs nothing.
PLACEHOLDER = -2_147_480_017  # inside a 32-bit integer: Django drops out-of-range lookup values
# For a column Django knows to be non-negative (PositiveBigIntegerField: a negative value is out of its range, so
# the ORM compiles no SQL for it): an id far beyond any sequence, inside every positive integer range.
POSITIVE_PLACEHOLDER = 2_147_480_017
_MAX_ENTRIES = 512  # keys carry the date: yesterday's entries age out

_compiled: "OrderedDict[tuple, _Compiled | _Uncached]" = OrderedDict()
_GIVE_UP_AFTER = 3  # builds that read the database, for one key
_lock = Lock()


class _Compiled:
    def __init__(self, queryset: QuerySet, placeholder: int | None):
        self.using = queryset.db
        self.compiler = queryset.query.get_compiler(self.using)
        self.sql, params = self.compiler.as_sql()
        self.params = list(params)
        self.slots = [i for i, p in enumerate(self.params) if type(p) is int and p == placeholder]
        # What results_iter() works out on every call, once: the row converters depend on the selected columns
        # and the database vendor only (a registration page's six prepared reads spent ~0.4 ms a request on it).
        self.fields = [column[0] for column in self.compiler.select[0 : self.compiler.col_count]]
        self.converters = self.compiler.get_converters(self.fields)
        self.composite = self.compiler.has_composite_fields(self.fields)

    def run(self, value: int) -> list[tuple]:
        params = list(self.params)
        for i in self.slots:
            params[i] = value
        with connections[self.using].cursor() as cursor:
            cursor.execute(self.sql, params)
            fetched = cursor.fetchall()
        # As results_iter(results=[fetched], tuple_expected=True), with the converters found at compile time.
        rows = fetched
        if self.converters:
            rows = self.compiler.apply_converters(rows, self.converters)
        if self.composite:
            rows = self.compiler.composite_fields_to_tuples(rows, self.fields)
        return list(map(tuple, rows))


def _build_reading_nothing(build: Callable[[int], QuerySet], placeholder: int) -> tuple[QuerySet, bool]:
    """build(placeholder), and whether it ran no query while building (its SQL depends on its inputs only)."""
    ran = []

    def note(execute, sql, params, many, context):
        ran.append(sql)
        return execute(sql, params, many, context)

    with connections["default"].execute_wrapper(note):
        queryset = build(placeholder)
    return queryset, not ran


def _compiled_or_none(queryset: QuerySet, placeholder: int | None) -> "_Compiled | None":
    try:
        return _Compiled(queryset, placeholder)
    except EmptyResultSet:  # the placeholder was out of a lookup's range: nothing to substitute
        return None


class _Uncached:
    """A key whose build read the database: `attempts` times so far."""

    def __init__(self, attempts: int):
        self.attempts = attempts


def rows(
    key: tuple, build: Callable[[int], QuerySet], value: int, *, placeholder: int = PLACEHOLDER
) -> list[tuple[Any, ...]]:
    """The rows of build(value) (tuples, as a values_list queryset gives them), with the SQL compiled once per
    process for `key` (see the module docstring). `placeholder`: POSITIVE_PLACEHOLDER where the value fills a
    column Django knows to be non-negative."""
    with _lock:
        entry = _compiled.get(key)
        if entry is not None:
            _compiled.move_to_end(key)
    if isinstance(entry, _Compiled):
        return entry.run(value)
    attempts = entry.attempts if isinstance(entry, _Uncached) else 0
    if attempts >= _GIVE_UP_AFTER:
        return list(build(value))  # its SQL depends on data it reads: an ordinary query every time
    queryset, pure = _build_reading_nothing(build, placeholder)
    compiled = _compiled_or_none(queryset, placeholder) if pure else None
    if compiled is not None and (not compiled.slots or str(placeholder) in compiled.sql):
        compiled = None  # the value was not passed as a parameter: nothing to substitute safely
    with _lock:
        # A build that read the database may only have filled a per-process cache (ContentType's, on the first
        # request): tried again on the next calls, given up after a few.
        _compiled[key] = compiled or _Uncached(attempts + 1 if compiled is None and not pure else _GIVE_UP_AFTER)
        while len(_compiled) > _MAX_ENTRIES:
            _compiled.popitem(last=False)
    return compiled.run(value) if compiled else list(build(value))


def keyed_rows(key: tuple, build: Callable[[], QuerySet]) -> list[tuple[Any, ...]]:
    """The rows of the values_list queryset build() gives, as tuples in the order of its fields (as iterating it
    would), with the SQL compiled once per process for `key`: a query with no value to substitute, whose key
    names every input its SQL depends on (a list's user scope, date, filters and slice). A build that reads
    the database is not kept, as in rows()."""
    key = ("keyed", *key)
    with _lock:
        entry = _compiled.get(key)
        if entry is not None:
            _compiled.move_to_end(key)
    if isinstance(entry, _Compiled):
        return entry.run(0)
    attempts = entry.attempts if isinstance(entry, _Uncached) else 0
    if attempts >= _GIVE_UP_AFTER:
        return list(build())
    queryset, pure = _build_reading_nothing(lambda _placeholder: build(), PLACEHOLDER)
    # The compiled SELECT lists a values_list's columns in the order asked (Django 5.2), as iterating it gives them.
    compiled = _compiled_or_none(queryset, None) if pure else None
    with _lock:
        _compiled[key] = compiled or _Uncached(attempts + 1 if not pure else _GIVE_UP_AFTER)
        while len(_compiled) > _MAX_ENTRIES:
            _compiled.popitem(last=False)
    return compiled.run(0) if compiled else list(queryset)


class _CountRows(Func):
    """COUNT(*) over every row of the query, as a plain function: the ORM adds no GROUP BY (one total)."""

    template = "COUNT(*)"
    output_field = IntegerField()


COUNT_ROWS = _CountRows  # for a total in a keyed query: values_list(COUNT_ROWS()), or inside a Subquery


class KeyedList:
    """A values_list queryset as a Paginator reads it (count(), then a slice), through keyed_rows: the count and
    each page compiled once per process for `key` (which names every input of build(), as for keyed_rows). The
    rows are tuples, or `row(*columns)` (a named tuple class) when given."""

    def __init__(self, key: tuple, build: Callable[[], QuerySet], row: Callable[..., Any] | None = None):
        self.key, self.build, self.row = key, build, row

    def count(self) -> int:
        rows = keyed_rows((*self.key, "count"), lambda: self.build().order_by().values_list(_CountRows()))
        return rows[0][0] if rows else 0

    def __getitem__(self, page: slice) -> list:
        rows = keyed_rows((*self.key, page.start, page.stop), lambda: self.build()[page])
        return [self.row(*row) for row in rows] if self.row else rows


def instances(
    key: tuple,
    model: type[Model],
    build: Callable[[int], QuerySet],
    value: int,
    *,
    annotations: tuple[str, ...] = (),
    related: tuple[str, ...] = (),
    placeholder: int = PLACEHOLDER,
) -> list[Model]:
    """The model instances build(value) gives (all concrete fields, with the named annotations set on each, in its
    order), through `rows`: the SQL compiled once per process for `key`. `related` names foreign keys read in the
    same query as select_related would (each related row with all its fields, None through a null key). For
    querysets of `model` itself without select_related, deferred fields or prefetches (refused: their instances
    are not only their rows; name the foreign keys in `related` instead)."""
    names = tuple(f.attname for f in model._meta.concrete_fields)
    joined = []  # (foreign key name, related model, its attnames)
    for name in related:
        field = model._meta.get_field(name)
        if not (field.many_to_one or field.one_to_one) or not field.concrete:
            raise ValueError(f"prepared.instances: {name} is not a foreign key of {model.__name__}")
        joined.append((name, field.related_model, tuple(f.attname for f in field.related_model._meta.concrete_fields)))

    def values(placeholder: int) -> QuerySet:
        queryset = build(placeholder)
        query = queryset.query
        if queryset.model is not model or query.select_related or queryset._prefetch_related_lookups:
            raise ValueError("prepared.instances: a plain queryset of the model, without related reads")
        if query.deferred_loading != (frozenset(), True) or set(query.annotations) != set(annotations):
            raise ValueError("prepared.instances: every field, and exactly the named annotations")
        columns = [f"{name}__{attname}" for name, _model, attnames in joined for attname in attnames]
        return queryset.values_list(*names, *columns, *annotations)

    using = router.db_for_read(model)
    result = []
    for row in rows(key, values, value, placeholder=placeholder):
        instance = model.from_db(using, names, row[: len(names)])
        start = len(names)
        for name, related_model, attnames in joined:
            part = row[start : start + len(attnames)]
            start += len(attnames)
            pk = part[[f.attname for f in related_model._meta.concrete_fields].index(related_model._meta.pk.attname)]
            setattr(instance, name, None if pk is None else related_model.from_db(using, attnames, part))
        for name, annotated in zip(annotations, row[start:], strict=True):
            setattr(instance, name, annotated)
        result.append(instance)
    return result


def clear() -> None:
    with _lock:
        _compiled.clear()


class IdsFirstKeyedList(KeyedList):
    """KeyedList whose page is cut on the ids first, as dukportal.core.pagination.IdsFirstPaginator reads a
    queryset: `WHERE pk IN (SELECT pk … ORDER BY … LIMIT … OFFSET …)` with the outer query in the same order; the
    count and each page compiled once per process for `key`."""

    def __getitem__(self, page: slice) -> list:
        def build() -> QuerySet:
            rows = self.build()
            return rows.filter(pk__in=Subquery(rows.values("pk")[page]))

        rows = keyed_rows((*self.key, "ids first", page.start, page.stop), build)
        return [self.row(*row) for row in rows] if self.row else rows
