"""Demo members with a history: every demo member gets their membership periods, and a handful are moved
between demo organisations (and one dies) through the services on plausible past dates, so the demo's member
counts differ between a past date and today as a real bloc's do.

Idempotent: members who already have periods are left alone, and a planned change is made only while the
member is still in the state it starts from (one period, active), so a second run changes nothing."""

import zlib
from datetime import date, timedelta

from django.db.models import Count

from . import services
from .models import (
    LEAVE_REASON_FOR_STATUS,
    BaseOrganization,
    JoinReason,
    LeaveReason,
    Member,
    MembershipPeriod,
    MemberStatus,
)

# Who moves: fixed demo member numbers (seed_demo codes members DV00001…), spread over the organisations.
TRANSFERRED = (17, 412, 905, 1333, 1810, 2204, 2718, 3141, 3599, 4102)
DIED = 2500


def _stable(code: str) -> int:
    """A number that depends only on the code (Python's hash() changes between runs)."""
    return zlib.crc32(code.encode())


def _departure_day(code: str, admitted_on: date, today: date) -> date:
    """A plausible day for a demo member who is no longer active to have left: within the last four years,
    after their first year as a member."""
    start = max(admitted_on + timedelta(days=365), today - timedelta(days=4 * 365))
    end = today - timedelta(days=30)
    if start >= end:
        return max(admitted_on, end)
    return start + timedelta(days=_stable(code) % (end - start).days)


def _backfill(today: date) -> int:
    """Periods for demo members loaded without them (seed_demo bulk-creates members)."""
    missing = Member.objects.filter(periods__isnull=True).values_list(
        "pk", "code", "organization_id", "cell_id", "admitted_on", "status"
    )
    periods = []
    for pk, code, organization_id, cell_id, admitted_on, status in missing.iterator(chunk_size=2000):
        leave_reason = LEAVE_REASON_FOR_STATUS.get(status, "")
        periods.append(
            MembershipPeriod(
                member_id=pk,
                organization_id=organization_id,
                cell_id=cell_id,
                joined_on=admitted_on,
                join_reason=JoinReason.ADMITTED,
                left_on=_departure_day(code, admitted_on, today) if leave_reason else None,
                leave_reason=leave_reason,
            )
        )
    MembershipPeriod.objects.bulk_create(periods, batch_size=1000)
    return len(periods)


def _plan_days(today: date) -> list[date]:
    """1 July of last year (the mid-year reshuffle) and a few later days, all in the past."""
    days = [date(today.year - 1, 7, 1), date(today.year - 1, 10, 1), date(today.year, 2, 3)]
    return [day for day in days if day < today] or [today]


def seed_member_transfers(*, actor, today: date) -> int:
    """Give every demo member their periods, then move a handful between organisations and record one death.
    Returns the number of changes made (0 on a second run)."""
    changes = _backfill(today)
    organizations = list(BaseOrganization.objects.active_on(today).order_by("code").prefetch_related("cells"))
    if len(organizations) < 2:
        return changes
    days = _plan_days(today)
    codes = [f"DV{number:05d}" for number in (*TRANSFERRED, DIED)]
    untouched = {
        member.code: member
        for member in Member.objects.filter(code__in=codes, status=MemberStatus.ACTIVE)
        .annotate(period_count=Count("periods"))
        .filter(period_count=1)
        .select_related("organization")
    }
    for index, number in enumerate(TRANSFERRED):
        member = untouched.get(f"DV{number:05d}")
        if member is None:
            continue
        day = days[index % len(days)]
        destination = organizations[(_stable(member.code) + index) % len(organizations)]
        if destination.pk == member.organization_id:
            destination = organizations[(organizations.index(destination) + 1) % len(organizations)]
        cells = [cell for cell in destination.cells.all() if cell.is_active_on(day)]
        if member.admitted_on >= day or not destination.is_active_on(day) or (destination.has_cells and not cells):
            continue
        services.member_transfer(
            actor=actor, member=member, organization=destination, cell=cells[0] if cells else None, on=day
        )
        changes += 1
    member = untouched.get(f"DV{DIED:05d}")
    died_on = days[0] + timedelta(days=142)
    if member is not None and member.admitted_on < died_on < today:
        services.member_leave(actor=actor, member=member, on=died_on, reason=LeaveReason.DIED)
        changes += 1
    return changes
