"""Reads of an organisation's dated history: its name on a date, and the predecessor → successor links that
reorganisations recorded. Side-effect free; the writes are in reorganization.py."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from dukportal.core import prepared

from .models import BaseOrganization, OrganizationName, OrganizationSuccession


def _name_subquery(day: date) -> Subquery:
    return Subquery(
        OrganizationName.objects.filter(organization=OuterRef("pk"), valid_from__lte=day)
        .order_by("-valid_from")
        .values("name")[:1]
    )


def with_name_on(queryset: QuerySet, day: date) -> QuerySet:
    """Annotate each organisation of the queryset with `name_on_date`, the name it bore on `day`, in the same SQL
    query. Without dated names the organisation bore its current name all along."""
    return queryset.annotate(name_on_date=Coalesce(_name_subquery(day), F("name")))


def name_on(organization: BaseOrganization, day: date) -> str:
    """The name an organisation bore on a day (its first recorded name before the first period)."""
    dated = OrganizationName.objects.filter(organization=organization, valid_from__lte=day).order_by("-valid_from")
    return dated.values_list("name", flat=True).first() or organization.name


@dataclass(frozen=True)
class NamePeriod:
    name: str
    valid_from: date
    valid_to: date | None


def name_periods(organization: BaseOrganization) -> list[NamePeriod]:
    """Every name of the organisation with the days it was used, oldest first (one query)."""
    # The organisation page's (the officer's landing page): the same SQL for every organisation, compiled once
    # per process (building and compiling it with the ORM was ~0.6 ms of the page's CPU).
    rows = prepared.rows(
        ("organization names",),
        lambda pk: (
            OrganizationName.objects.filter(organization_id=pk).order_by("valid_from").values_list("name", "valid_from")
        ),
        organization.pk,
    )
    if not rows:
        return [NamePeriod(organization.name, organization.valid_from, organization.valid_to)]
    periods = []
    for (name, valid_from), following in zip(rows, [*rows[1:], None], strict=True):
        end = following[1] - timedelta(days=1) if following else organization.valid_to
        periods.append(NamePeriod(name, valid_from, end))
    return periods


def predecessors_of(organization: BaseOrganization) -> QuerySet:
    return OrganizationSuccession.objects.filter(successor=organization).select_related("predecessor")


def successors_of(organization: BaseOrganization) -> QuerySet:
    return OrganizationSuccession.objects.filter(predecessor=organization).select_related("successor")


def links_of(organization: BaseOrganization) -> tuple[list, list]:
    """(predecessors_of, successors_of) the organisation, each in its order, in one query (its page shows both)."""
    # The organisation page's: the same SQL for every organisation, compiled once per process.
    links = prepared.instances(
        ("organization links",),
        OrganizationSuccession,
        lambda pk: OrganizationSuccession.objects.filter(Q(successor_id=pk) | Q(predecessor_id=pk)),
        organization.pk,
        related=("predecessor", "successor"),
    )
    return (
        [link for link in links if link.successor_id == organization.pk],
        [link for link in links if link.predecessor_id == organization.pk],
    )


def _links() -> list[tuple[int, int]]:
    # A bloc records a handful of reorganisations a year: reading all links at once keeps every caller at one
    # query, whatever the depth of the chain.
    return list(OrganizationSuccession.objects.values_list("predecessor_id", "successor_id"))


def ancestor_ids(organization_ids: Iterable[int]) -> set[int]:
    """The organisations themselves and all their predecessors, transitively."""
    found = set(organization_ids)
    links = _links()
    changed = True
    while changed:
        changed = False
        for predecessor, successor in links:
            if successor in found and predecessor not in found:
                found.add(predecessor)
                changed = True
    return found


def related_ids(organization_ids: Iterable[int]) -> set[int]:
    """The organisations and everything linked to them by succession in either direction (predecessors,
    successors, their other predecessors…): the organisations one model's history may have passed through."""
    found = set(organization_ids)
    links = _links()
    changed = True
    while changed:
        changed = False
        for predecessor, successor in links:
            if (predecessor in found) != (successor in found):
                found.update((predecessor, successor))
                changed = True
    return found
