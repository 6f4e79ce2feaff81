"""Reads for organisations and members. Every list starts from organisations_visible_to(user)."""

from collections import namedtuple
from datetime import date

from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from dukportal.core import prepared
from dukportal.core.text import fold, search_terms

from . import access, history
from .models import BaseOrganization, Bloc, Cell, Member, MembershipPeriod, OpenMembershipCount, Sector


def current_bloc(on: date | None = None) -> Bloc | None:
    """The bloc active on `on` (default today); its dated names are read with organizations.blocs.bloc_values_on
    (a rename adds a dated profile to the same Bloc row, so organisations keep their `bloc`)."""
    active = Bloc.objects.active_on(on or timezone.localdate()).order_by("-valid_from", "id").first()
    return active or Bloc.objects.order_by("-valid_from", "id").first()


def _count_subquery(queryset: QuerySet, outer_field: str) -> Coalesce:
    counted = (
        queryset.filter(**{outer_field: OuterRef("pk")})
        .order_by()
        .values(outer_field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _filter_search(queryset: QuerySet, query: str | None) -> QuerySet:
    for term in search_terms(query):
        queryset = queryset.filter(search_key__contains=term)
    return queryset


def _word_start(term: str) -> Q:
    """The folded name has a word starting with `term` ("an" finds "An" and "Anh", not "Lan" or "Bình")."""
    return Q(search_key__startswith=term) | Q(search_key__contains=f" {term}")


def _whole_word(term: str) -> Q:
    return (
        Q(search_key=term)
        | Q(search_key__startswith=f"{term} ")
        | Q(search_key__endswith=f" {term}")
        | Q(search_key__contains=f" {term} ")
    )


def _search_people(queryset: QuerySet, query: str | None) -> QuerySet:
    """Names where every typed word starts a word of the name, diacritics and case ignored, ranked: the exact
    full name first, then names holding every typed word whole, then the rest (word starts). Plain LIKE
    on the stored search key, so SQLite and PostgreSQL agree and it stays one query."""
    terms = search_terms(query)
    if not terms:
        return queryset.annotate(search_rank=Value(0, output_field=IntegerField()))
    for term in terms:
        queryset = queryset.filter(_word_start(term))
    whole = Q()
    for term in terms:
        whole &= _whole_word(term)
    return queryset.annotate(
        search_rank=Case(
            When(search_key=fold(query), then=Value(0)),
            When(whole, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    )


def _organizations_on(user, *, query: str, sector: str, on: date) -> QuerySet:
    queryset = access.organizations_visible_to(user).active_on(on)
    if sector:
        queryset = queryset.filter(sector=sector)
    return _filter_search(queryset, query)


def organization_list(user, *, query: str = "", sector: str = "", on: date | None = None) -> QuerySet:
    """Organisations the user may read, active on a day, with their cell and member counts on that day: one
    SQL query whatever the number of organisations. The organisation list ("Tại ngày"), the dashboard and
    every other page that shows the bloc's size read this, so they agree for any date."""
    on = on or timezone.localdate()
    queryset = _organizations_on(user, query=query, sector=sector, on=on)
    # Each organisation under the name it bore on that day (a rename keeps the old name on earlier dates).
    return history.with_name_on(_with_counts(queryset, on), on).order_by("sort_key")


# What a row of the organisation list shows, read as named rows (a page reads nothing else).
ORGANIZATION_ROW_FIELDS = (
    "pk", "code", "name", "name_on_date", "kind", "sector", "cell_count", "member_count", "secretary_name", "phone",
)  # fmt: skip
OrganizationRow = namedtuple("OrganizationRow", ORGANIZATION_ROW_FIELDS)


def scope_key(user) -> tuple:
    """What access.scope's restriction of a query depends on: the whole bloc, one organisation, or nothing (the
    part of a prepared query's key that names the user)."""
    if access.reads_everything(user):
        return ("all",)
    if access.is_officer(user):
        return ("organization", user.organization_id)
    return ("none",)


def organization_list_rows(user, *, query: str = "", sector: str = "", on: date) -> prepared.KeyedList:
    """organization_list(user, query=…, sector=…, on=…)'s rows as OrganizationRow named tuples, for a Paginator
    (given the count from the totals): each page is one query whose SQL is compiled once per process for
    (scope, day, sector, search words, slice) (dukportal.core.prepared.KeyedList). Why (issue 13, branch
    pages74b): building and compiling the list's query with its three subqueries cost about 2 ms of CPU a
    request, running it a fraction of that."""
    return prepared.KeyedList(
        ("organization list", scope_key(user), on, sector, tuple(search_terms(query))),
        lambda: organization_list(user, query=query, sector=sector, on=on).values_list(*ORGANIZATION_ROW_FIELDS),
        OrganizationRow,
    )


def organization_list_totals(user, *, query: str = "", sector: str = "", on: date | None = None) -> dict:
    """organization_totals of the whole filtered list in SQL (three counts in one query, its SQL compiled once per
    process for the scope, day, sector and search words: dukportal.core.prepared.keyed_rows), for a page that
    shows only some rows: the same figures as summing organization_list's rows. The members are counted from
    the open periods and those that changed after the day (_members_count), not period by period."""
    on = on or timezone.localdate()

    def build() -> QuerySet:
        organizations = _organizations_on(user, query=query, sector=sector, on=on).order_by()
        ids = organizations.values("pk")
        cells = Cell.objects.active_on(on).filter(organization__in=ids).order_by().values_list(prepared.COUNT_ROWS())
        members = _members_count(on, ids)
        return organizations.values_list(prepared.COUNT_ROWS(), Subquery(cells), members)

    key = ("organization list totals", scope_key(user), on, sector, tuple(search_terms(query)))
    rows = prepared.keyed_rows(key, build)  # none where the user may read no organisation (an empty scope)
    organizations, cells, members = rows[0] if rows else (0, 0, 0)
    return {"organizations": organizations, "cells": cells, "members": members}


class _Total(Func):
    """SUM of a column over every row of the query, 0 for none, as a plain function (no GROUP BY: one total)."""

    template = "COALESCE(SUM(%(expressions)s), 0)"
    output_field = IntegerField()


def _members_count(on: date, organization_ids: QuerySet | None):
    """An expression counting the members of `organization_ids` (active on `on`) on that day, or with None those
    of every organisation active that day: the membership periods current on `on` (members_on), counted as

        the open periods (OpenMembershipCount, one row an organisation, kept by the database)
        − the open periods that start after `on`
        + the closed periods that started by `on` and end after it,

    which is members_on(on)'s count (a period current on `on` is open or ends after it, and it started by `on`;
    left_on ≥ joined_on is a constraint). Only the periods that changed after `on` are read, through two partial
    indexes (memberperiod_open_start_idx, memberperiod_closed_end_idx), so a figure of a past day stays what
    the dated periods say after any later transfer, merge or dissolution. Why (issue 13): counting every
    current period (≈ 61,500 at 1,000 organisations) was 7–15 ms of the organisation list's SQL on a quiet
    machine; this is about 1 ms for today or this year (EXPLAIN in bench/README.md, branch orglist3)."""
    if organization_ids is None:
        organization_ids = BaseOrganization.objects.active_on(on).order_by().values("pk")
    periods = MembershipPeriod.objects.order_by().filter(organization__in=organization_ids)
    open_periods = OpenMembershipCount.objects.order_by().filter(organization__in=organization_ids)
    started_later = periods.filter(left_on__isnull=True, joined_on__gt=on)
    ends_later = periods.filter(left_on__isnull=False, joined_on__lte=on, left_on__gt=on)
    return ExpressionWrapper(
        Subquery(open_periods.values_list(_Total("open_periods")), output_field=IntegerField())
        - Subquery(started_later.values_list(prepared.COUNT_ROWS()), output_field=IntegerField())
        + Subquery(ends_later.values_list(prepared.COUNT_ROWS()), output_field=IntegerField()),
        output_field=IntegerField(),
    )


def bloc_member_count(on: date) -> int:
    """The members of the organisations active on `on`, counted on that day (the sum of organization_list's
    member counts for someone who reads every organisation; one statement, none where there is no organisation)."""
    counted = (
        BaseOrganization.objects.order_by().annotate(n=_members_count(on, None)).values_list("n", flat=True).first()
    )
    return counted or 0


class OrganizationLookupError(ValueError):
    """A typed organisation that names none (or several) of those the user may choose; the message says which."""


LOOKUP_LIMIT = 20


def organization_choices(user, query: str, *, organizations: QuerySet | None = None, limit: int = LOOKUP_LIMIT):
    """Up to `limit` organisations matching a typed code or name (diacritics ignored), among those the user
    may read and, if given, `organizations` (e.g. those active in the campaign's year): the search-as-you-type
    list of a staff form. Two fields a row, one query."""
    queryset = access.organizations_visible_to(user)
    if organizations is not None:
        queryset = queryset.filter(pk__in=organizations.values("pk"))
    if not search_terms(query):
        return []
    return list(_filter_search(queryset, query).order_by("sort_key").values("pk", "code", "name")[:limit])


def organization_from_text(user, text: str, *, organizations: QuerySet | None = None) -> BaseOrganization:
    """The one organisation a typed value names, among those the user may read (and `organizations`): its
    exact code, or "CODE – name" as the suggestions show it, or words of its name that match only it.
    Unknown, invisible or ambiguous: OrganizationLookupError with a Vietnamese message."""
    queryset = access.organizations_visible_to(user)
    if organizations is not None:
        queryset = queryset.filter(pk__in=organizations.values("pk"))
    text = " ".join((text or "").split())
    code = text.split(" – ", 1)[0].strip()
    by_code = list(queryset.filter(code__iexact=code)[:2]) if code else []
    if len(by_code) == 1:
        return by_code[0]
    by_name = list(queryset.filter(name__iexact=text)[:2])
    if len(by_name) == 1:
        return by_name[0]
    matches = list(_filter_search(queryset, text).order_by("sort_key")[:2]) if search_terms(text) else []
    if not matches:
        raise OrganizationLookupError(
            f"Không tìm thấy tổ chức cơ sở đảng “{text}”: nhập mã (ví dụ CS0001) hoặc tên của đơn vị."
        )
    if len(matches) > 1:
        raise OrganizationLookupError(
            f"“{text}” khớp với nhiều tổ chức cơ sở đảng (ví dụ “{matches[0].name}”, “{matches[1].name}”): "
            "hãy nhập mã của đơn vị hoặc chọn trong danh sách gợi ý."
        )
    return matches[0]


def members_on(on: date) -> QuerySet:
    """Membership periods current on a day: THE definition of "a member of X on D" (see MembershipPeriod)."""
    return MembershipPeriod.objects.on(on)


def _with_counts(queryset: QuerySet, on: date) -> QuerySet:
    return queryset.annotate(
        cell_count=_count_subquery(Cell.objects.active_on(on), "organization"),
        member_count=_count_subquery(members_on(on), "organization"),
    )


def organization_detail(user, pk: int, *, on: date | None = None) -> BaseOrganization:
    """One organisation the user may read, with its counts on a day (default today); dissolved ones too (their
    history stays readable). Outside the user's scope → 404.

    The officer's landing page: the query (the row and its two count subqueries) is the same SQL for every
    organisation on a day, compiled once per process (dukportal.core.prepared; building it with the ORM cost
    about 2 ms of CPU a request). Who may read it is access.may_read_organization, scope's answer for one id."""
    on = on or timezone.localdate()
    if not access.may_read_organization(user, pk) or not 0 < pk < 2**63:
        raise Http404  # outside the scope, or no row can have that id (the ORM's answer: none)
    found = prepared.instances(
        ("organization detail", on),
        BaseOrganization,
        lambda organization_id: _with_counts(BaseOrganization.objects.filter(pk=organization_id), on),
        pk,
        annotations=("cell_count", "member_count"),
    )
    if not found:
        raise Http404
    return found[0]


def organization_totals(organizations: list[BaseOrganization]) -> dict:
    """Totals of rows from organization_list (same date): organisations, cells and members."""
    return {
        "organizations": len(organizations),
        "cells": sum(o.cell_count for o in organizations),
        "members": sum(o.member_count for o in organizations),
    }


def sector_totals(organizations: list[BaseOrganization]) -> list[dict]:
    """organization_totals per sector, in the sectors' order, every sector listed (zeros included)."""
    return [
        {"sector": value, "label": label, **organization_totals([o for o in organizations if o.sector == value])}
        for value, label in Sector.choices
    ]


def cells_of(organization: BaseOrganization, *, on: date | None = None) -> QuerySet:
    """The organisation's cells active on a day, with their member counts on that day (one query)."""
    on = on or timezone.localdate()
    return (
        organization.cells.active_on(on)
        .annotate(member_count=_count_subquery(members_on(on), "cell"))
        .order_by("sort_key")
    )


def organization_cells(organization: BaseOrganization, *, on: date | None = None) -> list[Cell]:
    """cells_of(organization, on=on) as a list, its SQL compiled once per process for the day (the organisation
    page; dukportal.core.prepared)."""
    on = on or timezone.localdate()
    return prepared.instances(
        ("organization cells", on),
        Cell,
        lambda organization_id: cells_of(BaseOrganization(pk=organization_id), on=on),
        organization.pk,
        annotations=("member_count",),
    )


# What a row of the member tables and the member search shows, read as named rows.
MEMBER_ROW_FIELDS = (
    "pk", "code", "full_name", "gender", "birth_date", "admitted_on", "official_on", "cell__name", "status",
    "organization_id", "organization__name",
)  # fmt: skip


def member_list(
    user,
    *,
    organization: BaseOrganization | None = None,
    query: str = "",
    status: str = "",
    on: date | None = None,
) -> QuerySet:
    """Members the user may read. With `on`: those who belonged to `organization` (or anywhere) on that day,
    whatever they have done since; without it, by the current values of each row."""
    if on is not None:
        # Scoped by where they were on that day: an officer sees who belonged to their organisation then.
        periods = access.scope(members_on(on), user).filter(member=OuterRef("pk"))
        if organization is not None:
            periods = periods.filter(organization=organization)
        queryset = Member.objects.filter(Exists(periods))
    else:
        queryset = access.scope(Member.objects.all(), user)
        if organization is not None:
            queryset = queryset.filter(organization=organization)
    queryset = queryset.select_related("organization", "cell")
    if status:
        queryset = queryset.filter(status=status)
    return _search_people(queryset, query).order_by("search_rank", "sort_key", "code")


def member_search_candidates(user, query: str, *, limit: int) -> QuerySet:
    """member_list(user, query=query) ranked among a bounded set of matches, as (pk, search_rank, sort_key,
    code) rows, at most `limit` of them: every exact full name and the first `limit` other matches in
    alphabetical order (sort_key, code). With fewer matches than `limit` that is every match, ranked as
    member_list ranks them. Past it (a family name such as “nguyen” matches a third of a large bloc) it is the
    exact names, then the first names in alphabetical order with whole words before word starts, and the page
    asks for another word (MemberSearchView). On PostgreSQL each half walks member_search_order_idx and stops
    after `limit` matches, and the ranking reads only what the walk returned, instead of ranking every match
    of the bloc (23,700 of 65,000 members at 1,000 organisations)."""
    ranked = member_list(user, query=query)
    exact = Q(search_key=fold(query))
    columns = ("pk", "search_rank", "sort_key", "code")  # all in member_search_order_idx
    first = ranked.order_by("sort_key", "code")
    if not connection.features.supports_slicing_ordering_in_compound:
        # SQLite accepts no LIMIT inside a UNION: the same rows, without the index walk (a laptop's small data).
        named, others = first.filter(exact).values("pk")[:limit], first.exclude(exact).values("pk")[:limit]
        return ranked.filter(Q(pk__in=named) | Q(pk__in=others)).values_list(*columns)[:limit]
    named, others = (
        first.filter(exact).values_list(*columns)[:limit],
        first.exclude(exact).values_list(*columns)[:limit],
    )
    return named.union(others, all=True).order_by("search_rank", "sort_key", "code")[:limit]


def member_search_ids(user, query: str, *, limit: int) -> list[int]:
    """The ids of member_search_candidates, in their ranked order: one query, its SQL compiled once per process for
    the scope, the folded search and the limit (the union of two ranked walks cost more to build than to run;
    issue 13, branch pages74b)."""
    key = ("member search ids", scope_key(user), fold(query), tuple(search_terms(query)), limit)
    return [row[0] for row in prepared.keyed_rows(key, lambda: member_search_candidates(user, query, limit=limit))]


def bloc_totals(user, *, on: date | None = None) -> dict:
    """The bloc's size on a day for what the user may read, counted in SQL (never a row per organisation):
    {"organizations", "cells", "members", "by_sector": {sector value: organisations}} — the same figures as
    summing organization_list's rows (the dashboard's cards). Two queries: the organisations by sector, and
    organization_list_totals."""
    on = on or timezone.localdate()
    per_sector = {
        row["sector"]: row["n"]
        for row in _organizations_on(user, query="", sector="", on=on)
        .order_by()
        .values("sector")
        .annotate(n=Count("pk"))
    }
    totals = organization_list_totals(user, on=on)
    return {**totals, "by_sector": {value: per_sector.get(value, 0) for value in Sector.values}}
