"""The demo's one reorganisation, recorded through the service as staff would: on 1 July (of the demo's year
once that day has passed, else of the year before) the Sở Kế
hoạch và Đầu tư's đảng bộ is absorbed into the Sở Tài chính's (as the 2025 reform of provincial departments
did), its cells and its officer's account moving to the successor. Keyed on the succession link: a second run
creates nothing."""

from datetime import date

from .demo_calendar import demo_year
from .models import BaseOrganization, OrganizationSuccession
from .reorganization import organizations_merge

PREDECESSOR_CODE, SUCCESSOR_CODE = "CS003", "CS001"  # Đảng bộ Sở Kế hoạch và Đầu tư → Đảng bộ Sở Tài chính
NOTE = "Sáp nhập theo Nghị quyết của Hội đồng nhân dân tỉnh về sắp xếp các cơ quan chuyên môn (dữ liệu mẫu)."


def seed_reorganisation(*, actor, today: date) -> int:
    """Record the demo merge if it is not recorded yet. Returns the number of reorganisations created (0 or 1)."""
    organizations = {o.code: o for o in BaseOrganization.objects.filter(code__in=[PREDECESSOR_CODE, SUCCESSOR_CODE])}
    if actor is None or len(organizations) < 2:
        return 0
    predecessor, successor = organizations[PREDECESSOR_CODE], organizations[SUCCESSOR_CODE]
    if OrganizationSuccession.objects.filter(predecessor=predecessor).exists() or predecessor.valid_to is not None:
        return 0
    # 1 July of the demo's year when that day has come (the year's figures then show the bloc before and after),
    # else of the year before.
    effective_on = date(demo_year(today), 7, 1)
    if effective_on > today:
        effective_on = date(effective_on.year - 1, 7, 1)
    if effective_on <= max(predecessor.valid_from, successor.valid_from):
        return 0
    organizations_merge(
        actor=actor,
        predecessors=[predecessor],
        into=successor,
        effective_on=effective_on,
        move_cells=True,
        move_officers=True,
        note=NOTE,
    )
    return 1
