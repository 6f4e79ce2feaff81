"""Reads for organisations and members. Every list starts from organisations_visible_to(user)."""

from datetime import date

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from dukportal.core.text import search_terms

from . import access, history
from .models import BaseOrganization, Bloc, Cell, Member, MemberStatus


def current_bloc(on: date | None = None) -> Bloc | None:
    return Bloc.objects.active_on(on or timezone.localdate()).first() or Bloc.objects.first()


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


def organization_list(user, *, query: str = "", sector: str = "", on: date | None = None) -> QuerySet:
    """Organisations the user may read, active on a day, with cell and active-member counts: one SQL query
    whatever the number of organisations."""
    on = on or timezone.localdate()
    queryset = access.organizations_visible_to(user).active_on(on)
    if sector:
        queryset = queryset.filter(sector=sector)
    # Each organisation under the name it bore on that day (a rename keeps the old name on earlier dates).
    return history.with_name_on(_with_counts(_filter_search(queryset, query), on), on).order_by("sort_key")


def _with_counts(queryset: QuerySet, on: date) -> QuerySet:
    return queryset.annotate(
        cell_count=_count_subquery(Cell.objects.active_on(on), "organization"),
        member_count=_count_subquery(Member.objects.filter(status=MemberStatus.ACTIVE), "organization"),
    )


def organization_detail(user, pk: int) -> BaseOrganization:
    """One organisation the user may read, with its counts; dissolved ones too (their history stays readable).
    Outside the user's scope → 404."""
    queryset = _with_counts(access.organizations_visible_to(user), timezone.localdate())
    return access.get_visible_or_404(queryset, user, organization_field="", pk=pk)


def organization_totals(organizations: list[BaseOrganization]) -> dict:
    return {
        "organizations": len(organizations),
        "cells": sum(o.cell_count for o in organizations),
        "members": sum(o.member_count for o in organizations),
    }


def cells_of(organization: BaseOrganization, *, on: date | None = None) -> QuerySet:
    on = on or timezone.localdate()
    return (
        organization.cells.active_on(on)
        .annotate(member_count=Count("members", filter=Q(members__status=MemberStatus.ACTIVE)))
        .order_by("sort_key")
    )


def member_list(user, *, organization: BaseOrganization | None = None, query: str = "", status: str = "") -> QuerySet:
    queryset = access.scope(Member.objects.all(), user).select_related("organization", "cell")
    if organization is not None:
        queryset = queryset.filter(organization=organization)
    if status:
        queryset = queryset.filter(status=status)
    return _filter_search(queryset, query).order_by("sort_key", "code")
