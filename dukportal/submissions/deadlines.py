"""Deadlines: the registry of obligation kinds, and the reads that say who has submitted, who is missing and
who is late. Each app registers its kinds in AppConfig.ready():

    deadlines.register(Obligation(kind="danvan.registration", label="Đăng ký mô hình", states=...))

`states(deadline, organization_ids)` returns {organization_id: OrgState} for those that have sent something,
in one query; organisations absent from the dict have sent nothing."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from organizations.models import BaseOrganization

from .models import Audience, Deadline, SubmissionStatus


@dataclass(frozen=True)
class OrgState:
    status: str  # a SubmissionStatus value
    submitted_at: datetime | None


@dataclass(frozen=True)
class Obligation:
    kind: str
    label: str  # short Vietnamese column label for the compliance matrix
    states: Callable[[Deadline, list[int]], dict[int, OrgState]]
    order: int = 100
    # Narrows who owes a deadline of this kind, given the organisations active on its due date (e.g. only those
    # with an accepted model owe its evaluation). None: every one of them owes it.
    expected: Callable[[Deadline, QuerySet], QuerySet] | None = None


_REGISTRY: dict[str, Obligation] = {}


def register(obligation: Obligation) -> None:
    _REGISTRY[obligation.kind] = obligation


def obligation(kind: str) -> Obligation:
    return _REGISTRY[kind]


def obligations() -> list[Obligation]:
    return sorted(_REGISTRY.values(), key=lambda o: (o.order, o.kind))


@transaction.atomic
def deadline_sync(*, kind: str, source, title: str, year: int, due_date: date, organizations: Iterable | None = None):
    """Create or update the deadline of `kind` for `source` (a campaign or cycle). Idempotent."""
    deadline, _ = Deadline.objects.update_or_create(
        kind=kind,
        source_type=ContentType.objects.get_for_model(source),
        source_id=source.pk,
        defaults={
            "title": title,
            "year": year,
            "due_date": due_date,
            "audience": Audience.CHOSEN if organizations is not None else Audience.ALL_ACTIVE,
        },
    )
    if organizations is not None:
        deadline.organizations.set(organizations)
    else:
        deadline.organizations.clear()
    return deadline


def expected_organizations(deadline: Deadline):
    """Who owes this submission: the chosen list, or the base organisations active on the due date (narrowed by
    the kind's own rule, if it has one)."""
    if deadline.audience == Audience.CHOSEN:
        return deadline.organizations.all()
    active = BaseOrganization.objects.active_on(deadline.due_date)
    kind = _REGISTRY.get(deadline.kind)
    return kind.expected(deadline, active) if kind and kind.expected else active


class Standing:
    """One organisation's position on one deadline, as the tracking page and matrix show it."""

    MISSING, LATE, SUBMITTED, RETURNED, ACCEPTED, DRAFT = (
        "missing",
        "late",
        "submitted",
        "returned",
        "accepted",
        "draft",
    )
    LABELS = {
        "missing": "Chưa nộp",
        "late": "Quá hạn",
        "submitted": "Đã nộp",
        "returned": "Bị trả lại",
        "accepted": "Đã tiếp nhận",
    }

    def __init__(self, state: OrgState | None, due_date: date, today: date):
        self.submitted_at = state.submitted_at if state else None
        sent = state is not None and state.status != SubmissionStatus.DRAFT
        if not sent:
            self.code = self.LATE if today > due_date else self.MISSING
        else:
            self.code = {"returned": self.RETURNED, "accepted": self.ACCEPTED}.get(state.status, self.SUBMITTED)
        self.sent = sent
        self.sent_late = bool(sent and self.submitted_at and timezone.localtime(self.submitted_at).date() > due_date)

    @property
    def label(self) -> str:
        return self.LABELS[self.code]

    @property
    def owes(self) -> bool:
        """Still to be reminded: nothing sent yet."""
        return not self.sent


def deadline_cells(deadline: Deadline, organization_ids: list[int], today: date | None = None) -> dict[int, "Standing"]:
    today = today or timezone.localdate()
    states = obligation(deadline.kind).states(deadline, organization_ids)
    return {org_id: Standing(states.get(org_id), deadline.due_date, today) for org_id in organization_ids}


_PRECEDENCE = {SubmissionStatus.ACCEPTED: 3, SubmissionStatus.SUBMITTED: 2, SubmissionStatus.RETURNED: 1}


def states_from_rows(rows: Iterable[dict]) -> dict[int, OrgState]:
    """Fold rows of {organization_id, status, submitted_at} (several submissions per organisation) into one
    state each: the most advanced status, and the first time something was sent."""
    result: dict[int, OrgState] = {}
    for row in rows:
        if row["status"] == SubmissionStatus.DRAFT:
            continue
        current = result.get(row["organization_id"])
        first_sent = min(filter(None, [row["submitted_at"], current.submitted_at if current else None]), default=None)
        best = row["status"]
        if current and _PRECEDENCE[current.status] > _PRECEDENCE[best]:
            best = current.status
        result[row["organization_id"]] = OrgState(status=best, submitted_at=first_sent)
    return result
